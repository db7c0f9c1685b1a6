/**
 * The member remediation role as one CloudFormation template for the whole
 * organization: the same generated policies as the Terraform roles
 * (member-role-policy.ts), with the member's own account and partition left to
 * CloudFormation's pseudo parameters (`${AWS::AccountId}`, `${AWS::Partition}`
 * through Fn::Sub), so one StackSet serves every account, including accounts
 * that join later.
 *
 * Managed policies name the role through their `Roles` property instead of the
 * role listing `ManagedPolicyArns`: same effect in AWS, and the form moto's
 * CloudFormation implements, so the template is deploy-tested as it ships.
 */
import type { BotMeta } from '../bots/types';
import { PolicyGenerationError } from './errors';
import type { PolicyDocument } from '../bots/permissions';
import {
  MANAGED_POLICY_MAX_CHARS,
  memberRolePolicyDocuments,
  memberRoleTrustPolicy,
  TRUST_POLICY_MAX_CHARS,
  type TrustPolicyDocument,
} from './member-role-policy';

/** CloudFormation's limit for a template passed inline (TemplateBody), in bytes. */
export const TEMPLATE_BODY_MAX_BYTES = 51200;
export const ACCOUNT_PSEUDO = '${AWS::AccountId}';
export const PARTITION_PSEUDO = '${AWS::Partition}';

export interface MemberRoleSpec {
  roleName: string;
  partition: string;
  securityAccount: string;
  externalId: string;
  /** Enabled regions: regional actions are bounded to them. */
  regions: readonly string[];
  bots: ReadonlyArray<Pick<BotMeta, 'name' | 'permissions' | 'resourceTypes'>>;
  /** naming.prefix of the deployment: the trust matches its handler roles. */
  prefix?: string;
}

export interface CloudFormationTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Outputs: Record<string, { Value: unknown; Description: string }>;
}

export const ROLE_LOGICAL_ID = 'RemediationRole';
const ROLE_TAGS = [
  { Key: 'cloudmend:component', Value: 'member-role' },
  { Key: 'cloudmend:managed-by', Value: 'cloudmend' },
];

/**
 * Strings carrying a pseudo parameter become Fn::Sub; any other `${...}` (an
 * IAM policy variable such as `${aws:username}`) is escaped as `${!...}` so
 * CloudFormation leaves it to IAM.
 */
export function withPseudoParameters(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const escaped = value.replace(/\$\{(?!AWS::)/g, '${!');
    return escaped.includes('${AWS::') ? { 'Fn::Sub': escaped } : value;
  }
  if (Array.isArray(value)) return value.map(withPseudoParameters);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPseudoParameters(v)]));
  }
  return value;
}

/** The role's managed policies with the account and partition left to CloudFormation. */
export function templatePolicyDocuments(spec: MemberRoleSpec): PolicyDocument[] {
  return memberRolePolicyDocuments(spec.bots, { partition: PARTITION_PSEUDO, account: ACCOUNT_PSEUDO, regions: spec.regions });
}

export function memberRoleTemplate(spec: MemberRoleSpec): CloudFormationTemplate {
  const trust: TrustPolicyDocument = memberRoleTrustPolicy({
    partition: spec.partition,
    securityAccount: spec.securityAccount,
    externalId: spec.externalId,
    ...(spec.prefix ? { prefix: spec.prefix } : {}),
  });
  const documents = templatePolicyDocuments(spec);
  const resources: CloudFormationTemplate['Resources'] = {
    [ROLE_LOGICAL_ID]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: spec.roleName,
        Description: 'cloudmend remediation: assumed by the cloudmend handlers only, with the external id',
        AssumeRolePolicyDocument: trust,
        MaxSessionDuration: 3600,
        Tags: ROLE_TAGS,
      },
    },
  };
  documents.forEach((document, i) => {
    resources[`RemediationPolicy${i + 1}`] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        ManagedPolicyName: `${spec.roleName}-${i + 1}`,
        Description: `cloudmend remediation permissions, part ${i + 1}: generated from the enabled bots' metadata`,
        PolicyDocument: withPseudoParameters(document),
        Roles: [{ Ref: ROLE_LOGICAL_ID }],
      },
    };
  });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `cloudmend member remediation role (${spec.bots.length} bots); generated, do not edit`,
    Resources: resources,
    Outputs: { RoleArn: { Value: { 'Fn::GetAtt': [ROLE_LOGICAL_ID, 'Arn'] }, Description: 'The remediation role' } },
  };
}

/** What a size check found: each figure against its limit. */
export interface SizeFigure {
  what: string;
  size: number;
  limit: number;
}

/**
 * Every size AWS will enforce on the member role, measured as AWS counts it
 * (policies without whitespace, with the pseudo parameters as the longest they
 * render: a 12-digit account, `aws-us-gov`), and the template body as sent.
 */
export function memberRoleSizes(spec: MemberRoleSpec, template: CloudFormationTemplate): SizeFigure[] {
  const render = (document: unknown) =>
    JSON.stringify(document).split(ACCOUNT_PSEUDO).join('000000000000').split(PARTITION_PSEUDO).join('aws-us-gov');
  const figures: SizeFigure[] = [
    {
      what: 'member role trust policy',
      size: render(template.Resources[ROLE_LOGICAL_ID]?.Properties.AssumeRolePolicyDocument).length,
      limit: TRUST_POLICY_MAX_CHARS,
    },
  ];
  templatePolicyDocuments(spec).forEach((document, i) => {
    figures.push({ what: `managed policy ${spec.roleName}-${i + 1}`, size: render(document).length, limit: MANAGED_POLICY_MAX_CHARS });
  });
  figures.push({
    what: 'member role template body',
    size: Buffer.byteLength(JSON.stringify(template)),
    limit: TEMPLATE_BODY_MAX_BYTES,
  });
  return figures;
}

/** Fails with every figure over its limit, and what to do about it. */
export function checkSizes(figures: readonly SizeFigure[]): void {
  const over = figures.filter((f) => f.size > f.limit);
  if (over.length === 0) return;
  throw new PolicyGenerationError(
    `${over.map((f) => `${f.what} is ${f.size}, over the limit of ${f.limit}`).join('; ')}: enable fewer bots (bots.enabled) ` +
      'or fewer regions, so the generated documents fit',
  );
}
