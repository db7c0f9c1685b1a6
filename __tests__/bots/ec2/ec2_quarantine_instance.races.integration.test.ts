/**
 * Findings for several instances of one VPC arrive together, and networks lose
 * responses: the shared quarantine group is created once, every run ends with
 * its instance quarantined, and none fails. Against moto, with each run's
 * writes made through a second session naming exactly what it read.
 */
import { DescribeSecurityGroupsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_quarantine_instance';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { DerivedIds } from '../../../bots/types';
import { botContext } from '../../support/bot-context';
import { losingFirstResponses, withSdkRetries } from '../../support/lost-response';
import { describeMoto, memberSession } from '../../support/moto';
import { adminEc2, botSession, launchInstance, MEMBER, readInstance, REGION, seedInstance } from './moto-seed';

const narrowed = (instanceId: string) => async (ids: DerivedIds) =>
  (
    await memberSession(
      MEMBER,
      REGION,
      sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId: instanceId, derived: ids }),
    )
  ).client;

async function quarantineGroups(admin: EC2Client, vpcId: string) {
  const { SecurityGroups = [] } = await admin.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: ['cloudmend-quarantine'] },
      ],
    }),
  );
  return SecurityGroups;
}

describeMoto('ec2_quarantine_instance: races and lost responses against moto', () => {
  withSdkRetries();

  it('quarantines three instances of one VPC whose findings run at once, with one shared group', async () => {
    const admin = await adminEc2();
    const seeded = await seedInstance(admin);
    const others = [
      await launchInstance(admin, seeded.subnetId, [seeded.groupIds[0]!]),
      await launchInstance(admin, seeded.subnetId, [seeded.groupIds[1]!]),
    ];
    const instances = [seeded.instanceId, ...others];

    const results = await Promise.all(
      instances.map(async (instanceId) =>
        bot.run(
          botContext(bot, {
            resource: { type: 'AWS::EC2::Instance', id: instanceId },
            client: (await botSession(bot, instanceId)).client,
            narrowClient: narrowed(instanceId),
          }),
        ),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(['remediated', 'remediated', 'remediated']);
    const groups = await quarantineGroups(admin, seeded.vpcId);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.IpPermissionsEgress).toEqual([]);
    // Exactly one run reports creating it; the others used it.
    expect(results.filter((r) => r.changes.some((c) => c.action === 'ec2:CreateSecurityGroup'))).toHaveLength(1);
    for (const instanceId of instances) {
      for (const eni of (await readInstance(admin, instanceId)).NetworkInterfaces ?? []) {
        expect(eni.Groups!.map((g) => g.GroupId)).toEqual([groups[0]!.GroupId]);
      }
    }
  });

  it('quarantines when the response to CreateSecurityGroup is lost and the SDK retries into "already exists"', async () => {
    const admin = await adminEc2();
    const seeded = await seedInstance(admin);
    const session = await botSession(bot, seeded.instanceId);
    const lossy = losingFirstResponses(await narrowed(seeded.instanceId)({ vpcId: [seeded.vpcId] }), ['CreateSecurityGroupCommand']);
    const narrowClient = async (ids: DerivedIds) => ('vpcId' in ids ? lossy.client : narrowed(seeded.instanceId)(ids));

    const result = await bot.run(
      botContext(bot, { resource: { type: 'AWS::EC2::Instance', id: seeded.instanceId }, client: session.client, narrowClient }),
    );

    expect(lossy.dropped).toEqual(['CreateSecurityGroupCommand']);
    expect(result.status).toBe('remediated');
    const groups = await quarantineGroups(admin, seeded.vpcId);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.IpPermissionsEgress).toEqual([]);
    for (const eni of (await readInstance(admin, seeded.instanceId)).NetworkInterfaces ?? []) {
      expect(eni.Groups!.map((g) => g.GroupId)).toEqual([groups[0]!.GroupId]);
    }
  });
});
