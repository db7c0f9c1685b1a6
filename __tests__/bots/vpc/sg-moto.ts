/**
 * Moto helpers for the security group bots' integration tests: a group seeded
 * with rules, its rules read back in undo's own form, the bot run with its
 * session policy, and `cloudmend undo`'s plan and execution on the changes a
 * run made (with credentials narrowed to the undo permissions, as the CLI does).
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { Bot, BotResult } from '../../../bots/types';
import { ruleState, sortedRules } from '../../../bots/vpc/security-group-undo';
import { executeUndo, planUndo, undoSessionPolicy, type StepOutcome } from '../../../handler/state/undo';
import { botContext } from '../../support/bot-context';
import { memberSession } from '../../support/moto';

export const ACCOUNT = '222222222222';
export const REGION = 'us-east-1';

export async function adminEc2(): Promise<EC2Client> {
  return (await memberSession(ACCOUNT, REGION)).client(EC2Client);
}

/** A new group in a new VPC with `ingress` authorized (it also has the default allow-all egress rule). */
export async function seedGroup(ec2: EC2Client, ingress: IpPermission[]): Promise<string> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpcId }))).GroupId!;
  if (ingress.length > 0) await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: ingress }));
  return groupId;
}

/** The group's rules of one direction, as undo records them. */
export async function readRules(ec2: EC2Client, groupId: string, egress = false) {
  const { SecurityGroupRules = [] } = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return sortedRules(SecurityGroupRules.filter((r) => Boolean(r.IsEgress) === egress).map(ruleState));
}

/** Runs the bot on the group with exactly its session policy, as the handler would. */
export async function runOn(bot: Bot, groupId: string, params: Record<string, unknown> = {}): Promise<BotResult> {
  const policy = sessionPolicyFor(bot.meta, { partition: 'aws', account: ACCOUNT, region: REGION, resourceId: groupId });
  const session = await memberSession(ACCOUNT, REGION, policy);
  return bot.run(botContext(bot, { resource: { type: 'AWS::EC2::SecurityGroup', id: groupId }, params, client: session.client }));
}

/** `cloudmend undo` on the changes of one result: plan, then execute newest first with the undo session policy. */
export async function undoResult(bot: Bot, resourceId: string, result: BotResult): Promise<StepOutcome[]> {
  const entry = {
    resultId: 'r-1',
    findingId: 'f-1',
    bot: bot.meta.name,
    partition: 'aws',
    account: ACCOUNT,
    region: REGION,
    resourceId,
    at: new Date().toISOString(),
    changes: result.changes.filter((c) => c.applied && c.undo),
  };
  const steps = planUndo([entry], (name) => (name === bot.meta.name ? bot : undefined));
  return executeUndo(steps, async (step) => (await memberSession(ACCOUNT, REGION, undoSessionPolicy(step))).client);
}
