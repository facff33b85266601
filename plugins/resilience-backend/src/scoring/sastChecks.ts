import {
  CheckEvidence,
  CheckResult,
  SAST_CHECK_IDS,
  SastCheckId,
} from '@resilience-for-backstage/plugin-resilience-common';
import { FindingSeverity } from '../sast/types';
import { FlipTimes } from './flips';
import { formatDuration } from './durations';
import { SastTier } from './policy';

/** An open finding of an entity, as the checks need it. */
export interface OpenFindingFacts {
  tool: string;
  branch: string;
  ruleId: string;
  severity: FindingSeverity;
  path?: string;
  startLine?: number;
  /** When it was first seen open: its age counts from here. */
  firstSeenAt: Date;
  /** An `underReview` suppression keeps it open, and marked. */
  suppression?: 'accepted' | 'under-review';
}

/** A SARIF run uploaded for an entity, as the checks need it. */
export interface ScanFacts {
  tool: string;
  category: string;
  branch: string;
  scannedAt: Date;
}

/** Everything the code-security checks of one entity read; no I/O happens inside them. */
export interface SastCheckInput {
  now: Date;
  /** Told when a verdict would change as the clock moves on. */
  flips?: FlipTimes;
  policy: SastTier;
  /**
   * Why a threshold of `policy` cannot be trusted (an entity that names a tier that is not
   * configured, or a wrong annotation), by threshold; absent when it can. The checks that need
   * it are then `unknown` with the reason, never judged by a laxer value.
   */
  untrusted?: { highFindingSla?: string; scanMaxAge?: string };
  /** Whether a branch is the entity's default branch; only its findings and scans count. */
  isDefaultBranch: (branch: string) => boolean;
  /** The entity's open findings, on every branch. */
  openFindings: OpenFindingFacts[];
  /** The entity's scans, on every branch. */
  scans: ScanFacts[];
}

const TITLES: Record<SastCheckId, string> = {
  'sast.open-critical': 'No open critical finding',
  'sast.high-age': 'High findings fixed within the SLA',
  'sast.scan-freshness': 'Default branch scanned recently',
  'sast.required-tools': 'Required scanners have run',
};

const seconds = (ms: number) => Math.round(ms / 1000);

/**
 * Findings listed as a check's evidence at most, in the order the store gives them (most severe,
 * then by tool, path and line); the message counts all of them. A scanner of a large repository
 * reports tens of thousands, which no page shows and every stored result would carry.
 */
export const MAX_FINDING_EVIDENCE = 100;

/** The evidence of at most {@link MAX_FINDING_EVIDENCE} findings, and what the message adds. */
function listed<T>(findings: T[]): { shown: T[]; note: string } {
  return findings.length > MAX_FINDING_EVIDENCE
    ? {
        shown: findings.slice(0, MAX_FINDING_EVIDENCE),
        note: ` The first ${MAX_FINDING_EVIDENCE} are listed.`,
      }
    : { shown: findings, note: '' };
}

function findingEvidence(
  finding: OpenFindingFacts,
  note: string,
): CheckEvidence {
  const where = finding.path
    ? ` at ${finding.path}${finding.startLine ? `:${finding.startLine}` : ''}`
    : '';
  return {
    kind: 'finding',
    cluster: '',
    namespace: finding.tool,
    name: `${finding.ruleId}${where}`,
    note,
  };
}

function scanEvidence(tool: string, note: string): CheckEvidence {
  return {
    kind: 'sast-report',
    cluster: '',
    namespace: tool,
    name: tool,
    note,
  };
}

/**
 * The code-security checks of one entity, in {@link SAST_CHECK_IDS} order. Only the default
 * branch counts: a feature branch's findings are its own business until merged.
 */
export function sastChecks(input: SastCheckInput): CheckResult[] {
  const { now, policy } = input;
  const untrusted = input.untrusted ?? {};
  const scans = input.scans.filter(s => input.isDefaultBranch(s.branch));
  const findings = input.openFindings.filter(
    f => input.isDefaultBranch(f.branch) && f.suppression !== 'accepted',
  );
  const result = (
    id: SastCheckId,
    rest: Omit<CheckResult, 'id' | 'title' | 'evidence'> & {
      evidence?: CheckEvidence[];
    },
  ): CheckResult => ({ id, title: TITLES[id], evidence: [], ...rest });

  if (input.scans.length === 0) {
    return SAST_CHECK_IDS.map(id =>
      result(id, {
        state: 'unknown',
        message:
          'No SARIF report has been uploaded for this entity: upload one from CI to have its code checked.',
      }),
    );
  }

  // The latest scan of each tool on the default branch.
  const latest = new Map<string, Date>();
  for (const scan of scans) {
    const seen = latest.get(scan.tool);
    if (!seen || scan.scannedAt > seen) latest.set(scan.tool, scan.scannedAt);
  }
  const noDefaultScan = scans.length === 0;
  const unscanned =
    'Only other branches than the default one have been scanned, so its findings are not known.';

  const criticals = findings.filter(f => f.severity === 'critical');
  const underReview = criticals.filter(f => f.suppression === 'under-review');
  const criticalsListed = listed(criticals);
  const openCritical = noDefaultScan
    ? result('sast.open-critical', { state: 'unknown', message: unscanned })
    : result('sast.open-critical', {
        state: criticals.length > 0 ? 'fail' : 'pass',
        value: criticals.length,
        threshold: 0,
        unit: 'count',
        bound: 'at-most',
        message:
          criticals.length === 0
            ? 'No critical finding is open on the default branch.'
            : `${criticals.length} critical finding${
                criticals.length === 1 ? ' is' : 's are'
              } open on the default branch${
                underReview.length
                  ? ` (${underReview.length} under review, still open)`
                  : ''
              }.${criticalsListed.note}`,
        evidence: criticalsListed.shown.map(f =>
          findingEvidence(
            f,
            `open for ${formatDuration(
              now.getTime() - f.firstSeenAt.getTime(),
            )}${f.suppression === 'under-review' ? ', under review' : ''}`,
          ),
        ),
      });

  const highs = findings.filter(f => f.severity === 'high');
  const ageOf = (f: OpenFindingFacts) =>
    now.getTime() - f.firstSeenAt.getTime();
  const overdue = highs.filter(f => ageOf(f) > policy.highFindingSlaMs);
  for (const f of highs) {
    input.flips?.whenAgeExceeds(f.firstSeenAt, policy.highFindingSlaMs);
  }
  for (const at of latest.values()) {
    input.flips?.whenAgeExceeds(at, policy.scanMaxAgeMs);
  }
  // Not Math.max(...ages): tens of thousands of arguments overflow the stack.
  const oldest = highs.length
    ? highs.reduce((max, f) => Math.max(max, ageOf(f)), -Infinity)
    : undefined;
  const overdueListed = listed(overdue);
  const sla = formatDuration(policy.highFindingSlaMs);
  const highAgeMessage = () => {
    if (highs.length === 0) {
      return 'No high finding is open on the default branch.';
    }
    if (overdue.length > 0) {
      return `${overdue.length} of ${highs.length} open high finding(s) have been open longer than the ${sla} SLA.${overdueListed.note}`;
    }
    return `${
      highs.length
    } high finding(s) are open, all for less than the ${sla} SLA; the oldest for ${formatDuration(
      oldest!,
    )}.`;
  };
  let highAge: CheckResult;
  if (noDefaultScan) {
    highAge = result('sast.high-age', { state: 'unknown', message: unscanned });
  } else if (untrusted.highFindingSla && highs.length > 0) {
    highAge = result('sast.high-age', {
      state: 'unknown',
      message: `${highs.length} high finding(s) are open, but there is no SLA to hold them to: ${untrusted.highFindingSla}.`,
    });
  } else {
    highAge = result('sast.high-age', {
      state: overdue.length > 0 ? 'fail' : 'pass',
      value: oldest === undefined ? undefined : seconds(oldest),
      threshold: seconds(policy.highFindingSlaMs),
      unit: 'seconds',
      bound: 'at-most',
      message: highAgeMessage(),
      evidence: overdueListed.shown.map(f =>
        findingEvidence(f, `open for ${formatDuration(ageOf(f))}`),
      ),
    });
  }

  const maxAge = formatDuration(policy.scanMaxAgeMs);
  const stale = [...latest].filter(
    ([, at]) => now.getTime() - at.getTime() > policy.scanMaxAgeMs,
  );
  const oldestScan = latest.size
    ? Math.max(...[...latest.values()].map(at => now.getTime() - at.getTime()))
    : undefined;
  const noScanAge = (id: SastCheckId) =>
    result(id, {
      state: 'unknown',
      message: `There is no scan age to hold the scanners to: ${untrusted.scanMaxAge}.`,
    });
  let freshness: CheckResult;
  if (noDefaultScan) {
    freshness = result('sast.scan-freshness', {
      state: 'fail',
      message:
        'The default branch has never been scanned; only other branches have reports.',
    });
  } else if (untrusted.scanMaxAge) {
    freshness = noScanAge('sast.scan-freshness');
  } else {
    freshness = result('sast.scan-freshness', {
      state: stale.length > 0 ? 'fail' : 'pass',
      value: seconds(oldestScan!),
      threshold: seconds(policy.scanMaxAgeMs),
      unit: 'seconds',
      bound: 'at-most',
      message:
        stale.length > 0
          ? `${stale
              .map(([tool]) => tool)
              .join(
                ', ',
              )} last scanned the default branch more than ${maxAge} ago.`
          : `Every scanner of the default branch ran within ${maxAge}.`,
      evidence: stale.map(([tool, at]) =>
        scanEvidence(
          tool,
          `last scan ${formatDuration(now.getTime() - at.getTime())} ago`,
        ),
      ),
    });
  }

  const missing = policy.requiredTools.filter(tool => {
    const at = latest.get(tool);
    return !at || now.getTime() - at.getTime() > policy.scanMaxAgeMs;
  });
  let required: CheckResult;
  if (policy.requiredTools.length === 0) {
    required = result('sast.required-tools', {
      state: 'not-applicable',
      message: "The entity's tier requires no particular scanner.",
    });
  } else if (untrusted.scanMaxAge) {
    required = noScanAge('sast.required-tools');
  } else {
    required = result('sast.required-tools', {
      state: missing.length > 0 ? 'fail' : 'pass',
      value: policy.requiredTools.length - missing.length,
      threshold: policy.requiredTools.length,
      unit: 'count',
      bound: 'at-least',
      message:
        missing.length > 0
          ? `${missing.join(', ')} ${
              missing.length === 1 ? 'has' : 'have'
            } not scanned the default branch within ${maxAge}.`
          : `${policy.requiredTools.join(
              ', ',
            )} scanned the default branch within ${maxAge}.`,
      evidence: missing.map(tool =>
        scanEvidence(
          tool,
          latest.has(tool)
            ? `last scan ${formatDuration(
                now.getTime() - latest.get(tool)!.getTime(),
              )} ago`
            : 'never scanned the default branch',
        ),
      ),
    });
  }

  return [openCritical, highAge, freshness, required];
}
