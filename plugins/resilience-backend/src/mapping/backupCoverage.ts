import {
  BackupCapture,
  BackupSelection,
  DataUploadFact,
  PodFact,
  PodVolumeBackupFact,
  VolumeSnapshotContentFact,
  VolumeSnapshotFact,
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

/** Names under which Velero's resource filters can name Pods. */
const POD_RESOURCE_NAMES = new Set([
  '*',
  'pods',
  'pod',
  'po',
  'pods.',
  'pods.v1',
]);

/** Velero leaves out any item with this label set to `true`, even one a pod brings in. */
const EXCLUDE_FROM_BACKUP_LABEL = 'velero.io/exclude-from-backup';

function names(resources: string[] | undefined, kind: Set<string>): boolean {
  return (resources ?? []).some(r => kind.has(r.toLowerCase()));
}

function namespaceIncluded(
  selection: BackupSelection,
  namespace: string,
): boolean {
  const included = selection.includedNamespaces ?? [];
  if (
    included.length > 0 &&
    !included.some(pattern => globMatches(pattern, namespace))
  ) {
    return false;
  }
  return !(selection.excludedNamespaces ?? []).some(pattern =>
    globMatches(pattern, namespace),
  );
}

/** Whether the resource filters keep a namespaced kind known by these names. */
function resourceKept(selection: BackupSelection, kind: Set<string>): boolean {
  for (const [includedKey, excludedKey] of [
    ['includedResources', 'excludedResources'],
    ['includedNamespaceScopedResources', 'excludedNamespaceScopedResources'],
  ] as const) {
    const includedResources = selection[includedKey];
    if (includedResources?.length && !names(includedResources, kind)) {
      return false;
    }
    if (names(selection[excludedKey], kind)) {
      return false;
    }
  }
  return true;
}

/** Whether the label selectors of a backup select an object with these labels. */
function labelsSelected(
  selection: BackupSelection,
  labels: Record<string, string>,
): boolean {
  if (
    selection.labelSelector &&
    !labelsMatch(requirementsOfSelectorObject(selection.labelSelector), labels)
  ) {
    return false;
  }
  return !(
    selection.orLabelSelectors?.length &&
    !selection.orLabelSelectors.some(selector =>
      labelsMatch(requirementsOfSelectorObject(selector), labels),
    )
  );
}

/** Whether a backup with this selection backs up the pod object itself. */
function podSelected(selection: BackupSelection, pod: PodFact): boolean {
  return (
    namespaceIncluded(selection, pod.namespace) &&
    resourceKept(selection, POD_RESOURCE_NAMES) &&
    pod.labels[EXCLUDE_FROM_BACKUP_LABEL] !== 'true' &&
    labelsSelected(selection, pod.labels)
  );
}

/** The pod volumes through which a pod mounts a claim of its namespace, by name. */
function volumesOfClaim(
  pod: PodFact,
  claim: { namespace: string; name: string },
): string[] {
  if (pod.namespace !== claim.namespace) {
    return [];
  }
  return Object.entries(pod.claims)
    .filter(([, claimName]) => claimName === claim.name)
    .map(([volume]) => volume)
    .sort();
}

/**
 * How a backup includes a claim: by the claim's own labels, or through a pod it selects that
 * mounts the claim.
 */
export type PvcInclusion =
  | { through: 'claim' }
  | { through: 'pod'; pod: string };

/**
 * Whether a backup with this selection includes the given PVC object, and how, with Velero's
 * semantics: the claim's namespace is included and not excluded, the resource filters keep PVCs,
 * the claim is not labelled `velero.io/exclude-from-backup=true`, and either its own labels match
 * the label selectors, or a pod of its namespace that mounts it is in the backup (namespace,
 * resource filters keeping pods, labels, not excluded): Velero's pod action adds the claims of
 * every pod it backs up, and filters those by namespace, resource and the exclude label only.
 *
 * This says whether the claim object is in the backup, the first condition of coverage; whether
 * the volume's data was captured is decided from per-volume evidence elsewhere. Pods are judged
 * as they are now, not as they were when an older backup ran.
 */
export function pvcInclusion(options: {
  selection: BackupSelection;
  claim: { namespace: string; name: string; labels: Record<string, string> };
  /** Pods of the claim's namespace (others are ignored). */
  pods: PodFact[];
}): PvcInclusion | undefined {
  const { selection, claim } = options;
  if (
    !namespaceIncluded(selection, claim.namespace) ||
    !resourceKept(selection, PVC_RESOURCE_NAMES) ||
    claim.labels[EXCLUDE_FROM_BACKUP_LABEL] === 'true'
  ) {
    return undefined;
  }
  if (labelsSelected(selection, claim.labels)) {
    return { through: 'claim' };
  }
  const pod = options.pods.find(
    p => volumesOfClaim(p, claim).length > 0 && podSelected(selection, p),
  );
  return pod ? { through: 'pod', pod: pod.name } : undefined;
}

/**
 * Whether file-system backup took one claim's volume in a backup, judged from the pods that
 * mount it (as they are now), the way Velero chooses pod volumes: with `defaultVolumesToFsBackup`
 * every volume of a backed-up pod except those its `backup.velero.io/backup-volumes-excludes`
 * annotation names; otherwise only those its `backup.velero.io/backup-volumes` annotation names;
 * in both cases only for pods that are running.
 */
export function fileSystemBackupOfClaim(options: {
  selection: BackupSelection;
  /** The backup's `spec.defaultVolumesToFsBackup`. */
  defaultVolumesToFsBackup?: boolean;
  claim: { namespace: string; name: string };
  /** Pods of the claim's namespace (others are ignored). */
  pods: PodFact[];
}): CaptureVerdict {
  const { selection, claim } = options;
  const byDefault = options.defaultVolumesToFsBackup === true;
  const requestedBy = byDefault
    ? 'file-system backup of pod volumes was requested (defaultVolumesToFsBackup)'
    : 'no file-system backup was requested';
  let why: string | undefined;
  for (const pod of [...options.pods].sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    for (const volume of volumesOfClaim(pod, claim)) {
      const requested = byDefault
        ? !pod.backupVolumesExcludes.includes(volume)
        : pod.backupVolumes.includes(volume);
      if (!requested) {
        if (byDefault) {
          why ??= `${requestedBy}, but pod ${pod.name} excludes the claim's volume ${volume} (backup.velero.io/backup-volumes-excludes)`;
        }
        continue;
      }
      const how = byDefault
        ? `${requestedBy} and pod ${pod.name} mounts the claim as volume ${volume}`
        : `pod ${pod.name} opts the claim's volume ${volume} into file-system backup (backup.velero.io/backup-volumes)`;
      if (!podSelected(selection, pod)) {
        why ??= `${how}, but the backup does not include that pod`;
      } else if (pod.phase !== 'Running') {
        why ??= `${how}, but that pod is ${
          pod.phase ?? 'in no phase'
        }, and Velero backs up only running pods' volumes`;
      } else {
        return { captured: true, how };
      }
    }
  }
  if (why) {
    return { captured: false, how: why };
  }
  const mounted = options.pods.some(p => volumesOfClaim(p, claim).length > 0);
  return {
    captured: false,
    how:
      byDefault && !mounted
        ? `${requestedBy}, but no pod mounts the claim`
        : requestedBy,
  };
}

/** Whether a backup captured volume data, and in words how (or why not). */
export interface CaptureVerdict {
  captured: boolean;
  how: string;
}

/**
 * Whether a backup captured a claim's volume data, judged from the backup and, when the pods were
 * collected, from the pods that mount the claim: completed volume snapshots or item operations
 * (CSI snapshots, data movement), or file-system backup of the claim's pod volume. This is the
 * weaker, backup-level evidence: counts do not say which volumes were captured, and pods are seen
 * as they are now, so it cannot prove that this claim's data is in the backup; per-volume records
 * (VolumeSnapshotContents, PodVolumeBackups, DataUploads) are what verify a claim.
 *
 * A backup that captured nothing saved the claim objects but not their data, and is not a
 * recovery point for them. Without the pods (`fileSystem` absent), file-system backup opted into
 * per pod (the `backup.velero.io/backup-volumes` annotation) cannot be seen, so such a backup is
 * reported as not captured: a false red, never a false green; and file-system backup by default
 * is taken to have captured the claim.
 */
export function backupCapture(
  capture: BackupCapture,
  fileSystem?: CaptureVerdict,
): CaptureVerdict {
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
  const fs: CaptureVerdict = fileSystem ?? {
    captured: capture.defaultVolumesToFsBackup === true,
    how:
      capture.defaultVolumesToFsBackup === true
        ? 'file-system backup of pod volumes was requested (defaultVolumesToFsBackup)'
        : 'no file-system backup was requested',
  };
  if (fs.captured) {
    return fs;
  }
  return {
    captured: false,
    how:
      capture.snapshotVolumes === false
        ? `snapshotVolumes is false and ${fs.how}`
        : `no volume snapshot or data operation completed and ${fs.how}`,
  };
}

/**
 * Whose volume a PodVolumeBackup holds, from one claim's point of view: Velero labels it with
 * the claim's uid when the pod volume is a claim; without that label (older or other writers) the
 * pod it names, if that very pod is still known, says which claim the volume mounts.
 */
export function podVolumeBackupOwner(options: {
  record: PodVolumeBackupFact;
  claim: { uid: string; namespace: string; name: string };
  pods: PodFact[];
}): 'this-claim' | 'other' | 'unknown' {
  const { record, claim } = options;
  if (record.pvcUid) {
    return record.pvcUid === claim.uid ? 'this-claim' : 'other';
  }
  const pod = options.pods.find(
    p =>
      p.namespace === record.podNamespace &&
      p.name === record.podName &&
      (!record.podUid || p.uid === record.podUid),
  );
  if (!pod || !record.volume) {
    return 'unknown';
  }
  return volumesOfClaim(pod, claim).includes(record.volume)
    ? 'this-claim'
    : 'other';
}

/**
 * What the per-volume evidence says about one backup and one claim:
 * - `captured`: a record of the claim's volume shows its data in the backup: a ready
 *   VolumeSnapshotContent of the volume, a completed DataUpload or PodVolumeBackup of the claim, or
 *   a ready VolumeSnapshot of the claim;
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
 * Weighs a backup's per-volume records for one claim. A record of the claim's data counts for it
 * whenever it is there. Records count against a claim only when their kind is complete (its
 * sources were all listed in the latest collection): a record of this claim that did not
 * complete, of any kind; records of other volumes only when the claim's volume is a CSI volume
 * (anything else may have been captured by a volume snapshotter plugin, which leaves no record
 * here). VolumeSnapshots never count against a claim: Velero deletes them after a backup.
 */
export function volumeEvidence(options: {
  claim: {
    uid: string;
    namespace: string;
    name: string;
    volumeHandle?: string;
  };
  contents: VolumeSnapshotContentFact[];
  uploads: DataUploadFact[];
  podVolumeBackups: PodVolumeBackupFact[];
  snapshots: VolumeSnapshotFact[];
  /** Pods of the claim's namespace, to tell whose volume a PodVolumeBackup without a claim uid holds. */
  pods: PodFact[];
  snapshotsComplete: boolean;
  uploadsComplete: boolean;
  podVolumeBackupsComplete: boolean;
}): VolumeEvidence {
  const {
    claim,
    contents,
    uploads,
    snapshotsComplete,
    uploadsComplete,
    podVolumeBackupsComplete,
  } = options;
  const handle = claim.volumeHandle;
  const myContents = handle
    ? contents.filter(c => c.volumeHandle === handle)
    : [];
  const myUploads = uploads.filter(
    u => u.sourceNamespace === claim.namespace && u.sourcePvc === claim.name,
  );
  const owners = options.podVolumeBackups.map(record => ({
    record,
    owner: podVolumeBackupOwner({ record, claim, pods: options.pods }),
  }));
  const myPvbs = owners
    .filter(o => o.owner === 'this-claim')
    .map(o => o.record);
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
  const copied = myPvbs.find(p => p.phase === 'Completed');
  if (copied) {
    return {
      kind: 'captured',
      what: `a file-system backup of this claim's volume (PodVolumeBackup ${
        copied.name
      } of pod ${copied.podName ?? 'unknown'}, volume ${
        copied.volume ?? 'unknown'
      })`,
    };
  }
  const snapshot = options.snapshots.find(
    s =>
      s.namespace === claim.namespace &&
      s.sourcePvc === claim.name &&
      s.readyToUse === true,
  );
  if (snapshot) {
    return {
      kind: 'captured',
      what: `a ready CSI snapshot of this claim (VolumeSnapshot ${snapshot.name})`,
    };
  }
  if (podVolumeBackupsComplete && myPvbs.length > 0) {
    const { name, phase } = myPvbs[0];
    return {
      kind: 'missing',
      how:
        phase === 'Failed' || phase === 'Canceled'
          ? `the file-system backup of this claim's volume (${name}) ended ${phase}`
          : `the file-system backup of this claim's volume (${name}) never completed (phase ${
              phase ?? 'unset'
            })`,
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
    (uploadsComplete ? uploads.length : 0) +
    (podVolumeBackupsComplete
      ? owners.filter(o => o.owner === 'other').length
      : 0);
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
