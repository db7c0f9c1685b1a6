/** What was written back for a result, or why not: one entry per destination that applied to it. */
export interface WriteBack {
  to: 'securityhub' | 'guardduty' | 'chat';
  /** `skipped`: deliberately not written (dry run, not done yet, an echo of our own update); `failed`: could not be. */
  status: 'written' | 'skipped' | 'failed';
  /** What was written (`note + workflow RESOLVED`), or why it was not, in words an operator can act on. */
  detail: string;
}
