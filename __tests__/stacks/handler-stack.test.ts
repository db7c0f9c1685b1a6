import { Testing } from 'cdktf';
import { fixtureConfig, resources, synthDeployment } from './fixtures/deployment';

describe('HandlerStack', () => {
  const deployment = synthDeployment(fixtureConfig());
  const stack = deployment.byName('cloudmend-handler-eu-west-1');
  const one = (type: string) => {
    const all = resources(stack, type);
    expect(all).toHaveLength(1);
    return all[0]!;
  };

  it('runs the one shared zip on Node.js 22, arm64, with reserved concurrency and the environment the handler reads', () => {
    expect(
      Testing.toHaveResourceWithProperties(stack.json, 'aws_lambda_function', {
        function_name: 'cloudmend-handler-eu-west-1',
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        handler: 'index.handler',
        filename: `assets/code/${'a'.repeat(64)}/handler.zip`,
        source_code_hash: Buffer.from('a'.repeat(64), 'hex').toString('base64'),
        reserved_concurrent_executions: 10,
        memory_size: 256,
        timeout: 120,
      }),
    ).toBe(true);
    expect(one('aws_lambda_function').environment.variables).toEqual({
      CLOUDMEND_CONFIG_DIGEST: expect.stringMatching(/^[0-9a-f]{64}$/),
      CLOUDMEND_MODE: 'dry-run',
      CLOUDMEND_MEMBER_ROLE_NAME: 'CloudmendRemediation',
      CLOUDMEND_EXTERNAL_ID: 'cloudmend-test',
      CLOUDMEND_OUTPUT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:cloudmend-results-eu-west-1',
      POWERTOOLS_SERVICE_NAME: 'cloudmend',
      CLOUDMEND_STATE_TABLE: 'cloudmend-state-eu-west-1',
    });
  });

  it('keeps logs for the configured retention and sends failed async events to a DLQ after the configured retries', () => {
    expect(one('aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/lambda/cloudmend-handler-eu-west-1', retention_in_days: 90 });
    expect(one('aws_sqs_queue')).toMatchObject({
      name: 'cloudmend-dlq-eu-west-1',
      message_retention_seconds: 14 * 86400,
      sqs_managed_sse_enabled: true,
    });
    expect(one('aws_lambda_function_event_invoke_config')).toMatchObject({
      maximum_retry_attempts: 2,
      destination_config: { on_failure: { destination: '${aws_sqs_queue.dlq.arn}' } },
    });
  });

  it('lets only the configured publishers (and the security account) publish findings', () => {
    expect(JSON.parse(one('aws_sns_topic_policy').policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowedPublishers',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::634729597623:root'] },
          Action: 'sns:Publish',
          Resource: 'arn:aws:sns:eu-west-1:111111111111:cloudmend-findings-eu-west-1',
        },
      ],
    });
  });

  it('subscribes the handler to the findings topic with an SNS redrive to the DLQ, and the output topic to the subscribers', () => {
    const subscriptions = resources(stack, 'aws_sns_topic_subscription');
    expect(subscriptions).toContainEqual(
      expect.objectContaining({
        protocol: 'lambda',
        topic_arn: '${aws_sns_topic.findings.arn}',
        redrive_policy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:111111111111:cloudmend-dlq-eu-west-1' }),
      }),
    );
    expect(subscriptions).toContainEqual(
      expect.objectContaining({ protocol: 'email', endpoint: 'secops@example.com', topic_arn: '${aws_sns_topic.results.arn}' }),
    );
  });

  it('routes only the GuardDuty types, Security Hub controls and Config rules mapped by the config or the enabled bots', () => {
    const patterns = Object.fromEntries(resources(stack, 'aws_cloudwatch_event_rule').map((r) => [r.name, JSON.parse(r.event_pattern)]));
    expect(patterns).toEqual({
      'cloudmend-guardduty': {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: { type: ['Recon:EC2/PortProbeUnprotectedPort'] },
      },
      'cloudmend-securityhub-imported': {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Imported'],
        // Only Security Hub's own controls: no product is listed under sources.securityHub.products.
        // S3.14 from the config; EC2.22 (sg_delete) and RDS.11 (rds_enable_backup) from the enabled bots' metadata.
        detail: {
          findings: {
            ProductArn: [{ suffix: '::product/aws/securityhub' }],
            Compliance: { SecurityControlId: ['EC2.22', 'RDS.11', 'S3.14'], Status: ['FAILED'] },
          },
        },
      },
      'cloudmend-securityhub-action': {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Custom Action'],
        resources: ['${aws_securityhub_action_target.securityhub-action.arn}'],
        detail: { findings: { ProductArn: [{ suffix: '::product/aws/securityhub' }] } },
      },
      'cloudmend-config': {
        source: ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        detail: {
          configRuleName: ['db-instance-backup-enabled', 'ec2-security-group-attached-to-eni-periodic', 's3-bucket-versioning-enabled'],
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        },
      },
    });
    expect(one('aws_securityhub_action_target')).toMatchObject({ identifier: 'CloudmendRemediate' });
    expect(resources(stack, 'aws_cloudwatch_event_target')).toHaveLength(4);
    const invokers = resources(stack, 'aws_lambda_permission').map((p) => [p.principal, p.source_arn]);
    expect(invokers).toContainEqual(['sns.amazonaws.com', '${aws_sns_topic.findings.arn}']);
    expect(invokers).toContainEqual(['events.amazonaws.com', '${aws_cloudwatch_event_rule.rule-config.arn}']);
  });

  it('creates no rule, and no Security Hub action, for a source nothing maps (no config mapping, no enabled bot declaring one)', () => {
    // ec2_stop_instance declares no finding it remediates.
    const bare = synthDeployment(
      fixtureConfig({
        mappings: { guardduty: {}, securityHub: {}, config: {} },
        bots: { enabled: ['ec2_stop_instance'], optIn: [], params: {} },
      }),
    ).byName('cloudmend-handler-us-east-1');
    expect(resources(bare, 'aws_cloudwatch_event_rule')).toEqual([]);
    expect(resources(bare, 'aws_securityhub_action_target')).toEqual([]);
  });

  it('gives the execution role nothing but assuming member roles and writing its own logs, DLQ and results topic', () => {
    expect(JSON.parse(one('aws_iam_role').assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        },
      ],
    });
    const statements = JSON.parse(resources(stack, 'aws_iam_role_policy').find((p) => p.name === 'cloudmend-handler')!.policy).Statement;
    expect(statements.map((s: { Action: string[]; Resource: string[] }) => [s.Action, s.Resource])).toEqual([
      [
        ['sts:AssumeRole'],
        ['111111111111', '222222222222', '333333333333', '444444444444'].map((a) => `arn:aws:iam::${a}:role/CloudmendRemediation`),
      ],
      [
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        ['arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/cloudmend-handler-eu-west-1:*'],
      ],
      [['sqs:SendMessage'], ['arn:aws:sqs:eu-west-1:111111111111:cloudmend-dlq-eu-west-1']],
      [['sns:Publish'], ['arn:aws:sns:eu-west-1:111111111111:cloudmend-results-eu-west-1']],
    ]);
    expect(resources(stack, 'aws_iam_role_policy_attachment')).toEqual([]);
    expect(resources(stack, 'aws_iam_policy')).toEqual([]);
  });

  it('outputs the findings topic, DLQ URL, results topic and alarms topic', () => {
    expect(stack.tf.output).toEqual({
      findings_topic_arn: expect.objectContaining({ value: '${aws_sns_topic.findings.arn}' }),
      dlq_url: expect.objectContaining({ value: '${aws_sqs_queue.dlq.url}' }),
      results_topic_arn: expect.objectContaining({ value: '${aws_sns_topic.results.arn}' }),
      alarms_topic_arn: expect.objectContaining({ value: '${aws_sns_topic.alarms.arn}' }),
    });
  });

  it('deploys into the security account only', () => {
    expect(Testing.toHaveProviderWithProperties(stack.json, 'aws', { region: 'eu-west-1', allowed_account_ids: ['111111111111'] })).toBe(
      true,
    );
  });
});
