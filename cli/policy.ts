/**
 * `cloudmend policy --account <id> [--config cloudmend.yaml]`: prints the
 * member role's generated documents (trust and permission policies) exactly as
 * synth deploys them, for review by an auditor. Needs no credentials.
 */
import { resolve } from 'node:path';
import { parseOptions } from './args';
import { UsageError } from './errors';

const USAGE = `usage: cloudmend policy --account <12-digit id> [--config cloudmend.yaml]

Prints the trust policy and the managed policies of the remediation role
cloudmend creates in that account, with the bot and reason behind each action.`;

export async function run(argv: string[]): Promise<number> {
  const values = parseOptions(
    argv,
    { account: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const accountId = values.account;
  if (!accountId || !/^\d{12}$/.test(accountId)) throw new UsageError('--account needs a 12-digit account id', USAGE);
  const { formatNotice, loadConfigWithWarnings } = await import('../config/load');
  const { loadInventory, scopeInventory } = await import('../config/inventory');
  const { UserFacingError } = await import('../bots/errors');
  const { BOTS, botNames } = await import('../bots');
  const { memberRoleDocuments } = await import('../stacks/member-role-documents');
  const { resolveEnabledBots } = await import('../stacks/runtime-config');
  const { botsGrantedPermissions } = await import('../stacks/member-role-policy');
  const main = await import('../main');
  const configPath = values.config ? resolve(values.config) : main.resolveConfigPath(process.cwd());
  try {
    const { config, warnings } = loadConfigWithWarnings(configPath);
    for (const notice of warnings) if (notice.level === 'warning') process.stderr.write(`cloudmend policy: ${formatNotice(notice)}\n`);
    const scoped = scopeInventory(loadInventory(config, configPath).inventory, config);
    const account = scoped.accounts.find((a) => a.id === values.account);
    if (!account) {
      const note = scoped.notes.find((n) => n.includes(accountId));
      process.stderr.write(
        `cloudmend policy: account ${values.account} is not in scope${note ? ` (${note})` : ''}: no role is created there\n`,
      );
      return 1;
    }
    const bots = botsGrantedPermissions(BOTS, resolveEnabledBots(config, botNames()), config.bots.optIn);
    // The very function the stacks use: what is printed is what is deployed.
    const { partition, trust, documents } = memberRoleDocuments(config, scoped.regions, bots, account.id);
    const out: string[] = [
      `# Role arn:${partition}:iam::${account.id}:role/${config.roles.memberRoleName} (${account.name}, ${account.ouPath || 'no OU'})`,
      `# Deployed by ${config.roles.deployment === 'stackset' && account.id !== config.securityAccount ? 'the member-role StackSet' : 'Terraform'}; regional actions are limited to: ${scoped.regions.join(', ')}`,
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
