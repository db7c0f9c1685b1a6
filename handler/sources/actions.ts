import type { RequestedAction } from '../../bots/types';

/** `"bot_name arg1 key=value"` -> `{ bot, args }`; blank text -> undefined. */
export function parseActionText(text: string): RequestedAction | undefined {
  const [bot, ...args] = text.trim().split(/\s+/).filter(Boolean);
  return bot ? { bot, args } : undefined;
}

/**
 * CloudGuard `rule.complianceTags`: pipe-separated tags, of which `AUTO: bot args`
 * request a bot (`AUTO:` in any case, spaces around tags and after the colon
 * tolerated). Other tags (framework references such as `NIST-800-53`) are ignored.
 */
export function autoTagActions(complianceTags: string): RequestedAction[] {
  const actions: RequestedAction[] = [];
  for (const tag of complianceTags.split('|')) {
    const text = /^\s*AUTO\s*:\s*(.*)$/i.exec(tag)?.[1];
    const action = text === undefined ? undefined : parseActionText(text);
    if (action) actions.push(action);
  }
  return actions;
}

/** The same bot with the same args requested twice (tag and remediationActions) runs once. */
export function uniqueActions(actions: RequestedAction[]): RequestedAction[] {
  const seen = new Set<string>();
  return actions.filter((a) => {
    const key = [a.bot, ...a.args].join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
