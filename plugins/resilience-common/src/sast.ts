/**
 * Severity of a SAST finding, as GitHub maps SARIF: `security-severity` first, else the result's
 * `level`.
 *
 * @public
 */
export type SastSeverity = 'critical' | 'high' | 'medium' | 'low' | 'none';

/**
 * The severities, most severe first.
 *
 * @public
 */
export const SAST_SEVERITIES: SastSeverity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'none',
];

/**
 * A number of findings per severity.
 *
 * @public
 */
export type SastSeverityCounts = Record<SastSeverity, number>;

/**
 * One stored report: one run (one tool and category) of an uploaded SARIF log.
 *
 * @public
 */
export interface SastReportSummary {
  id: string;
  /** `tool.driver.name`. */
  tool: string;
  toolVersion?: string;
  /** `automationDetails.id` up to its last `/`; `''` when absent. */
  category: string;
  branch: string;
  commit?: string;
  /** ISO 8601 time of the scan. */
  scannedAt: string;
  /** ISO 8601 time of the upload. */
  uploadedAt: string;
  /** The user or service principal that uploaded it. */
  uploadedBy: string;
  /** Findings of the report by severity, not counting those suppressed as accepted. */
  findings: SastSeverityCounts;
  /** Findings of the report suppressed as accepted. */
  suppressed: number;
  /** Findings this report opened, or reopened after they had been fixed. */
  opened: number;
  /** Open findings this report closed: no longer reported, or now suppressed as accepted. */
  fixed: number;
  /**
   * False when the report was uploaded after a newer scan of the same tool, category and
   * branch: it is kept, but the open findings are those of the newer scan.
   */
  applied: boolean;
}

/**
 * The answer to `POST /sast/reports`: one report per run of the uploaded SARIF log.
 *
 * @public
 */
export interface SastUploadResponse {
  entityRef: string;
  reports: SastReportSummary[];
}

/**
 * An open SAST finding.
 *
 * @public
 */
export interface SastFindingSummary {
  tool: string;
  category: string;
  branch: string;
  fingerprint: string;
  ruleId: string;
  ruleName?: string;
  severity: SastSeverity;
  message: string;
  path?: string;
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  /** Present when suppressed and under review: the finding stays open. */
  suppression?: 'under-review';
  /** ISO 8601 scan time of the first report that held it. */
  firstSeenAt: string;
  /** ISO 8601 scan time of the latest report that held it. */
  lastSeenAt: string;
  /** The commit of the latest report that held it, when the upload said. */
  commit?: string;
  /**
   * A link to the file, and its line, at `commit` (or at the branch when the commit is unknown):
   * present when the finding has a path and the entity's `backstage.io/source-location` is on a
   * host whose file links can be built (GitHub, GitLab, Bitbucket, Azure DevOps, Gitea).
   */
  url?: string;
}

/**
 * The open findings of a branch at the end of one day (UTC).
 *
 * @public
 */
export interface SastTrendPoint {
  /** The day, `YYYY-MM-DD`; its counts are those open at the end of it (or now, for today). */
  date: string;
  open: SastSeverityCounts;
}

/**
 * A rule with open findings on a branch.
 *
 * @public
 */
export interface SastRuleSummary {
  tool: string;
  ruleId: string;
  ruleName?: string;
  /** The most severe of its open findings. */
  severity: SastSeverity;
  /** Its open findings. */
  open: number;
}

/**
 * The code-security thresholds an entity is held to, from its policy tier.
 *
 * @public
 */
export interface EffectiveSastPolicy {
  tier: string;
  /** The longest a high finding may stay open (`sast.high-age`). */
  highFindingSlaSeconds: number;
  /** The oldest the latest scan of each tool may be (`sast.scan-freshness`). */
  scanMaxAgeSeconds: number;
  /** The tools that must scan the default branch (`sast.required-tools`). */
  requiredTools: string[];
}

/**
 * How recently one tool scanned the branch shown.
 *
 * @public
 */
export interface SastToolFreshness {
  tool: string;
  /** ISO 8601 time of its latest scan of the branch; absent when it never scanned it. */
  lastScannedAt?: string;
  /** Seconds since that scan, at the time of the response. */
  ageSeconds?: number;
  /** Whether the policy requires this tool. */
  required: boolean;
  /**
   * `fresh` within the policy's `scanMaxAgeSeconds`, `stale` when older, `missing` for a
   * required tool that never scanned the branch.
   */
  state: 'fresh' | 'stale' | 'missing';
}

/**
 * The answer to `GET /entities/:kind/:namespace/:name/sast`.
 *
 * @public
 */
export interface EntitySastResponse {
  entityRef: string;
  /** ISO 8601 time the response was computed; ages are relative to it. */
  generatedAt: string;
  /**
   * The branch shown: the `branch` query parameter, else the entity's default branch
   * (`resilience.io/sast-default-branch`, or the first of `resilience.sast.defaultBranches`)
   * with a report, else the branch of the latest scan; absent when nothing was ever uploaded for
   * the entity.
   */
  branch?: string;
  /** Whether `branch` is a default branch of the entity, whose findings the checks read. */
  isDefaultBranch: boolean;
  /** Every branch with an uploaded report, sorted. */
  branches: string[];
  /** Open findings of the branch by severity (all of them, whatever the page). */
  openFindings: SastSeverityCounts;
  /**
   * One page of the open findings of the branch, most severe first, then by tool, path and
   * line: `offset` and `limit` query parameters (default 0 and 50, at most 500), optionally only
   * the severities of the `severity` parameter (comma-separated).
   */
  findings: SastFindingSummary[];
  /** How many open findings match the `severity` filter: the length of every page together. */
  findingsTotal: number;
  /** The rules with the most open findings on the branch (at most 10), most findings first. */
  topRules: SastRuleSummary[];
  /**
   * Open findings of the branch at the end of each of the last `days` days (query parameter,
   * default 90, at most 365), oldest first, today last; none before the day of the branch's
   * first scan, when nothing was known.
   */
  trend: SastTrendPoint[];
  /** The latest report of each tool and category on the branch, newest first. */
  latestReports: SastReportSummary[];
  /** Each tool that scanned the branch, and each required one, with how recently. */
  tools: SastToolFreshness[];
  /** The thresholds the checks hold the entity to. */
  policy: EffectiveSastPolicy;
}

/**
 * The ids of the code-security checks, stable across releases, in the order they are returned.
 *
 * - `sast.open-critical`: no critical finding is open on the default branch;
 * - `sast.high-age`: no high finding has been open longer than the policy's SLA (30 days by
 *   default);
 * - `sast.scan-freshness`: the default branch was scanned within the policy's maximum age (7
 *   days by default), by every tool that reported on it;
 * - `sast.required-tools`: every tool the policy requires has scanned the default branch.
 *
 * An entity for which no SARIF report was ever uploaded has all four `unknown`: nothing says
 * whether it is in scope of a scanner.
 *
 * @public
 */
export const SAST_CHECK_IDS = [
  'sast.open-critical',
  'sast.high-age',
  'sast.scan-freshness',
  'sast.required-tools',
] as const;

/**
 * One of {@link SAST_CHECK_IDS}.
 *
 * @public
 */
export type SastCheckId = (typeof SAST_CHECK_IDS)[number];

/**
 * How a backup stands against the code security of its entity when it was taken:
 *
 * - `known-good`: no critical or high finding of the default branch was open at its
 *   `startTimestamp`;
 * - `vulnerable`: some were (a restore brings that code back);
 * - `unknown`: no scan of the default branch had been uploaded before it.
 *
 * @public
 */
export interface BackupSecurityMark {
  mark: 'known-good' | 'vulnerable' | 'unknown';
  /** Critical findings open when the backup started. */
  openCritical: number;
  /** High findings open when the backup started. */
  openHigh: number;
}
