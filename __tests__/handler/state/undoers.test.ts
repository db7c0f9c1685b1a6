/**
 * The undoers moto cannot drive (see the undo-<service> integration tests):
 * exact commands, with AWS mocked. Each runs through planUndo and executeUndo
 * as `cloudmend undo` does: read (must equal the recorded after), write the
 * recorded before, read back.
 */
import { EC2Client, GetEbsDefaultKmsKeyIdCommand, ModifyEbsDefaultKmsKeyIdCommand } from '@aws-sdk/client-ec2';
import { GetLoginProfileCommand, IAMClient, UpdateLoginProfileCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { getBot } from '../../../bots';
import type { Change } from '../../../bots/types';
import type { JournalEntry } from '../../../handler/state/journal';
import { executeUndo, planUndo } from '../../../handler/state/undo';
import { mockedClients } from '../../support/bot-context';

function entry(bot: string, change: Change): JournalEntry {
  return {
    resultId: 'r-1',
    findingId: 'f-1',
    bot,
    partition: 'aws',
    account: '222222222222',
    region: 'us-east-1',
    resourceId: 'x',
    at: '2026-11-30T12:00:00Z',
    changes: [change],
  };
}

async function undoOne(bot: string, change: Change) {
  const steps = planUndo([entry(bot, change)], getBot);
  expect(steps.map((s) => s.refusal)).toEqual([undefined]);
  return (await executeUndo(steps, async () => mockedClients))[0]!;
}

describe('undoers moto cannot drive', () => {
  const ec2 = mockClient(EC2Client);
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    ec2.reset();
    iam.reset();
  });
  afterAll(() => {
    ec2.restore();
    iam.restore();
  });

  const KEY = 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const DEFAULT = 'arn:aws:kms:us-east-1:222222222222:alias/aws/ebs';
  const ebsKeyChange: Change = {
    action: 'ec2:ModifyEbsDefaultKmsKeyId',
    target: '222222222222/us-east-1',
    description: 'd',
    applied: true,
    undo: { kind: 'ebs-default-key', before: { KmsKeyId: DEFAULT }, after: { KmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } },
  };

  it('ebs_enable_encryption_by_default: the key set by id reads as recorded though EBS reports its ARN, and the previous key is set back', async () => {
    ec2.on(GetEbsDefaultKmsKeyIdCommand).resolvesOnce({ KmsKeyId: KEY }).resolves({ KmsKeyId: DEFAULT });
    const outcome = await undoOne('ebs_enable_encryption_by_default', ebsKeyChange);
    expect(outcome).toMatchObject({ status: 'restored' });
    expect(ec2.commandCalls(ModifyEbsDefaultKmsKeyIdCommand).map((c) => c.args[0].input)).toEqual([{ KmsKeyId: DEFAULT }]);
  });

  it('ebs_enable_encryption_by_default: refuses when another key was made the default since', async () => {
    ec2.on(GetEbsDefaultKmsKeyIdCommand).resolves({ KmsKeyId: 'arn:aws:kms:us-east-1:222222222222:key/other' });
    const outcome = await undoOne('ebs_enable_encryption_by_default', ebsKeyChange);
    expect(outcome.status).toBe('refused');
    expect(outcome.message).toContain('the resource changed after the remediation');
    expect(ec2.commandCalls(ModifyEbsDefaultKmsKeyIdCommand)).toHaveLength(0);
  });

  const resetChange: Change = {
    action: 'iam:UpdateLoginProfile',
    target: 'arn:aws:iam::222222222222:user/ops/alice',
    description: 'd',
    applied: true,
    undo: { kind: 'password-reset-required', before: { passwordResetRequired: false }, after: { passwordResetRequired: true } },
  };

  it('iam_user_force_password_change: lifts the reset requirement on the user the change names', async () => {
    const profile = (PasswordResetRequired: boolean) => ({
      LoginProfile: { UserName: 'alice', CreateDate: new Date(), PasswordResetRequired },
    });
    iam.on(GetLoginProfileCommand).resolvesOnce(profile(true)).resolves(profile(false));
    const outcome = await undoOne('iam_user_force_password_change', resetChange);
    expect(outcome).toMatchObject({ status: 'restored' });
    expect(iam.commandCalls(GetLoginProfileCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(iam.commandCalls(UpdateLoginProfileCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'alice', PasswordResetRequired: false },
    ]);
  });

  it('iam_user_force_password_change: refuses once the user has set a new password (the requirement is gone)', async () => {
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: new Date(), PasswordResetRequired: false } });
    const outcome = await undoOne('iam_user_force_password_change', resetChange);
    expect(outcome.status).toBe('refused');
    expect(iam.commandCalls(UpdateLoginProfileCommand)).toHaveLength(0);
  });
});
