/** Shared by the s3 bot tests: S3 service errors as the SDK raises them, and a member-account session for one bot. */
import { S3ServiceException } from '@aws-sdk/client-s3';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { Bot } from '../../../bots/types';
import { memberSession, type MemberSession } from '../../support/moto';

export const MEMBER = '222222222222';

export function s3Error(name: string, status = 404): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: `${name} (test)` });
}

/** An unrestricted session in the member account, to seed and read back state. */
export function memberAdmin(region = 'us-east-1'): Promise<MemberSession> {
  return memberSession(MEMBER, region);
}

/** A session narrowed to the bot's own session policy for `bucket`, exactly as the handler runs it. */
export function botSession(bot: Bot, bucket: string, region = 'us-east-1'): Promise<MemberSession> {
  return memberSession(MEMBER, region, sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region, resourceId: bucket }));
}
