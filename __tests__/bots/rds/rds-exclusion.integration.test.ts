/**
 * The exclusion tag on the RDS resource types new with these bots, through the
 * real Lambda entry against moto: an AWS Config finding for a public DB snapshot
 * and one for a DB cluster without deletion protection leave the resource
 * tagged cloudmend:exclude=true alone (its live tags read by the handler), and
 * remediate the untagged one, by the bots' default mappings.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateDBClusterCommand,
  CreateDBSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBSnapshotAttributesCommand,
  ModifyDBSnapshotAttributeCommand,
} from '@aws-sdk/client-rds';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { handler, resetContainer } from '../../../handler';
import type { RemediationResult } from '../../../handler/report';
import { fixture } from '../../fixtures/load';
import { runtimeConfig } from '../../handler/support';
import { describeMoto } from '../../support/moto';
import { tempDirForFile } from '../../support/temp-dir';
import { MEMBER, admin, seedInstance } from './rds-moto.fixtures';

const dir = tempDirForFile('cloudmend-rds-exclusion-');
const excluded = [{ Key: 'cloudmend:exclude', Value: 'true' }];

function configEvent(rule: string, resourceType: string, resourceId: string) {
  const event = fixture('config-s3-versioning.json');
  event.account = event.detail.awsAccountId = MEMBER;
  event.region = event.detail.awsRegion = 'us-east-1';
  event.detail.configRuleName = rule;
  event.detail.resourceId = resourceId;
  event.detail.resourceType = resourceType;
  const qualifier = event.detail.newEvaluationResult.evaluationResultIdentifier.evaluationResultQualifier;
  qualifier.configRuleName = rule;
  qualifier.resourceType = resourceType;
  qualifier.resourceId = resourceId;
  return event;
}

describeMoto('exclusion tag on RDS snapshots and clusters, end to end against moto', () => {
  let logged: string[];
  beforeEach(async () => {
    const path = join(dir, 'cloudmend.runtime.json');
    writeFileSync(
      path,
      JSON.stringify(
        runtimeConfig({
          enabledBots: ['rds_snapshot_make_private', 'rds_cluster_enable_deletion_protection'],
          externalId: 'cloudmend',
          exclusionTag: { key: 'cloudmend:exclude', value: 'true' },
        }),
      ),
    );
    process.env.CLOUDMEND_RUNTIME_CONFIG = path;
    const topic = await new SNSClient({ region: 'us-east-1' }).send(new CreateTopicCommand({ Name: 'cloudmend-results' }));
    process.env.CLOUDMEND_OUTPUT_TOPIC_ARN = topic.TopicArn!;
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
  });

  const results = (): RemediationResult[] =>
    logged.flatMap((l) => {
      const line = JSON.parse(l) as { result?: RemediationResult };
      return line.result ? [line.result] : [];
    });

  it('a public DB snapshot tagged for exclusion stays public; an untagged one is made private', async () => {
    const rds = await admin();
    await seedInstance('excl-db');
    for (const [id, tags] of [
      ['excluded-snap', excluded],
      ['plain-snap', []],
    ] as const) {
      await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'excl-db', DBSnapshotIdentifier: id, Tags: [...tags] }));
      await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: id, AttributeName: 'restore', ValuesToAdd: ['all'] }));
    }
    const restore = async (id: string) =>
      (
        await rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id }))
      ).DBSnapshotAttributesResult!.DBSnapshotAttributes!.find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [];

    expect(await handler(configEvent('rds-snapshots-public-prohibited', 'AWS::RDS::DBSnapshot', 'excluded-snap'))).toEqual({
      results: { skipped: 1 },
      dryRun: false,
    });
    expect(results()[0]).toMatchObject({
      status: 'skipped',
      errorName: 'resource-excluded',
      message: expect.stringContaining('excluded-snap carries the exclusion tag cloudmend:exclude=true'),
    });
    expect(await restore('excluded-snap')).toEqual(['all']);

    expect(await handler(configEvent('rds-snapshots-public-prohibited', 'AWS::RDS::DBSnapshot', 'plain-snap'))).toEqual({
      results: { remediated: 1 },
      dryRun: false,
    });
    expect(await restore('plain-snap')).toEqual([]);
  });

  it('a DB cluster tagged for exclusion keeps deletion protection off; an untagged one gets it', async () => {
    const rds = await admin();
    for (const [id, tags] of [
      ['excluded-cluster', excluded],
      ['plain-cluster', []],
    ] as const) {
      await rds.send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: id,
          Engine: 'aurora-postgresql',
          MasterUsername: 'admin_user',
          MasterUserPassword: 'not-a-real-password',
          Tags: [...tags],
        }),
      );
    }
    const protection = async (id: string) =>
      (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!.DeletionProtection;

    expect(await handler(configEvent('rds-cluster-deletion-protection-enabled', 'AWS::RDS::DBCluster', 'excluded-cluster'))).toEqual({
      results: { skipped: 1 },
      dryRun: false,
    });
    expect(results()[0]).toMatchObject({ status: 'skipped', errorName: 'resource-excluded' });
    expect(await protection('excluded-cluster')).toBe(false);

    expect(await handler(configEvent('rds-cluster-deletion-protection-enabled', 'AWS::RDS::DBCluster', 'plain-cluster'))).toEqual({
      results: { remediated: 1 },
      dryRun: false,
    });
    expect(await protection('plain-cluster')).toBe(true);
  });
});
