import { z } from 'zod';
import type { RDSClient } from '@aws-sdk/client-rds';
import { ChangeSet } from '../changes';
import { defineBot, type UndoContext } from '../types';
import { type RdsKind, rdsArn, rdsIdentifier } from './db';
import { sdk } from '../sdk';

const BOT_NAME = 'rds_snapshot_make_private';

type SnapshotKind = Extract<RdsKind, 'snapshot' | 'cluster-snapshot'>;

function kindOf(type: string): SnapshotKind {
  return type === 'AWS::RDS::DBClusterSnapshot' ? 'cluster-snapshot' : 'snapshot';
}

/** The accounts a snapshot's `restore` attribute shares it with; `all` means public. */
async function restoreValues(rds: RDSClient, kind: SnapshotKind, identifier: string): Promise<string[]> {
  const { DescribeDBSnapshotAttributesCommand, DescribeDBClusterSnapshotAttributesCommand } = await sdk.rds();
  const attributes =
    kind === 'snapshot'
      ? (await rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: identifier }))).DBSnapshotAttributesResult
          ?.DBSnapshotAttributes
      : (await rds.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: identifier })))
          .DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes;
  return attributes?.find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [];
}

async function setPublic(rds: RDSClient, kind: SnapshotKind, identifier: string, publicNow: boolean): Promise<void> {
  const { ModifyDBSnapshotAttributeCommand, ModifyDBClusterSnapshotAttributeCommand } = await sdk.rds();
  const change = publicNow ? { ValuesToAdd: ['all'] } : { ValuesToRemove: ['all'] };
  if (kind === 'snapshot') {
    await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: identifier, AttributeName: 'restore', ...change }));
  } else {
    await rds.send(
      new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: identifier, AttributeName: 'restore', ...change }),
    );
  }
}

/** `arn:...:snapshot:name` / `arn:...:cluster-snapshot:name` -> kind and name. */
function targetOf(ctx: UndoContext): { kind: SnapshotKind; identifier: string } {
  const match = /:(snapshot|cluster-snapshot):(.+)$/.exec(ctx.target);
  if (!match) throw new Error(`undo of snapshot visibility: ${ctx.target} is not an RDS snapshot ARN`);
  return { kind: match[1] as SnapshotKind, identifier: match[2] ?? '' };
}

const PERMISSIONS = [
  {
    actions: ['rds:DescribeDBSnapshotAttributes', 'rds:ModifyDBSnapshotAttribute'],
    resources: ['arn:{partition}:rds:{region}:{account}:snapshot:{resourceId}'],
    reason: 'read who may restore the DB snapshot and remove "all" from it',
  },
  {
    actions: ['rds:DescribeDBClusterSnapshotAttributes', 'rds:ModifyDBClusterSnapshotAttribute'],
    resources: ['arn:{partition}:rds:{region}:{account}:cluster-snapshot:{resourceId}'],
    reason: 'read who may restore the DB cluster snapshot and remove "all" from it',
  },
];

export default defineBot({
  meta: {
    name: BOT_NAME,
    summary: 'Make a public DB snapshot or DB cluster snapshot private',
    description:
      'Removes `all` from the `restore` attribute of the manual DB snapshot or DB cluster snapshot, so no other AWS account can ' +
      'copy or restore it any more. Accounts it is shared with by id keep their access (they are listed in the result); the ' +
      'snapshot itself is not changed, copied or deleted. Undo makes it public again.',
    resourceTypes: ['AWS::RDS::DBSnapshot', 'AWS::RDS::DBClusterSnapshot'],
    remediates: { securityHub: ['RDS.1', 'PCI.RDS.1'], config: ['rds-snapshots-public-prohibited'] },
    params: z.strictObject({}),
    permissions: PERMISSIONS,
    undo: {
      'public-restore': {
        reversible: true,
        how: 'adds `all` back to the restore attribute of the snapshot, making it public again',
        permissions: PERMISSIONS.map((p) => ({ ...p, reason: `undo: ${p.reason.replace('remove "all" from it', 'add "all" back')}` })),
      },
    },
  },
  undoers: {
    'public-restore': {
      async read(ctx) {
        const { RDSClient } = await sdk.rds();
        const { kind, identifier } = targetOf(ctx);
        return { public: (await restoreValues(ctx.client(RDSClient), kind, identifier)).includes('all') };
      },
      async write(ctx, state) {
        const { RDSClient } = await sdk.rds();
        const value = (state as { public?: unknown }).public;
        if (typeof value !== 'boolean') throw new Error(`undo of snapshot visibility: no boolean in ${JSON.stringify(state)}`);
        const { kind, identifier } = targetOf(ctx);
        await setPublic(ctx.client(RDSClient), kind, identifier, value);
      },
    },
  },
  async run(ctx) {
    const { RDSClient } = await sdk.rds();
    const rds = ctx.client(RDSClient);
    const kind = kindOf(ctx.finding.resource.type);
    const identifier = rdsIdentifier(BOT_NAME, kind, ctx.finding.resource.id, ctx);
    const what = kind === 'snapshot' ? 'DB snapshot' : 'DB cluster snapshot';
    const values = await restoreValues(rds, kind, identifier);
    const accounts = values.filter((v) => v !== 'all');
    const shared = accounts.length > 0 ? `; still shared with account(s) ${accounts.join(', ')}` : '';
    const changes = new ChangeSet(ctx);
    if (values.includes('all')) {
      await changes.apply(
        {
          action: kind === 'snapshot' ? 'rds:ModifyDBSnapshotAttribute' : 'rds:ModifyDBClusterSnapshotAttribute',
          target: rdsArn(ctx, kind, identifier),
          description: `restore attribute of ${what} ${identifier}: removed "all" (public -> private)${shared}`,
          undo: { kind: 'public-restore', before: { public: true }, after: { public: false } },
        },
        () => setPublic(rds, kind, identifier, false),
      );
    }
    return changes.result(`made ${what} ${identifier} private${shared}`, `${what} ${identifier} is not public${shared}`);
  },
});
