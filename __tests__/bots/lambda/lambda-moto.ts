/**
 * Seeds Lambda functions in a moto member account for the lambda bots' integration tests.
 * moto stores the code without running it (no Docker is needed until an invoke), so any zip will do.
 */
import { deflateRawSync } from 'node:zlib';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { Bot, ResourceType } from '../../../bots/types';
import type { RunOutcome } from '../../../handler/run';
import { memberSession, type MemberSession } from '../../support/moto';
import { MEMBER, prepareUndoState, REGION, remediate, undoThroughCli } from '../../support/undo-through-session';

export { MEMBER, REGION };

export async function admin(): Promise<MemberSession> {
  return memberSession(MEMBER, REGION);
}

/** Credentials scoped by the bot's own session policy, as the handler would assume them. */
export async function botSession(bot: Bot, resourceId: string): Promise<MemberSession> {
  return memberSession(MEMBER, REGION, sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId }));
}

/** A one-file zip archive (index.py), built by hand: the Node standard library has no zip writer. */
export function handlerZip(): Uint8Array {
  const name = Buffer.from('index.py');
  const content = Buffer.from('def handler(event, context):\n    return event\n');
  const data = deflateRawSync(content);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(name.length, 28);
  const centralOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const LAMBDA_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** An execution role and a function using it; returns the role's name and the function's ARN. */
export async function seedFunction(
  session: MemberSession,
  name: string,
  extra: { Layers?: string[]; roleName?: string } = {},
): Promise<{ roleName: string; functionArn: string }> {
  const roleName = extra.roleName ?? `${name}-role`;
  const { Role } = await session
    .client(IAMClient)
    .send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: LAMBDA_TRUST }));
  const created = await session.client(LambdaClient).send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'python3.12',
      Role: Role!.Arn!,
      Handler: 'index.handler',
      Code: { ZipFile: handlerZip() },
      ...(extra.Layers ? { Layers: extra.Layers } : {}),
    }),
  );
  return { roleName, functionArn: created.FunctionArn! };
}

/**
 * Runs `bot` on the function through the handler's runner and remediation state (which journals its changes), as
 * __tests__/handler/state/undo.integration.test.ts does; `undoIt()` then runs `cloudmend undo` on that result.
 */
export async function remediateForUndo(
  bot: Bot,
  functionName: string,
  type: ResourceType = 'AWS::Lambda::Function',
  params: Record<string, unknown> = {},
): Promise<{ outcome: RunOutcome; undoIt: () => Promise<{ code: number; printed: string }> }> {
  await prepareUndoState();
  const outcome = await remediate(bot, type, functionName, params);
  return { outcome, undoIt: () => undoThroughCli(outcome.resultId!) };
}
