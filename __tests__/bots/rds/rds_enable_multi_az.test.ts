import { mockClient } from 'aws-sdk-client-mock';
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_enable_multi_az';
import { defaultMappingTable } from '../../../bots/remediates';
import { botContext } from '../../support/bot-context';
import { instanceFlagSuite } from './instance-flag.fixtures';
import { db, instance } from './rds.fixtures';

describe('rds_enable_multi_az', () => {
  instanceFlagSuite(bot, {
    flag: 'MultiAZ',
    wanted: true,
    kind: 'multi-az',
    applyImmediately: false,
    skipsClusterMembers: true,
    description: /^Multi-AZ false -> true \(costs money: a standby instance .*; applied in the next maintenance window\)$/,
  });

  describe('its own choices', () => {
    const rds = mockClient(RDSClient);
    beforeEach(() => rds.reset());
    afterAll(() => rds.restore());

    it('is in no default mapping (it costs money: only an explicit mapping or rule runs it), and says so', () => {
      const table = defaultMappingTable([bot]);
      expect([...table.securityHub.keys(), ...table.config.keys(), ...table.guardduty.keys()]).toEqual([]);
      expect(bot.meta.destructive).toBeUndefined();
      expect(bot.meta.summary).toMatch(/^COSTS MONEY/);
      expect(bot.meta.description).toContain('RDS.5');
    });

    it('starts the conversion now with apply_immediately=true (a finding may set it)', async () => {
      rds.on(DescribeDBInstancesCommand).resolves(instance({ MultiAZ: false }));
      const result = await bot.run(botContext(bot, { resource: db, params: { apply_immediately: 'true' } }));
      expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toEqual({
        DBInstanceIdentifier: 'orders',
        MultiAZ: true,
        ApplyImmediately: true,
      });
      expect(result.changes[0]!.description).toMatch(/applied now\)$/);
      expect(bot.meta.overridable).toEqual(['apply_immediately']);
    });

    it('treats a conversion already pending for the maintenance window as compliant', async () => {
      rds.on(DescribeDBInstancesCommand).resolves(instance({ MultiAZ: false, PendingModifiedValues: { MultiAZ: true } }));
      const result = await bot.run(botContext(bot, { resource: db }));
      expect(result).toEqual({ status: 'already-compliant', message: 'Multi-AZ of orders is already true (pending)', changes: [] });
      expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
    });

    it('rejects a non-boolean apply_immediately', () => {
      expect(bot.meta.params.safeParse({ apply_immediately: 'soon' }).success).toBe(false);
      expect(bot.meta.params.parse({})).toEqual({ apply_immediately: false });
    });
  });
});
