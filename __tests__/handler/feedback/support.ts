/**
 * Shared by the write-back tests: events as the sources deliver them, run
 * through the real processEvent with test bots whose outcome each test sets,
 * and member credentials that never reach AWS.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { GetBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { defineBot, type BotResult, type Change, type SupportedResourceType } from '../../../bots/types';
import type { ReportConfig } from '../../../config/runtime';
import type { FeedbackClients } from '../../../handler/feedback';
import { createLogger } from '../../../handler/log';
import { processEvent, type ProcessOutcome } from '../../../handler/process-event';
import { fixture } from '../../fixtures/load';
import { runtimeConfig, testRegistry } from '../support';

export const SECURITY_ACCOUNT = '111111111111';
export const MEMBER_ACCOUNT = '222222222222';
export const REGION = 'us-east-1';

export const silent = createLogger({ write: () => {} });

/**
 * The exclusion decision reads the bucket's live tags before a bot runs: no
 * bucket is tagged unless a test says so with `liveTags`.
 */
const s3 = mockClient(S3Client);
beforeEach(() => {
  s3.reset();
  s3.on(GetBucketTaggingCommand).resolves({ TagSet: [] });
});
afterAll(() => s3.restore());

export function liveTags(bucket: string, tags: Record<string, string>): void {
  s3.on(GetBucketTaggingCommand, { Bucket: bucket }).resolves({ TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });
}

export const blockChange: Change = {
  action: 's3:PutBucketPublicAccessBlock',
  target: 'arn:aws:s3:::example',
  description: 'blocked public access on bucket example (all four settings)',
  applied: true,
};

/** A bot whose outcome the test decides; throws `error` when given one. */
export function scriptedBot(name: string, outcome: BotResult | Error, resourceType: SupportedResourceType = 'AWS::S3::Bucket') {
  return defineBot({
    meta: {
      name,
      summary: 'test bot',
      resourceTypes: [resourceType],
      params: z.strictObject({}),
      permissions: [{ actions: ['s3:PutBucketPublicAccessBlock'], resources: ['arn:{partition}:s3:::{resourceId}'], reason: 'test' }],
    },
    run: async () => {
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  });
}

export const remediated = (message = 'blocked public access on bucket example'): BotResult => ({
  status: 'remediated',
  message,
  changes: [blockChange],
});

/** The Security Hub S3.8 fixture in the member account, with `count` findings on buckets bucket-0, bucket-1, ... when more than one. */
export function securityHubEvent(count = 1, edit: (finding: any, index: number) => void = () => {}): any {
  const event = fixture('securityhub-imported-s3.8.json');
  const template = event.detail.findings[0];
  event.detail.findings = Array.from({ length: count }, (_, i) => {
    const finding = JSON.parse(JSON.stringify(template));
    if (count > 1) {
      finding.Id = `${template.Id}-${i}`;
      finding.Resources[0].Id = `arn:aws:s3:::bucket-${i}`;
    }
    finding.AwsAccountId = MEMBER_ACCOUNT;
    finding.Resources[0].Tags = { team: 'data' };
    edit(finding, i);
    return finding;
  });
  return event;
}

export function guardDutyEvent(): any {
  const event = fixture('guardduty-s3-buckets.json');
  event.detail.region = REGION;
  return event;
}

export interface RunOptions {
  bots: ReturnType<typeof scriptedBot>[];
  mappings?: { securityHub?: Record<string, string[]>; guardduty?: Record<string, string[]> };
  report?: ReportConfig;
  feedback?: FeedbackClients;
  dryRun?: boolean;
}

export const REPORT_ALL: ReportConfig = {
  securityHub: 'notes-and-workflow',
  guardDuty: { archive: true },
  chat: { enabled: true, topic: 'own' },
};

export async function run(event: unknown, options: RunOptions): Promise<ProcessOutcome> {
  const config = runtimeConfig({
    enabledBots: options.bots.map((b) => b.meta.name),
    mappings: { guardduty: options.mappings?.guardduty ?? {}, securityHub: options.mappings?.securityHub ?? {}, config: {} },
    regions: [REGION, 'eu-west-1'],
    ...(options.report ? { report: options.report } : {}),
  });
  return processEvent(event, {
    config,
    registry: testRegistry(options.bots),
    dryRun: options.dryRun ?? false,
    defaultRegion: REGION,
    log: silent,
    credentials: {
      forRun: async () => ({
        credentials: { accessKeyId: 'AKIAMEMBER', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 900_000) },
        sessionPolicy: { Version: '2012-10-17', Statement: [] },
      }),
    },
    ...(options.feedback ? { feedback: options.feedback } : {}),
  });
}
