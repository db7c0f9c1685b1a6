import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateNetworkAclEntryCommand,
  DeleteNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  EC2Client,
  type NetworkAclEntry,
  ReplaceNetworkAclEntryCommand,
} from '@aws-sdk/client-ec2';
import bot, { parseAclEvent } from '../../../bots/vpc/acl_revert_modification';
import { botContext } from '../../support/bot-context';

const aclId = 'acl-0123456789abcdef0';
const resource = { type: 'AWS::EC2::NetworkAcl', id: aclId };
const openSsh = {
  networkAclId: aclId,
  ruleNumber: 100,
  egress: false,
  ruleAction: 'allow',
  aclProtocol: '6',
  cidrBlock: '0.0.0.0/0',
  portRange: { from: 22, to: 22 },
};
const officeSsh = { ...openSsh, cidrBlock: '10.0.0.0/8' };
const record = (eventName: string, requestParameters: object, eventTime = '2026-11-20T10:00:00Z') => ({
  eventName,
  eventTime,
  eventSource: 'ec2.amazonaws.com',
  requestParameters,
});
const entryOf = (p: typeof openSsh): NetworkAclEntry => ({
  RuleNumber: p.ruleNumber,
  Egress: p.egress,
  RuleAction: p.ruleAction as 'allow',
  Protocol: p.aclProtocol,
  CidrBlock: p.cidrBlock,
  PortRange: { From: p.portRange.from, To: p.portRange.to },
});
/** The entries as the undo record holds them. */
const openSshState = { ruleAction: 'allow', protocol: '6', cidrBlock: '0.0.0.0/0', portRange: { from: 22, to: 22 } };
const officeSshState = { ...openSshState, cidrBlock: '10.0.0.0/8' };
const denyAll: NetworkAclEntry = { RuleNumber: 32767, Egress: false, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' };

describe('acl_revert_modification', () => {
  let ec2: AwsClientStub<EC2Client>;
  let cloudtrail: AwsClientStub<CloudTrailClient>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
    cloudtrail = mockClient(CloudTrailClient);
  });
  const withEntries = (entries: NetworkAclEntry[]) =>
    ec2.on(DescribeNetworkAclsCommand).resolves({ NetworkAcls: [{ NetworkAclId: aclId, VpcId: 'vpc-1', Entries: [...entries, denyAll] }] });
  beforeEach(() => {
    ec2.reset();
    cloudtrail.reset();
    ec2.on(DeleteNetworkAclEntryCommand).resolves({});
    ec2.on(CreateNetworkAclEntryCommand).resolves({});
    ec2.on(ReplaceNetworkAclEntryCommand).resolves({});
    // History, newest first: the entry created for the office, then opened to the world.
    cloudtrail.on(LookupEventsCommand).resolves({
      Events: [
        {
          EventName: 'CreateNetworkAclEntry',
          CloudTrailEvent: JSON.stringify(record('CreateNetworkAclEntry', { ...officeSsh, ruleNumber: 200 })),
        },
        {
          EventName: 'CreateNetworkAclEntry',
          CloudTrailEvent: JSON.stringify(record('CreateNetworkAclEntry', officeSsh, '2026-11-01T00:00:00Z')),
        },
      ],
    });
  });
  afterAll(() => {
    ec2.restore();
    cloudtrail.restore();
  });

  it('reads the event as a record, an EventBridge detail or a LookupEvents CloudTrailEvent string', () => {
    const expected = { name: 'CreateNetworkAclEntry', time: new Date('2026-11-20T10:00:00Z'), entry: openSsh };
    expect(parseAclEvent(record('CreateNetworkAclEntry', openSsh))).toEqual(expected);
    expect(parseAclEvent({ detail: record('CreateNetworkAclEntry', openSsh) })).toEqual(expected);
    expect(parseAclEvent({ CloudTrailEvent: JSON.stringify(record('CreateNetworkAclEntry', openSsh)) })).toEqual(expected);
    expect(parseAclEvent(record('CreateNetworkAcl', { vpcId: 'vpc-1' }))).toBeUndefined();
    expect(parseAclEvent({ CloudTrailEvent: 'not json' })).toBeUndefined();
  });

  it('reverts CreateNetworkAclEntry by deleting the entry it created', async () => {
    withEntries([entryOf(openSsh)]);
    const result = await bot.run(botContext(bot, { resource, finding: { raw: record('CreateNetworkAclEntry', openSsh) } }));
    expect(ec2.commandCalls(DeleteNetworkAclEntryCommand)[0]!.args[0].input).toEqual({
      NetworkAclId: aclId,
      RuleNumber: 100,
      Egress: false,
    });
    expect(result).toMatchObject({
      status: 'remediated',
      message: `reverted CreateNetworkAclEntry: deleted entry #100 (inbound) of ${aclId}`,
    });
    expect(result.changes[0]!.description).toBe('deleted #100 inbound allow tcp 22-22 from 0.0.0.0/0, created by the event');
    expect(result.changes[0]!.undo).toEqual({
      kind: 'network-acl-entry',
      before: { ruleNumber: 100, egress: false, entry: openSshState },
      after: { ruleNumber: 100, egress: false, entry: null },
    });
    expect(cloudtrail.calls()).toHaveLength(0);
  });

  it('reverts ReplaceNetworkAclEntry to the entry the latest earlier event of that rule wrote', async () => {
    withEntries([entryOf(openSsh)]);
    const result = await bot.run(botContext(bot, { resource, finding: { raw: { detail: record('ReplaceNetworkAclEntry', openSsh) } } }));
    expect(cloudtrail.commandCalls(LookupEventsCommand)[0]!.args[0].input).toEqual({
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: aclId }],
      EndTime: new Date(new Date('2026-11-20T10:00:00Z').getTime() - 1),
    });
    expect(ec2.commandCalls(ReplaceNetworkAclEntryCommand)[0]!.args[0].input).toEqual({
      NetworkAclId: aclId,
      RuleNumber: 100,
      Egress: false,
      RuleAction: 'allow',
      Protocol: '6',
      CidrBlock: '10.0.0.0/8',
      PortRange: { From: 22, To: 22 },
    });
    expect(result.message).toBe(
      `reverted ReplaceNetworkAclEntry: entry #100 (inbound) of ${aclId} is back to #100 inbound allow tcp 22-22 from 10.0.0.0/8`,
    );
    expect(result.changes[0]!.undo).toEqual({
      kind: 'network-acl-entry',
      before: { ruleNumber: 100, egress: false, entry: openSshState },
      after: { ruleNumber: 100, egress: false, entry: officeSshState },
    });
  });

  it('reverts DeleteNetworkAclEntry by recreating the entry as it was', async () => {
    withEntries([]);
    const deleted = record('DeleteNetworkAclEntry', { networkAclId: aclId, ruleNumber: 100, egress: false });
    const result = await bot.run(botContext(bot, { resource, finding: { raw: deleted } }));
    expect(ec2.commandCalls(CreateNetworkAclEntryCommand)[0]!.args[0].input).toMatchObject({ RuleNumber: 100, CidrBlock: '10.0.0.0/8' });
    expect(result.status).toBe('remediated');
    expect(result.changes[0]!.undo).toEqual({
      kind: 'network-acl-entry',
      before: { ruleNumber: 100, egress: false, entry: null },
      after: { ruleNumber: 100, egress: false, entry: officeSshState },
    });
  });

  it('is already compliant when the entry is already as it was, or the created one is gone', async () => {
    withEntries([entryOf(officeSsh)]);
    const replaced = await bot.run(botContext(bot, { resource, finding: { raw: record('ReplaceNetworkAclEntry', officeSsh) } }));
    // The replace wrote what history says was there before: nothing to put back.
    expect(replaced).toMatchObject({
      status: 'already-compliant',
      message: `entry #100 (inbound) of ${aclId} is already #100 inbound allow tcp 22-22 from 10.0.0.0/8`,
    });
    withEntries([]);
    const created = await bot.run(botContext(bot, { resource, finding: { raw: record('CreateNetworkAclEntry', openSsh) } }));
    expect(created).toEqual({
      status: 'already-compliant',
      message: `entry #100 (inbound) of ${aclId}, created by the event, is already gone`,
      changes: [],
    });
    withEntries([entryOf(officeSsh)]);
    const recreated = await bot.run(
      botContext(bot, {
        resource,
        finding: { raw: record('DeleteNetworkAclEntry', { networkAclId: aclId, ruleNumber: 100, egress: false }) },
      }),
    );
    expect(recreated.status).toBe('already-compliant');
    expect(ec2.calls().filter((c) => !(c.args[0] instanceof DescribeNetworkAclsCommand))).toHaveLength(0);
  });

  it('refuses clearly, changing nothing, without an event, with another ACL’s event, or without earlier history', async () => {
    withEntries([entryOf(openSsh)]);
    const none = await bot.run(botContext(bot, { resource, finding: { raw: { findingKey: 'x' } } }));
    expect(none.status).toBe('skipped');
    expect(none.message).toMatch(/carries no CloudTrail CreateNetworkAclEntry, ReplaceNetworkAclEntry, DeleteNetworkAclEntry event/);
    const other = await bot.run(
      botContext(bot, {
        resource,
        finding: { raw: record('CreateNetworkAclEntry', { ...openSsh, networkAclId: 'acl-0fedcba9876543210' }) },
      }),
    );
    expect(other.message).toBe(`the event changed acl-0fedcba9876543210, not the finding's ACL ${aclId}; nothing reverted`);
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    const noHistory = await bot.run(botContext(bot, { resource, finding: { raw: record('ReplaceNetworkAclEntry', openSsh) } }));
    expect(noHistory.status).toBe('skipped');
    expect(noHistory.message).toMatch(/holds no earlier CreateNetworkAclEntry or ReplaceNetworkAclEntry for entry #100/);
    withEntries([entryOf({ ...openSsh, cidrBlock: '1.2.3.4/32' })]);
    const changed = await bot.run(botContext(bot, { resource, finding: { raw: record('CreateNetworkAclEntry', openSsh) } }));
    expect(changed.message).toMatch(/changed after the event/);
    expect(ec2.calls().filter((c) => !(c.args[0] instanceof DescribeNetworkAclsCommand))).toHaveLength(0);
  });

  it('takes the event from the resource’s raw too, and writes nothing in dry run', async () => {
    withEntries([entryOf(openSsh)]);
    const result = await bot.run(
      botContext(bot, { resource: { ...resource, raw: record('CreateNetworkAclEntry', openSsh) }, dryRun: true }),
    );
    expect(result.status).toBe('dry-run');
    expect(ec2.commandCalls(DeleteNetworkAclEntryCommand)).toHaveLength(0);
    expect(result.changes[0]!.undo?.kind).toBe('network-acl-entry');
  });

  // Undo of a revert applies the event's change again (a revert of a change that was wanted): the create path against moto, all three here.
  describe('undo', () => {
    const undoer = bot.undoers!['network-acl-entry']!;
    const slot = (entry: object | null) => ({ ruleNumber: 100, egress: false, entry });
    const undoContext = (before: object | null, after: object | null) => ({
      client: <C>(ClientClass: new (config: { region: string }) => C) => new ClientClass({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: `arn:aws:ec2:us-east-1:222222222222:network-acl/${aclId}`,
      change: { kind: 'network-acl-entry', before: slot(before), after: slot(after) },
    });

    it('reads the entry of the recorded rule number and direction, null when there is none', async () => {
      withEntries([entryOf(officeSsh), { ...entryOf(openSsh), Egress: true }]);
      expect(await undoer.read(undoContext(openSshState, officeSshState))).toEqual(slot(officeSshState));
      withEntries([{ ...entryOf(openSsh), Egress: true }]);
      expect(await undoer.read(undoContext(null, officeSshState))).toEqual(slot(null));
    });

    it('reads ports only for TCP and UDP, ICMP type and code only for ICMP', async () => {
      withEntries([
        { RuleNumber: 100, Egress: false, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0', PortRange: { From: 0, To: 0 } },
      ]);
      expect(await undoer.read(undoContext(null, null))).toEqual(slot({ ruleAction: 'deny', protocol: '-1', cidrBlock: '0.0.0.0/0' }));
    });

    it('recreates the entry a revert deleted', async () => {
      await undoer.write(undoContext(openSshState, null), slot(openSshState));
      expect(ec2.commandCalls(CreateNetworkAclEntryCommand)[0]!.args[0].input).toEqual({
        NetworkAclId: aclId,
        RuleNumber: 100,
        Egress: false,
        RuleAction: 'allow',
        Protocol: '6',
        CidrBlock: '0.0.0.0/0',
        PortRange: { From: 22, To: 22 },
      });
      expect(ec2.commandCalls(ReplaceNetworkAclEntryCommand)).toHaveLength(0);
    });

    it('replaces back the entry a revert replaced', async () => {
      await undoer.write(undoContext(openSshState, officeSshState), slot(openSshState));
      expect(ec2.commandCalls(ReplaceNetworkAclEntryCommand)[0]!.args[0].input).toMatchObject({ RuleNumber: 100, CidrBlock: '0.0.0.0/0' });
      expect(ec2.commandCalls(CreateNetworkAclEntryCommand)).toHaveLength(0);
    });

    it('deletes the entry a revert recreated', async () => {
      await undoer.write(undoContext(null, officeSshState), slot(null));
      expect(ec2.commandCalls(DeleteNetworkAclEntryCommand)[0]!.args[0].input).toEqual({
        NetworkAclId: aclId,
        RuleNumber: 100,
        Egress: false,
      });
    });
  });
});
