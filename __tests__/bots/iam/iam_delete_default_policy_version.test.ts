import { mockClient } from 'aws-sdk-client-mock';
import { DeletePolicyVersionCommand, IAMClient, ListPolicyVersionsCommand, SetDefaultPolicyVersionCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_delete_default_policy_version';
import { botContext } from '../../support/bot-context';

const ARN = 'arn:aws:iam::222222222222:policy/team/deploy';
const policy = { type: 'AWS::IAM::ManagedPolicy', id: ARN };
const version = (id: string, day: number, isDefault = false) => ({
  VersionId: id,
  IsDefaultVersion: isDefault,
  CreateDate: new Date(Date.UTC(2026, 0, day)),
});

describe('iam_delete_default_policy_version', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('makes the newest other version the default, then deletes the one that was', async () => {
    iam.on(ListPolicyVersionsCommand).resolves({ Versions: [version('v3', 3, true), version('v1', 1), version('v2', 2)] });

    const result = await bot.run(botContext(bot, { resource: policy, params: { version_id: 'v3' } }));

    expect(iam.commandCalls(ListPolicyVersionsCommand)[0]!.args[0].input).toEqual({ PolicyArn: ARN });
    expect(
      iam
        .calls()
        .slice(1)
        .map((c) => [c.args[0].constructor.name, c.args[0].input]),
    ).toEqual([
      ['SetDefaultPolicyVersionCommand', { PolicyArn: ARN, VersionId: 'v2' }],
      ['DeletePolicyVersionCommand', { PolicyArn: ARN, VersionId: 'v3' }],
    ]);
    expect(result.message).toBe(`policy ${ARN} is back on version v2; version v3 is deleted`);
  });

  it('names a root-path policy by name', async () => {
    iam.on(ListPolicyVersionsCommand).resolves({ Versions: [version('v2', 2, true), version('v1', 1)] });
    await bot.run(botContext(bot, { resource: { type: 'AWS::IAM::ManagedPolicy', id: 'deploy' } }));
    expect(iam.commandCalls(DeletePolicyVersionCommand)[0]!.args[0].input).toEqual({
      PolicyArn: 'arn:aws:iam::222222222222:policy/deploy',
      VersionId: 'v2',
    });
  });

  it('is idempotent for a named version: gone or no longer the default', async () => {
    iam.on(ListPolicyVersionsCommand).resolves({ Versions: [version('v2', 2, true), version('v1', 1)] });
    expect((await bot.run(botContext(bot, { resource: policy, params: { version_id: 'v3' } }))).message).toBe(
      `policy ${ARN} has no version v3 (already deleted)`,
    );
    expect((await bot.run(botContext(bot, { resource: policy, params: { version_id: 'v1' } }))).message).toBe(
      `version v1 of policy ${ARN} is not the default (v2 is)`,
    );
    expect(iam.commandCalls(SetDefaultPolicyVersionCommand)).toHaveLength(0);
  });

  it('skips a policy with one version: nothing to fall back to', async () => {
    iam.on(ListPolicyVersionsCommand).resolves({ Versions: [version('v1', 1, true)] });
    const result = await bot.run(botContext(bot, { resource: policy }));
    expect(result.status).toBe('skipped');
    expect(iam.commandCalls(DeletePolicyVersionCommand)).toHaveLength(0);
  });

  it('refuses an AWS managed policy', async () => {
    await expect(
      bot.run(botContext(bot, { resource: { type: 'AWS::IAM::ManagedPolicy', id: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } })),
    ).rejects.toThrow('expected a customer managed policy ARN or name');
  });

  it('in dry run changes nothing', async () => {
    iam.on(ListPolicyVersionsCommand).resolves({ Versions: [version('v2', 2, true), version('v1', 1)] });
    const result = await bot.run(botContext(bot, { resource: policy, dryRun: true }));
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['iam:SetDefaultPolicyVersion', false],
      ['iam:DeletePolicyVersion', false],
    ]);
    expect(iam.commandCalls(SetDefaultPolicyVersionCommand)).toHaveLength(0);
  });
});
