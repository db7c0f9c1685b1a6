/**
 * Closes the loop with where a finding came from, once its results exist:
 * Security Hub notes and workflow, GuardDuty archive, chat-ready messages.
 * Each destination is switched by `report:` in the runtime config and needs
 * its client passed in (the Lambda entry does; `cloudmend invoke` does not, so
 * a local try writes nothing back).
 *
 * Never fails the remediation: whatever cannot be written back is recorded on
 * the results it concerns (`writeBacks`), logged and published with them.
 */
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { RuntimeConfig } from '../../config/runtime';
import type { Logger } from '../log';
import type { RemediationResult } from '../report';
import type { SourcedFinding } from '../sources/types';
import type { WriteBack } from './types';

/** The clients and topics write-back uses; each built lazily, once per container. */
export interface FeedbackClients {
  /** The handler's region. */
  region: string;
  securityHub?: () => Promise<SecurityHubClient>;
  guardDuty?: () => Promise<GuardDutyClient>;
  sns?: () => Promise<SNSClient>;
  /** Where chat messages go: the chat topic, or the results topic (`report.chat.topic`). */
  chatTopicArn?: string;
}

export interface FeedbackContext {
  config: Pick<RuntimeConfig, 'report'>;
  dryRun: boolean;
  log: Logger;
  feedback?: FeedbackClients;
}

function annotate(results: readonly RemediationResult[], writeBack: WriteBack): void {
  for (const result of results) result.writeBacks = [...(result.writeBacks ?? []), writeBack];
}

/**
 * Writes back what `results` say about `findings` and records on each result
 * what was written. Mutates `results` (adds `writeBacks`), so the log lines and
 * the results topic that follow carry it.
 */
export async function reportBack(
  results: RemediationResult[],
  findings: readonly SourcedFinding[],
  context: FeedbackContext,
): Promise<void> {
  try {
    await writeBack(results, findings, context);
  } catch (error) {
    // The last guard: a bug in write-back must not cost a remediation its report.
    context.log.error('write-back failed unexpectedly; the remediation results stand', { error });
  }
}

async function writeBack(results: RemediationResult[], findings: readonly SourcedFinding[], context: FeedbackContext): Promise<void> {
  const { feedback, config, dryRun, log } = context;
  const settings = config.report;
  if (!feedback || !settings || results.length === 0) return;
  const tasks: Promise<void>[] = [];

  // Each destination's module loads when it is first enabled and used: a cold start pays for none of them.
  if (settings.securityHub !== 'off' && feedback.securityHub) {
    const client = feedback.securityHub;
    const { planSecurityHubUpdates, sendSecurityHubUpdates } = await import('./security-hub');
    const plan = planSecurityHubUpdates(results, findings, settings.securityHub, dryRun);
    for (const { results: mine, status, detail } of plan.notUpdated) annotate(mine, { to: 'securityhub', status, detail });
    tasks.push(
      sendSecurityHubUpdates(plan.updates, client).then((outcomes) => {
        for (const [update, writeBack] of outcomes) annotate(update.results, writeBack);
      }),
    );
  }

  if (settings.guardDuty.archive && feedback.guardDuty) {
    const client = feedback.guardDuty;
    const { archiveFindings, planArchive } = await import('./guardduty');
    const plan = planArchive(results, findings, dryRun);
    for (const { results: mine, detail } of plan.keep) annotate(mine, { to: 'guardduty', status: 'skipped', detail });
    tasks.push(
      archiveFindings([...plan.archive.keys()], { client, region: feedback.region }).then((outcomes) => {
        for (const [id, writeBack] of outcomes) annotate(plan.archive.get(id) ?? [], writeBack);
      }),
    );
  }

  if (settings.chat.enabled && feedback.sns && feedback.chatTopicArn) {
    const { chatMessagesFor, publishChatMessages } = await import('./chatbot');
    const messages = chatMessagesFor(results, findings, dryRun);
    const deps = { topicArn: feedback.chatTopicArn, sns: feedback.sns };
    tasks.push(
      publishChatMessages(messages, deps).then((outcomes) => {
        for (const { message, results: mine } of messages) {
          const writeBack = outcomes.get(message);
          if (writeBack) annotate(mine, writeBack);
        }
      }),
    );
  } else if (settings.chat.enabled) {
    log.warn('report.chat is enabled but no chat topic is configured (CLOUDMEND_CHAT_TOPIC_ARN): no chat messages are published');
  }

  // Each destination catches its own errors; this is the last guard for a bug in one of them.
  const settled = await Promise.allSettled(tasks);
  for (const outcome of settled) {
    if (outcome.status === 'rejected')
      log.error('write-back failed unexpectedly; the remediation results stand', { error: outcome.reason });
  }
  const failed = results.flatMap((r) => (r.writeBacks ?? []).filter((w) => w.status === 'failed'));
  if (failed.length > 0) log.warn(`${failed.length} write-back(s) failed; each is recorded on its result`, { writeBacks: failed });
}
