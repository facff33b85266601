import type { DemoSastScenario } from '../generator';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
} from '@kubernetes/client-node';

/** What the cluster holds, read with the real client: the ground truth the page is compared to. */
export interface ClusterSnapshot {
  pvcs: V1PersistentVolumeClaim[];
  volumes: V1PersistentVolume[];
  pods: V1Pod[];
  podVolumeBackups: Array<{
    metadata: { name: string; labels?: Record<string, string> };
    status?: { phase?: string };
  }>;
  contents: Array<{
    metadata: { name: string; labels?: Record<string, string> };
    spec: { source: { volumeHandle?: string } };
    status?: { readyToUse?: boolean };
  }>;
  backups: Array<{
    metadata: { name: string };
    spec?: {
      includedNamespaces?: string[];
      excludedNamespaces?: string[];
      includedResources?: string[];
      excludedResources?: string[];
      labelSelector?: {
        matchLabels?: Record<string, string>;
        matchExpressions?: unknown[];
      };
      orLabelSelectors?: unknown[];
      defaultVolumesToFsBackup?: boolean;
    };
    status?: {
      phase?: string;
      startTimestamp?: string;
      completionTimestamp?: string;
      volumeSnapshotsCompleted?: number;
      csiVolumeSnapshotsCompleted?: number;
      backupItemOperationsCompleted?: number;
    };
  }>;
  schedules: VeleroObject[];
  storageLocations: VeleroObject[];
}

/** A Velero Schedule or BackupStorageLocation as the e2e test reads it from the cluster. */
export interface VeleroObject {
  metadata: { name: string };
  spec?: {
    paused?: boolean;
    schedule?: string;
    template?: { includedNamespaces?: string[] };
  };
  status?: { phase?: string };
}

export interface ExpectedTab {
  rows: Array<{ pvc: string; lastBackup?: string }>;
}

export async function readCluster(
  kubeconfigPath: string,
): Promise<ClusterSnapshot> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const pvcs = await core.listPersistentVolumeClaimForAllNamespaces();
  const volumes = await core.listPersistentVolume();
  const backups = await custom.listNamespacedCustomObject({
    group: 'velero.io',
    version: 'v1',
    namespace: 'velero',
    plural: 'backups',
  });
  const contents = await custom.listClusterCustomObject({
    group: 'snapshot.storage.k8s.io',
    version: 'v1',
    plural: 'volumesnapshotcontents',
  });
  const velero = async (plural: string) =>
    (
      await custom.listNamespacedCustomObject({
        group: 'velero.io',
        version: 'v1',
        namespace: 'velero',
        plural,
      })
    ).items as VeleroObject[];
  const pods = await core.listPodForAllNamespaces();
  const podVolumeBackups = await custom.listNamespacedCustomObject({
    group: 'velero.io',
    version: 'v1',
    namespace: 'velero',
    plural: 'podvolumebackups',
  });
  return {
    pvcs: pvcs.items,
    volumes: volumes.items,
    pods: pods.items,
    backups: backups.items,
    contents: contents.items,
    schedules: await velero('schedules'),
    storageLocations: await velero('backupstoragelocations'),
    podVolumeBackups: podVolumeBackups.items,
  };
}

/** True when every `matchLabels` entry is among the labels. */
function matches(
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The pods of the claim's namespace that mount it, with the volume names they use. */
function mountsOf(p: V1PersistentVolumeClaim, cluster: ClusterSnapshot) {
  return cluster.pods.flatMap(pod =>
    pod.metadata?.namespace === p.metadata?.namespace
      ? (pod.spec?.volumes ?? [])
          .filter(v => v.persistentVolumeClaim?.claimName === p.metadata?.name)
          .map(v => ({ pod, volume: v.name }))
      : [],
  );
}

/**
 * Whether a backup includes a claim: its namespace filter does and, if it selects by label, the
 * claim's labels or those of a pod that mounts it match (Velero backs up the claims of the pods
 * it selects).
 */
export function includesClaim(
  b: ClusterSnapshot['backups'][number],
  p: V1PersistentVolumeClaim,
  cluster: ClusterSnapshot,
): boolean {
  const spec = b.spec ?? {};
  const ns = p.metadata!.namespace!;
  const included = spec.includedNamespaces ?? [];
  const excluded = spec.excludedNamespaces ?? [];
  if (
    !(
      (included.length === 0 ||
        included.includes('*') ||
        included.includes(ns)) &&
      !excluded.includes(ns)
    )
  ) {
    return false;
  }
  const wanted = spec.labelSelector?.matchLabels;
  return (
    !wanted ||
    matches(wanted, p.metadata?.labels) ||
    mountsOf(p, cluster).some(m => matches(wanted, m.pod.metadata?.labels))
  );
}

/** The claims an entity's annotations select. */
export function claimsOf(
  annotations: Record<string, string>,
  cluster: ClusterSnapshot,
): V1PersistentVolumeClaim[] {
  const id = annotations['backstage.io/kubernetes-id'];
  const selector = annotations['backstage.io/kubernetes-label-selector'];
  if (!id && !selector) return [];
  const equalities = selector
    ? selector.split(',').map(part => part.split('=').map(s => s.trim()))
    : [['backstage.io/kubernetes-id', id]];
  const namespace = annotations['backstage.io/kubernetes-namespace'];
  return cluster.pvcs.filter(
    p =>
      (!namespace || p.metadata?.namespace === namespace) &&
      equalities.every(([k, v]) => p.metadata?.labels?.[k] === v),
  );
}

/**
 * The rows the Resilience tab must show for an entity with these annotations, computed directly
 * from the cluster: its PVCs by label, and for each the newest Completed backup that includes it
 * and captured its data.
 *
 * A backup includes a claim when its namespace filter does and, if it selects by label, the
 * claim's labels or those of a pod that mounts it match (Velero backs up the claims of the pods
 * it selects). It captured the claim's data when a record of it is there (a ready snapshot
 * content of its volume, a completed pod volume backup labelled with its uid); records of the
 * claim that failed, or records of other volumes only, mean it did not; without records, its
 * counts (snapshots, data operations) or file-system backup of the pods that mount the claim
 * (by default unless the pod excludes the volume, or opted in by the pod) decide. The demo uses
 * namespace filters and `matchLabels` only; anything else is refused here rather than guessed.
 */
export function expectedTab(
  annotations: Record<string, string>,
  cluster: ClusterSnapshot,
): ExpectedTab | null {
  if (
    !annotations['backstage.io/kubernetes-id'] &&
    !annotations['backstage.io/kubernetes-label-selector']
  ) {
    return null;
  }
  const pvcs = claimsOf(annotations, cluster);
  const completed = cluster.backups
    .filter(
      b => b.status?.phase === 'Completed' && b.status.completionTimestamp,
    )
    .sort(byVeleroRecency);
  for (const b of completed) {
    const spec = b.spec ?? {};
    if (
      spec.labelSelector?.matchExpressions?.length ||
      spec.orLabelSelectors?.length ||
      spec.includedResources?.length ||
      spec.excludedResources?.length
    ) {
      throw new Error(
        `backup ${b.metadata.name} uses filters this test does not model; extend expectations.ts`,
      );
    }
  }
  return {
    rows: pvcs.map(p => {
      const claim = p.metadata!.name!;
      const handle = cluster.volumes.find(
        v => v.metadata?.name === p.spec?.volumeName,
      )?.spec?.csi?.volumeHandle;
      const mounts = mountsOf(p, cluster);
      const backup = completed.find(b => {
        const spec = b.spec ?? {};
        if (!includesClaim(b, p, cluster)) {
          return false;
        }
        const wanted = spec.labelSelector?.matchLabels;
        const podInBackup = (pod: V1Pod) =>
          !wanted || matches(wanted, pod.metadata?.labels);
        const ofBackup = (labels?: Record<string, string>) =>
          labels?.['velero.io/backup-name'] === b.metadata.name;
        const contents = cluster.contents.filter(c =>
          ofBackup(c.metadata.labels),
        );
        const copies = cluster.podVolumeBackups.filter(r =>
          ofBackup(r.metadata.labels),
        );
        const mine = copies.filter(
          r => r.metadata.labels?.['velero.io/pvc-uid'] === p.metadata!.uid,
        );
        if (
          contents.some(
            c => c.spec.source.volumeHandle === handle && c.status?.readyToUse,
          ) ||
          mine.some(r => r.status?.phase === 'Completed')
        ) {
          return true;
        }
        // Records of other volumes only count against a CSI volume: anything else may have
        // been captured by a volume snapshotter plugin, which leaves no record.
        if (
          mine.length > 0 ||
          (handle && contents.length + copies.length > 0)
        ) {
          return false;
        }
        const counts =
          (b.status?.volumeSnapshotsCompleted ?? 0) +
          (b.status?.csiVolumeSnapshotsCompleted ?? 0) +
          (b.status?.backupItemOperationsCompleted ?? 0);
        const copiedFromFileSystem = mounts.some(({ pod, volume }) => {
          const notes = pod.metadata?.annotations ?? {};
          const list = (key: string) => (notes[key] ?? '').split(',');
          const requested =
            spec.defaultVolumesToFsBackup === true
              ? !list('backup.velero.io/backup-volumes-excludes').includes(
                  volume,
                )
              : list('backup.velero.io/backup-volumes').includes(volume);
          return (
            requested && podInBackup(pod) && pod.status?.phase === 'Running'
          );
        });
        return counts > 0 || copiedFromFileSystem;
      });
      return { pvc: claim, lastBackup: backup?.metadata.name };
    }),
  };
}

/** The code-security checks as the Resilience tab titles them, in their order. */
export const CODE_SECURITY_CHECKS = [
  'No open critical finding',
  'High findings fixed within the SLA',
  'Default branch scanned recently',
  'Required scanners have run',
] as const;

/**
 * The state each code-security check should show once the demo's SAST history is uploaded (see
 * {@link DemoSastScenario}); the demo's tiers require no scanner.
 */
export function expectedCodeSecurity(
  scenario: DemoSastScenario,
): Record<(typeof CODE_SECURITY_CHECKS)[number], string> {
  if (scenario === 'never-scanned') {
    return {
      'No open critical finding': 'Unknown',
      'High findings fixed within the SLA': 'Unknown',
      'Default branch scanned recently': 'Unknown',
      'Required scanners have run': 'Unknown',
    };
  }
  return {
    'No open critical finding':
      scenario === 'critical-under-review' ? 'Fail' : 'Pass',
    'High findings fixed within the SLA':
      scenario === 'high-overdue' ? 'Fail' : 'Pass',
    'Default branch scanned recently': scenario === 'stale' ? 'Fail' : 'Pass',
    'Required scanners have run': 'Not applicable',
  };
}

/**
 * Newest first as Velero's restore controller decides "most recent" (`mostRecentCompletedBackup`:
 * `status.startTimestamp`, descending); the creation time only for a backup that has not started,
 * since backup sync resets it; ties by name, the later first. Written here apart from the
 * plugin's own ordering, so that the page is held to Velero's rule, not to the plugin's code.
 */
export function byVeleroRecency(
  a: {
    metadata: { name: string; creationTimestamp?: string };
    status?: { startTimestamp?: string };
  },
  b: {
    metadata: { name: string; creationTimestamp?: string };
    status?: { startTimestamp?: string };
  },
): number {
  const at = (x: typeof a) =>
    Date.parse(
      x.status?.startTimestamp ?? x.metadata.creationTimestamp ?? '',
    ) || 0;
  return at(b) - at(a) || b.metadata.name.localeCompare(a.metadata.name);
}
