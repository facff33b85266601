import {
  BackupCapture,
  BackupSelection,
  DataUploadFact,
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
 * - `captured`: a record of the claim's volume shows its data in the backup: a ready
 *   VolumeSnapshotContent of the volume, or a completed DataUpload of the claim;
 * - `missing`: the backup captured other volumes but not this claim's, or its record of this
 *   claim failed, so it did not capture this claim (even if its counts say it captured something);
 * - `none`: the backup has no such records, or they cannot be trusted, and the backup itself has
 *   to be judged.
 */
export type VolumeEvidence =
  | { kind: 'captured'; what: string }
  | { kind: 'missing'; how: string }
  | { kind: 'none' };

/**
 * Weighs a backup's per-volume records for one claim. Records count against a claim only when
 * their kind is complete (its sources were all listed in the latest collection) and the claim's
 * volume is a CSI volume: neither CSI snapshots nor data movement handle other volumes.
 */
export function volumeEvidence(options: {
  claim: { namespace: string; name: string; volumeHandle?: string };
  contents: VolumeSnapshotContentFact[];
  uploads: DataUploadFact[];
  snapshotsComplete: boolean;
  uploadsComplete: boolean;
}): VolumeEvidence {
  const { claim, contents, uploads, snapshotsComplete, uploadsComplete } =
    options;
  const handle = claim.volumeHandle;
  const myContents = handle
    ? contents.filter(c => c.volumeHandle === handle)
    : [];
  const myUploads = uploads.filter(
    u => u.sourceNamespace === claim.namespace && u.sourcePvc === claim.name,
  );
  const ready = myContents.find(c => c.readyToUse === true);
  if (ready) {
    return {
      kind: 'captured',
      what: `a ready CSI snapshot of this claim's volume (VolumeSnapshotContent ${ready.name})`,
    };
  }
  const uploaded = myUploads.find(u => u.phase === 'Completed');
  if (uploaded) {
    return {
      kind: 'captured',
      what: `the data of this claim's volume, moved to the backup storage (DataUpload ${uploaded.name})`,
    };
  }
  if (!handle) {
    return { kind: 'none' };
  }
  if (snapshotsComplete && myContents.length > 0) {
    return {
      kind: 'missing',
      how: `the snapshot of this claim's volume (${myContents[0].name}) never became ready to use`,
    };
  }
  if (uploadsComplete && myUploads.length > 0) {
    return {
      kind: 'missing',
      how: `the upload of this claim's data (${myUploads[0].name}) ended ${
        myUploads[0].phase ?? 'without a phase'
      }`,
    };
  }
  const others =
    (snapshotsComplete ? contents.length : 0) +
    (uploadsComplete ? uploads.length : 0);
  if (others === 0) {
    return { kind: 'none' };
  }
  return {
    kind: 'missing',
    how: `it captured ${others} other volume${
      others === 1 ? '' : 's'
    } but not this claim's`,
  };
}
