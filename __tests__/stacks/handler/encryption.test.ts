/**
 * What encrypts what a handler stack holds: without a customer-managed key,
 * AWS-managed encryption where its users can use it (never the AWS-managed SNS
 * key on a topic that EventBridge, CloudWatch or another account writes to);
 * with one, everything.
 */
import { fixtureConfig, resources, synthDeployment } from '../fixtures/deployment';

const REGION = 'eu-west-1';
const stackName = `cloudmend-handler-${REGION}`;
const topicKeys = (stack: ReturnType<ReturnType<typeof synthDeployment>['byName']>) =>
  Object.fromEntries(resources(stack, 'aws_sns_topic').map((t) => [t.name, t.kms_master_key_id]));

describe('handler stack encryption', () => {
  describe('without a customer-managed key', () => {
    it('uses SQS-managed SSE on the DLQ, the AWS-managed SNS key on the results topic, and no key where its writers could not use it', () => {
      const stack = synthDeployment(fixtureConfig()).byName(stackName);
      expect(resources(stack, 'aws_kms_key')).toEqual([]);
      expect(resources(stack, 'aws_sqs_queue')[0]).toMatchObject({ sqs_managed_sse_enabled: true });
      expect(resources(stack, 'aws_sqs_queue')[0]!.kms_master_key_id).toBeUndefined();
      expect(topicKeys(stack)).toEqual({
        [`cloudmend-results-${REGION}`]: 'alias/aws/sns',
        // CloudGuard publishes from another account: the AWS-managed key's policy cannot admit it.
        [`cloudmend-findings-${REGION}`]: undefined,
        // CloudWatch alarms cannot use the AWS-managed SNS key.
        [`cloudmend-alarms-${REGION}`]: undefined,
      });
      expect(resources(stack, 'aws_cloudwatch_log_group')[0]!.kms_key_id).toBeUndefined();
    });

    it('encrypts the findings topic with the AWS-managed SNS key when only the security account publishes', () => {
      const config = fixtureConfig({ notifications: { subscribers: [], publisherAccounts: [] } });
      expect(topicKeys(synthDeployment(config).byName(stackName))[`cloudmend-findings-${REGION}`]).toBe('alias/aws/sns');
    });
  });

  describe('with encryption.kmsKey: create', () => {
    const stack = synthDeployment(fixtureConfig({ encryption: { kmsKey: 'create', deletionWindowDays: 7 } })).byName(stackName);

    it('creates one rotating key per region, named by an alias, after the role its policy names', () => {
      const [key] = resources(stack, 'aws_kms_key');
      expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 7, depends_on: ['aws_iam_role.role'] });
      const policy = JSON.parse(key!.policy);
      expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
        'KeyAdministration',
        'HandlerPublishesAndDeadLetters',
        'PublishersSendFindings',
        'SnsDeadLettersFindings',
        'EventBridgeDeadLettersEvents',
        'CloudWatchAlarmsNotify',
        'CloudWatchLogsHandlerLogGroup',
        'OperatorsReadDeadLetters',
      ]);
      expect(policy.Statement[1].Principal).toEqual({ AWS: `arn:aws:iam::111111111111:role/cloudmend-handler-${REGION}` });
      expect(policy.Statement[2].Principal.AWS).toEqual(['arn:aws:iam::111111111111:root', 'arn:aws:iam::634729597623:root']);
      expect(resources(stack, 'aws_kms_alias')).toEqual([
        expect.objectContaining({ name: `alias/cloudmend-${REGION}`, target_key_id: '${aws_kms_key.key.key_id}' }),
      ]);
    });

    it('encrypts every topic, the DLQ and the log group with it', () => {
      const key = '${aws_kms_key.key.arn}';
      expect(Object.values(topicKeys(stack))).toEqual([key, key, key]);
      const [queue] = resources(stack, 'aws_sqs_queue');
      expect(queue).toMatchObject({ kms_master_key_id: key });
      expect(queue!.sqs_managed_sse_enabled).toBeUndefined();
      expect(resources(stack, 'aws_cloudwatch_log_group')[0]).toMatchObject({ kms_key_id: key });
    });

    it('does not name alarms in the key policy when they notify a topic of the operator', () => {
      const given = synthDeployment(
        fixtureConfig({
          encryption: { kmsKey: 'create', deletionWindowDays: 30 },
          alarms: {
            topicArn: 'arn:aws:sns:{region}:999999999999:ops',
            dlqMessages: 1,
            lambdaErrors: 1,
            throttles: 1,
            remediationFailures: 1,
          },
        }),
      ).byName(stackName);
      const sids = JSON.parse(resources(given, 'aws_kms_key')[0]!.policy).Statement.map((s: { Sid: string }) => s.Sid);
      expect(sids).not.toContain('CloudWatchAlarmsNotify');
    });
  });

  describe('with a given key ARN', () => {
    const config = fixtureConfig({
      regions: { include: ['eu-west-1', 'us-east-1'], exclude: [] },
      encryption: { kmsKey: 'arn:aws:kms:{region}:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab', deletionWindowDays: 30 },
    });
    const deployment = synthDeployment(config);

    it.each(['eu-west-1', 'us-east-1'])(
      'uses the region’s key in %s, creates none, and lets the handler role use it through SNS and SQS',
      (region) => {
        const stack = deployment.byName(`cloudmend-handler-${region}`);
        const arn = `arn:aws:kms:${region}:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        expect(resources(stack, 'aws_kms_key')).toEqual([]);
        expect(new Set(Object.values(topicKeys(stack)))).toEqual(new Set([arn]));
        expect(resources(stack, 'aws_sqs_queue')[0]).toMatchObject({ kms_master_key_id: arn });
        const statements = JSON.parse(resources(stack, 'aws_iam_role_policy')[0]!.policy).Statement;
        expect(statements.at(-1)).toEqual({
          Sid: 'UseGivenKeyForTopicsAndQueue',
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: [arn],
          Condition: { StringEquals: { 'kms:ViaService': [`sns.${region}.amazonaws.com`, `sqs.${region}.amazonaws.com`] } },
        });
      },
    );
  });
});
