import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  GetPolicyCommand,
  IAMClient,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_delete_default_policy_version';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './iam-test-support';

const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describeMoto('iam_delete_default_policy_version against moto', () => {
  it('rolls a widened policy back to its previous version, then reports the version already deleted', async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'deploy', Path: '/team/', PolicyDocument: doc('s3:GetObject') }),
    );
    const arn = Policy!.Arn!;
    const { PolicyVersion } = await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('*'), SetAsDefault: true }),
    );
    const session = await botSession(bot, arn);
    const resource = { type: 'AWS::IAM::ManagedPolicy', id: arn };
    const params = { version_id: PolicyVersion!.VersionId };

    const first = await bot.run(botContext(bot, { resource, client: session.client, params }));
    expect(first.status).toBe('remediated');
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId).toBe('v1');
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
    expect(versions.map((v) => v.VersionId)).toEqual(['v1']);

    const second = await bot.run(botContext(bot, { resource, client: session.client, params }));
    expect(second.status).toBe('already-compliant');
  });
});
