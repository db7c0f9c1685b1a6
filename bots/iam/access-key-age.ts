/** Whether an access key counts as unused, and how to say so. Pure, so the clock is the caller's. */

const DAY_MS = 24 * 60 * 60 * 1000;

export interface KeyUsage {
  createDate: Date | undefined;
  /** Absent when IAM has no record of the key being used. */
  lastUsedDate: Date | undefined;
  /** `N/A` when never used. */
  lastUsedService?: string | undefined;
}

export interface KeyVerdict {
  /** Unused for more than the allowed days: last used that long ago, or never used and created that long ago. */
  unused: boolean;
  /** "last used 2026-01-01 (326 days ago, s3)", "never used, created 2026-01-01 (326 days ago)". */
  summary: string;
}

export function assessKey(usage: KeyUsage, now: Date, days: number): KeyVerdict {
  const limitMs = days * DAY_MS;
  if (usage.lastUsedDate) {
    const service = usage.lastUsedService && usage.lastUsedService !== 'N/A' ? `, ${usage.lastUsedService}` : '';
    return {
      unused: now.getTime() - usage.lastUsedDate.getTime() > limitMs,
      summary: `last used ${day(usage.lastUsedDate)} (${ago(usage.lastUsedDate, now)}${service})`,
    };
  }
  // Without a creation date the key's age is unknown: leave it alone rather than guess.
  if (!usage.createDate) return { unused: false, summary: 'never used, creation date unknown' };
  return {
    unused: now.getTime() - usage.createDate.getTime() > limitMs,
    summary: `never used, created ${day(usage.createDate)} (${ago(usage.createDate, now)})`,
  };
}

/** Only the end of the key id goes into reports and logs: enough to tell a user's two keys apart. */
export function keyLabel(accessKeyId: string): string {
  return `...${accessKeyId.slice(-4)}`;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function ago(date: Date, now: Date): string {
  const days = Math.floor((now.getTime() - date.getTime()) / DAY_MS);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}
