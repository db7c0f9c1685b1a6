/**
 * Builds the context a bot runs with, for tests: params parsed by the bot's own
 * schema (as the planner does), a finding with sensible defaults, a silent logger.
 * Its clients record every command the bot sends and reject one the bot's
 * metadata does not declare (see recording.ts).
 */
import type { z } from 'zod';
import type { Bot, BotContext, ClientFactory, DerivedIds, Finding, ResourceRef, ResourceType } from '../../bots/types';
import { recordingClientFactory, recordUndeclaredChange } from './recording';

export const silentLogger = { debug: () => {}, info: () => {}, warn: () => {} };

/** For unit tests: plain clients, intercepted by aws-sdk-client-mock. */
export const mockedClients: ClientFactory = (ClientClass, overrides) => new ClientClass({ region: overrides?.region ?? 'us-east-1' });

/**
 * A resource as tests write it: a `const` object literal widens its type to
 * string, and tests also name unsupported types on purpose; the finding built
 * from it carries the type as given.
 */
export type TestResource = Omit<ResourceRef, 'type'> & { type: string };

export function testFinding(testResource: TestResource, overrides: Partial<Finding> = {}): Finding {
  const resource: ResourceRef = { ...testResource, type: testResource.type as ResourceType };
  return {
    source: 'manual',
    id: 'test-finding',
    rule: 'test rule',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account: '222222222222',
    region: 'us-east-1',
    resource,
    requestedActions: [],
    raw: {},
    ...overrides,
  };
}

export interface ContextOptions {
  resource: TestResource;
  params?: Record<string, unknown>;
  dryRun?: boolean;
  client?: ClientFactory;
  finding?: Partial<Finding>;
  now?: Date;
  /** Sees each set of ids the bot narrows its credentials to (BotContext.narrowTo). */
  onNarrow?: (ids: DerivedIds) => void;
  /** Clients for the narrowed credentials (moto: a second AssumeRole with the narrowed session policy); default: `client`. */
  narrowClient?: (ids: DerivedIds) => Promise<ClientFactory>;
}

export function botContext<B extends Bot>(bot: B, options: ContextOptions): BotContext<z.output<B['meta']['params']>> {
  const finding = testFinding(options.resource, options.finding);
  const dryRun = options.dryRun ?? false;
  const scope = { partition: finding.partition, account: finding.account, region: finding.region, resourceId: finding.resource.id };
  const client = recordingClientFactory(bot.meta, options.client ?? mockedClients, { scope, dryRun });
  return {
    finding,
    params: bot.meta.params.parse(options.params ?? {}) as z.output<B['meta']['params']>,
    partition: finding.partition,
    account: finding.account,
    region: finding.region,
    dryRun,
    client,
    // The handler assumes the role again with a session naming `ids`; here the same clients serve, and tests see what was named.
    narrowTo: async (ids) => {
      options.onNarrow?.(ids);
      // Recorded with the ids named, so the after-run check simulates each call against the narrowed session it went through.
      const narrowedScope = { ...scope, derived: ids };
      return recordingClientFactory(bot.meta, options.narrowClient ? await options.narrowClient(ids) : (options.client ?? mockedClients), {
        scope: narrowedScope,
        dryRun,
      });
    },
    // The ChangeSet logs every change it records: each must name a kind of change the bot's `undo` metadata declares.
    log: {
      ...silentLogger,
      info: (message, extra) => {
        if (message === 'changed' || message === 'dry run: would change') recordUndeclaredChange(bot.meta, extra);
      },
    },
    now: () => options.now ?? new Date('2026-11-23T00:00:00Z'),
  };
}
