/**
 * `report:` in cloudmend.yaml: what the handler writes back to where a finding
 * came from, besides the results topic. The same shape travels to the handler
 * in cloudmend.runtime.json, so this file imports nothing but zod (it is part
 * of the Lambda bundle).
 */
import { z } from 'zod';

export const SecurityHubWriteBack = z
  .enum(['off', 'notes', 'notes-and-workflow'])
  .describe(
    'Security Hub findings: "notes" writes a note naming the bot, outcome, changes and result id; "notes-and-workflow" also sets ' +
      'the workflow status (NOTIFIED while unresolved or after a failure, RESOLVED after a remediation; unchanged in dry run)',
  );

export const ReportConfig = z
  .strictObject({
    securityHub: SecurityHubWriteBack.default('off'),
    guardDuty: z
      .strictObject({
        archive: z
          .boolean()
          .default(false)
          .describe('Archive a GuardDuty finding once every bot that ran on it remediated it (or found it already compliant)'),
      })
      .default({ archive: false }),
    chat: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe('Publish one AWS Chatbot (Amazon Q Developer) custom notification per finding, for Slack or Teams channels'),
        topic: z
          .enum(['own', 'results'])
          .default('own')
          .describe(
            '"own": a separate chat topic per region (subscribe the Chatbot channel to it); "results": the results topic, with the ' +
              'message attribute format=chatbot so a subscription filter policy can select them',
          ),
      })
      .default({ enabled: false, topic: 'own' }),
  })
  .describe('Writing outcomes back to Security Hub and GuardDuty, and chat-ready messages (docs/reporting.md)');

export type ReportConfig = z.output<typeof ReportConfig>;

/**
 * Everything off by default: an upgrade grants the handler no new permission
 * and changes no finding until the config opts in.
 */
export const REPORT_DEFAULTS: ReportConfig = {
  securityHub: 'off',
  guardDuty: { archive: false },
  chat: { enabled: false, topic: 'own' },
};
