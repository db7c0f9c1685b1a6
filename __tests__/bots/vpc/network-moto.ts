/**
 * Moto helpers for the network bots' integration tests: a VPC with subnets, the
 * bot run with its own session policy and, for writes on what it read, a second
 * AssumeRole with the session policy narrowed to those ids (as the handler does).
 */
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { Bot, BotResult, DerivedIds } from '../../../bots/types';
import { botContext } from '../../support/bot-context';
import { memberSession } from '../../support/moto';
import { ACCOUNT, REGION } from './sg-moto';

export { ACCOUNT, REGION, undoResult } from './sg-moto';

export async function adminEc2(): Promise<EC2Client> {
  return (await memberSession(ACCOUNT, REGION)).client(EC2Client);
}

export async function seedVpc(ec2: EC2Client, subnets = 2): Promise<{ vpcId: string; subnetIds: string[] }> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnetIds: string[] = [];
  for (let i = 0; i < subnets; i += 1) {
    subnetIds.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i}.0/24` }))).Subnet!.SubnetId!);
  }
  return { vpcId, subnetIds };
}

/** Runs the bot as the handler would: its session policy for the resource, narrowed sessions for what it read. */
export async function runNetworkBot(
  bot: Bot,
  resource: { type: string; id: string },
  options: { params?: Record<string, unknown>; finding?: Parameters<typeof botContext>[1]['finding']; narrowed?: DerivedIds[] } = {},
): Promise<BotResult> {
  const scope = { partition: 'aws', account: ACCOUNT, region: REGION, resourceId: resource.id };
  const session = await memberSession(ACCOUNT, REGION, sessionPolicyFor(bot.meta, scope));
  return bot.run(
    botContext(bot, {
      resource,
      client: session.client,
      ...(options.params ? { params: options.params } : {}),
      ...(options.finding ? { finding: options.finding } : {}),
      onNarrow: (ids) => options.narrowed?.push(ids),
      narrowClient: async (ids) => (await memberSession(ACCOUNT, REGION, sessionPolicyFor(bot.meta, { ...scope, derived: ids }))).client,
    }),
  );
}
