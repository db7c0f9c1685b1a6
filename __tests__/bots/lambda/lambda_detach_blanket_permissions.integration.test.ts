import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import bot from '../../../bots/lambda/lambda_detach_blanket_permissions';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { ADMIN, LOGS, S3_ALL, STAR_STAR } from './lambda_detach_blanket_permissions.fixtures';
import { MEMBER, REGION, admin, botSession, remediateForUndo, seedFunction } from './lambda-moto';

/**
 * A function whose role has two admin policies (one under a path), an s3:* policy and two inline policies. moto's server
 * loads no AWS managed policies, so AdministratorAccess itself is the unit tests' case.
 */
async function seed(name: string): Promise<{ iam: IAMClient; roleName: string; s3Arn: string }> {
  const session = await admin();
  const { roleName } = await seedFunction(session, name);
  const iam = session.client(IAMClient);
  const pathAdmin = (
    await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-admin`, Path: '/team/', PolicyDocument: JSON.stringify(ADMIN) }))
  ).Policy!.Arn!;
  const customAdmin = (await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-star`, PolicyDocument: JSON.stringify(STAR_STAR) })))
    .Policy!.Arn!;
  const s3Arn = (await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-s3`, PolicyDocument: JSON.stringify(S3_ALL) }))).Policy!
    .Arn!;
  for (const PolicyArn of [pathAdmin, customAdmin, s3Arn]) await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn }));
  await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'star-star', PolicyDocument: JSON.stringify(STAR_STAR) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'logs', PolicyDocument: JSON.stringify(LOGS) }));
  return { iam, roleName, s3Arn };
}

const attached = async (iam: IAMClient, roleName: string) =>
  ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? []).map((p) => p.PolicyArn).sort();
const inline = async (iam: IAMClient, roleName: string) =>
  ((await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? []).sort();

describeMoto('lambda_detach_blanket_permissions against moto', () => {
  it('removes the policies allowing everything through sessions naming the role, keeps the rest, then reports already-compliant', async () => {
    const { iam, roleName, s3Arn } = await seed('payments');
    const scoped = await botSession(bot, 'payments');
    const narrowClient = async (ids: Record<string, readonly string[]>) =>
      (
        await memberSession(
          MEMBER,
          REGION,
          sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId: 'payments', derived: ids }),
        )
      ).client;
    const resource = { type: 'AWS::Lambda::Function', id: 'payments' };

    const first = await bot.run(botContext(bot, { resource, client: scoped.client, narrowClient }));
    expect(first.status).toBe('remediated');
    expect(first.changes.map((c) => c.action)).toEqual(['iam:DetachRolePolicy', 'iam:DetachRolePolicy', 'iam:DeleteRolePolicy']);
    expect(await attached(iam, roleName)).toEqual([s3Arn]);
    expect(await inline(iam, roleName)).toEqual(['logs']);

    const second = await bot.run(botContext(bot, { resource, client: scoped.client, narrowClient }));
    expect(second.status).toBe('already-compliant');
  });

  it('undo attaches the detached policies and puts the deleted inline policy back', async () => {
    const { iam, roleName } = await seed('reports');
    const seededAttached = await attached(iam, roleName);
    const seededInline = await inline(iam, roleName);

    const { outcome, undoIt } = await remediateForUndo(bot, 'reports');
    expect(outcome.result?.status).toBe('remediated');
    // Every change names the function's role: the undo sessions name it and no other.
    expect(outcome.result?.changes.map((c) => c.undo?.ids)).toEqual([1, 2, 3].map(() => ({ roleName: [roleName] })));
    expect(await inline(iam, roleName)).toEqual(['logs']);

    const { code, printed } = await undoIt();
    expect(printed).toContain('restored: iam:DetachRolePolicy');
    expect(printed).toContain('restored: iam:DeleteRolePolicy');
    expect(code).toBe(0);
    expect(await attached(iam, roleName)).toEqual(seededAttached);
    expect(await inline(iam, roleName)).toEqual(seededInline);
  });
});
