/** The moto test every one-flag RDS instance bot runs: seed it wrong, remediate, read back, run again, undo, read back. */
import type { CreateDBInstanceMessage } from '@aws-sdk/client-rds';
import type { Bot } from '../../../bots/types';
import type { FlagName } from '../../../bots/rds/db';
import { readInstance, remediateJournalled, runBot, seedInstance } from './rds-moto.fixtures';
import { undoThroughCli } from '../../support/undo-through-session';

export function instanceFlagMotoSuite(bot: Bot, flag: FlagName, wanted: boolean, params: Record<string, unknown> = {}): void {
  const seed: Partial<CreateDBInstanceMessage> = { [flag]: !wanted };

  it(`sets ${flag} to ${wanted} on a seeded instance, reads back so, then reports already-compliant`, async () => {
    await seedInstance('flag-db', seed);
    expect((await readInstance('flag-db'))[flag]).toBe(!wanted);

    const dry = await runBot(bot, 'flag-db', { params, dryRun: true });
    expect(dry.status).toBe('dry-run');
    expect((await readInstance('flag-db'))[flag]).toBe(!wanted);

    const first = await runBot(bot, 'flag-db', { params });
    expect(first.status).toBe('remediated');
    expect(first.changes[0]!.target).toBe('arn:aws:rds:us-east-1:222222222222:db:flag-db');
    expect((await readInstance('flag-db'))[flag]).toBe(wanted);

    expect((await runBot(bot, 'flag-db', { params })).status).toBe('already-compliant');
  });

  it(`undo sets ${flag} back to ${!wanted}`, async () => {
    await seedInstance('undo-db', seed);
    const outcome = await remediateJournalled(bot, 'undo-db', params);
    expect(outcome.result?.status).toBe('remediated');
    expect((await readInstance('undo-db'))[flag]).toBe(wanted);

    const { code, printed } = await undoThroughCli(outcome.resultId!);
    expect(printed).toContain('restored: rds:ModifyDBInstance on arn:aws:rds:us-east-1:222222222222:db:undo-db');
    expect(code).toBe(0);
    expect((await readInstance('undo-db'))[flag]).toBe(!wanted);
  });
}
