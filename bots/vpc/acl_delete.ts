import { z } from 'zod';
import { ChangeSet, alreadyCompliant, skipped } from '../changes';
import { defineBot } from '../types';
import { ARN, aclsOfVpc, customEntries, describeAcl, describeEntry, ec2Arn, requireId } from './network';
import { sdk } from '../sdk';

const NAME = 'acl_delete';
const DELETION = 'network-acl-deletion';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Delete the network ACL, first moving its subnets back to the default ACL of the VPC',
    description:
      "Deletes the finding's network ACL (CloudBots runs it on the ACL a CreateNetworkAcl event created). EC2 refuses to " +
      'delete an ACL still associated with subnets, so each such subnet is first re-associated with the VPC’s default ' +
      'network ACL, and every move is reported: those subnets then get the default ACL’s rules. The default ACL itself ' +
      'is never deleted (skipped). The entries of the deleted ACL are listed in the result so it can be recreated by ' +
      'hand; `cloudmend undo` cannot bring it back. An ACL that no longer exists is already compliant.',
    resourceTypes: ['AWS::EC2::NetworkAcl'],
    params: z.strictObject({}),
    destructive: true,
    permissions: [
      {
        actions: ['ec2:DescribeNetworkAcls'],
        resources: ['*'],
        reason: 'read the ACL, its subnets and the default ACL of its VPC (no resource-level permissions)',
      },
      {
        actions: ['ec2:ReplaceNetworkAclAssociation'],
        resources: [ARN.networkAcl('resourceId'), ARN.networkAcl('networkAclId'), ARN.subnet],
        reason: "move the ACL's subnets (only those read) to the VPC's default ACL (only that one)",
      },
      { actions: ['ec2:DeleteNetworkAcl'], resources: [ARN.networkAcl('resourceId')], reason: 'delete the ACL' },
    ],
    undo: {
      [DELETION]: {
        reversible: false,
        why: 'a deleted network ACL cannot be brought back; the result lists its entries and the subnets moved, to recreate it by hand',
      },
    },
  },
  async run(ctx) {
    const aclId = requireId(ctx, 'network-acl', NAME);
    const { EC2Client, DeleteNetworkAclCommand, ReplaceNetworkAclAssociationCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const acl = await describeAcl(ec2, aclId);
    if (!acl) return alreadyCompliant(`network ACL ${aclId} does not exist`);
    if (acl.IsDefault) return skipped(`network ACL ${aclId} is the default ACL of ${acl.VpcId}; the default ACL is never deleted`);
    const vpcId = acl.VpcId ?? '';
    const associations = acl.Associations ?? [];
    const changes = new ChangeSet(ctx);
    const moved: string[] = [];
    if (associations.length > 0) {
      const defaultAcl = (await aclsOfVpc(ec2, vpcId)).find((a) => a.IsDefault);
      if (!defaultAcl?.NetworkAclId) throw new Error(`VPC ${vpcId} of ${aclId} has no default network ACL to move its subnets to`);
      const defaultId = defaultAcl.NetworkAclId;
      const subnets = associations.flatMap((a) => (a.SubnetId ? [a.SubnetId] : []));
      const writer = ctx.dryRun ? ec2 : (await ctx.narrowTo({ networkAclId: [defaultId], subnetId: subnets }))(EC2Client);
      for (const association of associations) {
        const subnetId = association.SubnetId ?? 'unknown subnet';
        await changes.apply(
          {
            action: 'ec2:ReplaceNetworkAclAssociation',
            target: ec2Arn(ctx, 'subnet', subnetId),
            description: `subnet ${subnetId}: network ACL ${aclId} -> ${defaultId} (the default ACL of ${vpcId}), so ${aclId} can be deleted`,
            undo: { kind: DELETION, before: { subnetId, networkAclId: aclId }, after: { subnetId, networkAclId: defaultId } },
          },
          () =>
            writer.send(
              new ReplaceNetworkAclAssociationCommand({ AssociationId: association.NetworkAclAssociationId, NetworkAclId: defaultId }),
            ),
        );
        moved.push(subnetId);
      }
    }
    const entries = customEntries(acl).map(describeEntry);
    await changes.apply(
      {
        action: 'ec2:DeleteNetworkAcl',
        target: ec2Arn(ctx, 'network-acl', aclId),
        description: `deleted network ACL ${aclId} of ${vpcId}; its entries were: ${entries.join('; ') || 'none but the default deny'}`,
        undo: { kind: DELETION, before: { networkAclId: aclId, vpcId, entries: acl.Entries ?? [] }, after: null },
      },
      () => ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: aclId })),
    );
    const subnetsNote = moved.length > 0 ? `; subnets moved to the default ACL first: ${moved.join(', ')}` : '';
    return changes.result(`deleted network ACL ${aclId} of ${vpcId}${subnetsNote}`);
  },
});
