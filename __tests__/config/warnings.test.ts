/**
 * The loader's warnings channel: what a valid config does that its author may
 * not expect, at file:line:column, never fatal.
 */
import { formatNotice, parseConfigWithWarnings } from '../../config/load';

const catalog = {
  botNames: ['s3_block_all_public_access', 's3_enable_versioning', 'ec2_stop_instance', 'ec2_terminate_instance'],
  destructiveBots: ['ec2_terminate_instance'],
};

function yaml(bots: string, organization = ''): string {
  return `securityAccount: "111111111111"
regions:
  include: [us-east-1]
organization:
  accounts:
    - { id: "111111111111", name: security, ou: Root/Security }
    - { id: "222222222222", name: prod, ou: Root/Prod }
${organization}bots:
${bots}`;
}

const warningsOf = (text: string) => parseConfigWithWarnings(text, 'cloudmend.yaml', catalog).warnings.filter((w) => w.level === 'warning');

describe('config warnings', () => {
  it('warns that an empty bots.enabled remediates nothing, and how to enable bots, at its line', () => {
    const { config, warnings } = parseConfigWithWarnings(yaml(`  enabled: []\n`), 'cloudmend.yaml', catalog);
    expect(config.bots.enabled).toEqual([]);
    expect(warnings.filter((w) => w.level === 'warning').map((w) => formatNotice(w))).toEqual([
      'warning: cloudmend.yaml:9:12: bots.enabled: no bot is enabled: cloudmend deploys, receives findings and remediates nothing. ' +
        'List the bots to run (bots.enabled: [s3_block_all_public_access, ...]; docs/bots.md has the catalog) or write bots.enabled: all',
    ]);
  });

  it('states, as an info line, that the security account is always in scope and how to keep a resource there untouched', () => {
    const info = parseConfigWithWarnings(yaml(`  enabled: all\n`), 'cloudmend.yaml', catalog).warnings.filter((w) => w.level === 'info');
    expect(info.map((w) => formatNotice(w))).toEqual([
      'info: cloudmend.yaml:1:18: securityAccount: security account 111111111111 is always in scope: the handlers run there and its ' +
        "findings are remediated like a member account's (organization.includeAccounts, excludeAccounts, includeOus and excludeOus " +
        'never apply to it); to leave a resource there alone, tag it cloudmend:exclude',
    ]);
  });

  it('warns where the config tries to exclude the security account, which stays in scope', () => {
    const excluded = warningsOf(yaml('  enabled: all\n  optIn: [ec2_terminate_instance]\n', '  excludeAccounts: ["111111111111"]\n'));
    expect(excluded.map((w) => [w.field, w.line])).toEqual([['organization.excludeAccounts[0]', 8]]);
    expect(excluded[0]!.message).toContain('the security account 111111111111 cannot be excluded: it stays in scope and is remediated');
    const notIncluded = warningsOf(yaml('  enabled: all\n  optIn: [ec2_terminate_instance]\n', '  includeAccounts: ["222222222222"]\n'));
    expect(notIncluded.map((w) => w.message)).toEqual([
      'the security account 111111111111 is not listed but is in scope anyway and is remediated (to leave a resource there alone, tag it cloudmend:exclude)',
    ]);
  });

  it('names the exclusion tag with its value when the config sets one', () => {
    const text = `${yaml('  enabled: all\n')}exclusionTag: { key: keep, value: "yes" }\n`;
    const [info] = parseConfigWithWarnings(text, 'cloudmend.yaml', catalog).warnings;
    expect(info!.message).toMatch(/tag it keep=yes$/);
  });

  it('reports, in one warning, default mappings whose bot may not run, unless the config maps the finding itself', () => {
    const [idle] = warningsOf(yaml('  enabled: [s3_enable_versioning]\n'));
    // ec2_stop_instance declares no default mapping: nothing to report for it.
    expect(formatNotice(idle!)).toBe(
      [
        'warning: cloudmend.yaml:9:12: bots.enabled: 2 bot(s) remediate findings by default but may not run, so these findings get no bot ' +
          '(enable the bot in bots.enabled, and opt in when destructive, or map the finding under mappings):',
        '  - s3_block_all_public_access (not enabled): S3.2, S3.3, S3.8, PCI.S3.1, PCI.S3.2, CloudTrail.6, CIS.2.3, Policy:S3/BucketBlockPublicAccessDisabled, ' +
          's3-bucket-level-public-access-prohibited, s3-bucket-public-read-prohibited, s3-bucket-public-write-prohibited',
        '  - ec2_terminate_instance (not enabled): EC2.4, ec2-stopped-instance',
      ].join('\n'),
    );
    const mapped = warningsOf(
      `${yaml('  enabled: [s3_enable_versioning, s3_block_all_public_access, ec2_stop_instance]\n')}mappings:\n  securityHub:\n    EC2.4: [ec2_stop_instance]\n`,
    );
    expect(mapped.flatMap((w) => w.details)).toEqual(['- ec2_terminate_instance (not enabled): ec2-stopped-instance']);
    const optIn = warningsOf(yaml('  enabled: all\n'));
    expect(optIn.flatMap((w) => w.details)).toEqual(['- ec2_terminate_instance (destructive, not opted in): EC2.4, ec2-stopped-instance']);
  });

  it('has no warnings for a config enabling everything with nothing excluded', () => {
    expect(warningsOf(yaml('  enabled: all\n  optIn: [ec2_terminate_instance]\n'))).toEqual([]);
  });
});
