/**
 * `cloudmend doctor` against moto's Organizations, GuardDuty, Security Hub, S3
 * and DynamoDB: an unprepared organization fails each check, and applying the
 * fixes it prints turns each to a pass. moto does not serve Lambda's
 * GetAccountSettings, so Lambda's concurrency comes from a mocked client here
 * (its failure path is specified in doctor.test.ts). moto's Organizations
 * knows delegated administrators for GuardDuty but not for StackSets or
 * Security Hub (it answers InvalidInputException): those two checks are
 * specified on mocked clients in doctor.test.ts, and here only shown to fail
 * loudly rather than pass.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeCreateAccountStatusCommand,
  EnableAWSServiceAccessCommand,
  OrganizationsClient,
  RegisterDelegatedAdministratorCommand,
} from '@aws-sdk/client-organizations';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { type Check, type DoctorDeps, runChecks, STACKSETS_PRINCIPAL } from '../../cli/doctor';
import { fixtureConfig } from '../stacks/fixtures/deployment';
import { describeMoto } from '../support/moto';

const REGIONS = ['eu-west-1', 'us-east-1'];
const lambda = mockClient(LambdaClient);
afterAll(() => lambda.restore());

const deps: DoctorDeps = {
  organizations: () => new OrganizationsClient({ region: 'us-east-1' }),
  guardduty: (region) => new GuardDutyClient({ region }),
  securityhub: (region) => new SecurityHubClient({ region }),
  lambda: (region) => new LambdaClient({ region }),
  s3: (region) => new S3Client({ region }),
  dynamodb: (region) => new DynamoDBClient({ region }),
  terraformVersion: async () => '1.11.4',
};

const statuses = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.name, c.status]));

describeMoto('cloudmend doctor against moto', () => {
  let securityAccount: string;

  beforeEach(async () => {
    lambda.reset();
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } });
    const orgs = new OrganizationsClient({ region: 'us-east-1' });
    await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await orgs.send(new CreateAccountCommand({ AccountName: 'security', Email: 'security@example.com' }));
    const status = await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus!.Id! }));
    securityAccount = status.CreateAccountStatus!.AccountId!;
  });

  const config = () =>
    fixtureConfig({
      securityAccount,
      backend: {
        type: 's3',
        bucket: 'doctor-state',
        keyPrefix: 'cloudmend',
        region: 'eu-west-1',
        lockTable: 'doctor-locks',
        useLockfile: true,
      },
    });

  it('fails an unprepared organization, then passes once the printed fixes are applied', async () => {
    const before = statuses(await runChecks({ config: config(), regions: REGIONS }, deps));
    expect(before).toMatchObject({
      'StackSets trusted access': 'fail',
      'StackSets delegated administrator': 'fail',
      'GuardDuty delegated administrator': 'fail',
      'GuardDuty enabled': 'fail',
      'Security Hub delegated administrator': 'fail',
      'Security Hub enabled': 'fail',
      'State bucket doctor-state': 'fail',
      'State lock table doctor-locks': 'fail',
    });

    const orgs = new OrganizationsClient({ region: 'us-east-1' });
    await orgs.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: STACKSETS_PRINCIPAL }));
    await orgs.send(new RegisterDelegatedAdministratorCommand({ AccountId: securityAccount, ServicePrincipal: 'guardduty.amazonaws.com' }));
    for (const region of REGIONS) {
      await new GuardDutyClient({ region }).send(new CreateDetectorCommand({ Enable: true }));
      await new SecurityHubClient({ region }).send(new EnableSecurityHubCommand({}));
    }
    const s3 = new S3Client({ region: 'eu-west-1' });
    await s3.send(new CreateBucketCommand({ Bucket: 'doctor-state', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'doctor-state', VersioningConfiguration: { Status: 'Enabled' } }));
    await new DynamoDBClient({ region: 'eu-west-1' }).send(
      new CreateTableCommand({
        TableName: 'doctor-locks',
        AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );

    const after = await runChecks({ config: config(), regions: REGIONS }, deps);
    const unservedByMoto = ['StackSets delegated administrator', 'Security Hub delegated administrator'];
    expect(after.filter((c) => c.status !== 'pass' && !unservedByMoto.includes(c.name))).toEqual([]);
    for (const name of unservedByMoto) {
      expect(after.find((c) => c.name === name)).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('could not check: InvalidInputException'),
      });
    }
  });
});
