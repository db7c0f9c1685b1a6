/**
 * Which keys the source rules let through: what the config maps, plus what the
 * enabled bots declare in their metadata where the config says nothing, so a
 * finding the planner maps from bot metadata reaches the handler at all.
 */
import { z } from 'zod';
import { defineBot, type Bot, type RemediatesMeta } from '../../../bots/types';
import { mappedRuleKeys } from '../../../stacks/handler/event-rules';
import { fixtureConfig } from '../fixtures/deployment';

function bot(name: string, remediates: RemediatesMeta, destructive = false): Bot {
  return defineBot({
    meta: { name, summary: 't', resourceTypes: ['AWS::S3::Bucket'], remediates, params: z.strictObject({}), permissions: [], destructive },
    run: async () => ({ status: 'already-compliant', message: '', changes: [] }),
  });
}

const catalog = [
  bot('blocks', { securityHub: ['S3.8', 'CIS.2.3', 'PCI.S3.6'], config: ['s3-bucket-level-public-access-prohibited'] }),
  bot('versions', { securityHub: ['S3.14'], guardduty: ['Policy:S3/BucketBlockPublicAccessDisabled'] }),
  bot('deletes', { securityHub: ['S3.99'] }, true),
  bot('idle', { securityHub: ['S3.77'] }),
];
const config = (
  mappings: { securityHub?: Record<string, string[]>; guardduty?: Record<string, string[]>; config?: Record<string, string[]> },
  optIn: string[] = [],
) =>
  fixtureConfig({
    mappings: { securityHub: {}, guardduty: {}, config: {}, ...mappings },
    bots: { enabled: ['blocks', 'versions', 'deletes'], optIn, params: {} },
  });

describe('mappedRuleKeys', () => {
  it('adds the consolidated control ids enabled bots declare; CIS and PCI spellings never reach SecurityControlId', () => {
    expect(mappedRuleKeys(config({}), 'securityHub', catalog)).toEqual(['S3.14', 'S3.8']);
  });

  it('keeps every key the config maps, an empty list too (the handler reports it disabled on purpose), and lets it override metadata', () => {
    expect(mappedRuleKeys(config({ securityHub: { 's3.8': [], 'IAM.1': ['x'] } }), 'securityHub', catalog)).toEqual([
      'IAM.1',
      'S3.14',
      's3.8',
    ]);
  });

  it('leaves out what a bot that may not run declares: not enabled, or destructive without opt-in', () => {
    expect(mappedRuleKeys(config({}), 'securityHub', catalog)).not.toContain('S3.77');
    expect(mappedRuleKeys(config({}), 'securityHub', catalog)).not.toContain('S3.99');
    expect(mappedRuleKeys(config({}, ['deletes']), 'securityHub', catalog)).toContain('S3.99');
  });

  it('does the same for GuardDuty types and Config rule names', () => {
    expect(mappedRuleKeys(config({}), 'guardduty', catalog)).toEqual(['Policy:S3/BucketBlockPublicAccessDisabled']);
    expect(mappedRuleKeys(config({}), 'config', catalog)).toEqual(['s3-bucket-level-public-access-prohibited']);
  });
});
