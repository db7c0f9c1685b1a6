/**
 * The write-back clients of one container, from the runtime config and the
 * handler's environment: with the handler's own credentials (the security
 * account is the Security Hub and GuardDuty delegated administrator), in the
 * handler's region, created on first use so a cold start loads none of them.
 * Throttling is retried by the SDK's standard retry strategy, with more
 * attempts than the default: BatchUpdateFindings allows a few requests per
 * second, and a burst of findings shares that.
 */
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import { HANDLER_ENV, type RuntimeConfig } from '../../config/runtime';
import { lazy } from '../../bots/lazy';
import type { FeedbackClients } from './index';
import { sdk } from '../../bots/sdk';

export const WRITE_BACK_MAX_ATTEMPTS = 6;

const clientConfig = (region: string) => ({ region, retryMode: 'standard', maxAttempts: WRITE_BACK_MAX_ATTEMPTS });

export function feedbackClients(
  config: Pick<RuntimeConfig, 'report'>,
  region: string,
  env: NodeJS.ProcessEnv = process.env,
): FeedbackClients {
  const report = config.report;
  const chatTopicArn = report?.chat.topic === 'results' ? env[HANDLER_ENV.outputTopicArn] : env[HANDLER_ENV.chatTopicArn];
  return {
    region,
    ...(report && report.securityHub !== 'off'
      ? {
          securityHub: lazy<SecurityHubClient>(async () => new (await sdk.securityHub()).SecurityHubClient(clientConfig(region))),
        }
      : {}),
    ...(report?.guardDuty.archive
      ? {
          guardDuty: lazy<GuardDutyClient>(async () => new (await sdk.guardDuty()).GuardDutyClient(clientConfig(region))),
        }
      : {}),
    ...(report?.chat.enabled && chatTopicArn
      ? { sns: lazy<SNSClient>(async () => new (await sdk.sns()).SNSClient(clientConfig(region))), chatTopicArn }
      : {}),
  };
}
