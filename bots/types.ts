/**
 * The bot contract: what a remediation bot declares about itself (metadata) and
 * what it is given when it runs (context). Bots depend on nothing of ours but
 * this file and their siblings in `bots/`, so the catalog can be read by the
 * deployer (for policies and docs) without loading the Lambda runtime, and the
 * runtime can load the catalog without loading cdktf.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { z } from 'zod';

/** Where a finding came from. */
export type FindingSource = 'cloudguard' | 'seed' | 'guardduty' | 'securityhub' | 'config' | 'manual';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'informational' | 'unknown';

/**
 * Resource types use the CloudFormation spelling (`AWS::S3::Bucket`), the one
 * vocabulary that AWS Config already speaks; source adapters translate
 * CloudGuard (`S3Bucket`) and ASFF (`AwsS3Bucket`) names into it.
 */
export const RESOURCE_TYPES = [
  'AWS::::Account',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::CloudFormation::Stack',
  'AWS::CloudFront::Distribution',
  'AWS::CloudTrail::Trail',
  'AWS::CloudWatch::Alarm',
  'AWS::CodeBuild::Project',
  'AWS::Config::ConfigurationRecorder',
  'AWS::EC2::Image',
  'AWS::EC2::Instance',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::KeyPair',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::Snapshot',
  'AWS::EC2::Subnet',
  'AWS::EC2::TransitGateway',
  'AWS::EC2::Volume',
  'AWS::EC2::VPC',
  'AWS::ECR::Repository',
  'AWS::ECS::Task',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::KMS::Key',
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBClusterSnapshot',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBSnapshot',
  'AWS::Redshift::Cluster',
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
] as const;

/** A type cloudmend knows by its CloudFormation name. */
export type SupportedResourceType = (typeof RESOURCE_TYPES)[number];

/**
 * A type a source named that cloudmend has no vocabulary for, kept with the
 * source's own spelling (`CloudGuard::ElasticSearchDomain`) so a rejection can
 * name it; no bot declares one.
 */
export type ForeignResourceType = `CloudGuard::${string}` | `ASFF::${string}` | `Config::${string}`;

export type ResourceType = SupportedResourceType | ForeignResourceType;

export interface ResourceRef {
  type: ResourceType;
  /** The id the service API takes: bucket name, instance id, user name, key id. */
  id: string;
  arn?: string | undefined;
  name?: string | undefined;
  /** Region of the resource when the finding says so; may differ from the finding's region for global services. */
  region?: string | undefined;
  tags?: Record<string, string> | undefined;
  /** The source's own description of the resource, for bots that need more (e.g. a GuardDuty access key's user). */
  raw?: unknown;
}

/** A bot named in the finding itself (CloudGuard `AUTO:` tag, seed `remediation.actions`), with its raw CloudBots-style arguments. */
export interface RequestedAction {
  bot: string;
  args: string[];
}

/** One normalised finding, whatever its source. */
export interface Finding {
  source: FindingSource;
  /** Stable id for dedupe and correlation (finding id, CloudGuard findingKey, event id). */
  id: string;
  /** Rule name, Security Hub control id, GuardDuty finding type or Config rule name: the key the config maps to bots. */
  rule: string;
  title?: string | undefined;
  severity: Severity;
  status: 'FAILED' | 'PASSED';
  partition: string;
  account: string;
  region: string;
  resource: ResourceRef;
  requestedActions: RequestedAction[];
  raw: unknown;
}

/**
 * One IAM permission a bot needs. Resource templates may use `{partition}`,
 * `{region}`, `{account}` and `{resourceId}`; the deployer renders them for the
 * member role (region and resource become wildcards there, bounded by
 * `aws:RequestedRegion`), the handler renders them for the session policy of
 * one run (narrowed to the finding's resource). Plain braces, not `${}`, so the
 * templates survive Terraform's own interpolation untouched.
 */
export interface Permission {
  actions: string[];
  /** ARN templates; `*` only for actions that support no resource-level permission. */
  resources: string[];
  /** IAM condition block, e.g. `{ StringEquals: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' } }`. */
  conditions?: Record<string, Record<string, string | string[]>>;
  /** Why the bot needs it: printed in docs and policy reviews. */
  reason: string;
  /**
   * The service is global (IAM, STS, CloudFront): its requests are made to us-east-1 (or the
   * partition's global region), so `aws:RequestedRegion` restrictions must not apply.
   */
  global?: boolean;
}

export interface BotMeta<P extends z.ZodTypeAny = z.ZodTypeAny> {
  /** snake_case, CloudBots-compatible: existing `AUTO: <name>` rules keep working. */
  name: string;
  summary: string;
  /** Longer explanation for the generated catalog (what exactly changes, what is left alone). */
  description?: string;
  resourceTypes: SupportedResourceType[];
  /**
   * Params schema. Input is an object built from CloudBots arguments (`key=value`
   * pairs; positional arguments are mapped through `positional`) merged over
   * config defaults; every field carries a default or is optional where sensible.
   */
  params: P;
  /** Names of params filled, in order, by positional CloudBots arguments (`AUTO: bot a b`). */
  positional?: string[];
  permissions: Permission[];
  /** Deletes or stops something: runs only when the config opts in explicitly. */
  destructive?: boolean;
  /**
   * The findings this bot fixes, so it runs on them without a `mappings` entry
   * in the config (an entry there overrides; `[]` disables). Security Hub ids in
   * every form AWS emits: consolidated control ids (`S3.8`), CIS rule ids
   * (`CIS.1.5` / `1.5`), PCI ids (`PCI.S3.2`).
   */
  remediates?: RemediatesMeta;
  /**
   * Params a finding's own arguments (`AUTO: bot key=value`) may set. Everything
   * else is pinned to the config or the schema default. Never a destination, key,
   * principal or policy.
   */
  overridable?: readonly string[];
  /**
   * Params that name a destination, key, principal or policy, by kind. They are
   * never overridable by a finding; a destination or key ARN must be in the
   * finding's account or on the config's allow-list (`trust` in cloudmend.yaml).
   */
  sensitiveParams?: Readonly<Record<string, SensitiveParamKind>>;
  /** Per kind of change the bot makes (`Change.undo.kind`): whether and how `cloudmend undo` reverses it. */
  undo?: Readonly<Record<string, UndoKind>>;
}

/**
 * - `destination`: where data goes (a bucket, a log group): in the finding's account or on `trust.allowedDestinations`.
 *   An ARN that names no account (S3) must be on the allow-list.
 * - `own-destination`: a destination the service itself only accepts from the caller's own account (an S3 server access
 *   log target bucket); still never overridable.
 * - `key`: a KMS key: in the finding's account (a bare key id or alias resolves there) or on `trust.allowedKmsKeys`.
 * - `principal`, `policy`: never overridable: who is let in and what they may do (sg_modify_scope_by_port's new CIDR,
 *   the roles and policies the attach bots take).
 */
export type SensitiveParamKind = 'destination' | 'own-destination' | 'key' | 'principal' | 'policy';

export interface RemediatesMeta {
  /** Security Hub control ids (`S3.8`, `CIS.1.5`, `PCI.S3.2`). */
  securityHub?: readonly string[];
  /** GuardDuty finding types (`UnauthorizedAccess:EC2/MaliciousIPCaller.Custom`). */
  guardduty?: readonly string[];
  /** AWS Config managed rule names (`s3-bucket-versioning-enabled`). */
  config?: readonly string[];
}

/**
 * `duplicate` and `rate-limited` are decided by the runtime's remediation
 * state, never returned by a bot: a repeated delivery of a run already done,
 * and a run held to dry run by a blast-radius limit.
 */
export type BotStatus = 'remediated' | 'already-compliant' | 'dry-run' | 'skipped' | 'failed' | 'duplicate' | 'rate-limited';

/** A write a bot made (or, in dry run, would have made). */
export interface Change {
  /** The IAM action of the write, e.g. `s3:PutBucketPublicAccessBlock`. */
  action: string;
  /** ARN or id of what it changed. */
  target: string;
  /** Human-readable: what and why. */
  description: string;
  /** False in dry run. */
  applied: boolean;
  /** What `cloudmend undo` needs to reverse it; absent: the bot records nothing to undo this change with. */
  undo?: ChangeUndo;
}

/** The state a change replaced and the state it left, as the bot's undoer for `kind` reads and writes them. */
export interface ChangeUndo {
  /** A key of the bot's `undo` metadata, e.g. `public-access-block`. */
  kind: string;
  before: unknown;
  after: unknown;
  /**
   * The ids of what changed when it is not the finding's resource (an instance's network interface, a
   * flow log the bot created), by the derived placeholder the kind's undo permissions name them with:
   * the undo session policy names exactly these.
   */
  ids?: DerivedIds;
}

/** Whether and how one kind of change a bot makes can be reversed. */
export type UndoKind =
  | {
      reversible: true;
      /** What undo writes back, for the plan an operator approves. */
      how: string;
      /** What the undoer needs: read the current state, write the recorded one. Granted in the member role. */
      permissions: Permission[];
      /**
       * Derived placeholders (`roleName`) the permissions name and every change of this kind records in
       * `ChangeUndo.ids`: what it acts on is known only from the change record. A record without them (written
       * before the bot recorded them) is refused: its undo session could name nothing, and is never widened.
       */
      recordsIds?: readonly string[];
    }
  | { reversible: false; why: string };

export interface UndoContext {
  client: ClientFactory;
  partition: string;
  account: string;
  region: string;
  /** The change's target (ARN or id). */
  target: string;
  /** The change's undo record: which of the target's parts the undoer reads and writes (an access key, a policy name). Always set by `cloudmend undo`. */
  change?: ChangeUndo;
}

/** The state a change left, as its undo record holds it: what an undoer whose state names a part of the target reads. */
export function recordedAfter<T>(ctx: UndoContext): T {
  if (!ctx.change) throw new Error(`undo of ${ctx.target}: the change's undo record was not given`);
  return ctx.change.after as T;
}

/** Reads and writes the state one kind of change is about, so undo can check it and put it back. */
export interface Undoer {
  read(ctx: UndoContext): Promise<unknown>;
  write(ctx: UndoContext, state: unknown): Promise<void>;
}

export interface BotResult {
  /** Bots return these; `failed` is decided by the runner from what a bot throws. */
  status: Exclude<BotStatus, 'failed' | 'duplicate' | 'rate-limited'>;
  message: string;
  changes: Change[];
}

export interface BotLogger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

/**
 * Builds an SDK v3 client already bound to the member credentials, the finding's
 * region, the retry strategy and any `AWS_ENDPOINT_URL`. Bots load the client
 * module through bots/sdk.ts (`await sdk.s3()`) and pass its class here,
 * so a cold start only pays for the services the invoked bots use.
 */
export type ClientFactory = <C>(ClientClass: new (config: SdkClientConfig) => C, overrides?: ClientOverrides) => C;

export interface ClientOverrides {
  region?: string;
  /**
   * 1 for a write that is not idempotent and takes no client token (EC2
   * CreateSnapshot): the SDK must not resend it blindly when a response is
   * lost; the bot checks whether it took effect before trying again.
   */
  maxAttempts?: number;
}

/** What the framework sets on every client it builds for a bot; any SDK v3 client accepts it. */
export interface SdkClientConfig {
  region: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  retryMode?: string;
  maxAttempts?: number;
  forcePathStyle?: boolean;
  /** Connection pools shared by every client (handler/aws/client-factory.ts). */
  requestHandler?: { httpAgent?: HttpAgent; httpsAgent?: HttpsAgent };
  cacheMiddleware?: boolean;
}

/** Ids a bot read at run time, by the placeholder its permissions name them with (`volumeId`: the instance's volumes). */
export type DerivedIds = Readonly<Record<string, readonly string[]>>;

export interface BotContext<P = unknown> {
  finding: Finding;
  /** Validated params (config defaults, overridden by the finding's arguments). */
  params: P;
  partition: string;
  account: string;
  region: string;
  dryRun: boolean;
  client: ClientFactory;
  /**
   * Clients for writes on resources the bot found by reading (an instance's
   * volumes and interfaces): credentials whose session policy names exactly
   * `ids` wherever a permission uses a derived placeholder (`{volumeId}`).
   * `client` holds no such permission: what the bot did not read, it cannot touch.
   * Narrows in dry run too, so a dry run can read what it derived; a bot that
   * narrows only to write skips the call in dry run (one AssumeRole fewer).
   */
  narrowTo(ids: DerivedIds): Promise<ClientFactory>;
  log: BotLogger;
  /** Injected clock, so age-based bots are testable. */
  now: () => Date;
}

export interface Bot<P extends z.ZodTypeAny = z.ZodTypeAny> {
  meta: BotMeta<P>;
  run(ctx: BotContext<z.output<P>>): Promise<BotResult>;
  /** Per reversible kind in `meta.undo`: how to read and restore its state. */
  undoers?: Readonly<Record<string, Undoer>>;
}

/** Declares a bot with its params type inferred from the schema. */
export function defineBot<P extends z.ZodTypeAny>(bot: Bot<P>): Bot<P> {
  return bot;
}
