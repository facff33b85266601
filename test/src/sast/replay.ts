/**
 * The tests' own reading of a SAST history, independent of the backend: which findings of an
 * entity's default branches were open when, and so how a backup taken at a given time is marked.
 * It follows the rules the README states, not the backend's code.
 */

/** What the replay reads of a SARIF log: one run with its rules and results. */
export interface ReplayLog {
  runs: Array<{
    tool: {
      driver: {
        rules?: Array<{
          id: string;
          properties?: Record<string, unknown>;
        }>;
      };
    };
    results: Array<{
      ruleId?: string;
      ruleIndex?: number;
      level?: string;
      kind?: string;
      properties?: Record<string, unknown>;
      partialFingerprints?: Record<string, string>;
      suppressions?: Array<{ status?: string }>;
    }>;
  }>;
}

/** One upload: where and when the scan ran, and its log. */
export interface ReplayUpload {
  tool: string;
  category: string;
  branch: string;
  scannedAt: string;
  log: ReplayLog;
}

/** A period during which a finding was open. */
export interface OpenPeriod {
  fingerprint: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'none';
  from: number;
  /** Undefined while open. */
  to?: number;
}

export type BackupMark = 'known-good' | 'vulnerable' | 'unknown';

export const DEMO_DEFAULT_BRANCHES = ['main', 'master', 'default'];

/** GitHub's bands of `security-severity`; else the level. */
function severityOf(
  run: ReplayLog['runs'][number],
  result: ReplayLog['runs'][number]['results'][number],
): OpenPeriod['severity'] {
  const rule =
    result.ruleIndex !== undefined
      ? run.tool.driver.rules?.[result.ruleIndex]
      : run.tool.driver.rules?.find(r => r.id === result.ruleId);
  const score = Number(
    result.properties?.['security-severity'] ??
      rule?.properties?.['security-severity'],
  );
  if (!Number.isNaN(score) && score > 0) {
    if (score >= 9) return 'critical';
    if (score >= 7) return 'high';
    return score >= 4 ? 'medium' : 'low';
  }
  const level = result.level ?? 'warning';
  if (level === 'error') return 'high';
  if (level === 'warning') return 'medium';
  return level === 'note' ? 'low' : 'none';
}

/**
 * The open periods of the findings of the default branches, and the first scan of those, from
 * the uploads in the order they were made.
 * Each scan of a tool, category and branch replaces its open findings: one no longer reported
 * (or now accepted) closes at that scan, one reported (again) opens, one whose severity changed
 * closes and opens anew. A scan older than one already replayed for its key changes nothing.
 */
export function openPeriods(
  uploads: ReplayUpload[],
  defaultBranches: string[] = DEMO_DEFAULT_BRANCHES,
): { periods: OpenPeriod[]; firstScanAt?: number } {
  const periods: OpenPeriod[] = [];
  const open = new Map<string, Map<string, OpenPeriod>>();
  const latest = new Map<string, number>();
  let firstScanAt: number | undefined;
  // In the order they were uploaded: a late upload of an older scan does not apply.
  const ordered = uploads
    .filter(u => defaultBranches.includes(u.branch))
    .map(u => ({ ...u, at: Date.parse(u.scannedAt) }));
  for (const upload of ordered) {
    const key = JSON.stringify([upload.tool, upload.category, upload.branch]);
    if ((latest.get(key) ?? -Infinity) > upload.at) continue;
    latest.set(key, upload.at);
    // Only a scan that set the open findings counts as the first one.
    firstScanAt = Math.min(firstScanAt ?? upload.at, upload.at);
    const before = open.get(key) ?? new Map<string, OpenPeriod>();
    const now = new Map<string, OpenPeriod>();
    const run = upload.log.runs[0];
    for (const result of run.results) {
      if (result.kind && result.kind !== 'fail') continue;
      if (result.suppressions?.some(s => s.status === 'accepted')) continue;
      const fingerprint =
        result.partialFingerprints?.primaryLocationLineHash ??
        JSON.stringify(result);
      const severity = severityOf(run, result);
      const current = before.get(fingerprint);
      if (current && current.severity === severity) {
        now.set(fingerprint, current);
      } else {
        const period: OpenPeriod = { fingerprint, severity, from: upload.at };
        periods.push(period);
        now.set(fingerprint, period);
      }
    }
    for (const [fingerprint, period] of before) {
      if (now.get(fingerprint) !== period) period.to = upload.at;
    }
    open.set(key, now);
  }
  return { periods, firstScanAt };
}

/** The mark of a backup started at `at`, with the critical and high findings open then. */
export function markAt(
  at: number,
  replayed: ReturnType<typeof openPeriods>,
): { mark: BackupMark; openCritical: number; openHigh: number } {
  if (replayed.firstScanAt === undefined || replayed.firstScanAt > at) {
    return { mark: 'unknown', openCritical: 0, openHigh: 0 };
  }
  const open = replayed.periods.filter(
    p => p.from <= at && (p.to === undefined || p.to > at),
  );
  const openCritical = open.filter(p => p.severity === 'critical').length;
  const openHigh = open.filter(p => p.severity === 'high').length;
  return {
    mark: openCritical + openHigh > 0 ? 'vulnerable' : 'known-good',
    openCritical,
    openHigh,
  };
}
