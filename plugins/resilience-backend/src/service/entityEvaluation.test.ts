import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  CollectionSource,
  LABEL_KUBERNETES_ID,
  SourceCollectionStatus,
} from '@resilience-for-backstage/plugin-resilience-common';
import { COLLECTION_SOURCES } from '../collectors/ClusterCollector';
import { StoredBackup } from '../database/ResilienceStore';
import { PvcFact, VolumeSnapshotContentFact } from '../database/types';
import { kubernetesMappingOf } from '../mapping/entityMapping';
import { BUILT_IN_POLICIES } from '../scoring/policy';
import { CoverageScan, evaluateEntity, HistoryScan } from './entityEvaluation';
import { BackupEvidence, EntityFacts } from './entityFacts';

const HOUR = 3_600_000;
const now = new Date('2026-12-04T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'search',
    namespace: 'default',
    annotations: { [ANNOTATION_KUBERNETES_ID]: 'search' },
  },
  spec: { type: 'service', owner: 'group:default/team-a', lifecycle: 'x' },
};

const claim: PvcFact = {
  cluster: 'prod',
  uid: 'pvc-index',
  namespace: 'search',
  name: 'index',
  labels: { [LABEL_KUBERNETES_ID]: 'search' },
  phase: 'Bound',
  capacity: '1Gi',
  volumeName: 'pv-index',
};

function backup(
  name: string,
  startedHoursAgo: number,
  phase = 'Completed',
): StoredBackup {
  const startedAt = hoursAgo(startedHoursAgo);
  return {
    cluster: 'prod',
    uid: `backup-${name}`,
    namespace: 'velero',
    name,
    phase,
    storageLocation: 'default',
    selection: { includedNamespaces: ['search'] },
    selectionKey: 'search-selection',
    startedAt,
    completedAt: new Date(startedAt.getTime() + 60_000),
    expiresAt: new Date(startedAt.getTime() + 30 * 24 * HOUR),
    errors: 0,
    warnings: 0,
    capture: {
      volumeSnapshotsCompleted: 0,
      csiVolumeSnapshotsCompleted: 0,
      itemOperationsCompleted: 0,
    },
  };
}

const snapshotOf = (backupName: string): VolumeSnapshotContentFact => ({
  cluster: 'prod',
  uid: `vsc-${backupName}`,
  namespace: '',
  name: `vsc-${backupName}`,
  backupName,
  volumeHandle: 'handle-index',
  readyToUse: true,
});

const evidence = (
  contents: VolumeSnapshotContentFact[] = [],
): BackupEvidence => ({
  contents,
  uploads: [],
  podVolumeBackups: [],
  snapshots: [],
});

const collection: SourceCollectionStatus[] = COLLECTION_SOURCES.map(
  (source: CollectionSource) => ({
    cluster: 'prod',
    source,
    state: 'ok',
    lastAttemptAt: hoursAgo(0.1).toISOString(),
    lastSuccessAt: hoursAgo(0.1).toISOString(),
    itemCount: 1,
    stale: false,
  }),
);

const claims: EntityFacts['claims'] = {
  mapping: kubernetesMappingOf(entity),
  pvcs: [claim],
  podsOf: () => [],
  includes: () => true,
  inclusionOf: () => [
    { selectionKey: 'search-selection', namespace: 'search', name: 'index' },
  ],
};

/** The facts of the entity whose claim's selection has these completed backups, newest first. */
function factsWith(
  completed: StoredBackup[],
  contents: VolumeSnapshotContentFact[],
): EntityFacts {
  return {
    entity,
    entityRef: 'component:default/search',
    clusters: ['prod'],
    claims,
    collection,
    marks: { findings: [] },
    coverage: [
      {
        cluster: 'prod',
        volumes: [
          {
            cluster: 'prod',
            uid: 'pv-index',
            namespace: '',
            name: 'pv-index',
            volumeHandle: 'handle-index',
            claimNamespace: 'search',
            claimName: 'index',
          },
        ],
        completed,
        evidence: evidence(contents),
      },
    ],
    schedules: [],
    storageLocations: [],
    history: [{ cluster: 'prod', backups: completed }],
    certificates: { owned: [], renewals: [] },
    restoreTests: [],
    codeSecurity: { reports: [], openFindings: [] },
  };
}

const evaluate = (facts: EntityFacts) =>
  evaluateEntity(facts, {
    policies: BUILT_IN_POLICIES,
    sastDefaultBranches: ['main'],
    now,
  });

const check = (checks: Array<{ id: string }>, id: string) =>
  checks.find(c => c.id === id) as
    | { id: string; state: string; value?: number }
    | undefined;

describe('evaluating an entity from its facts alone', () => {
  it('takes the newest completed backup that captured the claim, says which newer one did not, and scores its recovery point', () => {
    const { view, checks } = evaluate(
      factsWith(
        [backup('newest', 2), backup('older', 26)],
        [snapshotOf('older')],
      ),
    );
    expect(view.pvcs).toHaveLength(1);
    expect(view.pvcs[0]).toMatchObject({
      coverage: 'verified',
      lastGoodBackup: { name: 'older' },
    });
    expect(view.pvcs[0].coverageReason).toContain(
      'Backup older holds a ready CSI snapshot',
    );
    expect(view.pvcs[0].coverageReason).toContain(
      'The newer backup newest included the claim but captured no data of it',
    );
    // The recovery point is the older backup's start, 26 hours ago.
    expect(check(checks.backups, 'backup.rpo')?.value).toBe(26 * 3600);
    // The checks scored are the ones the view shows, pillar by pillar.
    expect(checks.backups).toBe(view.checks);
    expect(checks.recovery).toBe(view.recoveryChecks);
    expect(checks.certificates).toBe(view.certificateChecks);
    expect(checks['code-security']).toBe(view.codeSecurityChecks);
  });

  it('finds no coverage when no completed backup captured the claim, and the recovery point fails', () => {
    const { view, checks } = evaluate(factsWith([backup('newest', 2)], []));
    expect(view.pvcs[0]).toMatchObject({
      coverage: 'not-covered',
      lastGoodBackup: null,
    });
    expect(view.pvcs[0].coverageReason).toContain(
      'The newest completed backup that includes the claim, newest, captured no data of it',
    );
    expect(check(checks.backups, 'backup.rpo')?.state).toBe('fail');
  });

  it('ignores evidence of another volume', () => {
    const other = { ...snapshotOf('newest'), volumeHandle: 'handle-other' };
    const { view } = evaluate(factsWith([backup('newest', 2)], [other]));
    expect(view.pvcs[0].coverage).toBe('not-covered');
  });
});

describe('the scans that bound what the loader reads', () => {
  it('is done with coverage once every claim has a backup that captured it, and not before', () => {
    const scan = new CoverageScan({
      cluster: 'prod',
      pvcs: [claim],
      claims,
      volumes: factsWith([], []).coverage[0].volumes,
      collection,
    });
    scan.add([backup('newest', 2)], evidence());
    expect(scan.done).toBe(false);
    scan.add([backup('older', 26)], evidence([snapshotOf('older')]));
    expect(scan.done).toBe(true);
    expect(scan.found.get(claim)?.backup?.name).toBe('older');
  });

  it('is done with the history once past the window with enough finished runs, and shows the latest runs older than the window', () => {
    const scan = new HistoryScan({ since: hoursAgo(48), recent: 2 });
    scan.add([backup('running', 1, 'InProgress'), backup('day-1', 24)]);
    expect(scan.done).toBe(false);
    scan.add([backup('day-3', 72)]);
    // Past the window, and two finished runs are known.
    expect(scan.done).toBe(true);
    expect(scan.timeline.map(b => b.name)).toEqual([
      'running',
      'day-1',
      'day-3',
    ]);
    expect(scan.recent.map(b => b.name)).toEqual(['day-1', 'day-3']);

    const quiet = new HistoryScan({ since: hoursAgo(48), recent: 1 });
    quiet.add([backup('day-1', 24), backup('day-4', 96), backup('day-5', 120)]);
    // Older than the window and not among the latest finished: not shown.
    expect(quiet.timeline.map(b => b.name)).toEqual(['day-1']);
    expect(quiet.done).toBe(true);
  });
});
