/**
 * Chat-ready results: one AWS Chatbot (Amazon Q Developer in chat applications)
 * custom notification per finding, not per bot, so a Slack or Teams channel
 * subscribed to the topic reads "s3_block_all_public_access remediated bucket
 * X in account Y" with no code on the user's side. Schema:
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 * (version "1.0", source "custom", content and metadata as below).
 *
 * The format has no colour field; the severity leads the keywords (shown as
 * tags) and a coloured mark leads the title.
 */
import { createHash } from 'node:crypto';
import type { PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import type { Severity } from '../../bots/types';
import type { RemediationResult } from '../report';
import type { SourcedFinding } from '../sources/types';
import { clip } from './security-hub';
import type { WriteBack } from './types';
import { sdk } from '../../bots/sdk';

export interface ChatbotMessage {
  version: '1.0';
  source: 'custom';
  id?: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata?: {
    threadId?: string;
    summary?: string;
    eventType?: string;
    relatedResources?: string[];
    additionalContext?: Record<string, string>;
  };
}

/** Our own bounds, well inside what chat platforms show without folding. */
export const TITLE_MAX = 250;
export const DESCRIPTION_MAX = 3500;
export const MAX_KEYWORDS = 10;

const MARK: Record<Severity, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  informational: '⚪',
  unknown: '⚪',
};

/** What happened, in the order that matters to a reader: a failure outranks a fix. */
function overallOf(results: readonly RemediationResult[]): string {
  const statuses = new Set(results.map((r) => r.status));
  for (const status of ['failed', 'remediated', 'dry-run', 'already-compliant', 'skipped'] as const) {
    if (statuses.has(status)) return status;
  }
  return 'skipped';
}

function consoleHost(partition: string): string {
  if (partition === 'aws-cn') return 'console.amazonaws.cn';
  if (partition === 'aws-us-gov') return 'console.amazonaws-us-gov.com';
  return 'console.aws.amazon.com';
}

/** The finding in its own console, where one exists for the source. */
export function consoleLinkOf(finding: SourcedFinding): string | undefined {
  const base = `https://${consoleHost(finding.partition)}`;
  const region = encodeURIComponent(finding.region);
  switch (finding.source) {
    case 'securityhub': {
      // The findings page filtered to this finding's Id (the console's own filter syntax, URL-encoded twice).
      const filter = encodeURIComponent(`Id=\\operator\\:EQUALS\\:${finding.id}`);
      return `${base}/securityhub/home?region=${region}#/findings?search=${encodeURIComponent(filter)}`;
    }
    case 'guardduty': {
      const id = String((finding.raw as { detail?: { id?: unknown } })?.detail?.id ?? finding.id);
      return `${base}/guardduty/home?region=${region}#/findings?macros=current&fId=${encodeURIComponent(id)}`;
    }
    case 'config':
      return `${base}/config/home?region=${region}#/rules/details?configRuleName=${encodeURIComponent(finding.rule)}`;
    default:
      return undefined;
  }
}

function describe(result: RemediationResult, withResource: boolean): string {
  const where = withResource && result.resource ? ` on ${result.resource.id}` : '';
  const lines = [`• *${result.bot}* ${result.status}${where}: ${result.message}`];
  for (const change of result.changes.slice(0, 5)) lines.push(`   ◦ ${change.description || `${change.action} ${change.target}`}`);
  if (result.changes.length > 5) lines.push(`   ◦ … and ${result.changes.length - 5} more change(s)`);
  return lines.join('\n');
}

/**
 * The finding as its source knows it: GuardDuty reports one finding about
 * several buckets, which cloudmend splits into one finding per bucket; the chat
 * message is about GuardDuty's one finding.
 */
export function originIdOf(finding: SourcedFinding): string {
  if (finding.source === 'guardduty') {
    const id = (finding.raw as { detail?: { id?: unknown } })?.detail?.id;
    if (typeof id === 'string' && id) return id;
  }
  return finding.id;
}

/** One message for a finding (all its resources) and the results of its bots. */
export function chatMessageFor(
  findings: readonly [SourcedFinding, ...SourcedFinding[]],
  results: readonly RemediationResult[],
  dryRun: boolean,
): ChatbotMessage {
  const [finding] = findings;
  const firstId = results[0]?.resultId;
  const originId = originIdOf(finding);
  const overall = overallOf(results);
  const bots = [...new Set(results.map((r) => r.bot).filter((b): b is string => Boolean(b)))];
  const ids = [...new Set(findings.map((f) => f.resource.id))];
  const resource = `${finding.resource.type.split('::').pop()?.toLowerCase() ?? 'resource'} ${ids.join(', ')}`;
  const title = `${MARK[finding.severity]} ${bots.join(', ')} ${overall} ${resource} in account ${finding.account}`;
  const link = consoleLinkOf(finding);
  const nextSteps = [
    ...(overall === 'failed'
      ? ['Read the failed result (same result id) in the handler logs or the results topic, fix the cause, then resend the finding']
      : []),
    ...(overall === 'dry-run' || dryRun ? ['Dry run: nothing was changed. Set mode: enforce to let cloudmend act'] : []),
    ...(link ? [`Open the finding: ${link}`] : []),
  ];
  const keywords = [finding.severity.toUpperCase(), overall, finding.source, finding.rule, finding.account, finding.region]
    .filter((k, i, all) => k && all.indexOf(k) === i)
    .slice(0, MAX_KEYWORDS);
  return {
    version: '1.0',
    source: 'custom',
    ...(firstId ? { id: firstId } : {}),
    content: {
      textType: 'client-markdown',
      title: clip(title, TITLE_MAX),
      description: clip(
        [
          `${finding.title ?? finding.rule} (${finding.source}, ${finding.region})`,
          ...results.map((r) => describe(r, ids.length > 1)),
        ].join('\n'),
        DESCRIPTION_MAX,
      ),
      ...(nextSteps.length > 0 ? { nextSteps } : {}),
      keywords,
    },
    metadata: {
      // Later outcomes for the same finding (a retry, a regression) thread under the first. Finding ids
      // are long ARNs that differ at the end: a digest keeps threads apart at any length.
      threadId: `cloudmend-${createHash('sha256').update(`${finding.source}|${originId}`).digest('hex').slice(0, 32)}`,
      summary: clip(`${bots.join(', ')} ${overall} ${resource} in account ${finding.account}`, 200),
      eventType: `cloudmend-${overall}`,
      relatedResources: [...new Set(findings.map((f) => f.resource.arn ?? f.resource.id))],
      additionalContext: {
        findingId: originId,
        resultIds: results.map((r) => r.resultId ?? '').join(','),
        account: finding.account,
        region: finding.region,
        ...(link ? { findingLink: link } : {}),
      },
    },
  };
}

/** One message per finding that had a bot run or planned; rejections of a whole finding are left to the results topic. */
export function chatMessagesFor(
  results: readonly RemediationResult[],
  findings: readonly SourcedFinding[],
  dryRun: boolean,
): Array<{ message: ChatbotMessage; results: RemediationResult[] }> {
  const groups = new Map<string, { findings: [SourcedFinding, ...SourcedFinding[]]; results: RemediationResult[] }>();
  for (const result of results) {
    if (!result.bot) continue;
    const finding = findings.find((f) => f.source === result.source && f.id === result.findingId);
    if (!finding) continue;
    const key = `${finding.source}|${finding.recordId ?? ''}|${originIdOf(finding)}`;
    const group = groups.get(key) ?? { findings: [finding], results: [] };
    if (!group.findings.includes(finding)) group.findings.push(finding);
    group.results.push(result);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ message: chatMessageFor(g.findings, g.results, dryRun), results: g.results }));
}

export interface ChatDeps {
  topicArn: string;
  sns: () => Promise<SNSClient>;
}

/** Publishes the messages in batches of 10; never throws. */
export async function publishChatMessages(
  messages: ReadonlyArray<{ message: ChatbotMessage; results: RemediationResult[] }>,
  deps: ChatDeps,
): Promise<Map<ChatbotMessage, WriteBack>> {
  const outcomes = new Map<ChatbotMessage, WriteBack>();
  if (messages.length === 0) return outcomes;
  try {
    const [{ PublishBatchCommand }, sns] = await Promise.all([sdk.sns(), deps.sns()]);
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      const entries: PublishBatchRequestEntry[] = batch.map(({ message }, j) => ({
        Id: `c${i + j}`,
        Message: JSON.stringify(message),
        // Lets a subscription on the results topic take only these (report.chat.topic: results).
        MessageAttributes: { format: { DataType: 'String', StringValue: 'chatbot' } },
      }));
      try {
        const response = await sns.send(new PublishBatchCommand({ TopicArn: deps.topicArn, PublishBatchRequestEntries: entries }));
        const failed = new Map((response.Failed ?? []).map((f) => [f.Id, `${f.Code ?? 'error'} ${f.Message ?? ''}`.trim()]));
        batch.forEach(({ message }, j) => {
          const error = failed.get(`c${i + j}`);
          outcomes.set(
            message,
            error
              ? { to: 'chat', status: 'failed', detail: `chat message not published: ${error}` }
              : { to: 'chat', status: 'written', detail: `published to ${deps.topicArn}` },
          );
        });
      } catch (error) {
        const e = error as Error;
        for (const { message } of batch)
          outcomes.set(message, { to: 'chat', status: 'failed', detail: `chat message not published: ${e.name}: ${e.message}` });
      }
    }
  } catch (error) {
    const e = error as Error;
    for (const { message } of messages) {
      if (!outcomes.has(message))
        outcomes.set(message, { to: 'chat', status: 'failed', detail: `chat message not published: ${e.name}: ${e.message}` });
    }
  }
  return outcomes;
}
