import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateDBSubnetGroupCommand } from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_quarantine_instance';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION, admin, readInstance, remediateJournalled, runBot, seedInstance } from './rds-moto.fixtures';
import { undoThroughCli } from '../../support/undo-through-session';

async function seedVpc(): Promise<{ ec2: EC2Client; vpcId: string; groups: string[] }> {
  const ec2 = (await memberSession(MEMBER, REGION)).client(EC2Client);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }))).Vpc!.VpcId!;
  const subnets = [];
  for (const [cidr, az] of [
    ['10.7.1.0/24', 'us-east-1a'],
    ['10.7.2.0/24', 'us-east-1b'],
  ] as const) {
    subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az }))).Subnet!.SubnetId!);
  }
  await (await admin()).send(
    new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'db-subnets', DBSubnetGroupDescription: 'db', SubnetIds: subnets }),
  );
  const groups = [];
  for (const name of ['db-app', 'db-admin']) {
    const id = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId!;
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: id,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    groups.push(id);
  }
  return { ec2, vpcId, groups };
}

const activeGroups = async (id: string) => ((await readInstance(id)).VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId).sort();

describeMoto('rds_quarantine_instance against moto', () => {
  it('puts two instances of a VPC, quarantined at the same time, in one no-rule tagged group, then reports already-compliant', async () => {
    const { ec2, vpcId, groups } = await seedVpc();
    for (const id of ['q-a', 'q-b']) await seedInstance(id, { DBSubnetGroupName: 'db-subnets', VpcSecurityGroupIds: groups });
    expect((await readInstance('q-a')).DBSubnetGroup?.VpcId).toBe(vpcId);

    const dry = await runBot(bot, 'q-a', { dryRun: true });
    expect(dry.status).toBe('dry-run');
    expect(await activeGroups('q-a')).toEqual([...groups].sort());

    const [a, b] = await Promise.all([runBot(bot, 'q-a'), runBot(bot, 'q-b')]);
    expect([a.status, b.status]).toEqual(['remediated', 'remediated']);
    const { SecurityGroups = [] } = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['cloudmend-rds-quarantine'] }] }),
    );
    expect(SecurityGroups).toHaveLength(1);
    const q = SecurityGroups[0]!;
    expect([q.VpcId, q.IpPermissions, q.IpPermissionsEgress]).toEqual([vpcId, [], []]);
    expect(q.Tags).toEqual([{ Key: 'cloudmend:created-by', Value: 'rds_quarantine_instance' }]);
    // Exactly one run reports creating it.
    expect([...a.changes, ...b.changes].filter((c) => c.action === 'ec2:CreateSecurityGroup')).toHaveLength(1);
    expect(await activeGroups('q-a')).toEqual([q.GroupId]);
    expect(await activeGroups('q-b')).toEqual([q.GroupId]);
    expect(a.message).toContain(`security groups removed (to restore): ${[...groups].sort().join(', ')}`);

    expect((await runBot(bot, 'q-a')).status).toBe('already-compliant');
  });

  it('undo puts the removed security groups back, and keeps the quarantine group it created', async () => {
    const { groups } = await seedVpc();
    await seedInstance('q-undo', { DBSubnetGroupName: 'db-subnets', VpcSecurityGroupIds: groups });
    const outcome = await remediateJournalled(bot, 'q-undo');
    expect(outcome.result?.status).toBe('remediated');
    expect(await activeGroups('q-undo')).toHaveLength(1);

    const { code, printed } = await undoThroughCli(outcome.resultId!);
    expect(printed).toContain('restored: rds:ModifyDBInstance on arn:aws:rds:us-east-1:222222222222:db:q-undo');
    // The group's creation and the revoke of its default egress are refused as irreversible: 1, not everything was undone.
    expect(printed).toContain('ec2:CreateSecurityGroup on arn:aws:ec2:us-east-1:222222222222:vpc/');
    expect(printed).toContain('REFUSED, irreversible: the cloudmend-rds-quarantine group');
    expect(code).toBe(1);
    expect(await activeGroups('q-undo')).toEqual([...groups].sort());
  });
});
