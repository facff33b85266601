import { FlipTimes } from '../scoring/flips';
import {
  BACKUP_TIMELINE_LIMIT,
  BackupSecurityMark,
  BackupSummary,
  backupOrderTime,
  CheckResult,
  CoverageState,
  EntityResilienceResponse,
  newestBackupFirst,
  PillarId,
  PvcBackupStatus,
  ScheduleSummary,
  SourceCollectionStatus,
  StorageLocationSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import { StoredBackup } from '../database/ResilienceStore';
import {
  BackupFact,
  PvcFact,
  PvFact,
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
import {
  backupCapture,
  fileSystemBackupOfClaim,
  volumeEvidence,
} from '../mapping/backupCoverage';
import { markerOf } from './backupMarks';
import type { EntityClaims } from './entityClaims';
import { evaluateCertificates } from './entityCertificates';
import { evaluateCodeSecurity } from './entityCodeSecurity';
import type { BackupEvidence, EntityFacts } from './entityFacts';
import { evaluateRecovery } from './entityRecovery';

/*
 * The evaluation of one entity: pure functions of the facts `loadEntityFacts` read, which read
 * nothing else and call no cluster.
 */

/** The sources whose per-volume records are weighed against a claim only when all are current. */
const SNAPSHOT_EVIDENCE_SOURCES = [
  'persistent-volumes',
  'volume-snapshot-contents',
];
const UPLOAD_EVIDENCE_SOURCES = ['persistent-volumes', 'data-uploads'];
const FILE_SYSTEM_EVIDENCE_SOURCES = ['pod-volume-backups', 'pods'];

/** Whether all these sources of a cluster were listed in its latest collection. */
function sourcesOk(
  collection: SourceCollectionStatus[],
  cluster: string,
  sources: string[],
): boolean {
  return sources.every(
    source =>
      collection.find(s => s.cluster === cluster && s.source === source)
        ?.state === 'ok',
  );
}

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

/** How one claim is covered, and by which backup. */
export interface PvcCoverage {
  backup?: BackupFact;
  coverage: CoverageState;
  reason: string;
}

/** The evidence of each backup, by its name. */
function evidenceByBackup(
  evidence: BackupEvidence,
): Map<string, BackupEvidence> {
  const byName = new Map<string, BackupEvidence>();
  const of = (name?: string) => {
    let found = byName.get(name ?? '');
    if (!found) {
      found = {
        contents: [],
        uploads: [],
        podVolumeBackups: [],
        snapshots: [],
      };
      byName.set(name ?? '', found);
    }
    return found;
  };
  evidence.contents.forEach(c => of(c.backupName).contents.push(c));
  evidence.uploads.forEach(u => of(u.backupName).uploads.push(u));
  evidence.podVolumeBackups.forEach(p =>
    of(p.backupName).podVolumeBackups.push(p),
  );
  evidence.snapshots.forEach(v => of(v.backupName).snapshots.push(v));
  return byName;
}

const NO_EVIDENCE: BackupEvidence = {
  contents: [],
  uploads: [],
  podVolumeBackups: [],
  snapshots: [],
};

/**
 * The coverage of one cluster's claims, fed its completed backups newest first: for each claim,
 * the newest one that includes it (by its labels or through a pod that mounts it) and captured its
 * data, `verified` by a record of the claim's volume (a ready snapshot, a completed data upload
 * or file-system backup) or `covered` by the backup's own counts and the pods' file-system backup
 * settings. The newest backups that included a claim without capturing its data are counted, so
 * that the reason can say so. `done` once every claim has one: the loader reads no further.
 */
export class CoverageScan {
  readonly found = new Map<PvcFact, PvcCoverage>();
  readonly uncaptured = new Map<
    PvcFact,
    { backup: BackupFact; how: string; count: number }
  >();
  #waiting: PvcFact[];
  readonly #claims: EntityClaims;
  readonly #handleOf: (pvc: PvcFact) => string | undefined;
  readonly #complete: {
    snapshots: boolean;
    uploads: boolean;
    podVolumeBackups: boolean;
    pods: boolean;
  };

  constructor(options: {
    cluster: string;
    /** The entity's claims in this cluster. */
    pvcs: PvcFact[];
    claims: EntityClaims;
    volumes: PvFact[];
    collection: SourceCollectionStatus[];
  }) {
    const { cluster, collection } = options;
    this.#waiting = [...options.pvcs];
    this.#claims = options.claims;
    this.#handleOf = pvc =>
      options.volumes.find(v => v.name === pvc.volumeName)?.volumeHandle;
    this.#complete = {
      snapshots: sourcesOk(collection, cluster, SNAPSHOT_EVIDENCE_SOURCES),
      uploads: sourcesOk(collection, cluster, UPLOAD_EVIDENCE_SOURCES),
      podVolumeBackups: sourcesOk(
        collection,
        cluster,
        FILE_SYSTEM_EVIDENCE_SOURCES,
      ),
      // Pods tell which claims a label-selected backup brings in and what file-system backup
      // took; only a complete listing may say that it took nothing.
      pods: sourcesOk(collection, cluster, ['pods']),
    };
  }

  /** Whether every claim has a backup that captured it. */
  get done(): boolean {
    return this.#waiting.length === 0;
  }

  /** The next completed backups, newest first, with their evidence. */
  add(backups: StoredBackup[], evidence: BackupEvidence): void {
    const byBackup = evidenceByBackup(evidence);
    const { podsOf, inclusionOf } = this.#claims;
    for (const backup of backups) {
      if (this.done) return;
      const ofBackup = byBackup.get(backup.name) ?? NO_EVIDENCE;
      this.#waiting = this.#waiting.filter(pvc => {
        const inclusion = inclusionOf(pvc).find(
          i => i.selectionKey === backup.selectionKey,
        );
        if (!inclusion) {
          return true;
        }
        const found = volumeEvidence({
          claim: {
            uid: pvc.uid,
            namespace: pvc.namespace,
            name: pvc.name,
            volumeHandle: this.#handleOf(pvc),
          },
          ...ofBackup,
          pods: podsOf(pvc),
          snapshotsComplete: this.#complete.snapshots,
          uploadsComplete: this.#complete.uploads,
          podVolumeBackupsComplete: this.#complete.podVolumeBackups,
        });
        if (found.kind === 'captured') {
          this.found.set(pvc, {
            backup,
            coverage: 'verified',
            reason: `Backup ${backup.name} holds ${found.what}.`,
          });
          return false;
        }
        const capture = backupCapture(
          backup.capture,
          this.#complete.pods
            ? fileSystemBackupOfClaim({
                selection: backup.selection,
                defaultVolumesToFsBackup:
                  backup.capture.defaultVolumesToFsBackup,
                claim: pvc,
                pods: podsOf(pvc),
              })
            : undefined,
        );
        const how = found.kind === 'missing' ? found.how : capture.how;
        if (found.kind === 'missing' || !capture.captured) {
          const seen = this.uncaptured.get(pvc);
          if (seen) seen.count++;
          else this.uncaptured.set(pvc, { backup, how, count: 1 });
          return true;
        }
        this.found.set(pvc, {
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
  }
}

/** The coverage of every claim of the entity, from the completed backups the loader read. */
export function coverageOfClaims(
  facts: EntityFacts,
): Map<PvcFact, PvcCoverage> {
  const { claims } = facts;
  const found = new Map<PvcFact, PvcCoverage>();
  const uncaptured = new Map<
    PvcFact,
    { backup: BackupFact; how: string; count: number }
  >();
  for (const cluster of facts.coverage) {
    const scan = new CoverageScan({
      cluster: cluster.cluster,
      pvcs: claims.pvcs.filter(p => p.cluster === cluster.cluster),
      claims,
      volumes: cluster.volumes,
      collection: facts.collection,
    });
    scan.add(cluster.completed, cluster.evidence);
    scan.found.forEach((v, k) => found.set(k, v));
    scan.uncaptured.forEach((v, k) => uncaptured.set(k, v));
  }
  for (const pvc of claims.pvcs) {
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
 * The backups of one cluster's claims' selections for the timeline, fed newest first in
 * Velero's order (by start, see `newestBackupFirst`): those started (or, not yet started,
 * requested) within the window and the latest finished ones (for the timeline), and the latest
 * finished ones (for recent failures). `done` once past the window with enough finished ones,
 * or with a full timeline: the loader reads no further.
 */
export class HistoryScan {
  readonly timeline: Array<BackupFact & { deletedAt?: Date }> = [];
  readonly recent: BackupFact[] = [];
  #pastWindow = false;
  readonly #since: number;
  readonly #recent: number;

  constructor(options: { since: Date; recent: number }) {
    this.#since = options.since.getTime();
    this.#recent = options.recent;
  }

  get done(): boolean {
    return (
      (this.#pastWindow || this.timeline.length >= BACKUP_TIMELINE_LIMIT) &&
      this.recent.length >= this.#recent
    );
  }

  add(backups: Array<BackupFact & { deletedAt?: Date }>): void {
    for (const backup of backups) {
      const at = backupOrderTime(backup);
      this.#pastWindow = at === undefined || at < this.#since;
      const isRecent = isFinished(backup) && this.recent.length < this.#recent;
      if (isRecent) this.recent.push(backup);
      // The latest runs are shown even when older than the window: a gap must be visible.
      if (!this.#pastWindow || isRecent) this.timeline.push(backup);
    }
  }
}

/** The checks of each pillar of an entity, as scored. */
export type PillarChecks = Record<PillarId, CheckResult[]>;

/** What an entity's evaluation gives: the view the Resilience tab shows, and its checks. */
export interface EntityEvaluation {
  /** The entity's response without the collection status, which is read when served. */
  view: Omit<EntityResilienceResponse, 'collection'>;
  checks: PillarChecks;
}

/**
 * Evaluates one entity from its facts, as of `now`: the coverage of its claims, its checks in
 * every pillar, and the view the Resilience tab shows. Reads nothing.
 */
export function evaluateEntity(
  facts: EntityFacts,
  options: {
    policies: PolicyConfig;
    sastDefaultBranches: string[];
    now: Date;
    /** Told when a verdict would change as the clock moves on. */
    flips?: FlipTimes;
  },
): EntityEvaluation {
  const { entity, claims, collection, clusters } = facts;
  const { now, flips } = options;
  const { mapping, pvcs, podsOf, includes } = claims;
  const policy = policyOfEntity(entity, options.policies);
  const mark = markerOf(facts.marks);
  const coverage = coverageOfClaims(facts);
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
  const { schedules } = facts;
  const since = new Date(now.getTime() - policy.policy.retentionSeconds * 1000);
  const timeline: Array<BackupFact & { deletedAt?: Date }> = [];
  const recent: BackupFact[] = [];
  for (const cluster of facts.history) {
    const scan = new HistoryScan({
      since,
      recent: policy.policy.recentBackups,
    });
    scan.add(cluster.backups);
    timeline.push(...scan.timeline);
    recent.push(...scan.recent);
  }
  timeline.sort(newestBackupFirst);
  const collected = (cluster: string, source: string) =>
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
  const claimFacts: ClaimFacts[] = pvcs.map(pvc => {
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
    claims: claimFacts,
    storageLocations: facts.storageLocations,
    recentBackups: recent,
    collected,
    claimsUnlistedIn,
  });
  const certificates = evaluateCertificates({
    entity,
    facts: facts.certificates,
    clusters,
    policies: options.policies,
    collection,
    now,
    flips,
  });
  const recoveryChecks = evaluateRecovery({
    entity,
    tests: facts.restoreTests,
    policies: options.policies,
    claims: pvcs.length,
    claimsUnlistedIn,
    now,
    flips,
  });
  const codeSecurityChecks = evaluateCodeSecurity({
    entity,
    facts: facts.codeSecurity,
    policies: options.policies,
    defaultBranches: entityDefaultBranches(entity, options.sastDefaultBranches),
    now,
    flips,
  });
  return {
    view: {
      entityRef: facts.entityRef,
      kubernetes: mapping,
      generatedAt: now.toISOString(),
      pvcs: rows,
      policy: policy.policy,
      checks,
      schedules: schedules.flatMap(schedule => {
        const included = pvcs.filter(
          pvc =>
            pvc.cluster === schedule.cluster &&
            includes(schedule.selection, pvc),
        );
        return included.length
          ? [scheduleSummary(schedule, included, now)]
          : [];
      }),
      storageLocations: facts.storageLocations.map(storageLocationSummary),
      backups: timeline
        .slice(0, BACKUP_TIMELINE_LIMIT)
        .map(b => summary(b, mark)),
      ...certificates,
      recoveryChecks,
      codeSecurityChecks,
    },
    checks: {
      backups: checks,
      recovery: recoveryChecks,
      certificates: certificates.certificateChecks,
      'code-security': codeSecurityChecks,
    },
  };
}
