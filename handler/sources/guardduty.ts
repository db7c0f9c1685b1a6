/**
 * GuardDuty findings as EventBridge delivers them (`source: aws.guardduty`,
 * `detail-type: GuardDuty Finding`). The finding type (`detail.type`) is the key
 * the config maps to bots; the resource comes from `detail.resource`.
 */
import type { ResourceRef, Severity } from '../../bots/types';
import { reject } from '../rejection';
import { accountId, arr, obj, region, str, tagsOf, type Json } from './fields';
import type { SourceOptions, SourceOutput, SourcedFinding } from './types';

/** GuardDuty severity bands: 9-10 critical (since 2024), 7-8.9 high, 4-6.9 medium, below low. */
export function guardDutySeverity(value: unknown): Severity {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return 'unknown';
  if (n >= 9) return 'critical';
  if (n >= 7) return 'high';
  if (n >= 4) return 'medium';
  return 'low';
}

const SUPPORTED =
  'Instance (instanceDetails.instanceId), AccessKey (accessKeyDetails.userName), S3Bucket (s3BucketDetails[].name), RDSDBInstance';

/** The resources a GuardDuty finding names, as API ids; several for S3 findings about many buckets. */
function resourcesOf(resource: Json): ResourceRef[] | string {
  const resourceType = str(resource.resourceType);
  switch (resourceType) {
    case 'Instance': {
      const details = obj(resource.instanceDetails);
      const id = str(details.instanceId);
      if (!id) return 'resource Instance without instanceDetails.instanceId';
      const tags = tagsOf(details.tags);
      return [{ type: 'AWS::EC2::Instance', id, ...(tags ? { tags } : {}), raw: details }];
    }
    case 'AccessKey': {
      const details = obj(resource.accessKeyDetails);
      const userName = str(details.userName);
      const userType = str(details.userType);
      if (!userName) return 'resource AccessKey without accessKeyDetails.userName';
      if (userType === 'Root') return 'resource AccessKey of the root user: cloudmend does not act on the root user';
      const type = userType === 'AssumedRole' || userType === 'Role' ? 'AWS::IAM::Role' : 'AWS::IAM::User';
      return [{ type, id: userName, name: userName, raw: details }];
    }
    case 'S3Bucket': {
      const buckets = arr(resource.s3BucketDetails)
        .map(obj)
        .filter((b) => str(b.name));
      if (buckets.length === 0) return 'resource S3Bucket without s3BucketDetails[].name';
      return buckets.map((b) => {
        const tags = tagsOf(b.tags);
        return { type: 'AWS::S3::Bucket', id: str(b.name)!, ...(str(b.arn) ? { arn: str(b.arn) } : {}), ...(tags ? { tags } : {}), raw: b };
      });
    }
    case 'RDSDBInstance': {
      const details = obj(resource.rdsDbInstanceDetails);
      const id = str(details.dbInstanceIdentifier);
      if (!id) return 'resource RDSDBInstance without rdsDbInstanceDetails.dbInstanceIdentifier';
      const tags = tagsOf(details.tags);
      return [
        {
          type: 'AWS::RDS::DBInstance',
          id,
          ...(str(details.dbInstanceArn) ? { arn: str(details.dbInstanceArn) } : {}),
          ...(tags ? { tags } : {}),
          raw: details,
        },
      ];
    }
    default:
      return `resource type ${resourceType ?? '(none)'} is not one cloudmend acts on (expected ${SUPPORTED})`;
  }
}

export function fromGuardDuty(event: Json, options: SourceOptions): SourceOutput {
  const detail = obj(event.detail);
  const type = str(detail.type);
  const id = str(detail.id);
  const account = accountId(detail.accountId) ?? accountId(event.account);
  const missing = [type ? undefined : 'detail.type', id ? undefined : 'detail.id', account ? undefined : 'detail.accountId'].filter(
    Boolean,
  );
  if (missing.length > 0) {
    return {
      findings: [],
      rejections: [
        reject('malformed-event', `GuardDuty finding without ${missing.join(', ')}`, {
          source: 'guardduty',
          ...(id ? { findingId: id } : {}),
        }),
      ],
    };
  }
  const notes: string[] = [];
  let findingRegion = region(detail.region) ?? region(event.region);
  if (!findingRegion) {
    findingRegion = options.defaultRegion;
    notes.push(`the finding names no region; assumed the handler's region ${findingRegion}`);
  }
  const base = {
    source: 'guardduty' as const,
    rule: type!,
    ...(str(detail.title) ? { title: str(detail.title) } : {}),
    severity: guardDutySeverity(detail.severity),
    partition: str(detail.partition) ?? 'aws',
    account: account!,
    region: findingRegion,
    requestedActions: [],
    raw: event,
    notes,
  };
  if (obj(detail.service).archived === true) {
    return {
      findings: [],
      rejections: [reject('workflow-closed', `GuardDuty finding ${id} is archived`, { source: 'guardduty', findingId: id! })],
    };
  }
  const resources = resourcesOf(obj(detail.resource));
  if (typeof resources === 'string') {
    return {
      findings: [],
      rejections: [
        reject('unsupported-resource', `GuardDuty finding ${id} (${type}): ${resources}`, { source: 'guardduty', findingId: id! }),
      ],
    };
  }
  const findings: SourcedFinding[] = resources.map((resource) => ({
    ...base,
    id: resources.length > 1 ? `${id}/${resource.id}` : id!,
    status: 'FAILED',
    resource,
  }));
  return { findings, rejections: [] };
}
