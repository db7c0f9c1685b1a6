/**
 * The handler role's write-back permissions (stacks/handler/report-back-policy.ts),
 * proven with the IAM simulator against the requests the handler really sends:
 * the BatchUpdateFindings request context is derived from the command input
 * handler/feedback builds, field by field (`securityhub:ASFFSyntaxPath/<field>`).
 */
import type { PolicyDocument } from '../../bots/permissions';
import type { ReportConfig } from '../../config/runtime';
import { batchUpdateInputs, type SecurityHubUpdate } from '../../handler/feedback/security-hub';
import { chatTopicArn, FIELDS_NEVER_WRITTEN, reportBackPolicy } from '../../stacks/handler/report-back-policy';
import { handlerNames, handlerRoleArn, handlerRolePolicy } from '../../stacks/member-role-policy';
import {
  FINDING_REGION,
  MEMBER_ACCOUNT,
  MEMBER_ROLE_NAME,
  OUTSIDE_ACCOUNT,
  PARTITION,
  principalContext,
  SECURITY_ACCOUNT,
} from './fixtures';
import { type Decision, SimulationTally, simulate } from './simulate';

const tally = new SimulationTally();
afterAll(() => {
  console.log(tally.table('handler role: write-back to Security Hub, GuardDuty and chat'));
  tally.write(expect.getState().testPath ?? 'report-back.test.ts');
});

const OTHER_REGION = 'eu-central-1';
const ALL: ReportConfig = { securityHub: 'notes-and-workflow', guardDuty: { archive: true }, chat: { enabled: true, topic: 'own' } };
const scope = { partition: PARTITION, securityAccount: SECURITY_ACCOUNT, region: FINDING_REGION };
const base = handlerRolePolicy({ ...scope, memberRoleName: MEMBER_ROLE_NAME, accounts: [SECURITY_ACCOUNT, MEMBER_ACCOUNT] });
const names = handlerNames(FINDING_REGION);
const principal = `arn:${PARTITION}:sts::${SECURITY_ACCOUNT}:assumed-role/${names.role}/${names.function}`;
const hub = (region = FINDING_REGION, account = SECURITY_ACCOUNT) => `arn:${PARTITION}:securityhub:${region}:${account}:hub/default`;

function policiesFor(report: ReportConfig): PolicyDocument[] {
  const extra = reportBackPolicy({ ...scope, report });
  return extra ? [base, extra] : [base];
}

interface Request {
  action: string;
  resource: string;
  region?: string;
  context?: Record<string, string | string[]>;
  absent?: string[];
}

async function decide(report: ReportConfig, request: Request): Promise<Decision> {
  const outcome = await simulate({
    request: {
      principal,
      action: request.action,
      resource: request.resource,
      resourceAccount: request.resource === '*' ? SECURITY_ACCOUNT : (request.resource.split(':')[4] ?? SECURITY_ACCOUNT),
      context: {
        ...principalContext(handlerRoleArn(PARTITION, SECURITY_ACCOUNT, FINDING_REGION), names.function, request.region ?? FINDING_REGION),
        ...request.context,
      },
    },
    identityPolicies: policiesFor(report),
    ...(request.absent ? { absentOnPurpose: request.absent } : {}),
  });
  tally.count(
    `${request.action} (${report.securityHub}, archive ${report.guardDuty.archive}, chat ${report.chat.enabled})`,
    outcome.decision,
  );
  return outcome.decision;
}

const field = (name: string) => `securityhub:ASFFSyntaxPath/${name}`;

/** The request context of the call handler/feedback makes for this update: the fields it sets, and those it leaves out. */
function batchUpdateRequest(update: Omit<SecurityHubUpdate, 'results' | 'identifier'>, overrides: Record<string, string> = {}): Request {
  const input = batchUpdateInputs([{ ...update, identifier: { Id: 'f', ProductArn: 'p' }, results: [] }])[0]!.input;
  const set: Record<string, string> = {
    [field('Note.Text')]: input.Note!.Text!,
    [field('Note.UpdatedBy')]: input.Note!.UpdatedBy!,
    ...(input.Workflow?.Status ? { [field('Workflow.Status')]: input.Workflow.Status } : {}),
    ...overrides,
  };
  const absent = [...FIELDS_NEVER_WRITTEN, 'Workflow.Status'].map(field).filter((k) => !(k in set));
  return { action: 'securityhub:BatchUpdateFindings', resource: hub(), context: set, absent };
}

describe('Security Hub: BatchUpdateFindings from the security account’s hub in the handler region', () => {
  it.each([
    ['a note with workflow RESOLVED', ALL, { note: 'cloudmend: x remediated [r-1]', workflow: 'RESOLVED' as const }, {}, 'Allowed'],
    ['a note with workflow NOTIFIED', ALL, { note: 'cloudmend: x failed [r-1]', workflow: 'NOTIFIED' as const }, {}, 'Allowed'],
    ['a note alone (dry run)', ALL, { note: 'cloudmend (dry run, nothing changed): x dry-run [r-1]' }, {}, 'Allowed'],
    ['workflow SUPPRESSED', ALL, { note: 'n', workflow: 'RESOLVED' as const }, { [field('Workflow.Status')]: 'SUPPRESSED' }, 'Denied'],
    ['a severity change', ALL, { note: 'n' }, { [field('Severity.Label')]: 'INFORMATIONAL' }, 'Denied'],
    ['a verification state', ALL, { note: 'n' }, { [field('VerificationState')]: 'FALSE_POSITIVE' }, 'Denied'],
    ['notes mode: a note alone', { ...ALL, securityHub: 'notes' as const }, { note: 'n' }, {}, 'Allowed'],
    [
      'notes mode: any workflow change',
      { ...ALL, securityHub: 'notes' as const },
      { note: 'n', workflow: 'RESOLVED' as const },
      {},
      'Denied',
    ],
    ['off: not even a note', { ...ALL, securityHub: 'off' as const }, { note: 'n' }, {}, 'Denied'],
  ] as const)('%s', async (_name, report, update, overrides, expected) => {
    const decision = await decide(report, batchUpdateRequest(update, overrides));
    if (expected === 'Denied') expect(decision).not.toBe('Allowed');
    else expect(decision).toBe(expected);
  });

  it.each([
    ['the hub of another region', hub(OTHER_REGION)],
    ['the hub of a member account', hub(FINDING_REGION, MEMBER_ACCOUNT)],
    ['the hub of an account outside the organization', hub(FINDING_REGION, OUTSIDE_ACCOUNT)],
  ])('never %s', async (_name, resource) => {
    const request = batchUpdateRequest({ note: 'n', workflow: 'RESOLVED' });
    expect(await decide(ALL, { ...request, resource })).not.toBe('Allowed');
  });
});

describe('GuardDuty: archive with the administrator’s detector, in the handler region only', () => {
  it.each([
    ['guardduty:ArchiveFindings', FINDING_REGION, ALL, 'Allowed'],
    ['guardduty:ListDetectors', FINDING_REGION, ALL, 'Allowed'],
    ['guardduty:ArchiveFindings', OTHER_REGION, ALL, 'Denied'],
    ['guardduty:ArchiveFindings', FINDING_REGION, { ...ALL, guardDuty: { archive: false } }, 'Denied'],
    ['guardduty:ListDetectors', FINDING_REGION, { ...ALL, guardDuty: { archive: false } }, 'Denied'],
    ['guardduty:UpdateFindingsFeedback', FINDING_REGION, ALL, 'Denied'],
    ['guardduty:DeleteDetector', FINDING_REGION, ALL, 'Denied'],
  ] as const)('%s in %s', async (action, region, report, expected) => {
    const decision = await decide(report, { action, resource: '*', region });
    if (expected === 'Denied') expect(decision).not.toBe('Allowed');
    else expect(decision).toBe(expected);
  });
});

describe('chat: publish to its own topic', () => {
  const own = chatTopicArn(scope);
  it.each([
    ['the chat topic', own, ALL, 'Allowed'],
    ['the chat topic, chat disabled', own, { ...ALL, chat: { enabled: false, topic: 'own' as const } }, 'Denied'],
    ['the chat topic, chat on the results topic', own, { ...ALL, chat: { enabled: true, topic: 'results' as const } }, 'Denied'],
    ['the results topic (base policy)', `arn:${PARTITION}:sns:${FINDING_REGION}:${SECURITY_ACCOUNT}:${names.outputTopic}`, ALL, 'Allowed'],
    ['the findings topic', `arn:${PARTITION}:sns:${FINDING_REGION}:${SECURITY_ACCOUNT}:${names.inputTopic}`, ALL, 'Denied'],
    ['another region’s chat topic', chatTopicArn({ ...scope, region: OTHER_REGION }), ALL, 'Denied'],
  ] as const)('%s', async (_name, resource, report, expected) => {
    const decision = await decide(report, { action: 'sns:Publish', resource });
    if (expected === 'Denied') expect(decision).not.toBe('Allowed');
    else expect(decision).toBe(expected);
  });
});

describe('with everything off', () => {
  it('adds no policy at all', () => {
    expect(
      reportBackPolicy({ ...scope, report: { securityHub: 'off', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } } }),
    ).toBeUndefined();
  });
});
