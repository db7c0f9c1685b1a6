/**
 * Credentials for one bot run: the member remediation role in the finding's
 * account (the security account included), assumed with the external id and a
 * session policy holding only that bot's permissions, narrowed to the finding's
 * account, region and resource. Resources the bot finds by reading (the
 * instance's volumes) get a second, narrower session naming exactly the ids
 * read. The effective permissions are the intersection of the role's policy and this one.
 */
import type { STSClient } from '@aws-sdk/client-sts';
import { sessionPolicyFor, type PolicyDocument } from '../bots/permissions';
import type { DerivedIds } from '../bots/types';
import type { RuntimeConfig } from '../config/runtime';
import { assumeMemberRole, type MemberCredentials } from './aws/assume-member-role';
import { AssumeRoleDeniedError, SessionPolicyTooLargeError } from './errors';
import { TrustProbe } from './member-role-probe';
import type { CredentialsSource, PlannedRun, RunCredentials } from './types';

export type { RunCredentials } from './types';

/** Reuse credentials until this long before they expire, so a bot never starts with credentials about to lapse. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000;
const SESSION_SECONDS = 900;
/** AssumeRole refuses inline session policies longer than this (plaintext characters). */
export const MAX_SESSION_POLICY_CHARS = 2048;
/** A long-lived container seeing many resources would otherwise grow the cache without bound. */
const MAX_ENTRIES = 500;

export interface CredentialsOptions {
  /** Loaded on first use: an invocation that plans no run never loads the STS client. */
  sts: () => Promise<STSClient>;
  config: Pick<RuntimeConfig, 'memberRoleName' | 'externalId'> & Partial<Pick<RuntimeConfig, 'securityAccount' | 'scope'>>;
  now?: () => number;
}

/**
 * The session policy of one run: the bot's permissions on the finding's
 * resource, and on the `derived` ids it has read (none before it reads, so
 * a permission on an instance's volumes or interfaces waits for their ids).
 */
export function sessionPolicyForRun(run: PlannedRun, derived: DerivedIds = {}): PolicyDocument {
  const { finding } = run;
  return sessionPolicyFor(run.bot.meta, {
    partition: finding.partition,
    account: finding.account,
    region: finding.region,
    resourceId: finding.resource.id,
    derived,
  });
}

/** Caches per (account, bot, resource scope): the session policy text is exactly that scope. */
export class MemberCredentialsCache implements CredentialsSource {
  private readonly entries = new Map<string, Promise<MemberCredentials>>();
  /** By bot metadata (its permissions), then scope: a policy is a pure function of the two. */
  private readonly policies = new WeakMap<object, Map<string, { policy: PolicyDocument; text: string }>>();
  private readonly now: () => number;
  private readonly probe: TrustProbe;

  constructor(private readonly options: CredentialsOptions) {
    this.now = options.now ?? Date.now;
    this.probe = new TrustProbe((partition) => this.assumeInSecurityAccount(partition), this.now);
  }

  /** The security account's own member role, with no session policy: proves the trust works (member-role-probe.ts). */
  private async assumeInSecurityAccount(partition: string): Promise<MemberCredentials> {
    const { config } = this.options;
    // Only asked when the runtime config names the security account (forRun checks before probing).
    if (!config.securityAccount) throw new Error('the trust probe needs securityAccount in the runtime config');
    return assumeMemberRole(await this.options.sts(), {
      partition,
      account: config.securityAccount,
      roleName: config.memberRoleName,
      externalId: config.externalId,
      sessionName: 'cloudmend-trust-probe',
      durationSeconds: SESSION_SECONDS,
    });
  }

  /**
   * The session policy and its text for one scope, rendered once per scope:
   * the text is the credentials' cache key, so without this every cache hit
   * (a retry, a duplicate, a second finding on the resource) would render the
   * policy again only to find credentials already held for it.
   */
  private policyFor(run: PlannedRun, derived: DerivedIds | undefined): { policy: PolicyDocument; text: string } {
    const { finding } = run;
    let byScope = this.policies.get(run.bot.meta);
    if (!byScope) {
      byScope = new Map();
      this.policies.set(run.bot.meta, byScope);
    }
    const scope = `${finding.partition}|${finding.account}|${finding.region}|${finding.resource.id}|${derived ? JSON.stringify(derived) : ''}`;
    let rendered = byScope.get(scope);
    if (!rendered) {
      const policy = sessionPolicyForRun(run, derived);
      rendered = { policy, text: JSON.stringify(policy) };
      if (byScope.size >= MAX_ENTRIES) byScope.clear();
      byScope.set(scope, rendered);
    }
    return rendered;
  }

  /** Credentials for `run`, narrowed further to the `derived` ids the bot has read, if any. */
  async forRun(run: PlannedRun, derived?: DerivedIds): Promise<RunCredentials> {
    const { policy: sessionPolicy, text } = this.policyFor(run, derived);
    const key = `${run.finding.partition}|${run.finding.account}|${run.bot.meta.name}|${text}`;
    const cached = this.entries.get(key);
    if (cached) {
      const credentials = await cached.catch(() => undefined);
      if (credentials && credentials.expiration.getTime() - EXPIRY_MARGIN_MS > this.now()) return { credentials, sessionPolicy };
      if (this.entries.get(key) === cached) this.entries.delete(key);
    }
    const pending = this.assume(run, sessionPolicy, text.length);
    this.remember(key, pending);
    // A failed AssumeRole is not cached: the next finding tries again.
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    return { credentials: await pending, sessionPolicy };
  }

  private remember(key: string, value: Promise<MemberCredentials>): void {
    // Maps keep insertion order: the first key is the oldest entry.
    const oldest = this.entries.keys().next();
    if (this.entries.size >= MAX_ENTRIES && !oldest.done) this.entries.delete(oldest.value);
    this.entries.set(key, value);
  }

  private async assume(run: PlannedRun, sessionPolicy: PolicyDocument, length: number): Promise<MemberCredentials> {
    if (length > MAX_SESSION_POLICY_CHARS) {
      // STS would answer with a terse PackedPolicyTooLarge; say which bot and why instead.
      throw new SessionPolicyTooLargeError(run.bot.meta.name, run.finding.resource.id, length, MAX_SESSION_POLICY_CHARS);
    }
    const sts = await this.options.sts();
    const { securityAccount, scope } = this.options.config;
    try {
      return await this.assumeFor(sts, run, sessionPolicy);
    } catch (error) {
      // stackset mode: a missing role means "not in scope"; tell it from a broken trust (member-role-probe.ts).
      if (error instanceof AssumeRoleDeniedError && scope && securityAccount && run.finding.account !== securityAccount) {
        throw await this.probe.explain(error, run.finding.account, run.finding.partition);
      }
      throw error;
    }
  }

  private assumeFor(sts: STSClient, run: PlannedRun, sessionPolicy: PolicyDocument): Promise<MemberCredentials> {
    return assumeMemberRole(sts, {
      partition: run.finding.partition,
      account: run.finding.account,
      roleName: this.options.config.memberRoleName,
      externalId: this.options.config.externalId,
      sessionPolicy,
      // Shows in the member account's CloudTrail: which bot acted (or `cloudmend-tag-lookup` for the framework's own reads).
      sessionName: `cloudmend-${run.bot.meta.name.replace(/^cloudmend:/, '')}`,
      durationSeconds: SESSION_SECONDS,
    });
  }
}
