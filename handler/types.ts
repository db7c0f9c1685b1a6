/**
 * The types the handler's stages hand each other (plan -> tag lookup ->
 * credentials -> run -> report). A leaf: it imports types only, from bots/ and
 * from modules that import nothing of the handler's, so no stage depends on
 * another stage to name what it receives.
 */
import type { PolicyDocument } from '../bots/permissions';
import type { Bot, BotResult, BotStatus, Change, DerivedIds, FindingSource } from '../bots/types';
import type { MemberCredentials } from './aws/assume-member-role';
import type { ClassifiedError } from './errors';
import type { CloudGuardIds } from './feedback/cloudguard';
import type { WriteBack } from './feedback/types';
import type { Rejection } from './rejection';
import type { SourcedFinding } from './sources/types';

export type { SourcedFinding } from './sources/types';

export interface Registry {
  getBot(name: string): Bot | undefined;
  botNames(): string[];
}

export interface PlannedRun {
  finding: SourcedFinding;
  bot: Bot;
  /** Validated params: config values pinned, the finding's arguments only where the bot allows (planned-params.ts). */
  params: unknown;
  /** Where the request came from, for the report. */
  requestedBy: 'finding' | 'config mapping' | 'bot metadata';
}

export interface Plan {
  runs: PlannedRun[];
  rejections: Rejection[];
}

export interface RunCredentials {
  credentials: MemberCredentials;
  sessionPolicy: PolicyDocument;
}

/** Member credentials for one run, narrowed to its bot and resource, and to the `derived` ids the bot has read, if any. */
export interface CredentialsSource {
  forRun(run: PlannedRun, derived?: DerivedIds): Promise<RunCredentials>;
}

/** A bot's result, or the state's verdict on a run (`duplicate`, `rate-limited`). */
export type RunResult = Omit<BotResult, 'status'> & { status: Exclude<BotStatus, 'failed'> };

export interface RunOutcome {
  run: PlannedRun;
  result?: RunResult;
  error?: ClassifiedError;
  /** With `error`: the writes the bot made before it failed, so the report never hides them. */
  changes?: Change[];
  durationMs: number;
  /** Set by the state: the id undo and duplicates refer to. */
  resultId?: string;
  /** A duplicate delivery: the id of the first result. */
  duplicateOf?: string;
  /** Ran in dry run although the invocation did not ask for it (a limit). */
  dryRun?: boolean;
  /** The first delivery stored this outcome but never reported it; this delivery reports it. */
  redelivered?: boolean;
}

/** Where the tags are read from. */
export type TagLookupTarget =
  | { via: 'tag:GetResources'; arn: string; region: string }
  | { via: 'iam:ListUserTags'; userName: string; region: string }
  | { via: 'iam:ListRoleTags'; roleName: string; region: string }
  | { via: 's3:GetBucketTagging'; bucket: string; region: string }
  | { via: 'kms:ListResourceTags'; keyId: string; region: string }
  | { via: 'ec2:DescribeKeyPairs'; keyName: string; region: string }
  | { via: 'ec2:DescribeTags'; resourceId: string; region: string }
  | { via: 'autoscaling:DescribeAutoScalingGroups'; groupName: string; region: string }
  | { via: 'cloudformation:DescribeStacks'; stackName: string; region: string }
  | { via: 'cloudfront:ListTagsForResource'; arn: string; region: string };

export type TagLookup =
  /** The resource is the account (no tags): nothing to look up. */
  | { status: 'not-needed' }
  /** Read from the account; `{}` when the resource has none. */
  | { status: 'found'; tags: Record<string, string>; target: TagLookupTarget }
  /** The lookup does not know the resource (gone, or never tagged): no tags, and the bot reports a missing resource itself. */
  | { status: 'not-found'; target: TagLookupTarget }
  /** No way to look up this resource's tags (type without a tagging API, id that is no ARN or name). */
  | { status: 'unsupported'; reason: string }
  | { status: 'failed'; error: ClassifiedError; denied: boolean; target: TagLookupTarget };

/** One result per (finding, bot) or per rejection: what is logged and published. */
export interface RemediationResult {
  findingId: string;
  source: FindingSource | 'unknown';
  rule?: string;
  account?: string;
  region?: string;
  resource?: { type: string; id: string };
  bot?: string;
  status: BotStatus;
  message: string;
  changes: Change[];
  durationMs: number;
  errorName?: string;
  retryable: boolean;
  dryRun: boolean;
  /** What the source adapter assumed (e.g. the region), when anything. */
  notes?: string[];
  /** The envelope record (SQS message id) the finding came from. */
  recordId?: string;
  /**
   * Names this result for `cloudmend undo --result` and in Security Hub notes and chat: the state
   * table's id when it is in use, else a stable digest of (source, finding id, bot, the finding's
   * occurrence time) from handler/feedback/result-id.ts. Set on every result of a bot run.
   */
  resultId?: string;
  /** Status `duplicate`: the result this delivery repeats. */
  duplicateOf?: string;
  /** CloudGuard's own ids of the finding (rule, ruleset, finding key), for CloudGuard findings. */
  cloudGuard?: CloudGuardIds;
  /** What was written back to the finding's source and chat (handler/feedback). */
  writeBacks?: WriteBack[];
}
