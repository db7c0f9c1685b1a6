/**
 * Shared by the handler tests: a runtime config and a small registry of test
 * bots, so plan and run tests do not depend on which catalog bots exist yet.
 */
import { z } from 'zod';
import type { RuntimeConfig } from '../../config/runtime';
import { defineBot, type Bot } from '../../bots/types';
import type { Registry } from '../../handler/plan';

export function runtimeConfig(overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  return {
    version: 1,
    mode: 'enforce',
    securityAccount: '111111111111',
    enabledBots: ['fix_bucket', 'stop_box', 'wipe_bucket', 'set_password_policy'],
    optIn: [],
    params: {},
    mappings: { guardduty: {}, securityHub: {}, config: {} },
    exclusionTag: { key: 'cloudmend:exclude' },
    memberRoleName: 'CloudmendRemediation',
    externalId: 'ext-123',
    accounts: { '111111111111': 'Root/Security', '222222222222': 'Root/Workloads/Prod' },
    regions: ['us-east-1', 'eu-west-1'],
    ...overrides,
  };
}

export const fixBucket = defineBot({
  meta: {
    name: 'fix_bucket',
    summary: 'test bot',
    resourceTypes: ['AWS::S3::Bucket'],
    params: z.strictObject({ level: z.coerce.number().int().min(1).max(3).default(1) }),
    positional: ['level'],
    overridable: ['level'],
    permissions: [{ actions: ['s3:GetBucketAcl', 's3:PutBucketAcl'], resources: ['arn:{partition}:s3:::{resourceId}'], reason: 'test' }],
  },
  run: async () => ({ status: 'remediated', message: 'fixed', changes: [] }),
});

export const stopBox = defineBot({
  meta: {
    name: 'stop_box',
    summary: 'test bot',
    resourceTypes: ['AWS::EC2::Instance'],
    params: z.strictObject({}),
    permissions: [
      { actions: ['ec2:DescribeInstances'], resources: ['*'], reason: 'test' },
      { actions: ['ec2:StopInstances'], resources: ['arn:{partition}:ec2:{region}:{account}:instance/{resourceId}'], reason: 'test' },
    ],
  },
  run: async () => ({ status: 'remediated', message: 'stopped', changes: [] }),
});

export const wipeBucket = defineBot({
  meta: {
    name: 'wipe_bucket',
    summary: 'test bot',
    resourceTypes: ['AWS::S3::Bucket'],
    params: z.strictObject({}),
    destructive: true,
    permissions: [{ actions: ['s3:DeleteBucket'], resources: ['arn:{partition}:s3:::{resourceId}'], reason: 'test' }],
  },
  run: async () => ({ status: 'remediated', message: 'wiped', changes: [] }),
});

export const setPasswordPolicy = defineBot({
  meta: {
    name: 'set_password_policy',
    summary: 'test bot',
    resourceTypes: ['AWS::::Account'],
    params: z.strictObject({}),
    permissions: [{ actions: ['iam:UpdateAccountPasswordPolicy'], resources: ['*'], reason: 'test', global: true }],
  },
  run: async () => ({ status: 'remediated', message: 'set', changes: [] }),
});

export function testRegistry(bots: Bot[] = [fixBucket, stopBox, wipeBucket, setPasswordPolicy]): Registry {
  const byName = new Map(bots.map((b) => [b.meta.name, b]));
  return { getBot: (name) => byName.get(name), botNames: () => [...byName.keys()].sort() };
}
