import { CreateImageCommand, DescribeImageAttributeCommand, type EC2Client, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ami_set_to_private';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession, seedInstance } from './moto-seed';
import { prepareUndoState, remediate, undoThroughCli } from '../../support/undo-through-session';

async function publicImage(admin: EC2Client): Promise<string> {
  const { instanceId } = await seedInstance(admin);
  const imageId = (await admin.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'shared-build' }))).ImageId!;
  await admin.send(
    new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ Group: 'all' }, { UserId: '333333333333' }] } }),
  );
  return imageId;
}

async function launchPermissions(admin: EC2Client, imageId: string) {
  return (await admin.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }))).LaunchPermissions;
}

describeMoto('ami_set_to_private against moto', () => {
  it('removes the public launch permission of a member-account image, keeps the explicit share, then reports compliant', async () => {
    const admin = await adminEc2();
    const imageId = await publicImage(admin);
    const session = await botSession(bot, imageId);
    const resource = { type: 'AWS::EC2::Image', id: imageId };

    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('remediated');
    expect(await launchPermissions(admin, imageId)).toEqual([{ UserId: '333333333333' }]);
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });

  it('remediate, then undo: the image is public again', async () => {
    await prepareUndoState();
    const admin = await adminEc2();
    const imageId = await publicImage(admin);
    const outcome = await remediate(bot, 'AWS::EC2::Image', imageId);
    expect(outcome.result?.status).toBe('remediated');
    const undone = await undoThroughCli(outcome.resultId!);
    expect(undone.code).toBe(0);
    expect(await launchPermissions(admin, imageId)).toEqual(expect.arrayContaining([{ Group: 'all' }]));
  });
});
