/**
 * Security Hub findings (ASFF) as EventBridge delivers them: `Security Hub
 * Findings - Imported` and `- Custom Action`, many findings per event. The
 * control id (`ProductFields.ControlId` in per-standard findings,
 * `Compliance.SecurityControlId` with consolidated control findings) is the key
 * the config maps to bots.
 */
import { z } from 'zod';
import type { Severity } from '../../bots/types';
import { SECURITY_HUB_SOURCE } from '../../config/sources';
import { isOwnEcho } from '../feedback/echo';
import { reject, type Rejection } from '../rejection';
import { isObject, obj, type Json } from './fields';
import { account, check, lenient, list, regionName, regionOrDefault, tags, text } from './read';
import { apiId, asffType, parseArn } from './resources';
import type { FindingSourceModule, SourceOptions, SourceOutput, SourcedFinding } from './types';

function severityOf(label: string | undefined): Severity {
  switch (label?.toUpperCase()) {
    case 'CRITICAL':
      return 'critical';
    case 'HIGH':
      return 'high';
    case 'MEDIUM':
      return 'medium';
    case 'LOW':
      return 'low';
    case 'INFORMATIONAL':
      return 'informational';
    default:
      return 'unknown';
  }
}

const AsffResource = lenient({
  Type: text,
  Id: text,
  Partition: text,
  Region: regionName,
  Tags: tags,
  Details: lenient({ AwsIamAccessKey: lenient({ UserName: text, PrincipalName: text }) }),
});

const Asff = lenient({
  Id: text,
  ProductArn: text,
  AwsAccountId: account,
  Region: regionName,
  Title: text,
  GeneratorId: text,
  RecordState: text,
  WorkflowState: text,
  Workflow: lenient({ Status: text }),
  Compliance: lenient({ Status: text, SecurityControlId: text }),
  ProductFields: lenient({ ControlId: text }),
  Severity: lenient({ Label: text }),
  Resources: list,
});

const Required = z.object({
  id: z.string(),
  account: z.string(),
  resourceType: z.string(),
  resourceId: z.string(),
});
const LABELS = { id: 'Id', account: 'AwsAccountId', resourceType: 'Resources[0].Type and Id', resourceId: 'Resources[0].Type and Id' };

function fromAsff(raw: Json, index: number, options: SourceOptions): SourcedFinding | Rejection {
  const finding = Asff.parse(raw);
  const primary = AsffResource.parse(finding.Resources[0]);
  const from = { source: 'securityhub' as const, ...(finding.Id ? { findingId: finding.Id } : {}) };
  const checked = check(
    Required,
    { id: finding.Id, account: finding.AwsAccountId, resourceType: primary.Type, resourceId: primary.Id },
    LABELS,
  );
  if (!checked.ok) return reject('malformed-event', `Security Hub finding #${index} without ${checked.missing}`, from);
  const { id, resourceType, resourceId } = checked.value;

  const workflow = finding.Workflow.Status ?? finding.WorkflowState;
  if (workflow === 'SUPPRESSED' || workflow === 'RESOLVED') {
    return reject('workflow-closed', `Security Hub finding ${id} has workflow status ${workflow}: someone closed it on purpose`, from);
  }
  if (finding.RecordState === 'ARCHIVED') return reject('workflow-closed', `Security Hub finding ${id} is archived`, from);

  const complianceStatus = finding.Compliance.Status;
  if (complianceStatus && complianceStatus !== 'FAILED' && complianceStatus !== 'PASSED') {
    return reject(
      'not-failed',
      `Security Hub finding ${id} has compliance status ${complianceStatus}; only FAILED findings are remediated`,
      from,
    );
  }
  const control = finding.ProductFields.ControlId ?? finding.Compliance.SecurityControlId;
  const rule = control ?? finding.GeneratorId ?? finding.Title ?? id;

  const type = asffType(resourceType);
  const arn = parseArn(resourceId);
  const { region, notes } = regionOrDefault(primary.Region ?? finding.Region ?? regionName.parse(arn?.region), options, 'the finding');
  if (finding.Resources.length > 1) {
    notes.push(`the finding names ${finding.Resources.length} resources; acting on the first (${resourceId})`);
  }
  // An access key finding acts on the key's user.
  const accessKey = primary.Details.AwsIamAccessKey;
  const userName = resourceType === 'AwsIamAccessKey' ? (accessKey.UserName ?? accessKey.PrincipalName) : undefined;
  return {
    source: 'securityhub',
    id,
    rule,
    ...(finding.Title ? { title: finding.Title } : {}),
    severity: severityOf(finding.Severity.Label),
    status: complianceStatus === 'PASSED' ? 'PASSED' : 'FAILED',
    partition: primary.Partition ?? arn?.partition ?? 'aws',
    account: checked.value.account,
    region,
    resource: {
      type,
      id: userName ?? apiId(type, resourceId),
      ...(arn ? { arn: resourceId } : {}),
      ...(primary.Region ? { region: primary.Region } : {}),
      ...(primary.Tags ? { tags: primary.Tags } : {}),
      raw: obj(finding.Resources[0]),
    },
    requestedActions: [],
    raw,
    notes,
    ...(finding.ProductArn ? { product: finding.ProductArn } : {}),
  };
}

export function fromSecurityHub(event: Json, options: SourceOptions): SourceOutput {
  const findings = obj(event.detail).findings;
  if (!Array.isArray(findings) || findings.length === 0) {
    return {
      findings: [],
      rejections: [
        reject('malformed-event', 'Security Hub event without detail.findings (expected a list of ASFF findings)', {
          source: 'securityhub',
        }),
      ],
    };
  }
  const output: SourceOutput = { findings: [], rejections: [] };
  // A custom action is a person asking again: only imports can be echoes of cloudmend's own note (handler/feedback/echo.ts).
  const imported = event['detail-type'] === 'Security Hub Findings - Imported';
  for (let index = 0; index < findings.length; index++) {
    const finding: unknown = findings[index];
    const result = isObject(finding)
      ? fromAsff(finding, index, options)
      : reject('malformed-event', `Security Hub finding #${index} is not an object`, { source: 'securityhub' });
    if (imported && !('code' in result) && isOwnEcho(finding)) {
      const why = `Security Hub finding ${result.id} was re-sent for cloudmend's own note; it has not been re-evaluated since`;
      output.rejections.push(reject('own-update-echo', why, { source: 'securityhub', findingId: result.id, finding: result }));
      continue;
    }
    if ('code' in result) output.rejections.push(result);
    else output.findings.push(result);
  }
  return output;
}

/** One ASFF finding on its own (as `aws securityhub get-findings` prints it), for `cloudmend invoke`. */
function isBareAsff(payload: Json): boolean {
  return payload['detail-type'] === undefined && typeof payload.SchemaVersion === 'string' && typeof payload.ProductArn === 'string';
}

export const securityHubSource: FindingSourceModule = {
  declaration: SECURITY_HUB_SOURCE,
  expected: 'an EventBridge event with detail-type "Security Hub Findings - Imported" or "- Custom Action", or one bare ASFF finding',
  recognises: (payload) =>
    (typeof payload['detail-type'] === 'string' && payload['detail-type'].startsWith('Security Hub Findings')) || isBareAsff(payload),
  read: (payload, options) => fromSecurityHub(isBareAsff(payload) ? { detail: { findings: [payload] } } : payload, options),
};
