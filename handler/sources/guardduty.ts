/**
 * GuardDuty findings as EventBridge delivers them (`source: aws.guardduty`,
 * `detail-type: GuardDuty Finding`). The finding type (`detail.type`) is the key
 * the config maps to bots; the resource comes from `detail.resource`.
 */
import { z } from 'zod';
import type { ResourceRef, Severity } from '../../bots/types';
import { GUARDDUTY_SOURCE } from '../../config/sources';
import { reject, type Rejection } from '../rejection';
import { obj, type Json } from './fields';
import { account, anything, check, lenient, list, regionName, regionOrDefault, tags, text } from './read';
import type { FindingSourceModule, SourceOptions, SourceOutput, SourcedFinding } from './types';

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

const Bucket = lenient({ name: text, arn: text, tags });

const GuardDutyEvent = lenient({
  account,
  region: regionName,
  detail: lenient({
    type: text,
    id: text,
    accountId: account,
    region: regionName,
    partition: text,
    title: text,
    severity: anything,
    service: lenient({ archived: anything }),
    resource: lenient({
      resourceType: text,
      instanceDetails: lenient({ instanceId: text, tags }),
      accessKeyDetails: lenient({ userName: text, userType: text }),
      s3BucketDetails: list,
      rdsDbInstanceDetails: lenient({ dbInstanceIdentifier: text, dbInstanceArn: text, tags }),
    }),
  }),
});

const Required = z.object({ type: z.string(), id: z.string(), account: z.string() });
const LABELS = { type: 'detail.type', id: 'detail.id', account: 'detail.accountId' };

type Resource = z.output<typeof GuardDutyEvent>['detail']['resource'];

/**
 * The resources a GuardDuty finding names, as API ids (several for S3 findings
 * about many buckets), with a rejection for each entry that names none; or why
 * none can be acted on.
 */
function resourcesOf(resource: Resource, raw: Json): { resources: ResourceRef[]; malformed: string[] } | string {
  switch (resource.resourceType) {
    case 'Instance': {
      const { instanceId, tags } = resource.instanceDetails;
      if (!instanceId) return 'resource Instance without instanceDetails.instanceId';
      return {
        resources: [{ type: 'AWS::EC2::Instance', id: instanceId, ...(tags ? { tags } : {}), raw: obj(raw.instanceDetails) }],
        malformed: [],
      };
    }
    case 'AccessKey': {
      const { userName, userType } = resource.accessKeyDetails;
      if (!userName) return 'resource AccessKey without accessKeyDetails.userName';
      if (userType === 'Root') return 'resource AccessKey of the root user: cloudmend does not act on the root user';
      const type = userType === 'AssumedRole' || userType === 'Role' ? 'AWS::IAM::Role' : 'AWS::IAM::User';
      return { resources: [{ type, id: userName, name: userName, raw: obj(raw.accessKeyDetails) }], malformed: [] };
    }
    case 'S3Bucket': {
      const out = { resources: [] as ResourceRef[], malformed: [] as string[] };
      resource.s3BucketDetails.forEach((entry, index) => {
        const bucket = Bucket.parse(entry);
        if (!bucket.name) {
          out.malformed.push(`s3BucketDetails[${index}] names no bucket (no name)`);
          return;
        }
        const { name, arn, tags } = bucket;
        out.resources.push({ type: 'AWS::S3::Bucket', id: name, ...(arn ? { arn } : {}), ...(tags ? { tags } : {}), raw: obj(entry) });
      });
      return out.resources.length > 0 ? out : 'resource S3Bucket without s3BucketDetails[].name';
    }
    case 'RDSDBInstance': {
      const { dbInstanceIdentifier: id, dbInstanceArn: arn, tags } = resource.rdsDbInstanceDetails;
      if (!id) return 'resource RDSDBInstance without rdsDbInstanceDetails.dbInstanceIdentifier';
      return {
        resources: [
          { type: 'AWS::RDS::DBInstance', id, ...(arn ? { arn } : {}), ...(tags ? { tags } : {}), raw: obj(raw.rdsDbInstanceDetails) },
        ],
        malformed: [],
      };
    }
    default:
      return `resource type ${resource.resourceType ?? '(none)'} is not one cloudmend acts on (expected ${SUPPORTED})`;
  }
}

export function fromGuardDuty(event: Json, options: SourceOptions): SourceOutput {
  const e = GuardDutyEvent.parse(event);
  const { detail } = e;
  const checked = check(Required, { type: detail.type, id: detail.id, account: detail.accountId ?? e.account }, LABELS);
  if (!checked.ok) {
    return {
      findings: [],
      rejections: [
        reject('malformed-event', `GuardDuty finding without ${checked.missing}`, {
          source: 'guardduty',
          ...(detail.id ? { findingId: detail.id } : {}),
        }),
      ],
    };
  }
  const { type, id } = checked.value;
  const from = { source: 'guardduty' as const, findingId: id };
  if (detail.service.archived === true) {
    return { findings: [], rejections: [reject('workflow-closed', `GuardDuty finding ${id} is archived`, from)] };
  }
  const found = resourcesOf(detail.resource, obj(obj(event.detail).resource));
  if (typeof found === 'string') {
    return { findings: [], rejections: [reject('unsupported-resource', `GuardDuty finding ${id} (${type}): ${found}`, from)] };
  }
  const { region, notes } = regionOrDefault(detail.region ?? e.region, options, 'the finding');
  const findings: SourcedFinding[] = found.resources.map((resource) => ({
    source: 'guardduty',
    id: found.resources.length > 1 || found.malformed.length > 0 ? `${id}/${resource.id}` : id,
    rule: type,
    ...(detail.title ? { title: detail.title } : {}),
    severity: guardDutySeverity(detail.severity),
    status: 'FAILED',
    partition: detail.partition ?? 'aws',
    account: checked.value.account,
    region,
    resource,
    requestedActions: [],
    raw: event,
    notes,
  }));
  const rejections: Rejection[] = found.malformed.map((what) =>
    reject('malformed-event', `GuardDuty finding ${id} (${type}): ${what}`, from),
  );
  return { findings, rejections };
}

/** One GuardDuty finding on its own (the event's `detail`, as `aws guardduty get-findings` prints it), for `cloudmend invoke`. */
function isBareFinding(payload: Json): boolean {
  return (
    payload['detail-type'] === undefined &&
    typeof payload.schemaVersion === 'string' &&
    typeof payload.type === 'string' &&
    typeof payload.resource === 'object' &&
    typeof payload.service === 'object'
  );
}

export const guardDutySource: FindingSourceModule = {
  declaration: GUARDDUTY_SOURCE,
  expected: 'an EventBridge event with detail-type "GuardDuty Finding", or one bare GuardDuty finding',
  recognises: (payload) => payload['detail-type'] === 'GuardDuty Finding' || isBareFinding(payload),
  read: (payload, options) => fromGuardDuty(isBareFinding(payload) ? { detail: payload } : payload, options),
};
