import { mockClient } from 'aws-sdk-client-mock';
import { GetUserPolicyCommand, IAMClient, ListUserPoliciesCommand, NoSuchEntityException, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import bot, { QUARANTINE_POLICY } from '../../../bots/iam/iam_quarantine_user';
import { botContext } from '../../support/bot-context';

const alice = { type: 'AWS::IAM::User', id: 'alice' };
const encoded = (document: unknown) => encodeURIComponent(JSON.stringify(document));

describe('iam_quarantine_user', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('puts the deny-all inline policy on a user who does not have it', async () => {
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['app-access'], IsTruncated: false });
    iam.on(PutUserPolicyCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: alice }));

    expect(iam.commandCalls(ListUserPoliciesCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(iam.commandCalls(GetUserPolicyCommand)).toHaveLength(0);
    const put = iam.commandCalls(PutUserPolicyCommand)[0]!.args[0].input;
    expect(put).toEqual({ UserName: 'alice', PolicyName: 'cloudmend-quarantine', PolicyDocument: expect.any(String) });
    expect(JSON.parse(put.PolicyDocument!)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'CloudmendQuarantineDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
    });
    expect(result.status).toBe('remediated');
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 'iam:PutUserPolicy', target: 'arn:aws:iam::222222222222:user/alice', applied: true }),
    ]);
  });

  it('reports the user ARN from the finding when it carries the user path', async () => {
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: [] });
    const resource = { ...alice, arn: 'arn:aws:iam::222222222222:user/eng/alice' };
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.changes[0]!.target).toBe('arn:aws:iam::222222222222:user/eng/alice');
  });

  it('finds the policy on a later page of inline policy names', async () => {
    iam
      .on(ListUserPoliciesCommand, { UserName: 'alice' })
      .resolvesOnce({ PolicyNames: ['a'], IsTruncated: true, Marker: 'page-2' })
      .resolvesOnce({ PolicyNames: ['cloudmend-quarantine'], IsTruncated: false });
    iam
      .on(GetUserPolicyCommand)
      .resolves({ UserName: 'alice', PolicyName: 'cloudmend-quarantine', PolicyDocument: encoded(QUARANTINE_POLICY) });

    const result = await bot.run(botContext(bot, { resource: alice }));

    expect(iam.commandCalls(ListUserPoliciesCommand)[1]!.args[0].input).toEqual({ UserName: 'alice', Marker: 'page-2' });
    expect(iam.commandCalls(GetUserPolicyCommand)[0]!.args[0].input).toEqual({ UserName: 'alice', PolicyName: 'cloudmend-quarantine' });
    expect(result.status).toBe('already-compliant');
    expect(iam.commandCalls(PutUserPolicyCommand)).toHaveLength(0);
  });

  it('is already compliant when the policy is present with the same content, whatever the key order', async () => {
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['cloudmend-quarantine'] });
    const reordered = {
      Statement: [{ Resource: '*', Action: '*', Effect: 'Deny', Sid: 'CloudmendQuarantineDenyAll' }],
      Version: '2012-10-17',
    };
    iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: encoded(reordered) });

    const result = await bot.run(botContext(bot, { resource: alice }));

    expect(result).toEqual({ status: 'already-compliant', message: expect.stringContaining('already quarantined'), changes: [] });
    expect(iam.commandCalls(PutUserPolicyCommand)).toHaveLength(0);
  });

  it('restores the deny-all content when someone altered the policy', async () => {
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['cloudmend-quarantine'] });
    const weakened = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] };
    iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: encoded(weakened) });

    const result = await bot.run(botContext(bot, { resource: alice }));

    expect(result.status).toBe('remediated');
    expect(result.changes[0]!.description).toMatch(/replace the altered inline policy/);
    expect(JSON.parse(iam.commandCalls(PutUserPolicyCommand)[0]!.args[0].input.PolicyDocument!)).toEqual(QUARANTINE_POLICY);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: [] });
    const result = await bot.run(botContext(bot, { resource: alice, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'iam:PutUserPolicy', applied: false })]);
    expect(iam.commandCalls(PutUserPolicyCommand)).toHaveLength(0);
  });

  it('lets a missing user fail loudly, even in dry run', async () => {
    iam
      .on(ListUserPoliciesCommand)
      .rejects(new NoSuchEntityException({ message: 'The user with name alice cannot be found.', $metadata: {} }));
    await expect(bot.run(botContext(bot, { resource: alice, dryRun: true }))).rejects.toThrow('cannot be found');
    expect(iam.commandCalls(PutUserPolicyCommand)).toHaveLength(0);
  });

  it('acts on the user named by ARN, as Security Hub names it', async () => {
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: [] });
    const resource = { type: 'AWS::IAM::User', id: 'arn:aws:iam::222222222222:user/eng/alice' };
    const result = await bot.run(botContext(bot, { resource }));
    expect(iam.commandCalls(PutUserPolicyCommand)[0]!.args[0].input.UserName).toBe('alice');
    expect(result.changes[0]!.target).toBe('arn:aws:iam::222222222222:user/eng/alice');
  });

  it('refuses a resource id that is not a user', async () => {
    const resource = { type: 'AWS::IAM::User', id: 'arn:aws:iam::222222222222:role/alice' };
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(/expected an IAM user name/);
    expect(iam.calls()).toHaveLength(0);
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ policy: 'x' }).success).toBe(false);
  });
});
