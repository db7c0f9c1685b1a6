/**
 * Security Hub cross-region aggregation delivers every finding twice: in its
 * own region, and again in the aggregation region, where the event's region
 * differs from the finding's. Only the handler of the finding's own region
 * acts, so a finding is remediated exactly once; the copy is reported as
 * skipped with the reason. Nothing is lost: the copy of a finding from a region
 * cloudmend does not run in would have been refused anyway (region not
 * enabled). Custom actions are not copies: someone chose that finding in the
 * console of this region, so it is acted on here.
 */
import { reject } from './rejection';
import type { SourceOutput } from './sources/types';

export const IMPORTED = 'Security Hub Findings - Imported';

export function dropAggregatedCopies(detailType: string | undefined, output: SourceOutput, handlerRegion: string): SourceOutput {
  if (detailType !== IMPORTED) return output;
  const kept: SourceOutput = { findings: [], rejections: [...output.rejections] };
  for (const finding of output.findings) {
    if (finding.region === handlerRegion) kept.findings.push(finding);
    else {
      kept.rejections.push(
        reject(
          'aggregated-copy',
          `Security Hub finding ${finding.id} is from ${finding.region}, delivered here (${handlerRegion}) by cross-region aggregation: ` +
            `the handler of ${finding.region} acts on it, so it is remediated once`,
          { finding, source: 'securityhub', findingId: finding.id },
        ),
      );
    }
  }
  return kept;
}
