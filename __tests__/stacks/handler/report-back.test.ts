/**
 * What the handler stack deploys for write-back: nothing with the defaults; with
 * `report:` enabled, one extra inline policy on the handler role (proven in
 * __tests__/policies/report-back.test.ts), the chat topic when chat has its own,
 * and the variables and runtime config the handler reads the switches from.
 */
import { fixtureConfig, resources, synthDeployment } from '../fixtures/deployment';

describe('HandlerStack write-back', () => {
  it('with the defaults: no extra policy, topic or variable, and the runtime config says everything is off', () => {
    const deployment = synthDeployment(fixtureConfig());
    const stack = deployment.byName('cloudmend-handler-eu-west-1');
    expect(resources(stack, 'aws_iam_role_policy').map((p) => p.name)).not.toContain('cloudmend-report-back');
    expect(resources(stack, 'aws_sns_topic').map((t) => t.name)).not.toContain('cloudmend-chat-eu-west-1');
    expect(resources(stack, 'aws_lambda_function')[0]!.environment.variables).not.toHaveProperty('CLOUDMEND_CHAT_TOPIC_ARN');
    expect(deployment.runtime.report).toEqual({
      securityHub: 'off',
      guardDuty: { archive: false },
      chat: { enabled: false, topic: 'own' },
    });
  });

  it('with everything on: the handler role’s write-back policy, the chat topic, its ARN for the handler and as an output', () => {
    const config = fixtureConfig({ report: { securityHub: 'notes-and-workflow', guardDuty: { archive: true }, chat: { enabled: true } } });
    const deployment = synthDeployment(config);
    expect(deployment.runtime.report).toEqual({
      securityHub: 'notes-and-workflow',
      guardDuty: { archive: true },
      chat: { enabled: true, topic: 'own' },
    });
    const stack = deployment.byName('cloudmend-handler-eu-west-1');
    const policy = resources(stack, 'aws_iam_role_policy').find((p) => p.name === 'cloudmend-report-back')!;
    expect(policy.role).toBe('${aws_iam_role.role.name}');
    expect(
      JSON.parse(policy.policy).Statement.map((s: { Sid: string; Action: string[]; Resource: string[] }) => [s.Sid, s.Action, s.Resource]),
    ).toEqual([
      ['NoteFindingsInSecurityHub', ['securityhub:BatchUpdateFindings'], ['arn:aws:securityhub:eu-west-1:111111111111:hub/default']],
      ['ArchiveGuardDutyFindings', ['guardduty:ArchiveFindings', 'guardduty:ListDetectors'], ['*']],
      ['PublishChatMessages', ['sns:Publish'], ['arn:aws:sns:eu-west-1:111111111111:cloudmend-chat-eu-west-1']],
    ]);
    expect(resources(stack, 'aws_sns_topic').map((t) => t.name)).toContain('cloudmend-chat-eu-west-1');
    expect(resources(stack, 'aws_lambda_function')[0]!.environment.variables.CLOUDMEND_CHAT_TOPIC_ARN).toBe(
      'arn:aws:sns:eu-west-1:111111111111:cloudmend-chat-eu-west-1',
    );
    expect(Object.keys(stack.tf.output ?? {}).some((k) => k.includes('chat_topic_arn'))).toBe(true);
  });

  it('chat on the results topic: no chat topic, no extra publish permission (the base policy has the results topic)', () => {
    const config = fixtureConfig({ report: { chat: { enabled: true, topic: 'results' } } });
    const stack = synthDeployment(config).byName('cloudmend-handler-eu-west-1');
    expect(resources(stack, 'aws_iam_role_policy').map((p) => p.name)).not.toContain('cloudmend-report-back');
    expect(resources(stack, 'aws_sns_topic').map((t) => t.name)).not.toContain('cloudmend-chat-eu-west-1');
  });
});
