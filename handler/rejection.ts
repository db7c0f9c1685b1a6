/**
 * Why something was not remediated. Every message, finding or requested bot
 * that does not end in a bot run ends in one of these, and each is reported:
 * nothing is dropped silently.
 */
import type { Finding, FindingSource } from '../bots/types';

export type RejectionCode =
  // input: the event itself
  | 'malformed-event'
  | 'unrecognised-format'
  | 'unsupported-resource'
  // the finding says there is nothing to fix
  | 'not-failed'
  | 'finding-passed'
  | 'workflow-closed'
  | 'own-update-echo'
  // scope and policy (config decides)
  | 'no-bot-requested'
  | 'product-not-accepted'
  | 'account-not-in-scope'
  | 'region-not-enabled'
  | 'resource-excluded'
  | 'unknown-bot'
  | 'bot-not-enabled'
  | 'destructive-not-opted-in'
  | 'invalid-params'
  | 'resource-type-not-supported'
  // the same finding is acted on in another region (Security Hub cross-region aggregation)
  | 'aggregated-copy';

/**
 * `error`: the input or the config is wrong and someone must fix it (reported
 * as failed, never retried). `skip`: a deliberate decision not to act.
 */
export type RejectionKind = 'error' | 'skip';

const KIND: Record<RejectionCode, RejectionKind> = {
  'malformed-event': 'error',
  'unrecognised-format': 'error',
  'unsupported-resource': 'skip',
  'not-failed': 'skip',
  'finding-passed': 'skip',
  'workflow-closed': 'skip',
  'own-update-echo': 'skip',
  'no-bot-requested': 'skip',
  'product-not-accepted': 'skip',
  'account-not-in-scope': 'skip',
  'region-not-enabled': 'skip',
  'resource-excluded': 'skip',
  'unknown-bot': 'error',
  'bot-not-enabled': 'skip',
  'destructive-not-opted-in': 'skip',
  'invalid-params': 'error',
  'resource-type-not-supported': 'error',
  'aggregated-copy': 'skip',
};

export interface Rejection {
  code: RejectionCode;
  kind: RejectionKind;
  /** Human-readable: what was found, what was expected, what to change. */
  reason: string;
  /** The source format, once recognised. */
  source?: FindingSource;
  /** The finding's id, when known (also before a whole finding could be built). */
  findingId?: string;
  /** The finding concerned, once one was recognised. */
  finding?: Finding;
  /** The bot concerned, for plan decisions about one requested bot. */
  bot?: string;
  /** Envelope record (SQS message id, SNS message id) the rejection came from. */
  recordId?: string;
}

export function reject(code: RejectionCode, reason: string, extra: Omit<Rejection, 'code' | 'kind' | 'reason'> = {}): Rejection {
  return { code, kind: KIND[code], reason, ...extra };
}
