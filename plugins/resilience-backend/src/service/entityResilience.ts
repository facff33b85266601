import { FlipTimes } from '../scoring/flips';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  BACKUP_TIMELINE_LIMIT,
  BackupSecurityMark,
  BackupSummary,
  backupOrderTime,
  CollectionSource,
  CoverageState,
  EntityResilienceResponse,
  newestBackupFirst,
  PvcBackupStatus,
  ScheduleSummary,
  StorageLocationSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import { ResilienceStore } from '../database/ResilienceStore';
import {
  BackupFact,
  PodFact,
  PvcFact,
  ScheduleFact,
  StorageLocationFact,
} from '../database/types';
import {
  backupChecks,
  ClaimFacts,
  isFinished,
  recoveryPointAgeSeconds,
} from '../scoring/backupChecks';
import { largestCronInterval, nextCronRun } from '../scoring/cron';
import { parseGoDuration } from '../scoring/durations';
import { PolicyConfig, policyOfEntity } from '../scoring/policy';
import { entityDefaultBranches } from '../sast/defaultBranches';
import { entityRecovery } from './entityRecovery';
import {
  backupCapture,
  fileSystemBackupOfClaim,
  volumeEvidence,
} from '../mapping/backupCoverage';
import { backupMarker } from './backupMarks';
import { collectionStatus } from './collectionStatus';
import { EntityClaims, entityClaims } from './entityClaims';
import { entityCertificates } from './entityCertificates';
import { entityCodeSecurity } from './entityCodeSecurity';

export { collectionStatus };

/** The sources whose per-volume records are weighed against a claim only when all are current. */
const SNAPSHOT_EVIDENCE_SOURCES = [
  'persistent-volumes',
  'volume-snapshot-contents',
];
const UPLOAD_EVIDENCE_SOURCES = ['persistent-volumes', 'data-uploads'];
const FILE_SYSTEM_EVIDENCE_SOURCES = ['pod-volume-backups', 'pods'];

/** Completed backups read per query while looking for the newest one that includes each PVC. */
const BACKUP_PAGE_SIZE = 200;

/** A backup as the API shows it, with its mark against the entity's code security. */
export function summary(
  backup: BackupFact & { deletedAt?: Date },
  mark: (startedAt?: Date) => BackupSecurityMark,
): BackupSummary {
  return {
    cluster: backup.cluster,
    namespace: backup.namespace,
    name: backup.name,
    phase: backup.phase,
    scheduleName: backup.scheduleName,
    startedAt: backup.startedAt?.toISOString(),
    completedAt: backup.completedAt?.toISOString(),
    createdAt: backup.createdAt?.toISOString(),
    expiresAt: backup.expiresAt?.toISOString(),
    storageLocation: backup.storageLocation,
    ttlSeconds:
      backup.ttlMs === undefined ? undefined : Math.round(backup.ttlMs / 1000),
    errors: backup.errors,
    warnings: backup.warnings,
    deletedAt: backup.deletedAt?.toISOString(),
    security: mark(backup.startedAt),
  };
}

function scheduleSummary(
  schedule: ScheduleFact,
  pvcs: PvcFact[],
  now: Date,
): ScheduleSummary {
  let largestIntervalSeconds: number | undefined;
  let scheduleError: string | undefined;
  let nextRunAt: string | undefined;
  try {
    largestIntervalSeconds = Math.round(
      largestCronInterval(schedule.schedule) / 1000,
    );
    if (!schedule.paused && schedule.phase === 'Enabled') {
      // `@every` counts from the last backup, as Velero does; cron from now.
      const from = schedule.schedule.includes('@every')
        ? schedule.lastBackupAt ?? now
        : now;
      nextRunAt = nextCronRun(schedule.schedule, from).toISOString();
    }
  } catch (error) {
    scheduleError = (error as Error).message;
  }
  const ttl = schedule.ttl ? parseGoDuration(schedule.ttl) : undefined;
  return {
    cluster: schedule.cluster,
    namespace: schedule.namespace,
    name: schedule.name,
    schedule: schedule.schedule,
    paused: schedule.paused,
    phase: schedule.phase,
    largestIntervalSeconds,
    scheduleError,
    nextRunAt,
    lastBackupAt: schedule.lastBackupAt?.toISOString(),
    ttlSeconds: ttl ? Math.round(ttl / 1000) : undefined,
    pvcs: pvcs.map(p => `${p.namespace}/${p.name}`),
  };
}

function storageLocationSummary(
  location: StorageLocationFact,
): StorageLocationSummary {
  return {
    cluster: location.cluster,
    namespace: location.namespace,
    name: location.name,
    phase: location.phase,
    isDefault: location.isDefault,
    provider: location.provider,
    bucket: location.bucket,
    accessMode: location.accessMode,
    lastValidatedAt: location.lastValidatedAt?.toISOString(),
    message: location.message,
  };
}

/**
 * The backups of the claims' clusters that include one of the claims: those started (or, not yet
 * started, requested) within the window and the latest finished ones (for the timeline), and the
 * latest finished ones (for recent failures). Each cluster's backups of the claims' selections
 * are read newest first in Velero's order (by start, see `newestBackupFirst`), a page at a time
 * through the selection index, and no further than needed.
 */
async function backupHistory(options: {
  store: ResilienceStore;
  pvcs: PvcFact[];
  inclusionOf: EntityClaims['inclusionOf'];
  since: Date;
  recent: number;
}): Promise<{
  timeline: Array<BackupFact & { deletedAt?: Date }>;
  recent: BackupFact[];
}> {
  const timeline: Array<BackupFact & { deletedAt?: Date }> = [];
  const recent: BackupFact[] = [];
  for (const cluster of [...new Set(options.pvcs.map(p => p.cluster))]) {
    const selectionKeys = options.pvcs
      .filter(p => p.cluster === cluster)
      .flatMap(p => options.inclusionOf(p).map(i => i.selectionKey));
    const recentOfCluster: BackupFact[] = [];
    let shown = 0;
    for (let offset = 0; selectionKeys.length > 0; offset += BACKUP_PAGE_SIZE) {
      const page = await options.store.listBackups({
        cluster,
        selectionKeys,
        completed: false,
        limit: BACKUP_PAGE_SIZE,
        offset,
      });
      let pastWindow = false;
      for (const backup of page) {
        const at = backupOrderTime(backup);
        pastWindow = at === undefined || at < options.since.getTime();
        const isRecent =
          isFinished(backup) && recentOfCluster.length < options.recent;
        if (isRecent) recentOfCluster.push(backup);
        // The latest runs are shown even when older than the window: a gap must be visible.
        if (!pastWindow || isRecent) {
          timeline.push(backup);
          shown++;
        }
      }
      const recentFound = recentOfCluster.length >= options.recent;
      if (
        page.length < BACKUP_PAGE_SIZE ||
        ((pastWindow || shown >= BACKUP_TIMELINE_LIMIT) && recentFound)
      ) {
        break;
      }
    }
    recent.push(...recentOfCluster);
  }
  timeline.sort(newestBackupFirst);
  return { timeline: timeline.slice(0, BACKUP_TIMELINE_LIMIT), recent };
}

interface PvcCoverage {
  backup?: BackupFact;
  coverage: CoverageState;
  reason: string;
}

/**
 * The coverage of every PVC: the newest `Completed` backup of its cluster that includes it (by
 * its labels or through a pod that mounts it) and captured its data, `verified` by a record of
 * the claim's volume (a ready snapshot, a completed data upload or file-system backup) or
 * `covered` by the backup's own counts and the pods' file-system backup settings. Backups are
 * read newest first, a page at a time, and reading stops as soon as every PVC has one. The newest
 * backup that included a claim without capturing its data is remembered, so that the reason can
 * say so.
 */
async function coverageOfPvcs(options: {
  store: ResilienceStore;
  pvcs: PvcFact[];
  inclusionOf: EntityClaims['inclusionOf'];
  /** The pods of the claim's namespace. */
  podsOf: (pvc: PvcFact) => PodFact[];
  /** Whether all these sources of a cluster were listed in its latest collection. */
  sourcesOk: (cluster: string, sources: string[]) => boolean;
}): Promise<Map<PvcFact, PvcCoverage>> {
  const { store } = options;
  const found = new Map<PvcFact, PvcCoverage>();
  const uncaptured = new Map<
    PvcFact,
    { backup: BackupFact; how: string; count: number }
  >();
  const clusters = [...new Set(options.pvcs.map(p => p.cluster))];
  for (const cluster of clusters) {
    let waiting = options.pvcs.filter(p => p.cluster === cluster);
    const snapshotsComplete = options.sourcesOk(
      cluster,
      SNAPSHOT_EVIDENCE_SOURCES,
    );
    const uploadsComplete = options.sourcesOk(cluster, UPLOAD_EVIDENCE_SOURCES);
    const podVolumeBackupsComplete = options.sourcesOk(
      cluster,
      FILE_SYSTEM_EVIDENCE_SOURCES,
    );
    // Pods tell which claims a label-selected backup brings in and what file-system backup took;
    // only a complete listing may say that it took nothing.
    const podsComplete = options.sourcesOk(cluster, ['pods']);
    const { podsOf } = options;
    const volumes = await store.listPvs({
      cluster,
      names: waiting.flatMap(p => (p.volumeName ? [p.volumeName] : [])),
    });
    const handleOf = (pvc: PvcFact) =>
      volumes.find(v => v.name === pvc.volumeName)?.volumeHandle;

    const selectionKeys = waiting.flatMap(p =>
      options.inclusionOf(p).map(i => i.selectionKey),
    );
    for (let offset = 0; waiting.length > 0; offset += BACKUP_PAGE_SIZE) {
      const page = await store.listBackups({
        cluster,
        selectionKeys,
        completed: true,
        limit: BACKUP_PAGE_SIZE,
        offset,
      });
      const backupNames = page.map(b => b.name);
      const contents = await store.listSnapshotContents({
        cluster,
        backupNames,
      });
      const uploads = await store.listDataUploads({ cluster, backupNames });
      const podVolumeBackups = await store.listPodVolumeBackups({
        cluster,
        backupNames,
      });
      const snapshots = await store.listVolumeSnapshots({
        cluster,
        backupNames,
      });
      for (const backup of page) {
        const ofBackup = {
          contents: contents.filter(c => c.backupName === backup.name),
          uploads: uploads.filter(u => u.backupName === backup.name),
          podVolumeBackups: podVolumeBackups.filter(
            p => p.backupName === backup.name,
          ),
          snapshots: snapshots.filter(v => v.backupName === backup.name),
        };
        waiting = waiting.filter(pvc => {
          const inclusion = options
            .inclusionOf(pvc)
            .find(i => i.selectionKey === backup.selectionKey);
          if (!inclusion) {
            return true;
          }
          const evidence = volumeEvidence({
            claim: {
              uid: pvc.uid,
              namespace: pvc.namespace,
              name: pvc.name,
              volumeHandle: handleOf(pvc),
            },
            ...ofBackup,
            pods: podsOf(pvc),
            snapshotsComplete,
            uploadsComplete,
            podVolumeBackupsComplete,
          });
          if (evidence.kind === 'captured') {
            found.set(pvc, {
              backup,
              coverage: 'verified',
              reason: `Backup ${backup.name} holds ${evidence.what}.`,
            });
            return false;
          }
          const capture = backupCapture(
            backup.capture,
            podsComplete
              ? fileSystemBackupOfClaim({
                  selection: backup.selection,
                  defaultVolumesToFsBackup:
                    backup.capture.defaultVolumesToFsBackup,
                  claim: pvc,
                  pods: podsOf(pvc),
                })
              : undefined,
          );
          const how = evidence.kind === 'missing' ? evidence.how : capture.how;
          if (evidence.kind === 'missing' || !capture.captured) {
            const seen = uncaptured.get(pvc);
            if (seen) seen.count++;
            else uncaptured.set(pvc, { backup, how, count: 1 });
            return true;
          }
          found.set(pvc, {
            backup,
            coverage: 'covered',
            reason: `Backup ${backup.name} includes the claim${
              inclusion.throughPod !== undefined
                ? ` through pod ${inclusion.throughPod}, which mounts it,`
                : ''
            } and ${
              capture.how
            }; no per-volume record ties that data to this claim.`,
          });
          return false;
        });
      }
      if (page.length < BACKUP_PAGE_SIZE) {
        break;
      }
    }
  }
  for (const pvc of options.pvcs) {
    const newer = uncaptured.get(pvc);
    const covered = found.get(pvc);
    if (covered && newer) {
      covered.reason +=
        newer.count === 1
          ? ` The newer backup ${newer.backup.name} included the claim but captured no data of it: ${newer.how}.`
          : ` ${newer.count} newer backups included the claim but captured no data of it; the newest, ${newer.backup.name}: ${newer.how}.`;
    }
    if (!covered) {
      found.set(pvc, {
        coverage: 'not-covered',
        reason: newer
          ? `The newest completed backup that includes the claim, ${newer.backup.name}, captured no data of it (${newer.how}), and no older one did.`
          : 'No completed backup includes this claim: check the namespace, resource and label filters of the schedules.',
      });
    }
  }
  return found;
}

/**
 * What the Resilience tab shows for one entity, computed from stored facts only: no cluster is
 * called while a person waits.
 */
export async function entityResilience(options: {
  entity: Entity;
  store: ResilienceStore;
  clusters: string[];
  policies: PolicyConfig;
  /** The branches whose SAST reports count (`resilience.sast.defaultBranches`). */
  sastDefaultBranches: string[];
  now: Date;
  /** Told when a verdict would change as the clock moves on. */
  flips?: FlipTimes;
}): Promise<EntityResilienceResponse> {
  const { entity, store, clusters, now, flips } = options;
  const policy = policyOfEntity(entity, options.policies);
  const defaultBranches = entityDefaultBranches(
    entity,
    options.sastDefaultBranches,
  );
  const { mapping, pvcs, podsOf, includes, inclusionOf } = await entityClaims({
    entity,
    store,
    clusters,
    now,
  });
  const collection = await collectionStatus({ store, clusters });
  const claimClusters = [...new Set(pvcs.map(p => p.cluster))];
  const mark = await backupMarker({
    store,
    entityRef: stringifyEntityRef(entity),
    defaultBranches,
  });
  const coverage = await coverageOfPvcs({
    store,
    pvcs,
    inclusionOf,
    podsOf,
    sourcesOk: (cluster, sources) =>
      sources.every(
        source =>
          collection.find(s => s.cluster === cluster && s.source === source)
            ?.state === 'ok',
      ),
  });
  const rows: PvcBackupStatus[] = pvcs.map(pvc => {
    const { backup, coverage: state, reason } = coverage.get(pvc)!;
    return {
      cluster: pvc.cluster,
      namespace: pvc.namespace,
      name: pvc.name,
      phase: pvc.phase,
      storageClassName: pvc.storageClassName,
      capacity: pvc.capacity,
      coverage: state,
      coverageReason: reason,
      lastGoodBackup: backup ? summary(backup, mark) : null,
      lastGoodBackupAgeSeconds: backup
        ? recoveryPointAgeSeconds(backup, now)
        : null,
    };
  });
  // The schedules whose template includes a claim: their selections are in the claims' inclusion.
  const schedules = await store.listSchedules({
    clusters: claimClusters,
    selectionKeys: pvcs.flatMap(p => inclusionOf(p).map(i => i.selectionKey)),
  });
  const locations = await store.listStorageLocations({
    clusters: claimClusters,
  });
  const history = await backupHistory({
    store,
    pvcs,
    inclusionOf,
    since: new Date(now.getTime() - policy.policy.retentionSeconds * 1000),
    recent: policy.policy.recentBackups,
  });
  const collected = (cluster: string, source: CollectionSource) =>
    collection.some(
      s =>
        s.cluster === cluster &&
        s.source === source &&
        s.lastSuccessAt !== undefined,
    );
  const schedulesOf = (pvc: PvcFact) =>
    schedules
      .filter(s => s.cluster === pvc.cluster && includes(s.selection, pvc))
      .map(s => ({
        ...s,
        // Without pods, file-system backup of this claim cannot be told from the template.
        fileSystemBackup: collected(pvc.cluster, 'pods')
          ? fileSystemBackupOfClaim({
              selection: s.selection,
              defaultVolumesToFsBackup: s.defaultVolumesToFsBackup,
              claim: pvc,
              pods: podsOf(pvc),
            }).captured
          : undefined,
      }));
  const claims: ClaimFacts[] = pvcs.map(pvc => {
    const { backup, coverage: state, reason } = coverage.get(pvc)!;
    return {
      pvc,
      coverage: state,
      reason,
      lastGood: backup,
      schedules: schedulesOf(pvc),
    };
  });
  // An entity mapped to Kubernetes may have claims in a cluster whose claims were never listed.
  const claimsUnlistedIn = mapping
    ? clusters.filter(c => !collected(c, 'persistent-volume-claims'))
    : [];
  const checks = backupChecks({
    now,
    flips,
    policy,
    claims,
    storageLocations: locations,
    recentBackups: history.recent,
    collected,
    claimsUnlistedIn,
  });
  return {
    entityRef: stringifyEntityRef(entity),
    kubernetes: mapping,
    generatedAt: now.toISOString(),
    pvcs: rows,
    collection,
    policy: policy.policy,
    checks,
    schedules: schedules.flatMap(schedule => {
      const included = pvcs.filter(
        pvc =>
          pvc.cluster === schedule.cluster && includes(schedule.selection, pvc),
      );
      return included.length ? [scheduleSummary(schedule, included, now)] : [];
    }),
    storageLocations: locations.map(storageLocationSummary),
    backups: history.timeline.map(b => summary(b, mark)),
    ...(await entityCertificates({
      entity,
      store,
      clusters,
      policies: options.policies,
      collection,
      now,
      flips,
    })),
    recoveryChecks: await entityRecovery({
      entity,
      store,
      policies: options.policies,
      claims: pvcs.length,
      claimsUnlistedIn,
      now,
      flips,
    }),
    codeSecurityChecks: await entityCodeSecurity({
      entity,
      store,
      policies: options.policies,
      defaultBranches,
      now,
      flips,
    }),
  };
}
