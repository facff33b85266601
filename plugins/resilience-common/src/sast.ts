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
