import {
  CollectionSource,
  CollectionState,
  Grade,
  PillarId,
  RestoreTestState,
} from '@resilience-for-backstage/plugin-resilience-common';
import type { RestoreTestUpdate, StoredRestoreTest } from './restoreTests';
import type * as ownership from './ownership';
import {
  BackupFact,
  BackupSelection,
  CertificateFact,
  CertificateRequestFact,
  DataUploadFact,
  FactsBySource,
  IngressFact,
  IssuerFact,
  NamespaceFact,
  PodFact,
  PodVolumeBackupFact,
  PvcFact,
  PvFact,
  ScheduleFact,
  StorageLocationFact,
  RestoreFact,
  TlsSecretFact,
  VolumeSnapshotContentFact,
  VolumeSnapshotFact,
} from './types';
import {
  FindingSeverity,
  NormalisedFinding,
  NormalisedRun,
} from '../sast/types';

/** The stored outcome of the latest collection of one source in one cluster. */
export interface StoredCollectionStatus {
  cluster: string;
  source: CollectionSource;
  state: Exclude<CollectionState, 'pending'>;
  message?: string;
  lastAttemptAt: Date;
  lastSuccessAt?: Date;
  itemCount?: number;
}

/** A certificate renewal as stored; see the API's `CertificateRenewal`. */
export interface StoredCertificateRenewal {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  entityRef: string;
  requestedBy: string;
  requestedAt: Date;
  state: 'in-progress' | 'succeeded' | 'failed';
  previousRevision?: number;
  revision?: number;
  notAfter?: Date;
  message: string;
  finishedAt?: Date;
}

/** One run of an uploaded SARIF log, with where and when it was scanned. */
export interface SastRunToIngest {
  run: NormalisedRun;
  branch: string;
  commit?: string;
  scannedAt: Date;
}

/** A stored SAST report: one run of an uploaded SARIF log. */
export interface StoredSastReport {
  id: string;
  entityRef: string;
  toolName: string;
  toolVersion?: string;
  category: string;
  branch: string;
  commit?: string;
  repositoryUri?: string;
  scannedAt: Date;
  uploadedAt: Date;
  uploadedBy: string;
  /** False when a newer scan of the same tool, category and branch was already stored. */
  applied: boolean;
  /** Findings by severity, not counting accepted suppressions. */
  counts: Record<FindingSeverity, number>;
  /** Findings suppressed as accepted. */
  suppressed: number;
  /** Findings opened or reopened by this report. */
  opened: number;
  /** Open findings closed by this report: no longer reported, or suppressed as accepted. */
  fixed: number;
}

/** A stored SAST finding and its history. */
export interface StoredSastFinding
  extends Omit<NormalisedFinding, 'ruleName' | 'path'> {
  entityRef: string;
  toolName: string;
  category: string;
  branch: string;
  ruleName?: string;
  path?: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** When a report no longer held it, or suppressed it as accepted; absent while open. */
  fixedAt?: Date;
  firstReportId: string;
  lastReportId: string;
}

/** A period during which a SAST finding was open. */
export interface StoredSastFindingSpan {
  toolName: string;
  category: string;
  branch: string;
  fingerprint: string;
  ruleId: string;
  /** Its severity during the period. */
  severity: FindingSeverity;
  /** Scan time of the report that opened, reopened or re-rated it. */
  openedAt: Date;
  /** Scan time of the report that no longer held it, accepted it or re-rated it; absent while open. */
  closedAt?: Date;
}

/**
 * The input scope of all of a cluster's facts (see `ResilienceStore.getInputVersions`): changes
 * with any of its listings; what an entity mapped by a label selector depends on.
 */
export const clusterScope = (cluster: string) => `cluster:${cluster}`;

/**
 * The input scope of the facts of a cluster that every mapped entity may read: its backup storage
 * locations and cluster issuers (and, changed at once, everything after a purge of history).
 */
export const clusterSharedScope = (cluster: string) =>
  `cluster-shared:${cluster}`;

/**
 * The input scope of the facts about one namespace of a cluster: its claims, pods, certificates
 * and the rest of its objects, the volumes bound to its claims, and the backups, schedules and
 * backup evidence of the backups that include one of its claims.
 */
export const namespaceScope = (cluster: string, namespace: string) =>
  `namespace:${cluster}/${namespace}`;

/**
 * The input scope of which objects of a cluster carry a `backstage.io/kubernetes-id` label value
 * (claims, certificates, TLS Secrets, Ingresses): changes when one is added, changed or removed,
 * and so tells an entity mapped by that id that its namespaces may have changed.
 */
export const kubernetesIdScope = (cluster: string, kubernetesId: string) =>
  `kubernetes-id:${cluster}/${kubernetesId}`;

/**
 * The input scope of the states of a cluster's sources alone (listed or not, failing): what an
 * entity that maps to no Kubernetes object depends on, through its `unknown` verdicts.
 */
export const clusterStatusScope = (cluster: string) =>
  `cluster-status:${cluster}`;

/** The input scope of an entity's own records: SAST uploads, restore tests, renewals. */
export const entityScope = (entityRef: string) => `entity:${entityRef}`;

/** The stored summary of an entity's score, as computed at `computedAt`. */
export interface StoredEntityScore {
  entityRef: string;
  score: number | null;
  grade: Grade | null;
  pillars: Record<PillarId, number | null>;
  computedAt: Date;
}

/**
 * An entity's evaluation as stored: what its view and score were at `computedAt`, from the inputs
 * whose digest is `inputs`, until `validUntil` at the latest.
 */
export interface StoredEntityResult {
  entityRef: string;
  inputs: string;
  /** The entity view as JSON, without the collection status (served live). */
  view: string;
  /** The entity score as JSON. */
  score: string;
  tier: string;
  /** False while a source the entity needs was never collected: shown, not kept in history. */
  storable: boolean;
  computedAt: Date;
  /** The next instant one of its verdicts changes with the clock, if any. */
  nextFlipAt?: Date;
  /** The longest it is served without being evaluated again. */
  expiresAt: Date;
  /**
   * The input scopes found while it was evaluated (the namespaces of an entity mapped by its
   * `backstage.io/kubernetes-id`), whose versions `inputs` covers besides the entity's own.
   */
  dependencies: string[];
}

/** A result as it is saved, with what it was evaluated from. */
export interface EvaluatedEntityResult extends StoredEntityResult {
  /**
   * Every input scope whose version `inputs` covers (the entity's own, those its mapping reads,
   * and `dependencies`): a change of one of them is a change of the entity's inputs.
   */
  scopes: string[];
}

/** One daily point of an entity's score. */
export interface StoredScorePoint {
  entityRef: string;
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  score: number | null;
  grade: Grade | null;
  pillars: Record<PillarId, number | null>;
}

/** A distinct selection of one cluster's backups, deleted ones included, by its key. */
export interface StoredBackupSelection {
  /** The SHA-256 of the stored selection JSON, which every backup with that selection carries. */
  key: string;
  selection: BackupSelection;
}

/** A claim that a backup selection includes. */
export interface BackupInclusion {
  selectionKey: string;
  /** The claim's namespace and name. */
  namespace: string;
  name: string;
  /** The pod that brings the claim into such a backup, when the claim's own labels do not. */
  throughPod?: string;
}

/**
 * When the inputs of one cluster's stored backup inclusion were collected: its backups,
 * schedules, claims and pods (their sources' latest successful listing when it was computed).
 */
export interface BackupInclusionInputs {
  backupsAt?: Date;
  schedulesAt?: Date;
  claimsAt?: Date;
  podsAt?: Date;
}

/** A backup as stored, with the key of its selection. */
export type StoredBackup = BackupFact & {
  selectionKey: string;
  deletedAt?: Date;
};

export type { StoredRestoreTest, RestoreTestUpdate } from './restoreTests';

/** What {@link ResilienceStore.applyFactChanges} did. */
export interface FactChangesApplied {
  /** False when the source must be listed instead (no successful listing yet, or a failure since). */
  applied: boolean;
  /** The facts that differed from those stored (stored or removed). */
  changed: number;
  /**
   * Whether a backup or schedule came with a selection that was not stored: which claims it
   * includes is known once the backup inclusion is refreshed.
   */
  newSelections: boolean;
}

/** Where the plugin keeps what it collected. */
export interface ResilienceStore {
  /**
   * Replaces the facts of one source in one cluster with a complete listing and records the
   * success, in one transaction: objects no longer listed are marked deleted, not removed, except
   * pods and namespaces, which churn and have no history value: their rows are removed.
   */
  replaceFacts<S extends CollectionSource>(options: {
    cluster: string;
    source: S;
    facts: FactsBySource[S][];
    collectedAt: Date;
  }): Promise<void>;

  /**
   * Applies changes of single objects of one source (from a watch) to the facts stored from its
   * last successful listing, in one transaction: each fact of `upserted` stored (added or
   * replaced), each uid of `removed` marked deleted (removed where the source keeps no history).
   * Only the versions of the entities that read a changed fact change. The next listing is stored
   * in full and stays the truth. Nothing is applied when the source has no successful listing
   * to apply them to: it must be listed.
   */
  applyFactChanges<S extends CollectionSource>(options: {
    cluster: string;
    source: S;
    upserted: FactsBySource[S][];
    removed: string[];
    changedAt: Date;
  }): Promise<FactChangesApplied>;

  /**
   * Records a failed collection attempt. The facts collected before are left as they are, so
   * that a transient error or a revoked permission never erases what was known.
   */
  recordFailure(options: {
    cluster: string;
    source: CollectionSource;
    state: Exclude<CollectionState, 'ok' | 'pending'>;
    message: string;
    attemptedAt: Date;
  }): Promise<void>;

  /**
   * Removes the facts of one cluster that disappeared from it before `before`: the end of the
   * configured history retention. Returns how many rows were removed.
   */
  purgeDeletedFacts(options: {
    cluster: string;
    before: Date;
  }): Promise<number>;

  /** PersistentVolumes of one cluster that still exist, by name. */
  listPvs(options: { cluster: string; names: string[] }): Promise<PvFact[]>;

  /** VolumeSnapshotContents of one cluster that still exist, made for the named backups. */
  listSnapshotContents(options: {
    cluster: string;
    backupNames: string[];
  }): Promise<VolumeSnapshotContentFact[]>;

  /** DataUploads of one cluster that still exist, made for the named backups. */
  listDataUploads(options: {
    cluster: string;
    backupNames: string[];
  }): Promise<DataUploadFact[]>;

  /** PodVolumeBackups of one cluster that still exist, made for the named backups. */
  listPodVolumeBackups(options: {
    cluster: string;
    backupNames: string[];
  }): Promise<PodVolumeBackupFact[]>;

  /** VolumeSnapshots of one cluster that still exist, made for the named backups. */
  listVolumeSnapshots(options: {
    cluster: string;
    backupNames: string[];
  }): Promise<VolumeSnapshotFact[]>;

  /** The pods of one cluster in the given namespaces, as of its latest pod listing. */
  listPods(options: {
    cluster: string;
    namespaces: string[];
  }): Promise<PodFact[]>;

  /** The namespaces of one cluster, as of its latest namespace listing, by name. */
  listNamespaces(options: { cluster: string }): Promise<NamespaceFact[]>;

  /** Restores of one cluster that still exist, by name. */
  listRestores(options: { cluster: string }): Promise<RestoreFact[]>;

  /** PVCs that still exist, in the given clusters, optionally by Kubernetes id label and namespace. */
  listPvcs(options: {
    clusters: string[];
    kubernetesId?: string;
    namespace?: string;
  }): Promise<PvcFact[]>;

  /**
   * Backups of one cluster, newest first in Velero's order, one page at a time: with
   * `selectionKeys`, only those with one of these selections; with `completed`, only those that
   * still exist and completed; otherwise of every phase, including those Velero has since
   * deleted (with the time they disappeared).
   */
  listBackups(options: {
    cluster: string;
    selectionKeys?: string[];
    completed?: boolean;
    limit: number;
    offset: number;
  }): Promise<StoredBackup[]>;

  /** The distinct selections of one cluster's backups (deleted ones included) and schedules. */
  listBackupSelections(options: {
    cluster: string;
  }): Promise<StoredBackupSelection[]>;

  /**
   * Replaces the claims that the backup selections of one cluster include, in one transaction,
   * and records the inputs it was computed from. Rows that did not change are left alone.
   * Returns the claims (`namespace/name`) whose inclusion changed.
   */
  replaceBackupInclusion(options: {
    cluster: string;
    rows: BackupInclusion[];
    inputs: BackupInclusionInputs;
    refreshedAt: Date;
  }): Promise<string[]>;

  /** The inputs of one cluster's stored backup inclusion; undefined before it was first computed. */
  getBackupInclusionInputs(options: {
    cluster: string;
  }): Promise<BackupInclusionInputs | undefined>;

  /** The selections of one cluster's backups that include the given claims. */
  listClaimInclusion(options: {
    cluster: string;
    claims: Array<{ namespace: string; name: string }>;
  }): Promise<BackupInclusion[]>;

  /**
   * Schedules that still exist in the given clusters, by cluster and name; with `selectionKeys`,
   * only those whose template has one of these selections.
   */
  listSchedules(options: {
    clusters: string[];
    selectionKeys?: string[];
  }): Promise<ScheduleFact[]>;

  /** BackupStorageLocations that still exist in the given clusters. */
  listStorageLocations(options: {
    clusters: string[];
  }): Promise<StorageLocationFact[]>;

  /**
   * cert-manager Certificates that still exist in the given clusters, in the given namespaces
   * (every namespace when absent), by cluster, namespace and name.
   */
  listCertificates(options: {
    clusters: string[];
    namespaces?: string[];
  }): Promise<CertificateFact[]>;

  /** CertificateRequests that still exist, filtered and ordered as {@link listCertificates}. */
  listCertificateRequests(options: {
    clusters: string[];
    namespaces?: string[];
  }): Promise<CertificateRequestFact[]>;

  /**
   * The Issuers of the given namespaces (every namespace when absent), then every ClusterIssuer
   * of the given clusters, as of their latest listing.
   */
  listIssuers(options: {
    clusters: string[];
    namespaces?: string[];
  }): Promise<IssuerFact[]>;

  /**
   * TLS Secrets that still exist, filtered and ordered as {@link listCertificates}: their parsed
   * `tls.crt`, never their key.
   */
  listTlsSecrets(options: {
    clusters: string[];
    namespaces?: string[];
  }): Promise<TlsSecretFact[]>;

  /**
   * The namespaces of the given clusters that hold a Certificate, TLS Secret or Ingress labelled
   * with this Kubernetes id (`backstage.io/kubernetes-id`), by name.
   */
  listCertificateNamespaces(options: {
    clusters: string[];
    kubernetesId: string;
  }): Promise<string[]>;

  /** Ingresses, as of their latest listing, filtered and ordered as {@link listCertificates}. */
  listIngresses(options: {
    clusters: string[];
    namespaces?: string[];
  }): Promise<IngressFact[]>;

  /** The latest collection outcome of every source of the given clusters that has one. */
  listCollectionStatus(options: {
    clusters: string[];
  }): Promise<StoredCollectionStatus[]>;

  /**
   * Records a new renewal in progress.
   *
   * @throws ConflictError when a renewal of the same Certificate is already in progress, also
   * when another replica recorded it a moment ago.
   */
  createCertificateRenewal(renewal: StoredCertificateRenewal): Promise<void>;

  /** One renewal by id. */
  getCertificateRenewal(
    id: string,
  ): Promise<StoredCertificateRenewal | undefined>;

  /** The renewals in progress, oldest first. */
  listCertificateRenewalsInProgress(): Promise<StoredCertificateRenewal[]>;

  /** The latest renewal of each of the given Certificates that has one. */
  listLatestCertificateRenewals(options: {
    certificates: Array<{ cluster: string; namespace: string; name: string }>;
  }): Promise<StoredCertificateRenewal[]>;

  /**
   * Finishes a renewal that is still in progress. Returns false when it had already finished
   * (another replica got there first), so that the outcome is recorded and audited once.
   */
  finishCertificateRenewal(options: {
    id: string;
    state: 'succeeded' | 'failed';
    message: string;
    finishedAt: Date;
    revision?: number;
    notAfter?: Date;
  }): Promise<boolean>;

  /** Updates what a renewal in progress is waiting for. */
  updateCertificateRenewalMessage(options: {
    id: string;
    message: string;
  }): Promise<void>;

  /**
   * Stores the runs of one uploaded SARIF log, all or nothing, in one transaction. For each run
   * a report is recorded and the open findings of its entity, tool, category and branch are
   * replaced by the run's: findings no longer reported get `fixedAt = scannedAt`, new ones
   * `firstSeenAt = scannedAt`, the others `lastSeenAt = scannedAt`; a finding fixed before and
   * reported again is reopened (its `firstSeenAt` is kept). A finding suppressed as accepted is
   * closed, one under review stays open.
   *
   * A run scanned before the latest stored scan of the same tool, category and branch (an upload
   * out of order) is stored as a report with `applied: false` and changes no finding: the
   * findings' history follows scan time, and the newer scan already says what is open.
   *
   * @throws InputError when two runs share a tool, category and branch: each would replace the
   * other's findings.
   */
  ingestSastReports(options: {
    entityRef: string;
    runs: SastRunToIngest[];
    uploadedBy: string;
    uploadedAt: Date;
  }): Promise<StoredSastReport[]>;

  /**
   * The open findings of an entity (on one branch, or every branch), most severe first, then by
   * tool, category, path and line.
   */
  listOpenSastFindings(options: {
    entityRef: string;
    branch?: string;
    /** Only these severities: what the checks read is critical and high. */
    severities?: FindingSeverity[];
  }): Promise<StoredSastFinding[]>;

  /** The reports of an entity, newest scan first. */
  listSastReports(options: { entityRef: string }): Promise<StoredSastReport[]>;

  /**
   * The periods during which findings of an entity were open, oldest first: on the given
   * branches (every branch when absent), of the given severities (every severity when absent),
   * and only those still open at or after `openAtOrAfter` when given. A finding fixed and reported
   * again has a period for each time it was open; a change of severity starts a new period.
   */
  listSastFindingSpans(options: {
    entityRef: string;
    branches?: string[];
    severities?: FindingSeverity[];
    openAtOrAfter?: Date;
  }): Promise<StoredSastFindingSpan[]>;

  /**
   * The scan time of the earliest report of an entity on the given branches that set its open
   * findings (`applied`); undefined when there is none.
   */
  firstSastScanAt(options: {
    entityRef: string;
    branches: string[];
  }): Promise<Date | undefined>;

  /**
   * Stores the latest score of each entity, replacing the one before, and makes it the point of
   * the day (UTC) of its `computedAt` in the entity's history, replacing that day's earlier point;
   * all in one transaction.
   */
  saveEntityScores(scores: StoredEntityScore[]): Promise<void>;

  /** The latest stored score of each of the entities that has one. */
  listEntityScores(options: {
    entityRefs: string[];
  }): Promise<StoredEntityScore[]>;

  /** The daily points of the entities from the day of `since` (UTC) on, oldest first. */
  listEntityScoreHistory(options: {
    entityRefs: string[];
    since: Date;
  }): Promise<StoredScorePoint[]>;

  /** Replaces the ownership map (what each group owns) as read from the catalog at `at`. */
  replaceOwnershipMap(map: ownership.OwnershipMap, at: Date): Promise<void>;

  /**
   * The version of what a whole-catalog scorecard shows (scores, their summaries, the map): it
   * changes in the transaction that changes any of them. Undefined before any was stored.
   */
  scorecardsVersion(): Promise<string | undefined>;

  /** How many of the entities the stored ownership map has. */
  countMappedEntities(entityRefs: string[]): Promise<number>;

  /** When the ownership map was last replaced; undefined before its first reading. */
  ownershipMapRefreshedAt(): Promise<Date | undefined>;

  /** The groups at and below a group (by its lower-case reference), by reference. */
  teamGroupRefs(groupKey: string): ReturnType<typeof ownership.teamGroupRefs>;

  /** A page of a team's scorecard and its counts, from the ownership map and stored scores. */
  queryTeamScorecard(
    options: Parameters<typeof ownership.queryTeamScorecard>[1],
  ): ReturnType<typeof ownership.queryTeamScorecard>;

  /** The organisation's counts, by team and in all, from the ownership map and stored scores. */
  queryOrganisationScorecard(
    options: Parameters<typeof ownership.queryOrganisationScorecard>[1],
  ): ReturnType<typeof ownership.queryOrganisationScorecard>;

  /**
   * The current version of each input scope (`cluster:<name>`, `cluster-status:<name>`,
   * `cluster-shared:<name>`, `namespace:<cluster>/<namespace>`, `kubernetes-id:<cluster>/<id>`,
   * `entity:<ref>`) that has one. The store changes a cluster's version whenever a listing of it
   * stores different facts, a source's state changes or deleted facts are purged; its status's
   * version when a source's state changes; within a listing that stores different facts, the
   * versions of only the namespaces, ids and shared facts whose facts differ (a backup's are those
   * of the namespaces of the claims it includes), and, when the backup inclusion changes, those of
   * the claims' namespaces; and an entity's with its SAST uploads, restore tests and certificate
   * renewals.
   */
  getInputVersions(scopes: string[]): Promise<Map<string, string>>;

  /**
   * The namespaces of each cluster where a live claim, Certificate, TLS Secret or Ingress carries
   * one of the `backstage.io/kubernetes-id` label values.
   */
  listKubernetesIdNamespaces(options: {
    clusters: string[];
    kubernetesIds: string[];
  }): Promise<
    Array<{ cluster: string; namespace: string; kubernetesId: string }>
  >;

  /** The stored results of the entities that have one. */
  getEntityResults(entityRefs: string[]): Promise<StoredEntityResult[]>;

  /** The entities whose stored results have a verdict that changed with the clock by `now`. */
  listEntityResultsDue(options: {
    now: Date;
    limit: number;
  }): Promise<string[]>;

  /**
   * Stops serving the stored results of entities, and takes them off the due list, until they
   * are evaluated again (gone from the catalog, or failing).
   */
  expireEntityResults(options: {
    entityRefs: string[];
    at: Date;
  }): Promise<void>;

  /**
   * The entities whose stored results read a scope whose version changed at or after `since`,
   * in entity-ref order after `after`, at most `limit`.
   */
  listEntitiesWithChangedInputs(options: {
    since: Date;
    after?: string;
    limit: number;
  }): Promise<string[]>;

  /** Stores results, each replacing the one before unless that was computed later. */
  saveEntityResults(results: EvaluatedEntityResult[]): Promise<void>;

  /** Removes the latest score (not the history) of entities no longer in the catalog. */
  deleteEntityScores(options: { entityRefs: string[] }): Promise<void>;

  /** Stores a new restore test, `pending`, with its first transition. */
  createRestoreTest(
    test: Omit<
      StoredRestoreTest,
      'state' | 'cancelRequested' | 'transitions' | 'finishedAt'
    > & { message: string },
  ): Promise<void>;

  getRestoreTest(id: string): Promise<StoredRestoreTest | undefined>;

  /** The latest restore tests of an entity, newest first. */
  listRestoreTests(options: {
    entityRef: string;
    limit: number;
  }): Promise<StoredRestoreTest[]>;

  /** How many restore tests of a cluster are in the given states. */
  countRestoreTests(options: {
    cluster: string;
    states: RestoreTestState[];
  }): Promise<number>;

  /**
   * Takes the lease of unfinished restore tests whose lease is free, expired or the caller's
   * own, oldest first; each test is held by one replica at a time.
   */
  claimRestoreTests(options: {
    owner: string;
    now: Date;
    leaseMs: number;
    limit: number;
  }): Promise<StoredRestoreTest[]>;

  /**
   * Stores a step of a restore test the caller holds, with a transition when its state changes.
   *
   * @throws ConflictError when the caller no longer holds the test's lease.
   */
  advanceRestoreTest(options: {
    id: string;
    owner: string;
    now: Date;
    leaseMs: number;
    update: RestoreTestUpdate;
  }): Promise<void>;

  /** Asks for a restore test to be cancelled; false when it is over or cleaning up. */
  requestRestoreTestCancel(id: string): Promise<boolean>;

  /** When the entity's latest restore test was started. */
  latestRestoreTestAt(entityRef: string): Promise<Date | undefined>;
}
