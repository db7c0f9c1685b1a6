/**
 * Through the real Lambda entry against moto: a CloudGuard notification naming
 * an internet gateway (a resource type no bot acted on before) leaves the
 * gateway alone when its live tags carry the exclusion tag, and deletes an
 * untagged one. Network ACLs would be the other new type, but moto 5.2.1's
 * tagging API (tag:GetResources, which the handler reads their tags with) does
 * not list network ACLs, so their exclusion cannot be shown against moto.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateInternetGatewayCommand, CreateTagsCommand, DescribeInternetGatewaysCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { handler, resetContainer } from '../../../handler';
import { fixture } from '../../fixtures/load';
import { runtimeConfig } from '../../handler/support';
import { describeMoto } from '../../support/moto';
import { tempDirForFile } from '../../support/temp-dir';
import { ACCOUNT, adminEc2 } from './network-moto';

const dir = tempDirForFile('cloudmend-igw-exclusion-');

describeMoto('igw_delete through the handler, with the exclusion tag', () => {
  beforeEach(() => {
    const path = join(dir, 'cloudmend.runtime.json');
    const config = runtimeConfig({
      enabledBots: ['igw_delete'],
      optIn: ['igw_delete'],
      externalId: 'cloudmend',
      exclusionTag: { key: 'cloudmend:exclude', value: 'true' },
    });
    writeFileSync(path, JSON.stringify(config));
    process.env.CLOUDMEND_RUNTIME_CONFIG = path;
    resetContainer();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());

  function notification(gatewayId: string) {
    const message = fixture('cloudguard-ec2-instance.json');
    message.account.id = message.entity.accountNumber = ACCOUNT;
    message.rule.complianceTags = 'AUTO: igw_delete';
    message.remediationActions = ['igw_delete'];
    message.entity = {
      ...message.entity,
      id: gatewayId,
      name: gatewayId,
      type: 'InternetGateway',
      arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:internet-gateway/${gatewayId}`,
      // CloudGuard's copy of the tags predates the exclusion tag: the live tags decide.
      tags: [],
    };
    return { Records: [{ EventSource: 'aws:sns', Sns: { MessageId: gatewayId, Message: JSON.stringify(message) } }] };
  }

  const exists = async (ec2: EC2Client, gatewayId: string) =>
    (
      (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'internet-gateway-id', Values: [gatewayId] }] })))
        .InternetGateways ?? []
    ).length === 1;

  it('skips a gateway tagged for exclusion and deletes an untagged one', async () => {
    const ec2 = await adminEc2();
    const excluded = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    const plain = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new CreateTagsCommand({ Resources: [excluded], Tags: [{ Key: 'cloudmend:exclude', Value: 'true' }] }));

    expect(await handler(notification(excluded))).toEqual({ results: { skipped: 1 }, dryRun: false });
    expect(await exists(ec2, excluded)).toBe(true);

    expect(await handler(notification(plain))).toEqual({ results: { remediated: 1 }, dryRun: false });
    expect(await exists(ec2, plain)).toBe(false);
  });
});
