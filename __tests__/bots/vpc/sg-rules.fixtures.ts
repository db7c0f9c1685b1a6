/**
 * Shared by the unit tests of the rule-editing security group bots: a group,
 * rules as DescribeSecurityGroupRules returns them, and the mocked EC2 client
 * answering for them.
 */
import type { AwsClientStub } from 'aws-sdk-client-mock';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';

export const groupId = 'sg-0123456789abcdef0';
export const resource = { type: 'AWS::EC2::SecurityGroup', id: groupId };
export const target = `arn:aws:ec2:us-east-1:222222222222:security-group/${groupId}`;

let next = 0;
/** An inbound rule (unless `egress`) from `cidr` over `protocol` ports `from`-`to`. */
export function rule(protocol: string, from: number, to: number, cidr: string, extra: Partial<SecurityGroupRule> = {}): SecurityGroupRule {
  next += 1;
  return {
    SecurityGroupRuleId: `sgr-0${next.toString(16).padStart(4, '0')}`,
    GroupId: groupId,
    IsEgress: false,
    IpProtocol: protocol,
    FromPort: from,
    ToPort: to,
    ...(cidr.includes(':') ? { CidrIpv6: cidr } : { CidrIpv4: cidr }),
    ...extra,
  };
}

/** The group answers with `rules`; every write succeeds. */
export function stubGroup(ec2: AwsClientStub<EC2Client>, rules: SecurityGroupRule[]): void {
  ec2.reset();
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: groupId, GroupName: 'web' }] });
  ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: rules });
  ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
  ec2.on(RevokeSecurityGroupEgressCommand).resolves({ Return: true });
  ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
  ec2.on(AuthorizeSecurityGroupEgressCommand).resolves({ Return: true });
}

/** Every write command sent, in order, as [command name, input]. */
export function writes(ec2: AwsClientStub<EC2Client>): Array<[string, unknown]> {
  return ec2
    .calls()
    .map((call) => call.args[0] as { constructor: { name: string }; input: unknown })
    .filter((command) => /^(Authorize|Revoke)/.test(command.constructor.name))
    .map((command) => [command.constructor.name.replace(/Command$/, ''), command.input]);
}
