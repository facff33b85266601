import { CollectionSource } from '@resilience-for-backstage/plugin-resilience-common';
import {
  BackupInclusionInputs,
  ResilienceStore,
  StoredCollectionStatus,
} from '../database/ResilienceStore';
import { backupInclusion } from '../mapping/backupInclusion';

/** The sources whose listing the stored backup inclusion of a cluster is computed from. */
export const BACKUP_INCLUSION_SOURCES: Record<
  keyof BackupInclusionInputs,
  CollectionSource
> = {
  backupsAt: 'velero-backups',
  schedulesAt: 'velero-schedules',
  claimsAt: 'persistent-volume-claims',
  podsAt: 'pods',
};

function currentInputs(
  status: StoredCollectionStatus[],
): BackupInclusionInputs {
  const at = (source: CollectionSource) =>
    status.find(s => s.source === source)?.lastSuccessAt;
  return {
    backupsAt: at(BACKUP_INCLUSION_SOURCES.backupsAt),
    schedulesAt: at(BACKUP_INCLUSION_SOURCES.schedulesAt),
    claimsAt: at(BACKUP_INCLUSION_SOURCES.claimsAt),
    podsAt: at(BACKUP_INCLUSION_SOURCES.podsAt),
  };
}

function isBehind(
  stored: BackupInclusionInputs | undefined,
  current: BackupInclusionInputs,
): boolean {
  if (!stored) {
    return true;
  }
  return (
    Object.keys(BACKUP_INCLUSION_SOURCES) as Array<keyof BackupInclusionInputs>
  ).some(
    input => (current[input]?.getTime() ?? 0) > (stored[input]?.getTime() ?? 0),
  );
}

/**
 * Computes again which claims each backup selection of a cluster includes, from the stored
 * backups, schedules, claims and pods, and stores it with the collection times of those inputs. Returns
 * the claims (`namespace/name`) whose inclusion changed.
 */
export async function refreshBackupInclusion(options: {
  store: ResilienceStore;
  cluster: string;
  now: Date;
}): Promise<string[]> {
  const { store, cluster } = options;
  // The inputs' times are read first: a listing stored while this runs leaves it behind.
  const inputs = currentInputs(
    await store.listCollectionStatus({ clusters: [cluster] }),
  );
  const selections = await store.listBackupSelections({ cluster });
  const claims = await store.listPvcs({ clusters: [cluster] });
  const pods = await store.listPods({
    cluster,
    namespaces: claims.map(c => c.namespace),
  });
  return store.replaceBackupInclusion({
    cluster,
    rows: backupInclusion({ selections, claims, pods }),
    inputs,
    refreshedAt: options.now,
  });
}

/**
 * Makes sure the stored backup inclusion of a cluster is not behind its latest listings of
 * backups, schedules, claims and pods. Each collection refreshes it once it has listed them; a read
 * between a listing and the end of that collection (or of facts stored before this version)
 * refreshes it here. Returns the claims (`namespace/name`) whose inclusion changed.
 */
export async function ensureBackupInclusion(options: {
  store: ResilienceStore;
  cluster: string;
  status: StoredCollectionStatus[];
  now: Date;
}): Promise<string[]> {
  const { store, cluster } = options;
  const current = currentInputs(
    options.status.filter(s => s.cluster === cluster),
  );
  if (isBehind(await store.getBackupInclusionInputs({ cluster }), current)) {
    return refreshBackupInclusion({ store, cluster, now: options.now });
  }
  return [];
}
