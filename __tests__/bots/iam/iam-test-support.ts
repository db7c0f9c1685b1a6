/** Shared by the iam bot tests: IAM service errors as the SDK raises them, and member-account sessions. */
import { IAMServiceException } from '@aws-sdk/client-iam';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { Bot } from '../../../bots/types';
import { memberSession, type MemberSession } from '../../support/moto';

export const MEMBER = '222222222222';

export function iamError(name: string, status = 404): IAMServiceException {
  return new IAMServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: `${name} (test)` });
}

/** An unrestricted session in the member account, to seed and read back state. */
export function memberAdmin(): Promise<MemberSession> {
  return memberSession(MEMBER);
}

/** A session narrowed to the bot's own session policy for `resourceId`, exactly as the handler runs it. */
export function botSession(bot: Bot, resourceId: string): Promise<MemberSession> {
  return memberSession(
    MEMBER,
    'us-east-1',
    sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: 'us-east-1', resourceId }),
  );
}
