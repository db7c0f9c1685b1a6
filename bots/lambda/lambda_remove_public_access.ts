import { z } from 'zod';
import { ChangeSet, type PlannedChange, skipped } from '../changes';
import { defineBot, type UndoContext } from '../types';
import { FUNCTION_ARN, functionArnOf, functionNameOf, functionOfTarget } from './function';
import { addPermissionInput, isPublicStatement, readStatements, sortedStatements, type Statement } from './resource-policy';
import { sdk } from '../sdk';

const KIND = 'public-statements';
/** A public statement AddPermission cannot write again: removed all the same, and said to be irreversible. */
const UNRESTORABLE_KIND = 'unrestorable-public-statement';

/** The undo state: the function's public statements, in a stable order. */
async function publicStatements(ctx: Pick<UndoContext, 'client'>, functionName: string): Promise<Statement[]> {
  const { LambdaClient } = await sdk.lambda();
  return sortedStatements((await readStatements(ctx.client(LambdaClient), functionName)).filter(isPublicStatement));
}

export default defineBot({
  meta: {
    name: 'lambda_remove_public_access',
    summary: 'Remove the statements of the function’s resource policy that let anyone invoke it',
    description:
      'Reads the resource-based policy of the function (the unqualified function’s; versions and aliases have their own) and ' +
      'removes, one by one by statement id (RemovePermission), every Allow statement whose principal is `*` unless a ' +
      'condition limits the caller’s account, organization or source (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, ' +
      'aws:PrincipalAccount...), and every statement letting Amazon S3 invoke it without aws:SourceAccount (a bucket ARN names ' +
      'no account). A public function URL (auth type NONE) is such a statement, so the URL then refuses every caller. Every ' +
      'other statement stays. A public statement without a statement id cannot be removed by Lambda’s API and is reported, ' +
      'with the function skipped, for a person to look at. The removed statements are reported and recorded, and ' +
      '`cloudmend undo` adds them back with AddPermission, except a statement AddPermission cannot express (several ' +
      'actions, or condition keys it has no field for): that one is removed all the same, its text kept in the change ' +
      'description, and undo leaves it out.',
    resourceTypes: ['AWS::Lambda::Function'],
    remediates: {
      securityHub: ['Lambda.1', 'PCI.Lambda.1'],
      config: ['lambda-function-public-access-prohibited'],
    },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['lambda:GetPolicy', 'lambda:RemovePermission'],
        resources: [FUNCTION_ARN],
        reason: 'read the resource policy of the function and remove its public statements',
      },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'adds the removed statements back to the function’s resource policy (AddPermission, same statement ids)',
        permissions: [
          {
            actions: ['lambda:GetPolicy', 'lambda:AddPermission'],
            resources: [FUNCTION_ARN],
            reason: 'undo: read the resource policy of the function and add the removed statements back',
          },
        ],
      },
      [UNRESTORABLE_KIND]: {
        reversible: false,
        why:
          'Lambda writes a resource policy only through AddPermission, which cannot express this statement (several actions, or ' +
          'condition keys it has no field for); the removed statement is in the change description for a person to recreate, ' +
          'should it have been wanted',
      },
    },
  },
  undoers: {
    [KIND]: {
      read: (ctx) => publicStatements(ctx, functionOfTarget(ctx)),
      async write(ctx, state) {
        const { LambdaClient, AddPermissionCommand } = await sdk.lambda();
        const lambda = ctx.client(LambdaClient);
        const functionName = functionOfTarget(ctx);
        const present = new Set((await publicStatements(ctx, functionName)).map((s) => s.Sid));
        for (const statement of state as Statement[]) {
          if (present.has(statement.Sid)) continue;
          const input = addPermissionInput(functionName, statement);
          if (!input) throw new Error(`statement ${String(statement.Sid)} cannot be written back with AddPermission`);
          await lambda.send(new AddPermissionCommand(input));
        }
      },
    },
  },
  async run(ctx) {
    const { LambdaClient, RemovePermissionCommand } = await sdk.lambda();
    const lambda = ctx.client(LambdaClient);
    const name = functionNameOf(ctx);
    const arn = functionArnOf(ctx, name);
    const statements = await readStatements(lambda, name);
    const publicOnes = sortedStatements(statements.filter(isPublicStatement));
    const unnamed = publicOnes.filter((s) => typeof s.Sid !== 'string' || s.Sid === '');
    if (unnamed.length > 0) {
      return skipped(
        `${unnamed.length} public statement(s) of the resource policy of ${name} have no statement id, which RemovePermission needs; ` +
          'nothing removed: review the policy by hand',
      );
    }
    const changes = new ChangeSet(ctx);
    const restorable = (statement: Statement) => addPermissionInput(name, statement) !== undefined;
    // The state undo compares: the public statements it can put back (one it cannot is never read back, so never part of it).
    let remaining = publicOnes.filter(restorable);
    for (const statement of publicOnes) {
      const sid = statement.Sid as string;
      let undo: NonNullable<PlannedChange['undo']>;
      if (restorable(statement)) {
        const after = remaining.filter((s) => s !== statement);
        undo = { kind: KIND, before: remaining, after };
        remaining = after;
      } else {
        // Removed all the same: an irreversible kind, with the statement in the description.
        undo = { kind: UNRESTORABLE_KIND, before: statement, after: null };
      }
      await changes.apply(
        {
          action: 'lambda:RemovePermission',
          target: arn,
          description: restorable(statement)
            ? `removed statement ${sid} (${JSON.stringify(statement.Principal)} may ${JSON.stringify(statement.Action)}) from the resource policy`
            : `removed statement ${JSON.stringify(statement)} from the resource policy (AddPermission cannot write it back: not undoable)`,
          undo,
        },
        () => lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: sid })),
      );
    }
    const kept = statements.length - publicOnes.length;
    return changes.result(
      `removed ${publicOnes.length} public statement(s) (${publicOnes.map((s) => s.Sid).join(', ')}) from the resource policy of ${name}; ${kept} statement(s) kept`,
      `the resource policy of ${name} lets no one outside the accounts and sources it names invoke it`,
    );
  },
});
