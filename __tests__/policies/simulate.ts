/**
 * One place that talks to the offline IAM simulator (@cloud-copilot/iam-simulate,
 * AGPL, a dev dependency only). It refuses to answer when the simulation is not
 * trustworthy: invalid policies, a context key the simulator ignored for the
 * action, or a condition key a matching statement uses that the request does
 * not supply (in strict mode a missing key silently fails its condition, which
 * would make a "Denied" expectation pass for the wrong reason). It also tallies
 * every simulated request per subject for the summary table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../bots/permissions';
import { REPO_ROOT } from '../support/recording';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface SimulationRequest {
  /** The caller: an assumed-role session ARN. */
  principal: string;
  action: string;
  resource: string;
  /** The account that owns the resource. */
  resourceAccount: string;
  context: Record<string, string | string[]>;
}

export interface SimulationInput {
  request: SimulationRequest;
  identityPolicies: readonly PolicyDocument[] | readonly unknown[];
  sessionPolicy?: PolicyDocument;
  resourcePolicy?: unknown;
  /** Condition keys a test leaves out on purpose (e.g. `sts:ExternalId` to prove it is required). */
  absentOnPurpose?: readonly string[];
}

export interface SimulationOutcome {
  decision: Decision;
  /** Result of each layer, to tell which one decided. */
  identity?: Decision | undefined;
  session?: Decision | undefined;
  resource?: string | undefined;
}

export class UntrustworthySimulationError extends Error {}

interface Statement {
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return regex.test(action);
}

function statementsOf(policy: unknown): Statement[] {
  const statements = (policy as { Statement?: Statement | Statement[] } | undefined)?.Statement;
  return statements === undefined ? [] : Array.isArray(statements) ? statements : [statements];
}

/** Condition keys used by statements that apply to `action`, in all given policies. */
export function conditionKeysFor(action: string, policies: unknown[]): string[] {
  const keys = new Set<string>();
  for (const policy of policies) {
    for (const statement of statementsOf(policy)) {
      const applies = statement.Action
        ? asList(statement.Action).some((p) => actionMatches(p, action))
        : !asList(statement.NotAction).some((p) => actionMatches(p, action));
      if (!applies) continue;
      for (const block of Object.values(statement.Condition ?? {})) for (const key of Object.keys(block)) keys.add(key);
    }
  }
  return [...keys];
}

/** Runs one request through the simulator; throws instead of returning a result that could mislead. */
export async function simulate(input: SimulationInput): Promise<SimulationOutcome> {
  const { request } = input;
  const policies = [...input.identityPolicies, input.sessionPolicy, input.resourcePolicy].filter(Boolean);
  const supplied = new Set(Object.keys(request.context).map((k) => k.toLowerCase()));
  const absent = new Set((input.absentOnPurpose ?? []).map((k) => k.toLowerCase()));
  const unsupplied = conditionKeysFor(request.action, policies).filter(
    (k) => !supplied.has(k.toLowerCase()) && !absent.has(k.toLowerCase()),
  );
  if (unsupplied.length > 0) {
    throw new UntrustworthySimulationError(
      `${request.action} on ${request.resource}: a policy condition uses ${unsupplied.join(', ')}, which the request context does not supply`,
    );
  }

  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: request.context,
    },
    identityPolicies: input.identityPolicies.map((policy, i) => ({ name: `identity-${i + 1}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(input.sessionPolicy ? { sessionPolicy: input.sessionPolicy } : {}),
    ...(input.resourcePolicy ? { resourcePolicy: input.resourcePolicy } : {}),
  };
  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') {
    throw new UntrustworthySimulationError(
      `${request.action} on ${request.resource}: simulator rejected the input: ${JSON.stringify(response.errors)}`,
    );
  }
  const results = response.resultType === 'single' ? [response.result] : response.results;
  if (results.length === 0) {
    // A wildcard resource no policy names: nothing was evaluated, which is a denial.
    return { decision: response.overallResult };
  }
  const ignored = [...new Set(results.flatMap((r) => r.ignoredContextKeys ?? []))].filter((k) => !k.toLowerCase().startsWith('aws:'));
  if (ignored.length > 0) {
    throw new UntrustworthySimulationError(
      `${request.action} on ${request.resource}: the simulator ignored context keys ${ignored.join(', ')} (not valid for this action/resource)`,
    );
  }
  const analysis = results[0]!.analysis;
  return {
    decision: response.overallResult,
    identity: analysis.identityAnalysis?.result,
    session: analysis.sessionAnalysis?.result,
    resource: analysis.resourceAnalysis?.result,
  };
}

/** Allowed/denied counts per subject (a bot, "trust policy", "handler role"), for the table printed after a file. */
export class SimulationTally {
  private readonly counts = new Map<string, { allowed: number; denied: number }>();

  count(subject: string, decision: Decision): void {
    const entry = this.counts.get(subject) ?? { allowed: 0, denied: 0 };
    if (decision === 'Allowed') entry.allowed += 1;
    else entry.denied += 1;
    this.counts.set(subject, entry);
  }

  rows(): Array<{ subject: string; allowed: number; denied: number }> {
    return [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([subject, c]) => ({ subject, ...c }));
  }

  table(title: string): string {
    const rows = this.rows();
    const width = Math.max(7, ...rows.map((r) => r.subject.length));
    const total = rows.reduce((t, r) => ({ allowed: t.allowed + r.allowed, denied: t.denied + r.denied }), { allowed: 0, denied: 0 });
    const line = (s: string, a: string | number, d: string | number, n: string | number) =>
      `${s.padEnd(width)}  ${String(a).padStart(7)}  ${String(d).padStart(6)}  ${String(n).padStart(9)}`;
    return [
      title,
      line('subject', 'allowed', 'denied', 'simulated'),
      ...rows.map((r) => line(r.subject, r.allowed, r.denied, r.allowed + r.denied)),
      line('TOTAL', total.allowed, total.denied, total.allowed + total.denied),
    ].join('\n');
  }

  /** Written next to the recorded calls so the after-run check can print grand totals. */
  write(testPath: string): void {
    const dir = join(REPO_ROOT, '.gen', 'policy-simulations');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${relative(REPO_ROOT, testPath).split(/[\\/]/).join('~')}.json`), `${JSON.stringify(this.rows(), null, 1)}\n`);
  }
}
