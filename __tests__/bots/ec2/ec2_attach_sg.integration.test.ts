import { CreateSecurityGroupCommand, type EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_attach_sg';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION, adminEc2, botSession, readInstance, seedInstance } from './moto-seed';
import { prepareUndoState, remediate, undoThroughCli } from '../../support/undo-through-session';

async function primaryInterface(admin: EC2Client, instanceId: string) {
  const instance = await readInstance(admin, instanceId);
  return instance.NetworkInterfaces!.find((eni) => eni.Attachment?.DeviceIndex === 0)!;
}

async function primaryGroups(admin: EC2Client, instanceId: string): Promise<string[]> {
  return (await primaryInterface(admin, instanceId)).Groups!.map((g) => g.GroupId!).sort();
}

describeMoto('ec2_attach_sg against moto', () => {
  it('adds a group by name to the primary interface through narrowed credentials, keeping the others, then reports compliant', async () => {
    const admin = await adminEc2();
    const { instanceId, vpcId, groupIds } = await seedInstance(admin);
    const monitoring = (await admin.send(new CreateSecurityGroupCommand({ GroupName: 'monitoring', Description: 'm', VpcId: vpcId })))
      .GroupId!;
    const session = await botSession(bot, instanceId);
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };
    const scope = { partition: 'aws', account: MEMBER, region: REGION, resourceId: instanceId };
    const narrowClient = async (ids: Record<string, readonly string[]>) =>
      (await memberSession(MEMBER, REGION, sessionPolicyFor(bot.meta, { ...scope, derived: ids }))).client;
    const run = () =>
      bot.run(botContext(bot, { resource, params: { security_group: 'monitoring' }, client: session.client, narrowClient }));

    expect((await run()).status).toBe('remediated');
    expect(await primaryGroups(admin, instanceId)).toEqual([...groupIds, monitoring].sort());
    expect((await run()).status).toBe('already-compliant');
  });

  it('remediate, then undo: the primary interface has its seeded groups again', async () => {
    await prepareUndoState();
    const admin = await adminEc2();
    const { instanceId, vpcId } = await seedInstance(admin);
    await admin.send(new CreateSecurityGroupCommand({ GroupName: 'monitoring', Description: 'm', VpcId: vpcId }));
    const seeded = await primaryGroups(admin, instanceId);
    const outcome = await remediate(bot, 'AWS::EC2::Instance', instanceId, { security_group: 'monitoring' });
    expect(outcome.result?.status).toBe('remediated');
    expect(await primaryGroups(admin, instanceId)).toHaveLength(seeded.length + 1);
    // The interface and its seeded groups, as moto named them, are all the undo session may touch.
    const { NetworkInterfaceId } = await primaryInterface(admin, instanceId);
    expect(outcome.result?.changes.map((c) => c.undo?.ids)).toEqual([
      { networkInterfaceId: [NetworkInterfaceId], securityGroupId: seeded },
    ]);
    const undone = await undoThroughCli(outcome.resultId!);
    expect(undone.code).toBe(0);
    expect(await primaryGroups(admin, instanceId)).toEqual(seeded);
  });
});
