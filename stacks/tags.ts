/**
 * The tags on everything a deployment creates: the operator's `tags`, then
 * cloudmend's own (which part, managed by cloudmend, which deployment when
 * `naming.prefix` is set). Providers apply them as `default_tags`, so every
 * taggable resource carries them; the member StackSet calls this too.
 */
import type { CloudmendConfig } from '../config/schema';

export type Component = 'handler' | 'member-role' | 'stackset';

export function deploymentTags(config: Pick<CloudmendConfig, 'tags' | 'naming'>, component: Component): Record<string, string> {
  return {
    ...config.tags,
    'cloudmend:component': component,
    'cloudmend:managed-by': 'cloudmend',
    ...(config.naming.prefix ? { 'cloudmend:deployment': config.naming.prefix } : {}),
  };
}

/** The same tags as CloudFormation lists them (a StackSet's `Tags`, which it passes on to every stack instance's resources). */
export function cloudFormationTags(
  config: Pick<CloudmendConfig, 'tags' | 'naming'>,
  component: Component,
): Array<{ Key: string; Value: string }> {
  return Object.entries(deploymentTags(config, component)).map(([Key, Value]) => ({ Key, Value }));
}
