import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/sg_rules_delete';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

describeMoto('sg_rules_delete against moto', () => {
  it('empties a group in a member account, then reports already-compliant', async () => {
    const account = '222222222222';
    const admin = await memberSession(account);
    const ec2 = admin.client(EC2Client);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'open', Description: 'open', VpcId: vpcId }))).GroupId!;
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }],
            Ipv6Ranges: [{ CidrIpv6: '::/0' }],
          },
        ],
      }),
    );

    const session = await memberSession(
      account,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId: groupId }),
    );
    const target = { type: 'AWS::EC2::SecurityGroup', id: groupId };
    const first = await bot.run(botContext(bot, { resource: target, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(first.message).toBe(`removed 2 inbound rules and 1 outbound rule from ${groupId} (open)`);
    expect(first.changes[0]!.description).toMatch(/inbound tcp port 22 from 0\.0\.0\.0\/0 "ssh"; sgr-\w+ inbound tcp port 22 from ::\/0$/);

    const after = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    expect(after.IpPermissions).toEqual([]);
    expect(after.IpPermissionsEgress).toEqual([]);

    const second = await bot.run(botContext(bot, { resource: target, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
