import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
} from '@kubernetes/client-node';

/** What the cluster holds, read with the real client: the ground truth the page is compared to. */
export interface ClusterSnapshot {
  pvcs: V1PersistentVolumeClaim[];
  volumes: V1PersistentVolume[];
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
      labelSelector?: unknown;
      defaultVolumesToFsBackup?: boolean;
    };
    status?: {
      phase?: string;
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
  return {
    pvcs: pvcs.items,
    volumes: volumes.items,
    backups: backups.items,
    contents: contents.items,
    schedules: await velero('schedules'),
    storageLocations: await velero('backupstoragelocations'),
  };
}

/**
 * The rows the Resilience tab must show for an entity with these annotations, computed directly
 * from the cluster: its PVCs by label, and for each the newest Completed backup whose namespace
 * filter includes it and that captured volume data. The demo's backups select by namespace only; a backup with a label
 * selector is left out here rather than interpreted a second time.
 */
export function expectedTab(
  annotations: Record<string, string>,
  cluster: ClusterSnapshot,
): ExpectedTab | null {
  const id = annotations['backstage.io/kubernetes-id'];
  const selector = annotations['backstage.io/kubernetes-label-selector'];
  if (!id && !selector) return null;
  const equalities = selector
    ? selector.split(',').map(part => part.split('=').map(s => s.trim()))
    : [['backstage.io/kubernetes-id', id]];
  const namespace = annotations['backstage.io/kubernetes-namespace'];
  const pvcs = cluster.pvcs.filter(
    p =>
      (!namespace || p.metadata?.namespace === namespace) &&
      equalities.every(([k, v]) => p.metadata?.labels?.[k] === v),
  );
  // A good backup completed and captured volume data: some snapshot or data operation
  // completed, or file-system backup of pod volumes was the default.
  const captured = (b: ClusterSnapshot['backups'][number]) =>
    (b.status?.volumeSnapshotsCompleted ?? 0) +
      (b.status?.csiVolumeSnapshotsCompleted ?? 0) +
      (b.status?.backupItemOperationsCompleted ?? 0) >
      0 || b.spec?.defaultVolumesToFsBackup === true;
  const completed = cluster.backups
    .filter(
      b =>
        b.status?.phase === 'Completed' &&
        b.status.completionTimestamp &&
        !b.spec?.labelSelector,
    )
    .sort((a, b) =>
      b.status!.completionTimestamp!.localeCompare(
        a.status!.completionTimestamp!,
      ),
    );
  return {
    rows: pvcs.map(p => {
      const ns = p.metadata!.namespace!;
      const handle = cluster.volumes.find(
        v => v.metadata?.name === p.spec?.volumeName,
      )?.spec?.csi?.volumeHandle;
      // Newest first: a backup whose snapshot records include this volume is good; one with
      // records of other volumes only did not capture it; one without records is judged by its
      // own counts.
      const backup = completed.find(b => {
        const included = b.spec?.includedNamespaces ?? [];
        const excluded = b.spec?.excludedNamespaces ?? [];
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
        const records = cluster.contents.filter(
          c => c.metadata.labels?.['velero.io/backup-name'] === b.metadata.name,
        );
        if (
          records.some(
            c => c.spec.source.volumeHandle === handle && c.status?.readyToUse,
          )
        )
          return true;
        return records.length === 0 && captured(b);
      });
      return { pvc: p.metadata!.name!, lastBackup: backup?.metadata.name };
    }),
  };
}
