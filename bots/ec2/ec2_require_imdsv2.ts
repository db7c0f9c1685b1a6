import { z } from 'zod';
import type { EC2Client, HttpTokensState } from '@aws-sdk/client-ec2';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { idOfTarget } from './ec2-resource';
import { INSTANCE_ARN, describeInstance, instanceArn, instanceIdOf, isGone } from './instance';
import { sdk } from '../sdk';

const KIND = 'imds-tokens';

async function setTokens(ec2: EC2Client, instanceId: string, HttpTokens: HttpTokensState): Promise<void> {
  const { ModifyInstanceMetadataOptionsCommand } = await sdk.ec2();
  await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: instanceId, HttpTokens }));
}

export default defineBot({
  meta: {
    name: 'ec2_require_imdsv2',
    summary: 'Require IMDSv2 (session tokens) for the instance metadata service',
    description:
      'Sets the instance’s metadata option HttpTokens to required, so the instance metadata service answers only ' +
      'IMDSv2 requests with a session token (the fix AWS’s EnableIMDSV2OnInstance runbook applies). Software on the ' +
      'instance still using IMDSv1 gets 401 from then on. Whether the endpoint is enabled, the hop limit and the other ' +
      'metadata options are left as they are; the instance keeps running. Undo sets HttpTokens back to optional.',
    resourceTypes: ['AWS::EC2::Instance'],
    remediates: { securityHub: ['EC2.8'], config: ['ec2-imdsv2-check'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeInstances'],
        resources: ['*'],
        reason: 'read the instance’s metadata options (DescribeInstances supports no resource-level permissions)',
      },
      { actions: ['ec2:ModifyInstanceMetadataOptions'], resources: [INSTANCE_ARN], reason: 'require session tokens on the instance' },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'sets HttpTokens back to optional (IMDSv1 answered again)',
        permissions: [
          {
            actions: ['ec2:DescribeInstances'],
            resources: ['*'],
            reason: 'undo: read the instance’s metadata options (no resource-level permissions)',
          },
          { actions: ['ec2:ModifyInstanceMetadataOptions'], resources: [INSTANCE_ARN], reason: 'undo: make session tokens optional again' },
        ],
      },
    },
  },
  undoers: {
    [KIND]: {
      async read(ctx) {
        const { EC2Client } = await sdk.ec2();
        const instance = await describeInstance(ctx.client(EC2Client), idOfTarget(ctx.target));
        return { HttpTokens: instance.MetadataOptions?.HttpTokens ?? 'optional' };
      },
      async write(ctx, state) {
        const { EC2Client } = await sdk.ec2();
        await setTokens(ctx.client(EC2Client), idOfTarget(ctx.target), (state as { HttpTokens: HttpTokensState }).HttpTokens);
      },
    },
  },
  async run(ctx) {
    const { EC2Client } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const instance = await describeInstance(ec2, instanceId);
    if (isGone(instance)) return skipped(`instance ${instanceId} is ${instance.State?.Name}; nothing to change`);
    const tokens = instance.MetadataOptions?.HttpTokens ?? 'optional';
    const changes = new ChangeSet(ctx);
    if (tokens !== 'required') {
      await changes.apply(
        {
          action: 'ec2:ModifyInstanceMetadataOptions',
          target: instanceArn(ctx, instanceId),
          description: `HttpTokens ${tokens} -> required (IMDSv2 only)`,
          undo: { kind: KIND, before: { HttpTokens: tokens }, after: { HttpTokens: 'required' } },
        },
        () => setTokens(ec2, instanceId, 'required'),
      );
    }
    return changes.result(`required IMDSv2 on ${instanceId}`, `${instanceId} already requires IMDSv2`);
  },
});
