/** The Lambda's execution role: trusted by Lambda in this account only; its policy is handlerRolePolicy's. */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { handlerRolePolicy } from '../member-role-policy';
import { type HandlerContext, json } from './context';
import { givenKeyArn } from './encryption';

export interface ExecutionRole {
  role: IamRole;
  /** The function depends on it: a function created before its permissions fails its first invocations. */
  policy: IamRolePolicy;
}

export function addExecutionRole(ctx: HandlerContext): ExecutionRole {
  const { props, account } = ctx;
  const role = new IamRole(ctx.scope, 'role', {
    name: ctx.names.role,
    description: 'cloudmend handler: may only assume the member remediation roles and write its own logs, DLQ and results topic',
    assumeRolePolicy: json({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': account } },
        },
      ],
    }),
  });
  const document = handlerRolePolicy({
    partition: ctx.partition,
    securityAccount: account,
    region: ctx.region,
    memberRoleName: ctx.config.roles.memberRoleName,
    accounts: props.accounts,
    ...(props.organizationId ? { organizationId: props.organizationId } : {}),
    prefix: ctx.config.naming.prefix,
  });
  const givenKey = givenKeyArn(ctx);
  // A key of the operator's delegates to IAM (a created key names the role in its own policy instead).
  if (givenKey) {
    document.Statement.push({
      Sid: 'UseGivenKeyForTopicsAndQueue',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: [givenKey],
      Condition: { StringEquals: { 'kms:ViaService': [`sns.${ctx.region}.amazonaws.com`, `sqs.${ctx.region}.amazonaws.com`] } },
    });
  }
  const policy = new IamRolePolicy(ctx.scope, 'role-policy', { name: 'cloudmend-handler', role: role.name, policy: json(document) });
  return { role, policy };
}
