import bot from '../../../bots/rds/rds_enable_multi_az';
import { describeMoto } from '../../support/moto';
import { instanceFlagMotoSuite } from './instance-flag-moto.fixtures';

describeMoto('rds_enable_multi_az against moto', () => {
  instanceFlagMotoSuite(bot, 'MultiAZ', true, { apply_immediately: true });
});
