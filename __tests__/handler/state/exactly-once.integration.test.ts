/**
 * Exactly one remediation and one published result per (finding, bot), through
 * the real Lambda entry against moto's DynamoDB, EC2, SNS and SQS: the same
 * CloudGuard finding asking for `ec2_create_snapshot` delivered by two
 * concurrent invocations, as two records of one SQS batch, and again later.
 * The snapshot bot's own check (a snapshot tagged with the finding id) cannot
 * stop two concurrent runs; the state table does.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeSnapshotsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { handler, resetContainer } from '../../../handler';
import type { RemediationResult } from '../../../handler/report';
import { fixture } from '../../fixtures/load';
import { tempDirForFile } from '../../support/temp-dir';
import { describeMoto } from '../../support/moto';
import { adminEc2, MEMBER, seedInstance } from '../../bots/ec2/moto-seed';
import { runtimeConfig } from '../support';
import { createStateTable, resultsTopicWithQueue } from './support';

const TABLE = 'cloudmend-state-us-east-1';
const dir = tempDirForFile('cloudmend-exactly-once-');

async function ourSnapshots(ec2: EC2Client) {
  const filter = { Name: 'tag:cloudmend:created-by', Values: ['ec2_create_snapshot'] };
  return (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [filter] }))).Snapshots!;
}

function snapshotFinding(instanceId: string): unknown {
  const message = fixture('cloudguard-ec2-instance.json');
  message.rule.complianceTags = 'AUTO: ec2_create_snapshot';
  message.remediationActions = ['ec2_create_snapshot'];
  message.entity.id = instanceId;
  message.entity.arn = `arn:aws:ec2:us-east-1:${MEMBER}:instance/${instanceId}`;
  message.entity.tags = [{ key: 'Name', value: 'web-1' }];
  return message;
}

const snsEvent = (message: unknown) => ({
  Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'm1', Message: JSON.stringify(message) } }],
});

const sqsRecord = (messageId: string, message: unknown) => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: JSON.stringify(message),
  attributes: {},
  messageAttributes: {},
  md5OfBody: 'x',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:111111111111:cloudmend-findings',
  awsRegion: 'us-east-1',
});

describeMoto('exactly once per (finding, bot) against moto', () => {
  let logged: string[];
  let received: () => Promise<RemediationResult[]>;
  let ec2: EC2Client;
  let instanceId: string;

  beforeEach(async () => {
    const path = join(dir, 'cloudmend.runtime.json');
    writeFileSync(
      path,
      JSON.stringify(runtimeConfig({ enabledBots: ['ec2_create_snapshot'], externalId: 'cloudmend', regions: ['us-east-1'] })),
    );
    process.env.CLOUDMEND_RUNTIME_CONFIG = path;
    process.env.CLOUDMEND_STATE_TABLE = TABLE;
    await createStateTable(TABLE);
    const topic = await resultsTopicWithQueue();
    process.env.CLOUDMEND_OUTPUT_TOPIC_ARN = topic.topicArn;
    received = topic.received;
    ec2 = await adminEc2();
    ({ instanceId } = await seedInstance(ec2));
    resetContainer();
    logged = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env.CLOUDMEND_OUTPUT_TOPIC_ARN;
    delete process.env.CLOUDMEND_STATE_TABLE;
  });

  const loggedResults = () =>
    logged
      .flatMap((l) => l.split('\n').filter(Boolean))
      .map((l) => JSON.parse(l))
      .filter((l) => l.result)
      .map((l) => l.result);

  it.each([1, 2])(
    'two concurrent invocations with the same finding snapshot once and publish one remediated result (round %i)',
    async () => {
      const event = snsEvent(snapshotFinding(instanceId));

      const responses = await Promise.all([handler(event), handler(event)]);

      expect(responses).toEqual(
        expect.arrayContaining([
          { results: { remediated: 1 }, dryRun: false },
          { results: { duplicate: 1 }, dryRun: false },
        ]),
      );
      const snapshots = await ourSnapshots(ec2);
      expect(snapshots.length).toBeGreaterThan(0);
      expect(new Set(snapshots.map((s) => s.VolumeId)).size).toBe(snapshots.length); // one per volume, never two
      const published = await received();
      expect(published.map((r) => r.status)).toEqual(['remediated']);
      const [first, duplicate] = [
        loggedResults().find((r) => r.status === 'remediated'),
        loggedResults().find((r) => r.status === 'duplicate'),
      ];
      expect(first.resultId).toMatch(/^[0-9a-f-]{36}$/);
      expect(published[0]!.resultId).toBe(first.resultId);
      expect(duplicate).toMatchObject({ duplicateOf: first.resultId, bot: 'ec2_create_snapshot', changes: [] });
    },
  );

  it('two records of one SQS batch carrying the same finding snapshot once; neither record is returned for retry', async () => {
    const message = snapshotFinding(instanceId);
    const response = await handler({ Records: [sqsRecord('r1', message), sqsRecord('r2', message)] });

    expect(response).toEqual({ batchItemFailures: [] });
    const snapshots = await ourSnapshots(ec2);
    expect(new Set(snapshots.map((s) => s.VolumeId)).size).toBe(snapshots.length);
    expect((await received()).map((r) => r.status)).toEqual(['remediated']);
    expect(
      loggedResults()
        .map((r) => r.status)
        .sort(),
    ).toEqual(['duplicate', 'remediated']);
  });

  it('a later redelivery returns the stored result without running the bot or publishing again', async () => {
    const event = snsEvent(snapshotFinding(instanceId));
    expect(await handler(event)).toEqual({ results: { remediated: 1 }, dryRun: false });
    const count = (await ourSnapshots(ec2)).length;
    logged.length = 0;

    expect(await handler(event)).toEqual({ results: { duplicate: 1 }, dryRun: false });
    expect(await ourSnapshots(ec2)).toHaveLength(count);
    expect((await received()).map((r) => r.status)).toEqual(['remediated']);
    // Not even read: the bot did not run, so no DescribeInstances was sent for the duplicate.
    expect(loggedResults()).toEqual([expect.objectContaining({ status: 'duplicate', durationMs: 0 })]);
  });
});
