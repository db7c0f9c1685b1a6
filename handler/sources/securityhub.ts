/**
 * Security Hub findings (ASFF) as EventBridge delivers them: `Security Hub
 * Findings - Imported` and `- Custom Action`, many findings per event. The
 * control id (`ProductFields.ControlId` in per-standard findings,
 * `Compliance.SecurityControlId` with consolidated control findings) is the key
 * the config maps to bots.
 */
import type { Severity } from '../../bots/types';
import { isOwnEcho } from '../feedback/echo';
import { reject, type Rejection } from '../rejection';
import { accountId, arr, isObject, obj, region, str, tagsOf, type Json } from './fields';
import { apiId, asffType, parseArn } from './resources';
import type { SourceOptions, SourceOutput, SourcedFinding } from './types';

function severityOf(severity: Json): Severity {
  switch (str(severity.Label)?.toUpperCase()) {
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

function fromAsff(finding: Json, index: number, options: SourceOptions): SourcedFinding | Rejection {
  const id = str(finding.Id);
  const account = accountId(finding.AwsAccountId);
  const resources = arr(finding.Resources).filter(isObject);
  const primary = resources[0];
  const from = { source: 'securityhub' as const, ...(id ? { findingId: id } : {}) };
  const missing = [
    id ? undefined : 'Id',
    account ? undefined : 'AwsAccountId',
    primary && str(primary.Type) && str(primary.Id) ? undefined : 'Resources[0].Type and Id',
  ].filter(Boolean);
  if (missing.length > 0) return reject('malformed-event', `Security Hub finding #${index} without ${missing.join(', ')}`, from);

  const workflow = str(obj(finding.Workflow).Status) ?? str(finding.WorkflowState);
  if (workflow === 'SUPPRESSED' || workflow === 'RESOLVED') {
    return reject('workflow-closed', `Security Hub finding ${id} has workflow status ${workflow}: someone closed it on purpose`, from);
  }
  if (str(finding.RecordState) === 'ARCHIVED') return reject('workflow-closed', `Security Hub finding ${id} is archived`, from);

  const compliance = obj(finding.Compliance);
  const complianceStatus = str(compliance.Status);
  if (complianceStatus && complianceStatus !== 'FAILED' && complianceStatus !== 'PASSED') {
    return reject(
      'not-failed',
      `Security Hub finding ${id} has compliance status ${complianceStatus}; only FAILED findings are remediated`,
      from,
    );
  }
  const productFields = obj(finding.ProductFields);
  const control = str(productFields.ControlId) ?? str(compliance.SecurityControlId);
  const rule = control ?? str(finding.GeneratorId) ?? str(finding.Title) ?? id!;

  const type = asffType(str(primary!.Type)!);
  const rawId = str(primary!.Id)!;
  const arn = parseArn(rawId);
  const notes: string[] = [];
  let findingRegion = region(primary!.Region) ?? region(finding.Region) ?? (arn ? region(arn.region) : undefined);
  if (!findingRegion) {
    findingRegion = options.defaultRegion;
    notes.push(`the finding names no region; assumed the handler's region ${findingRegion}`);
  }
  if (resources.length > 1) {
    notes.push(`the finding names ${resources.length} resources; acting on the first (${rawId})`);
  }
  // An access key finding acts on the key's user.
  const accessKey = obj(obj(primary!.Details).AwsIamAccessKey);
  const userName =
    type === 'AWS::IAM::User' && str(primary!.Type) === 'AwsIamAccessKey'
      ? (str(accessKey.UserName) ?? str(accessKey.PrincipalName))
      : undefined;
  const tags = tagsOf(primary!.Tags);
  return {
    source: 'securityhub',
    id: id!,
    rule,
    ...(str(finding.Title) ? { title: str(finding.Title) } : {}),
    severity: severityOf(obj(finding.Severity)),
    status: complianceStatus === 'PASSED' ? 'PASSED' : 'FAILED',
    partition: str(primary!.Partition) ?? arn?.partition ?? 'aws',
    account: account!,
    region: findingRegion,
    resource: {
      type,
      id: userName ?? apiId(type, rawId),
      ...(arn ? { arn: rawId } : {}),
      ...(region(primary!.Region) ? { region: region(primary!.Region) } : {}),
      ...(tags ? { tags } : {}),
      raw: primary,
    },
    requestedActions: [],
    raw: finding,
    notes,
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
  const imported = str(event['detail-type']) === 'Security Hub Findings - Imported';
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
