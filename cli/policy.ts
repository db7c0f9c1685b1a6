/**
 * `cloudmend policy --account <id> [--config cloudmend.yaml]`: prints the
 * member role's generated documents (trust and permission policies) exactly as
 * synth deploys them, for review by an auditor. Needs no credentials.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `usage: cloudmend policy --account <12-digit id> [--config cloudmend.yaml]

Prints the trust policy and the managed policies of the remediation role
cloudmend creates in that account, with the bot and reason behind each action.`;

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { account: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`cloudmend policy: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.account || !/^\d{12}$/.test(values.account)) {
    process.stderr.write(`cloudmend policy: --account needs a 12-digit account id\n\n${USAGE}\n`);
    return 2;
  }
  const { loadConfig } = await import('../config/load');
  const { loadInventory, scopeInventory } = await import('../config/inventory');
  const { UserFacingError } = await import('../bots/errors');
  const { BOTS, botNames } = await import('../bots');
  const { partitionOf } = await import('../config/regions');
  const { resolveEnabledBots } = await import('../stacks/runtime-config');
  const { botsGrantedPermissions, handlerRoleArn, memberRolePolicyDocuments, memberRoleTrustPolicy } = await import(
    '../stacks/member-role-policy'
  );
  const main = await import('../main');
  const configPath = values.config ? resolve(values.config) : main.resolveConfigPath(process.cwd());
  try {
    const config = loadConfig(configPath);
    const scoped = scopeInventory(loadInventory(config, configPath).inventory, config);
    const account = scoped.accounts.find((a) => a.id === values.account);
    if (!account) {
      const note = scoped.notes.find((n) => n.includes(values.account!));
      process.stderr.write(
        `cloudmend policy: account ${values.account} is not in scope${note ? ` (${note})` : ''}: no role is created there\n`,
      );
      return 1;
    }
    const bots = botsGrantedPermissions(BOTS, resolveEnabledBots(config, botNames()), config.bots.optIn);
    const partition = partitionOf(scoped.regions[0] ?? 'us-east-1');
    const trust = memberRoleTrustPolicy(
      scoped.regions.map((r) => handlerRoleArn(partition, config.securityAccount, r, config.naming.prefix)),
      config.roles.externalId,
    );
    const documents = memberRolePolicyDocuments(bots, { partition, account: account.id, regions: scoped.regions });
    const out: string[] = [
      `# Role arn:${partition}:iam::${account.id}:role/${config.roles.memberRoleName} (${account.name}, ${account.ouPath || 'no OU'})`,
      `# Regional actions are limited to: ${scoped.regions.join(', ')}`,
      '',
      '## Trust policy',
      JSON.stringify(trust, null, 2),
    ];
    documents.forEach((document, i) => {
      out.push(
        '',
        `## Managed policy ${config.roles.memberRoleName}-${i + 1} (${JSON.stringify(document).length} of 6144 characters)`,
        JSON.stringify(document, null, 2),
      );
    });
    out.push('', '## Why each action is granted');
    for (const bot of bots) {
      for (const permission of bot.permissions) {
        out.push(`- ${bot.name}${bot.destructive ? ' (destructive)' : ''}: ${permission.actions.join(', ')} — ${permission.reason}`);
      }
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UserFacingError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
