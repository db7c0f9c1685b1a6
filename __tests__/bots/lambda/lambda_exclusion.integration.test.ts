/**
 * Through the real Lambda entry against moto: an AWS Config finding on Lambda.1's rule runs lambda_remove_public_access
 * (its metadata mapping, as the deployer writes it), and a function carrying the exclusion tag (read live through the tagging API) is left alone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AddPermissionCommand, GetPolicyCommand, LambdaClient, TagResourceCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { handler, resetContainer } from '../../../handler';
import { fixture } from '../../fixtures/load';
import { runtimeConfig } from '../../handler/support';
import { describeMoto } from '../../support/moto';
import { tempDirForFile } from '../../support/temp-dir';
import { MEMBER, REGION, admin, seedFunction } from './lambda-moto';

const dir = tempDirForFile('cloudmend-lambda-exclusion-');

function configEvent(functionName: string) {
  const event = fixture('config-s3-versioning.json');
  event.account = event.detail.awsAccountId = MEMBER;
  event.region = event.detail.awsRegion = REGION;
  event.detail.configRuleName = 'lambda-function-public-access-prohibited';
  const qualifier = event.detail.newEvaluationResult.evaluationResultIdentifier.evaluationResultQualifier;
  qualifier.configRuleName = 'lambda-function-public-access-prohibited';
  qualifier.resourceType = event.detail.resourceType = 'AWS::Lambda::Function';
  event.detail.resourceId = qualifier.resourceId = functionName;
  return event;
}

describeMoto('lambda_remove_public_access through the handler', () => {
  let logged: string[] = [];
  const results = () =>
    logged.flatMap((line) => {
      const parsed = JSON.parse(line) as { result?: { status: string; message: string; bot: string; errorName?: string } };
      return parsed.result ? [parsed.result] : [];
    });
  beforeEach(async () => {
    const path = join(dir, 'cloudmend.runtime.json');
    writeFileSync(
      path,
      JSON.stringify(
        runtimeConfig({
          enabledBots: ['lambda_remove_public_access'],
          externalId: 'cloudmend',
          exclusionTag: { key: 'cloudmend:exclude', value: 'true' },
          regions: [REGION],
          // The deployer writes the bots' metadata mappings into the runtime config; written out here.
          mappings: {
            guardduty: {},
            securityHub: {},
            config: { 'lambda-function-public-access-prohibited': ['lambda_remove_public_access'] },
          },
        }),
      ),
    );
    process.env.CLOUDMEND_RUNTIME_CONFIG = path;
    const topic = await new SNSClient({ region: REGION }).send(new CreateTopicCommand({ Name: 'cloudmend-results' }));
    process.env.CLOUDMEND_OUTPUT_TOPIC_ARN = topic.TopicArn!;
    resetContainer();
    logged = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env.CLOUDMEND_OUTPUT_TOPIC_ARN;
  });

  it('leaves a function tagged for exclusion public, and fixes an untagged one', async () => {
    const session = await admin();
    const lambda = session.client(LambdaClient);
    for (const name of ['excluded-fn', 'plain-fn']) {
      await seedFunction(session, name);
      await lambda.send(
        new AddPermissionCommand({ FunctionName: name, StatementId: 'anyone', Action: 'lambda:InvokeFunction', Principal: '*' }),
      );
    }
    const functionArn = `arn:aws:lambda:${REGION}:${MEMBER}:function:excluded-fn`;
    await lambda.send(new TagResourceCommand({ Resource: functionArn, Tags: { 'cloudmend:exclude': 'true' } }));
    const sids = async (name: string) =>
      (
        JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy!) as { Statement: { Sid: string }[] }
      ).Statement.map((s) => s.Sid);

    expect(await handler(configEvent('excluded-fn'))).toEqual({ results: { skipped: 1 }, dryRun: false });
    expect(results()[0]).toMatchObject({
      status: 'skipped',
      errorName: 'resource-excluded',
      message:
        'AWS::Lambda::Function excluded-fn carries the exclusion tag cloudmend:exclude=true (read live with tag:GetResources); nothing was changed',
    });
    expect(await sids('excluded-fn')).toEqual(['anyone']);

    const plain = await handler(configEvent('plain-fn'));
    expect(results()[1]).toMatchObject({ status: 'remediated', bot: 'lambda_remove_public_access' });
    expect(plain).toEqual({ results: { remediated: 1 }, dryRun: false });
    await expect(lambda.send(new GetPolicyCommand({ FunctionName: 'plain-fn' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
