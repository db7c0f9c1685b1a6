/**
 * What the handler role needs to write outcomes back, and nothing more: an
 * inline policy of its own beside the handler's base policy, present only when
 * `report:` enables something. Pure, so the policy tests simulate exactly what
 * the stack deploys.
 *
 * - Security Hub: BatchUpdateFindings on this region's hub of the security
 *   account (the delegated administrator updates its members' findings through
 *   its own hub). The service authorization reference gives the action the
 *   `hub` resource and the per-field keys `securityhub:ASFFSyntaxPath/<field>`;
 *   `securityhub:TargetAccount` is not among its keys, so the member accounts
 *   cannot be narrowed here. The field keys restrict what the handler can
 *   write: workflow NOTIFIED or RESOLVED only (never SUPPRESSED), no workflow at
 *   all in `notes` mode, and never severity, criticality, confidence, types,
 *   verification state or related findings.
 * - GuardDuty: ArchiveFindings and ListDetectors support no resource-level
 *   permission (resource `*`), so they are bounded to the handler's region.
 * - Chat: Publish to the chat topic of this region (the results topic is
 *   already granted by the base policy).
 */
import type { PolicyDocument, PolicyStatement } from '../../bots/permissions';
import type { ReportConfig } from '../../config/runtime';

export interface ReportBackScope {
  partition: string;
  securityAccount: string;
  region: string;
  report: ReportConfig;
}

export function chatTopicName(region: string): string {
  return `cloudmend-chat-${region}`;
}

export function chatTopicArn(scope: Omit<ReportBackScope, 'report'>): string {
  return `arn:${scope.partition}:sns:${scope.region}:${scope.securityAccount}:${chatTopicName(scope.region)}`;
}

/** Fields of BatchUpdateFindings the handler never sets. */
export const FIELDS_NEVER_WRITTEN = [
  'Severity.Label',
  'Severity.Normalized',
  'Criticality',
  'Confidence',
  'Types',
  'VerificationState',
  'RelatedFindings',
  'UserDefinedFields',
] as const;

const field = (name: string) => `securityhub:ASFFSyntaxPath/${name}`;

function securityHubStatement(scope: ReportBackScope): PolicyStatement {
  const hub = `arn:${scope.partition}:securityhub:${scope.region}:${scope.securityAccount}:hub/default`;
  // Null "true": the request must not set the field. All keys of one block must hold, so one statement covers them all.
  const absent = Object.fromEntries(FIELDS_NEVER_WRITTEN.map((name) => [field(name), 'true']));
  const condition: NonNullable<PolicyStatement['Condition']> =
    scope.report.securityHub === 'notes'
      ? { Null: { ...absent, [field('Workflow.Status')]: 'true' } }
      : { Null: absent, StringEqualsIfExists: { [field('Workflow.Status')]: ['NOTIFIED', 'RESOLVED'] } };
  return {
    Sid: 'NoteFindingsInSecurityHub',
    Effect: 'Allow',
    Action: ['securityhub:BatchUpdateFindings'],
    Resource: [hub],
    Condition: condition,
  };
}

export function reportBackPolicy(scope: ReportBackScope): PolicyDocument | undefined {
  const statements: PolicyStatement[] = [];
  if (scope.report.securityHub !== 'off') statements.push(securityHubStatement(scope));
  if (scope.report.guardDuty.archive) {
    statements.push({
      Sid: 'ArchiveGuardDutyFindings',
      Effect: 'Allow',
      Action: ['guardduty:ArchiveFindings', 'guardduty:ListDetectors'],
      Resource: ['*'],
      Condition: { StringEquals: { 'aws:RequestedRegion': scope.region } },
    });
  }
  if (scope.report.chat.enabled && scope.report.chat.topic === 'own') {
    statements.push({ Sid: 'PublishChatMessages', Effect: 'Allow', Action: ['sns:Publish'], Resource: [chatTopicArn(scope)] });
  }
  return statements.length > 0 ? { Version: '2012-10-17', Statement: statements } : undefined;
}
