import { z } from 'zod';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { ec2ArnOf, ec2IdOf, publicFlagUndoer } from './ec2-resource';
import { sdk } from '../sdk';

const IMAGE_ARN = 'arn:{partition}:ec2:{region}::image/{resourceId}';
const KIND = 'launch-permission';

/** Whether the image's launch permissions include the `all` group (public). */
async function isPublic(ec2: EC2Client, imageId: string): Promise<boolean> {
  const { DescribeImageAttributeCommand } = await sdk.ec2();
  const { LaunchPermissions = [] } = await ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
  return LaunchPermissions.some((p) => p.Group === 'all');
}

async function setPublic(ec2: EC2Client, imageId: string, makePublic: boolean): Promise<void> {
  const { ModifyImageAttributeCommand } = await sdk.ec2();
  const change = [{ Group: 'all' as const }];
  await ec2.send(
    new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: makePublic ? { Add: change } : { Remove: change } }),
  );
}

export default defineBot({
  meta: {
    name: 'ami_set_to_private',
    summary: 'Remove public launch permission from the AMI',
    description:
      'Removes the `all` group from the image’s launch permissions, so only its owner and the accounts, organizations ' +
      'and OUs it was explicitly shared with can launch it. Those explicit shares are left as they are, as is the image ' +
      'itself and its snapshots. Undo makes the image public again.',
    resourceTypes: ['AWS::EC2::Image'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'],
        resources: [IMAGE_ARN],
        reason: 'read the image’s launch permissions and remove the public one',
      },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'adds the public (`all`) launch permission back to the image',
        permissions: [
          {
            actions: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'],
            resources: [IMAGE_ARN],
            reason: 'undo: read the image’s launch permissions and make it public again',
          },
        ],
      },
    },
  },
  undoers: {
    [KIND]: publicFlagUndoer(isPublic, setPublic),
  },
  async run(ctx) {
    const { EC2Client } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const imageId = ec2IdOf(ctx.finding, ['AWS::EC2::Image']);
    const changes = new ChangeSet(ctx);
    if (await isPublic(ec2, imageId)) {
      await changes.apply(
        {
          action: 'ec2:ModifyImageAttribute',
          target: ec2ArnOf(ctx, 'AWS::EC2::Image', imageId),
          description: 'launch permission: public (group all) -> removed',
          undo: { kind: KIND, before: { public: true }, after: { public: false } },
        },
        () => setPublic(ec2, imageId, false),
      );
    }
    return changes.result(`made ${imageId} private (removed the public launch permission)`, `${imageId} is not public`);
  },
});
