/**
 * The generated templates deployed for real, on moto: the member-role template
 * as a CloudFormation stack in a member account, then a bot run through the
 * handler with the role that stack created, the resource read back. Moto
 * records service-managed StackSets but does not expand OU targets into stack
 * instances, so each template is created as a plain stack in the member
 * account, exactly the body the StackSet carries.
 *
 * What moto does not check: it creates the role from the template (name,
 * trust document, managed policies attached through their Roles property) but
 * neither enforces the trust conditions nor the policies on AssumeRole and
 * later calls; those are proven by simulation (__tests__/policies/).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { BOTS } from '../../bots';
import { handler, resetContainer } from '../../handler';
import { assumeMemberRole } from '../../handler/aws/assume-member-role';
import { createClientFactory } from '../../handler/aws/client-factory';
import { forwardingTemplate } from '../../stacks/forwarding-template';
import { memberRoleTemplate } from '../../stacks/member-role-template';
import { fixture } from '../fixtures/load';
import { runtimeConfig } from '../handler/support';
import { describeMoto } from '../support/moto';
import { tempDirForFile } from '../support/temp-dir';

const SECURITY = '111111111111';
const MEMBER = '222222222222';
const REGION = 'us-east-1';
const dir = tempDirForFile('cloudmend-stackset-deploy-');

/** Credentials in the member account the way StackSets reach it (moto keys state by the assumed role's account). */
async function inMember(account: string) {
  const credentials = await assumeMemberRole(new STSClient({ region: REGION }), {
    partition: 'aws',
    account,
    roleName: 'stacksets-exec-cloudmend',
    externalId: 'n/a',
    sessionName: 'stackset-deploy',
  });
  return createClientFactory({ region: REGION, credentials });
}

async function createStack(client: CloudFormationClient, name: string, body: unknown): Promise<void> {
  await client.send(
    new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(body), Capabilities: ['CAPABILITY_NAMED_IAM'] }),
  );
  const described = await client.send(new DescribeStacksCommand({ StackName: name }));
  expect(described.Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
}

describeMoto('generated StackSet templates deployed as stacks in a member account', () => {
  const bots = BOTS.filter((b) => b.meta.name === 's3_enable_versioning').map((b) => b.meta);

  it('the member-role template creates the role with its trust and policies, and the handler remediates through it', async () => {
    const member = await inMember(MEMBER);
    const template = memberRoleTemplate({
      roleName: 'CloudmendRemediation',
      partition: 'aws',
      securityAccount: SECURITY,
      externalId: 'cloudmend',
      regions: [REGION],
      bots,
    });
    await createStack(member(CloudFormationClient), 'StackSet-cloudmend-member-role-0001', template);

    const iam = member(IAMClient);
    const role = await iam.send(new GetRoleCommand({ RoleName: 'CloudmendRemediation' }));
    expect(role.Role!.Arn).toBe(`arn:aws:iam::${MEMBER}:role/CloudmendRemediation`);
    const trust = JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!));
    expect(trust.Statement[0].Condition.ArnLike['aws:PrincipalArn']).toBe(`arn:aws:iam::${SECURITY}:role/cloudmend-handler-*`);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'CloudmendRemediation' }));
    expect(attached.AttachedPolicies!.map((p) => p.PolicyName)).toEqual(['CloudmendRemediation-1']);
    // The pseudo parameters were resolved to this account and partition.
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: attached.AttachedPolicies![0]!.PolicyArn! }));
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: policy.Policy!.Arn!, VersionId: policy.Policy!.DefaultVersionId! }),
    );
    const document = decodeURIComponent(version.PolicyVersion!.Document!);
    expect(document).toContain('s3:PutBucketVersioning');
    expect(document).not.toContain('${AWS::');

    // A bucket in the member account, a Config finding, the handler in stackset mode (scope rules, no account list).
    const s3 = member(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'member-unversioned' }));
    const path = join(dir, 'cloudmend.runtime.json');
    const { accounts: _none, ...base } = runtimeConfig({
      enabledBots: ['s3_enable_versioning'],
      externalId: 'cloudmend',
      regions: [REGION],
      mappings: { guardduty: {}, securityHub: {}, config: { 's3-bucket-versioning-enabled': ['s3_enable_versioning'] } },
    });
    writeFileSync(path, JSON.stringify({ ...base, scope: { organizationId: 'o-abcdef1234', includeAccounts: [], excludeAccounts: [] } }));
    process.env.CLOUDMEND_RUNTIME_CONFIG = path;
    resetContainer();
    const event = fixture('config-s3-versioning.json');
    event.account = MEMBER;
    event.region = REGION;
    event.detail.awsAccountId = MEMBER;
    event.detail.awsRegion = REGION;
    event.detail.resourceId = 'member-unversioned';
    event.detail.configRuleARN = `arn:aws:config:${REGION}:${MEMBER}:config-rule/config-rule-ab12cd`;
    event.detail.newEvaluationResult.evaluationResultIdentifier.evaluationResultQualifier.resourceId = 'member-unversioned';
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const response = await handler(event);
      expect(response).toMatchObject({ results: { remediated: 1 } });
    } finally {
      write.mockRestore();
    }
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: 'member-unversioned' }));
    expect(versioning.Status).toBe('Enabled');
  });

  it('the forwarding template creates the rules that send Config (and, when asked, GuardDuty and Security Hub) events to the security bus', async () => {
    const member = await inMember(MEMBER);
    await createStack(
      member(CloudFormationClient),
      'StackSet-cloudmend-event-forwarding-0001',
      forwardingTemplate({ partition: 'aws', securityAccount: SECURITY, forwardFindings: true }),
    );
    const events = member(EventBridgeClient);
    const rules = await events.send(new ListRulesCommand({ NamePrefix: 'cloudmend-forward-' }));
    expect(rules.Rules!.map((r) => r.Name).sort()).toEqual([
      'cloudmend-forward-config-compliance',
      'cloudmend-forward-guard-duty-findings',
      'cloudmend-forward-security-hub-findings',
    ]);
    const config = rules.Rules!.find((r) => r.Name === 'cloudmend-forward-config-compliance')!;
    expect(JSON.parse(config.EventPattern!)).toMatchObject({ source: ['aws.config'] });
    const targets = await events.send(new ListTargetsByRuleCommand({ Rule: config.Name! }));
    expect(targets.Targets!.map((t) => t.Arn)).toEqual([`arn:aws:events:${REGION}:${SECURITY}:event-bus/default`]);
    expect(targets.Targets![0]!.RoleArn).toBe(`arn:aws:iam::${MEMBER}:role/cloudmend-event-forwarding-${REGION}`);
    const role = await member(IAMClient).send(new GetRoleCommand({ RoleName: `cloudmend-event-forwarding-${REGION}` }));
    expect(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).toContain('events.amazonaws.com');
    // Not checked here (moto does not do it): delivery across accounts and the bus policy's aws:PrincipalOrgID condition.
  });
});
