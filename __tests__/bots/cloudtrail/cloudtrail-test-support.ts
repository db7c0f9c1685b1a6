/** Shared by the cloudtrail bot tests: member-account sessions, and a trail seeded in moto. */
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { Bot } from '../../../bots/types';
import { memberSession, type MemberSession } from '../../support/moto';

export const MEMBER = '222222222222';

export function memberAdmin(region = 'us-east-1'): Promise<MemberSession> {
  return memberSession(MEMBER, region);
}

export function botSession(bot: Bot, resourceId: string, region = 'us-east-1'): Promise<MemberSession> {
  return memberSession(MEMBER, region, sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region, resourceId }));
}

/** A trail with its bucket; returns the trail ARN. */
export async function seedTrail(admin: MemberSession, name: string, multiRegion = false): Promise<string> {
  await admin.client(S3Client).send(new CreateBucketCommand({ Bucket: `${name}-logs` }));
  const created = await admin
    .client(CloudTrailClient)
    .send(new CreateTrailCommand({ Name: name, S3BucketName: `${name}-logs`, IsMultiRegionTrail: multiRegion }));
  return created.TrailARN!;
}
