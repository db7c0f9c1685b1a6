import type { Permission, SupportedResourceType } from '../../bots/types';
import { checkSizes, memberRoleSizes, memberRoleTemplate, withPseudoParameters } from '../../stacks/member-role-template';

const spec = (bots: Array<{ name: string; permissions: Permission[]; resourceTypes: SupportedResourceType[] }>) => ({
  roleName: 'CloudmendRemediation',
  partition: 'aws',
  securityAccount: '111111111111',
  externalId: 'ext',
  regions: ['eu-west-1'],
  bots,
});
/** Bots of one action each on a resource of their own: many statements, so many policies. */
const manyBots = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `bot_${i}`,
    resourceTypes: ['AWS::S3::Bucket'] as SupportedResourceType[],
    permissions: [
      { actions: [`s3:PutBucketTagging`], resources: [`arn:{partition}:s3:::bucket-with-a-rather-long-name-${i}`], reason: 'test' },
    ] as Permission[],
  }));

describe('memberRoleTemplate', () => {
  it('leaves account and partition to CloudFormation, and IAM policy variables to IAM', () => {
    expect(withPseudoParameters('arn:${AWS::Partition}:iam::${AWS::AccountId}:user/${aws:username}')).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/${!aws:username}',
    });
    expect(withPseudoParameters('arn:aws:s3:::x')).toBe('arn:aws:s3:::x');
  });

  it('attaches each managed policy through its Roles property (the form moto deploys too)', () => {
    const template = memberRoleTemplate(spec(manyBots(2)));
    expect(template.Resources.RemediationRole!.Properties.ManagedPolicyArns).toBeUndefined();
    expect(template.Resources.RemediationPolicy1!.Properties.Roles).toEqual([{ Ref: 'RemediationRole' }]);
  });

  it('measures every document against its limit; a template over 51,200 bytes fails with the figures', () => {
    const s = spec(manyBots(250));
    const figures = memberRoleSizes(s, memberRoleTemplate(s));
    const body = figures.find((f) => f.what === 'member role template body')!;
    expect(body.size).toBeGreaterThan(51200);
    for (const f of figures.filter((f) => f.what.startsWith('managed policy'))) expect(f.size).toBeLessThanOrEqual(6144);
    expect(() => checkSizes(figures)).toThrow(
      new RegExp(`member role template body is ${body.size}, over the limit of 51200: enable fewer bots`),
    );
  });

  it('passes a catalog-sized template', () => {
    const s = spec(manyBots(20));
    expect(() => checkSizes(memberRoleSizes(s, memberRoleTemplate(s)))).not.toThrow();
  });
});
