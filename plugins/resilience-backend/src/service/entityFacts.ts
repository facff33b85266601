import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { SourceCollectionStatus } from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceStore,
  StoredBackup,
  StoredRestoreTest,
} from '../database/ResilienceStore';
import {
  DataUploadFact,
  PodVolumeBackupFact,
  PvFact,
  ScheduleFact,
  StorageLocationFact,
  VolumeSnapshotContentFact,
  VolumeSnapshotFact,
} from '../database/types';
import { PolicyConfig, policyOfEntity } from '../scoring/policy';
import { entityDefaultBranches } from '../sast/defaultBranches';
import { loadMarkFacts, MarkFacts } from './backupMarks';
import { collectionStatus } from './collectionStatus';
import { EntityClaims, entityClaims } from './entityClaims';
import { CertificateFacts, loadCertificateFacts } from './entityCertificates';
import { CodeSecurityFacts, loadCodeSecurity } from './entityCodeSecurity';
import { CoverageScan, HistoryScan } from './entityEvaluation';
import { loadRestoreTests } from './entityRecovery';

/** Backups read per query, newest first, for the claims' coverage and the timeline. */
export const BACKUP_PAGE_SIZE = 200;

/** The records that tie backups to the volumes they took. */
export interface BackupEvidence {
  contents: VolumeSnapshotContentFact[];
  uploads: DataUploadFact[];
  podVolumeBackups: PodVolumeBackupFact[];
  snapshots: VolumeSnapshotFact[];
}

/** What the coverage of one cluster's claims reads. */
export interface ClusterCoverageFacts {
  cluster: string;
  /** The volumes bound to the claims. */
  volumes: PvFact[];
  /**
   * The completed backups of the claims' selections, newest first in Velero's order, read until
   * every claim has one that captured it (or none is left).
   */
  completed: StoredBackup[];
  /** The evidence of those backups. */
  evidence: BackupEvidence;
}

/** The backups of one cluster's claims' selections, newest first, read as far as shown. */
export interface ClusterHistoryFacts {
  cluster: string;
  backups: StoredBackup[];
}

/**
 * Every stored fact one entity's evaluation reads, read before it is evaluated: the evaluation
 * (`evaluateEntity`) reads nothing else.
 */
export interface EntityFacts {
  entity: Entity;
  entityRef: string;
  /** The configured clusters. */
  clusters: string[];
  claims: EntityClaims;
  collection: SourceCollectionStatus[];
  marks: MarkFacts;
  coverage: ClusterCoverageFacts[];
  /** The schedules whose template includes one of the claims (by their selections). */
  schedules: ScheduleFact[];
  /** The backup storage locations of the claims' clusters. */
  storageLocations: StorageLocationFact[];
  history: ClusterHistoryFacts[];
  certificates: CertificateFacts;
  restoreTests: StoredRestoreTest[];
  codeSecurity: CodeSecurityFacts;
}

const emptyEvidence = (): BackupEvidence => ({
  contents: [],
  uploads: [],
  podVolumeBackups: [],
  snapshots: [],
});

/**
 * Reads the completed backups of a cluster's claims' selections through the selection index,
 * newest first a page at a time with their evidence, and no further than the newest backup that
 * captured each claim (as `CoverageScan` tells).
 */
async function loadCoverage(options: {
  store: ResilienceStore;
  cluster: string;
  claims: EntityClaims;
  collection: SourceCollectionStatus[];
}): Promise<ClusterCoverageFacts> {
  const { store, cluster, claims } = options;
  const pvcs = claims.pvcs.filter(p => p.cluster === cluster);
  const volumes = await store.listPvs({
    cluster,
    names: pvcs.flatMap(p => (p.volumeName ? [p.volumeName] : [])),
  });
  const scan = new CoverageScan({
    cluster,
    pvcs,
    claims,
    volumes,
    collection: options.collection,
  });
  const selectionKeys = pvcs.flatMap(p =>
    claims.inclusionOf(p).map(i => i.selectionKey),
  );
  const completed: StoredBackup[] = [];
  const evidence = emptyEvidence();
  for (let offset = 0; !scan.done; offset += BACKUP_PAGE_SIZE) {
    const page = await store.listBackups({
      cluster,
      selectionKeys,
      completed: true,
      limit: BACKUP_PAGE_SIZE,
      offset,
    });
    const backupNames = page.map(b => b.name);
    const ofPage: BackupEvidence = {
      contents: await store.listSnapshotContents({ cluster, backupNames }),
      uploads: await store.listDataUploads({ cluster, backupNames }),
      podVolumeBackups: await store.listPodVolumeBackups({
        cluster,
        backupNames,
      }),
      snapshots: await store.listVolumeSnapshots({ cluster, backupNames }),
    };
    completed.push(...page);
    evidence.contents.push(...ofPage.contents);
    evidence.uploads.push(...ofPage.uploads);
    evidence.podVolumeBackups.push(...ofPage.podVolumeBackups);
    evidence.snapshots.push(...ofPage.snapshots);
    scan.add(page, ofPage);
    if (page.length < BACKUP_PAGE_SIZE) break;
  }
  return { cluster, volumes, completed, evidence };
}

/**
 * Reads the backups of a cluster's claims' selections (finished or not) newest first in
 * Velero's order, a page at a time through the selection index, as far as the timeline and the
 * recent runs need (as `HistoryScan` tells).
 */
async function loadHistory(options: {
  store: ResilienceStore;
  cluster: string;
  claims: EntityClaims;
  since: Date;
  recent: number;
}): Promise<ClusterHistoryFacts> {
  const { store, cluster, claims } = options;
  const selectionKeys = claims.pvcs
    .filter(p => p.cluster === cluster)
    .flatMap(p => claims.inclusionOf(p).map(i => i.selectionKey));
  const scan = new HistoryScan(options);
  const backups: StoredBackup[] = [];
  for (let offset = 0; selectionKeys.length > 0; offset += BACKUP_PAGE_SIZE) {
    const page = await store.listBackups({
      cluster,
      selectionKeys,
      completed: false,
      limit: BACKUP_PAGE_SIZE,
      offset,
    });
    backups.push(...page);
    scan.add(page);
    if (page.length < BACKUP_PAGE_SIZE || scan.done) break;
  }
  return { cluster, backups };
}

/** What reading an entity's facts takes. */
export interface EntityFactsOptions {
  entity: Entity;
  store: ResilienceStore;
  clusters: string[];
  policies: PolicyConfig;
  /** The branches whose SAST reports count (`resilience.sast.defaultBranches`). */
  sastDefaultBranches: string[];
  now: Date;
}

/**
 * Reads every stored fact one entity's evaluation needs. The entity's policy bounds how far back
 * its backup history is read.
 */
export async function loadEntityFacts(
  options: EntityFactsOptions,
): Promise<EntityFacts> {
  const { entity, store, clusters, now } = options;
  const entityRef = stringifyEntityRef(entity);
  const { policy } = policyOfEntity(entity, options.policies);
  const claims = await entityClaims({ entity, store, clusters, now });
  const collection = await collectionStatus({ store, clusters });
  const claimClusters = [...new Set(claims.pvcs.map(p => p.cluster))];
  const marks = await loadMarkFacts({
    store,
    entityRef,
    defaultBranches: entityDefaultBranches(entity, options.sastDefaultBranches),
  });
  const coverage: ClusterCoverageFacts[] = [];
  const history: ClusterHistoryFacts[] = [];
  for (const cluster of claimClusters) {
    coverage.push(await loadCoverage({ store, cluster, claims, collection }));
  }
  const schedules = await store.listSchedules({
    clusters: claimClusters,
    selectionKeys: claims.pvcs.flatMap(p =>
      claims.inclusionOf(p).map(i => i.selectionKey),
    ),
  });
  const storageLocations = await store.listStorageLocations({
    clusters: claimClusters,
  });
  for (const cluster of claimClusters) {
    history.push(
      await loadHistory({
        store,
        cluster,
        claims,
        since: new Date(now.getTime() - policy.retentionSeconds * 1000),
        recent: policy.recentBackups,
      }),
    );
  }
  return {
    entity,
    entityRef,
    clusters,
    claims,
    collection,
    marks,
    coverage,
    schedules,
    storageLocations,
    history,
    certificates: await loadCertificateFacts({ entity, store, clusters }),
    restoreTests: await loadRestoreTests(store, entity),
    codeSecurity: await loadCodeSecurity(store, entity),
  };
}
