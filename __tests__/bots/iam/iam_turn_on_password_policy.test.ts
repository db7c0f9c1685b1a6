import { mockClient } from 'aws-sdk-client-mock';
import { GetAccountPasswordPolicyCommand, IAMClient, NoSuchEntityException, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_turn_on_password_policy';
import { botContext } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';
import { cisRequest } from './iam_turn_on_password_policy.fixtures';

const account = { type: 'AWS::::Account', id: '222222222222' };
const noPolicy = () =>
  new NoSuchEntityException({ message: 'The Password Policy with domain name 222222222222 cannot be found.', $metadata: {} });
/** The same policy as IAM returns it. */
const cisPolicy = { ...cisRequest, ExpirePasswords: true };

describe('iam_turn_on_password_policy', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('creates the CIS policy when the account has none', async () => {
    iam.on(GetAccountPasswordPolicyCommand).rejects(noPolicy());
    iam.on(UpdateAccountPasswordPolicyCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: account }));

    expect(iam.commandCalls(UpdateAccountPasswordPolicyCommand)[0]!.args[0].input).toEqual(cisRequest);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe('created the password policy of account 222222222222');
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 'iam:UpdateAccountPasswordPolicy', target: '222222222222', applied: true }),
    ]);
    expect(result.changes[0]!.description).toMatch(/^create the account password policy: MinimumPasswordLength no policy -> 14/);
  });

  it('tightens the weaker settings and keeps the stricter ones', async () => {
    iam.on(GetAccountPasswordPolicyCommand).resolves({
      PasswordPolicy: { ...cisPolicy, MinimumPasswordLength: 20, RequireSymbols: false, ExpirePasswords: false, MaxPasswordAge: undefined },
    });

    const result = await bot.run(botContext(bot, { resource: account }));

    expect(iam.commandCalls(UpdateAccountPasswordPolicyCommand)[0]!.args[0].input).toEqual({ ...cisRequest, MinimumPasswordLength: 20 });
    expect(result.changes[0]!.description).toBe(
      'tighten the account password policy: RequireSymbols false -> true, MaxPasswordAge never -> 90',
    );
  });

  it('is already compliant when the policy is at least as strict everywhere', async () => {
    iam.on(GetAccountPasswordPolicyCommand).resolves({
      PasswordPolicy: { ...cisPolicy, MinimumPasswordLength: 32, MaxPasswordAge: 30, HardExpiry: true },
    });

    const result = await bot.run(botContext(bot, { resource: account }));

    expect(result).toEqual({
      status: 'already-compliant',
      message: 'the password policy of account 222222222222 is already at least as strict as asked',
      changes: [],
    });
    expect(iam.commandCalls(UpdateAccountPasswordPolicyCommand)).toHaveLength(0);
  });

  it('applies overrides given as CloudBots strings', async () => {
    iam.on(GetAccountPasswordPolicyCommand).rejects(noPolicy());
    const params = { MinimumPasswordLength: '16', RequireSymbols: 'False', MaxPasswordAge: '0', HardExpiry: 'true' };

    await bot.run(botContext(bot, { resource: account, params }));

    // MaxPasswordAge=0 asks for no expiry: the request leaves it out
    expect(iam.commandCalls(UpdateAccountPasswordPolicyCommand)[0]!.args[0].input).toEqual({
      MinimumPasswordLength: 16,
      RequireSymbols: false,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      PasswordReusePrevention: 24,
      HardExpiry: true,
    });
  });

  it('in dry run reports the policy it would write and writes nothing', async () => {
    iam.on(GetAccountPasswordPolicyCommand).rejects(noPolicy());
    const result = await bot.run(botContext(bot, { resource: account, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'iam:UpdateAccountPasswordPolicy', applied: false })]);
    expect(iam.commandCalls(UpdateAccountPasswordPolicyCommand)).toHaveLength(0);
  });

  it('lets any other read error propagate', async () => {
    iam.on(GetAccountPasswordPolicyCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    await expect(bot.run(botContext(bot, { resource: account }))).rejects.toThrow('Rate exceeded');
    expect(iam.commandCalls(UpdateAccountPasswordPolicyCommand)).toHaveLength(0);
  });

  describe('params', () => {
    const parse = (input: Record<string, unknown>) => bot.meta.params.safeParse(input);

    it('defaults to the CIS values', () => {
      expect(parse({})).toEqual({ success: true, data: cisRequest });
    });

    it('accepts booleans and CloudBots boolean strings, and numbers as strings', () => {
      expect(parse({ RequireNumbers: false, RequireSymbols: 'no', HardExpiry: 'True', PasswordReusePrevention: '5' }).data).toMatchObject({
        RequireNumbers: false,
        RequireSymbols: false,
        HardExpiry: true,
        PasswordReusePrevention: 5,
      });
    });

    it.each([
      [{ MinimumPasswordLength: '5' }],
      [{ MinimumPasswordLength: '129' }],
      [{ MinimumPasswordLength: 'long' }],
      [{ MaxPasswordAge: '1096' }],
      [{ PasswordReusePrevention: '25' }],
      [{ MaxPasswordAge: '9.5' }],
      [{ RequireSymbols: 'sometimes' }],
      [{ minimum_password_length: '14' }],
    ])('rejects %j', (input) => {
      expect(parse(input).success).toBe(false);
    });
  });
});
