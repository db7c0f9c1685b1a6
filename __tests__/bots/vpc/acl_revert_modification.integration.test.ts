/**
 * acl_revert_modification against moto: a CreateNetworkAclEntry event is
 * reverted and the entry reads back gone; `cloudmend undo` creates it again.
 * Moto 5.2.1 has no CloudTrail LookupEvents, so reverting a replace or delete
 * (which reads the entry's earlier state from event history), and their undo,
 * are covered by the unit tests only.
 */
import { CreateNetworkAclCommand, CreateNetworkAclEntryCommand, DescribeNetworkAclsCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/acl_revert_modification';
import { describeMoto } from '../../support/moto';
import { undoResult } from '../../support/undo-through-session';
import { ACCOUNT, REGION, adminEc2, runNetworkBot, seedVpc } from './network-moto';

describeMoto('acl_revert_modification against moto', () => {
  it('deletes the entry a CreateNetworkAclEntry event added, leaves the others, then is already compliant; undo adds it again', async () => {
    const ec2 = await adminEc2();
    const { vpcId } = await seedVpc(ec2, 0);
    const aclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
    const entry = { NetworkAclId: aclId, Egress: false, RuleAction: 'allow' as const, Protocol: '6', CidrBlock: '0.0.0.0/0' };
    await ec2.send(new CreateNetworkAclEntryCommand({ ...entry, RuleNumber: 100, PortRange: { From: 22, To: 22 } }));
    await ec2.send(new CreateNetworkAclEntryCommand({ ...entry, RuleNumber: 110, PortRange: { From: 443, To: 443 } }));
    const raw = {
      detail: {
        eventName: 'CreateNetworkAclEntry',
        eventTime: new Date().toISOString(),
        requestParameters: {
          networkAclId: aclId,
          ruleNumber: 100,
          egress: false,
          ruleAction: 'allow',
          aclProtocol: '6',
          cidrBlock: '0.0.0.0/0',
          portRange: { from: 22, to: 22 },
        },
      },
    };
    const resource = { type: 'AWS::EC2::NetworkAcl', id: aclId };

    const first = await runNetworkBot(bot, resource, { finding: { raw } });
    expect(first.status).toBe('remediated');
    const { NetworkAcls = [] } = await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [aclId] }));
    // Moto gives a new ACL no catch-all deny entries: only the entries written are there.
    const inbound = NetworkAcls[0]!.Entries!.filter((e) => !e.Egress && e.RuleNumber !== 32767);
    expect(inbound.map((e) => e.RuleNumber)).toEqual([110]);

    expect((await runNetworkBot(bot, resource, { finding: { raw } })).status).toBe('already-compliant');

    const undone = await undoResult(bot.meta.name, first, { account: ACCOUNT, region: REGION, resourceId: aclId });
    expect(undone.map((o) => o.status)).toEqual(['restored']);
    const { NetworkAcls: after = [] } = await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [aclId] }));
    const restored = after[0]!.Entries!.filter((e) => !e.Egress && e.RuleNumber !== 32767);
    expect(restored.map((e) => [e.RuleNumber, e.RuleAction, e.Protocol, e.CidrBlock, e.PortRange?.From, e.PortRange?.To]).sort()).toEqual([
      [100, 'allow', '6', '0.0.0.0/0', 22, 22],
      [110, 'allow', '6', '0.0.0.0/0', 443, 443],
    ]);
  });
});
