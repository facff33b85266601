import {
  SAST_SEVERITIES,
  SastFindingSummary,
  SastSeverity,
  SastSeverityCounts,
} from '@resilience-for-backstage/plugin-resilience-common';

/** Each severity's word, as a heading or a label. */
export const SEVERITY_TEXT: Record<SastSeverity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  none: 'None',
};

/** `1 finding`, `2 findings`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** All the findings of a count by severity. */
export function totalFindings(counts: SastSeverityCounts): number {
  return SAST_SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
}

/**
 * The severities that have findings, most severe first, for example `1 critical, 3 medium`;
 * `none` when there is no finding at all.
 */
export function severityCountsText(counts: SastSeverityCounts): string {
  const parts = SAST_SEVERITIES.filter(s => counts[s] > 0).map(
    s => `${counts[s]} ${s === 'none' ? 'without severity' : s}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** Where a finding is, as `path:line`; the path alone without a line, undefined without a path. */
export function findingLocation(
  finding: SastFindingSummary,
): string | undefined {
  if (!finding.path) return undefined;
  return finding.startLine !== undefined
    ? `${finding.path}:${finding.startLine}`
    : finding.path;
}
