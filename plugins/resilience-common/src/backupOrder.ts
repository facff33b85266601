/**
 * The fields a backup is ordered by, as a fact (`Date`) or as the API shows it (ISO 8601).
 *
 * @public
 */
export interface OrderableBackup {
  name: string;
  /** `status.startTimestamp`. */
  startedAt?: Date | string;
  /** `metadata.creationTimestamp`. */
  createdAt?: Date | string;
}

const millis = (time: Date | string | undefined): number | undefined => {
  if (time === undefined) return undefined;
  const ms = typeof time === 'string' ? Date.parse(time) : time.getTime();
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * The time a backup is ordered by, in milliseconds since the epoch: its `status.startTimestamp`,
 * which is how Velero's restore controller picks the most recent backup; only a backup that has
 * not started falls back to `metadata.creationTimestamp`. Creation is never preferred, because
 * Velero's backup sync recreates Backups from object storage with the sync time as their
 * creation, so every synced backup would tie. Undefined when the backup has neither.
 *
 * @public
 */
export function backupOrderTime(backup: OrderableBackup): number | undefined {
  return millis(backup.startedAt) ?? millis(backup.createdAt);
}

/**
 * Compares two backups newest first, as Velero orders them: by {@link backupOrderTime}
 * descending, a backup without any time last, and ties by name descending (scheduled backups are
 * named `<schedule>-<yyyyMMddHHmmss>`, so the later name is the later run). For
 * `Array.prototype.sort`.
 *
 * @public
 */
export function newestBackupFirst(
  a: OrderableBackup,
  b: OrderableBackup,
): number {
  const ta = backupOrderTime(a);
  const tb = backupOrderTime(b);
  if (ta !== tb) {
    if (ta === undefined) return 1;
    if (tb === undefined) return -1;
    return tb - ta;
  }
  if (a.name === b.name) return 0;
  return a.name < b.name ? 1 : -1;
}
