/**
 * The SAST facts: what an uploaded SARIF report becomes once normalised, before it is stored.
 * The normaliser (`normaliseSarif.ts`) produces these; the store keeps their history.
 */

/** Severity as GitHub maps SARIF: `security-severity` first, else the result's `level`. */
export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low' | 'none';

/** One result of a report that counts as a finding (`kind` is `fail` or absent). */
export interface NormalisedFinding {
  /**
   * Identity across uploads: `partialFingerprints.primaryLocationLineHash` first, then another
   * partial fingerprint, then `fingerprints`, else a stable hash of rule id, file, the
   * normalised snippet or region, and the result's and location's messages without positions
   * or timestamps (see `fingerprintOf`). Prefixed with where it came from, e.g. `partial:…`, `hash:…`.
   */
  fingerprint: string;
  /** `ruleId`, else the id of `driver.rules[ruleIndex]`; `rule.id` of the rule reference. */
  ruleId: string;
  /** The rule's short description or name, when the rule is known. */
  ruleName?: string;
  severity: FindingSeverity;
  /** The result's message text (`message.text`, or the rule's message string it points to). */
  message: string;
  /** The first location's URI, relative to the repository root (no scheme, no leading `/`). */
  path?: string;
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  /**
   * `accepted`: an accepted suppression closes the finding; `under-review`: it stays open and
   * marked; absent when not suppressed.
   */
  suppression?: 'accepted' | 'under-review';
}

/** One run of a report: one tool and category, whose findings replace that tool's open set. */
export interface NormalisedRun {
  /** `tool.driver.name`. */
  toolName: string;
  /** `tool.driver.semanticVersion` or `version`. */
  toolVersion?: string;
  /** `automationDetails.id` up to its last `/` (GitHub's category); `''` when absent. */
  category: string;
  /** From `versionControlProvenance[0]`, when present. */
  repositoryUri?: string;
  revisionId?: string;
  branch?: string;
  /** The earliest `invocations[].startTimeUtc`, when present. */
  startedAt?: Date;
  findings: NormalisedFinding[];
}

/** A whole report, normalised. */
export interface NormalisedReport {
  runs: NormalisedRun[];
}
