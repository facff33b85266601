import {
  BackupCapture,
  BackupSelection,
  VolumeSnapshotContentFact,
} from '../database/types';
import { labelsMatch, requirementsOfSelectorObject } from './labelSelector';

/** Names under which Velero's resource filters can name PersistentVolumeClaims. */
const PVC_RESOURCE_NAMES = new Set([
  '*',
  'persistentvolumeclaims',
  'persistentvolumeclaim',
  'pvc',
  'persistentvolumeclaims.',
  'persistentvolumeclaims.v1',
]);

/**
 * Velero's namespace filters accept globs (`*`, `?`, `[...]`); an exact name is the common case.
 */
function globMatches(pattern: string, value: string): boolean {
  if (!/[*?[]/.test(pattern)) {
    return pattern === value;
  }
  const source = pattern
    .split('')
    .map(ch => {
      if (ch === '*') return '.*';
      if (ch === '?') return '.';
      if (ch === '[' || ch === ']') return ch;
      return ch.replace(/[.+^${}()|\\]/g, '\\$&');
    })
    .join('');
  try {
    return new RegExp(`^${source}$`).test(value);
  } catch {
    return false;
  }
}

function namesPvcs(resources: string[] | undefined): boolean {
  return (resources ?? []).some(r => PVC_RESOURCE_NAMES.has(r.toLowerCase()));
}

/**
 * True when a backup with this selection includes the given PVC object: its namespace is included
 * and not excluded, its resource filters keep PVCs, and its label selectors match the claim.
 *
 * This says whether the claim object is in the backup, the first condition of coverage; whether
 * the volume's data was captured is decided from per-volume evidence elsewhere.
 * Velero also adds a PVC when a selected pod mounts it, even if the claim's own labels do not
 * match; that path needs pod facts and is not considered here, so a label-selected backup may be
 * reported as not including a claim it did include through its pod.
 */
export function selectionIncludesPvc(
  selection: BackupSelection,
  pvc: { namespace: string; labels: Record<string, string> },
): boolean {
  const included = selection.includedNamespaces ?? [];
  if (
    included.length > 0 &&
    !included.some(pattern => globMatches(pattern, pvc.namespace))
  ) {
    return false;
  }
  if (
    (selection.excludedNamespaces ?? []).some(pattern =>
      globMatches(pattern, pvc.namespace),
    )
  ) {
    return false;
  }
  for (const [includedKey, excludedKey] of [
    ['includedResources', 'excludedResources'],
    ['includedNamespaceScopedResources', 'excludedNamespaceScopedResources'],
  ] as const) {
    const includedResources = selection[includedKey];
    if (includedResources?.length && !namesPvcs(includedResources)) {
      return false;
    }
    if (namesPvcs(selection[excludedKey])) {
      return false;
    }
  }
  if (
    selection.labelSelector &&
    !labelsMatch(
      requirementsOfSelectorObject(selection.labelSelector),
      pvc.labels,
    )
  ) {
    return false;
  }
  if (
    selection.orLabelSelectors?.length &&
    !selection.orLabelSelectors.some(selector =>
      labelsMatch(requirementsOfSelectorObject(selector), pvc.labels),
    )
  ) {
    return false;
  }
  return true;
}

/** Whether a backup captured volume data, and in words how (or why not). */
export interface CaptureVerdict {
  captured: boolean;
  how: string;
}

/**
 * Whether a backup captured volume data, judged from the backup alone: completed volume
 * snapshots or item operations (CSI snapshots, data movement), or file-system backup of pod
 * volumes requested by default. This is the weaker, backup-level evidence: it does not say which
 * volumes were captured, so it cannot tell one claim of the namespace from another; per-volume
 * records (VolumeSnapshotContents, PodVolumeBackups, DataUploads) are what verify a claim.
 *
 * A backup that captured nothing saved the claim objects but not their data, and is not a
 * recovery point for them. File-system backup opted into per pod (the
 * `backup.velero.io/backup-volumes` annotation) is only visible through those per-volume
 * records, so without them such a backup is reported as not captured: a false red, never a
 * false green.
 */
export function backupCapture(capture: BackupCapture): CaptureVerdict {
  const snapshots =
    capture.volumeSnapshotsCompleted +
    capture.csiVolumeSnapshotsCompleted +
    capture.itemOperationsCompleted;
  if (snapshots > 0) {
    const plural = snapshots === 1 ? '' : 's';
    return {
      captured: true,
      how: `${snapshots} volume snapshot${plural} or data operation${plural} completed`,
    };
  }
  if (capture.defaultVolumesToFsBackup === true) {
    return {
      captured: true,
      how: 'file-system backup of pod volumes was requested (defaultVolumesToFsBackup)',
    };
  }
  return {
    captured: false,
    how:
      capture.snapshotVolumes === false
        ? 'snapshotVolumes is false and no file-system backup was requested'
        : 'no volume snapshot or data operation completed and no file-system backup was requested',
  };
}

/**
 * What the per-volume evidence says about one backup and one claim:
 * - `captured`: a ready VolumeSnapshotContent of the claim's volume belongs to the backup;
 * - `missing`: the backup snapshotted other volumes but not this claim's, so it did not capture
 *   this claim (even if its counts say it captured something);
 * - `none`: the backup has no such records, or they cannot be trusted, and the backup itself has
 *   to be judged.
 */
export type SnapshotEvidence =
  | { kind: 'captured'; contentName: string }
  | { kind: 'missing'; how: string }
  | { kind: 'none' };

/**
 * Weighs a backup's VolumeSnapshotContents for one claim. A missing record counts against the
 * claim only when the evidence is complete: the snapshot contents and volumes of the cluster were
 * both listed in the latest collection, and the claim's volume is a CSI volume (others are never
 * snapshotted this way).
 */
export function snapshotEvidence(options: {
  contents: VolumeSnapshotContentFact[];
  volumeHandle?: string;
  complete: boolean;
}): SnapshotEvidence {
  const { contents, volumeHandle, complete } = options;
  const mine = volumeHandle
    ? contents.filter(c => c.volumeHandle === volumeHandle)
    : [];
  const ready = mine.find(c => c.readyToUse === true);
  if (ready) {
    return { kind: 'captured', contentName: ready.name };
  }
  if (!complete || !volumeHandle || contents.length === 0) {
    return { kind: 'none' };
  }
  if (mine.length > 0) {
    return {
      kind: 'missing',
      how: `the snapshot of this claim's volume (${mine[0].name}) never became ready to use`,
    };
  }
  const others = contents.length;
  return {
    kind: 'missing',
    how: `it snapshotted ${others} other volume${
      others === 1 ? '' : 's'
    } but not this claim's`,
  };
}
