import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  CollectionSource,
  LABEL_KUBERNETES_ID,
} from '@resilience-for-backstage/plugin-resilience-common';
import { COLLECTION_SOURCES } from '../collectors/ClusterCollector';
import { DatabaseResilienceStore } from '../database/DatabaseResilienceStore';
import {
  BackupFact,
  CertificateFact,
  FactsBySource,
  PodFact,
  PvcFact,
  StorageLocationFact,
  VolumeSnapshotContentFact,
} from '../database/types';
import { BUILT_IN_POLICIES } from '../scoring/policy';
import { CheckRegistry } from '../scoring/scorecard';
import { readScoringConfig } from '../scoring/scoringConfig';
import { ScoreKeeper } from './scoreKeeper';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const HOUR = 3_600_000;
const t0 = new Date('2026-12-02T12:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

function component(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'group:default/team-a', lifecycle: 'x' },
  };
}

/** Mapped by id alone, by id within a namespace, by a label selector, and not at all. */
const entities = [
  component('search', { [ANNOTATION_KUBERNETES_ID]: 'search' }),
  component('billing', { [ANNOTATION_KUBERNETES_ID]: 'billing' }),
  component('reports', {
    [ANNOTATION_KUBERNETES_ID]: 'reports',
    [ANNOTATION_KUBERNETES_NAMESPACE]: 'reports',
  }),
  component('selected', {
    [ANNOTATION_KUBERNETES_LABEL_SELECTOR]: 'app=selected',
  }),
  component('docs'),
];
const MAPPED = ['billing', 'reports', 'search', 'selected'];

const claim = (namespace: string, name: string, id: string): PvcFact => ({
  cluster: 'prod',
  uid: `pvc-${namespace}-${name}`,
  namespace,
  name,
  labels: { [LABEL_KUBERNETES_ID]: id },
  phase: 'Bound',
  capacity: '1Gi',
  volumeName: `pv-${namespace}-${name}`,
});

const pod = (
  namespace: string,
  claimName: string,
  phase = 'Running',
): PodFact => ({
  cluster: 'prod',
  uid: `pod-${namespace}`,
  namespace,
  name: `${namespace}-0`,
  labels: {},
  phase,
  backupVolumes: [],
  backupVolumesExcludes: [],
  claims: { data: claimName },
});

function backup(
  name: string,
  includedNamespaces: string[],
  startedAt: Date,
): BackupFact {
  return {
    cluster: 'prod',
    uid: `backup-${name}`,
    namespace: 'velero',
    name,
    phase: 'Completed',
    storageLocation: 'default',
    selection: { includedNamespaces },
    startedAt,
    completedAt: new Date(startedAt.getTime() + 60_000),
    expiresAt: new Date(startedAt.getTime() + 30 * 24 * HOUR),
    errors: 0,
    warnings: 0,
    capture: {
      volumeSnapshotsCompleted: 0,
      csiVolumeSnapshotsCompleted: 1,
      itemOperationsCompleted: 0,
    },
  };
}

const snapshotContent = (
  backupName: string,
  namespace: string,
  claimName: string,
): VolumeSnapshotContentFact => ({
  cluster: 'prod',
  uid: `vsc-${backupName}-${claimName}`,
  namespace: '',
  name: `vsc-${backupName}-${claimName}`,
  backupName,
  volumeHandle: `handle-${namespace}-${claimName}`,
  snapshotNamespace: namespace,
  snapshotName: `snap-${claimName}`,
  readyToUse: true,
});

const location = (phase: string): StorageLocationFact => ({
  cluster: 'prod',
  uid: 'bsl-default',
  namespace: 'velero',
  name: 'default',
  phase,
  isDefault: true,
  provider: 'aws',
  bucket: 'backups',
});

const certificate = (
  namespace: string,
  id: string,
  notAfter: Date,
): CertificateFact => ({
  cluster: 'prod',
  uid: `cert-${namespace}`,
  namespace,
  name: 'tls',
  labels: { [LABEL_KUBERNETES_ID]: id },
  secretName: 'tls',
  dnsNames: [`${namespace}.example.com`],
  issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' },
  conditions: [{ type: 'Ready', status: 'True' }],
  notBefore: new Date(notAfter.getTime() - 90 * 24 * HOUR),
  notAfter,
  renewalTime: new Date(notAfter.getTime() - 30 * 24 * HOUR),
});

/**
 * How a change of a watched source reaches the store: by a listing of the source, or as the
 * watch hands it over (one object applied to the facts of the last listing).
 */
type ChangeMode = 'listing' | 'watch';

const WATCHED: CollectionSource[] = [
  'velero-backups',
  'volume-snapshot-contents',
  'backup-storage-locations',
  'velero-restores',
  'certificates',
];

async function setUp(databaseId: TestDatabaseId, mode: ChangeMode) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  const listed = new Map<CollectionSource, unknown[]>();
  const collect = async <S extends CollectionSource>(
    source: S,
    facts: FactsBySource[S][],
    collectedAt: Date,
  ) => {
    listed.set(source, facts);
    await store.replaceFacts({ cluster: 'prod', source, facts, collectedAt });
  };
  /** Changes the facts of a source by a listing, or by the watch when it is watched. */
  const change = async <S extends CollectionSource>(
    source: S,
    facts: FactsBySource[S][],
    changes: { upserted: FactsBySource[S][]; removed: string[] },
    collectedAt: Date,
  ) => {
    if (mode === 'listing' || !WATCHED.includes(source)) {
      await collect(source, facts, collectedAt);
      return;
    }
    listed.set(source, facts);
    const applied = await store.applyFactChanges({
      cluster: 'prod',
      source,
      ...changes,
      changedAt: collectedAt,
    });
    expect(applied.applied).toBe(true);
  };
  /** One more object in a source, or one replaced (same uid). */
  const put = async <S extends CollectionSource>(
    source: S,
    fact: FactsBySource[S],
    collectedAt: Date,
  ) => {
    const before = (listed.get(source) ?? []) as FactsBySource[S][];
    await change(
      source,
      [...before.filter(f => f.uid !== fact.uid), fact],
      { upserted: [fact], removed: [] },
      collectedAt,
    );
  };
  /** One object fewer in a source. */
  const remove = async (
    source: CollectionSource,
    uid: string,
    collectedAt: Date,
  ) => {
    const before = (listed.get(source) ?? []) as Array<{ uid: string }>;
    await change(
      source,
      before.filter(f => f.uid !== uid) as never[],
      { upserted: [], removed: [uid] },
      collectedAt,
    );
  };
  for (const source of COLLECTION_SOURCES) await collect(source, [], at(0));
  const clock = { now: at(0) };
  const keeper = new ScoreKeeper({
    now: () => clock.now,
    resultMaxAgeMs: 1000 * HOUR,
    store,
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    clusters: ['prod'],
    policies: BUILT_IN_POLICIES,
    sastDefaultBranches: ['main'],
    registry: new CheckRegistry(),
    scoring: readScoringConfig(new ConfigReader({})),
  });
  return { store, collect, put, remove, keeper, clock };
}

describe.each(
  databases
    .eachSupportedId()
    .flatMap(([id]) =>
      (['listing', 'watch'] as const).map(mode => [id, mode] as const),
    ),
)(
  'evaluating only the entities a change is about, on %s, watched sources changed by %s',
  (databaseId, mode) => {
    it('evaluates again the entities whose namespaces, ids or shared facts changed, and serves every other one unchanged and right', async () => {
      const { store, collect, put, remove, keeper, clock } = await setUp(
        databaseId,
        mode,
      );
      const far = at(90 * 24);
      await collect(
        'persistent-volume-claims',
        [
          claim('search', 'index', 'search'),
          claim('billing', 'ledger', 'billing'),
          claim('reports', 'data', 'reports'),
        ],
        at(0),
      );
      await collect(
        'pods',
        [
          pod('search', 'index'),
          pod('billing', 'ledger'),
          pod('reports', 'data'),
        ],
        at(0),
      );
      await collect(
        'velero-backups',
        [
          backup('search-1', ['search'], at(0)),
          backup('billing-1', ['billing'], at(0)),
          backup('reports-1', ['reports'], at(0)),
        ],
        at(0),
      );
      await collect(
        'volume-snapshot-contents',
        [snapshotContent('search-1', 'search', 'index')],
        at(0),
      );
      await collect('backup-storage-locations', [location('Available')], at(0));
      await collect(
        'certificates',
        [
          certificate('search', 'search', far),
          certificate('billing', 'billing', far),
        ],
        at(0),
      );
      clock.now = at(0.5);
      for (const entity of entities) await keeper.result(entity, clock.now);

      let hour = 0;
      /**
       * Makes a change and scores the entities whose inputs changed since (`recomputeChanged`),
       * then reads every entity's result: the names of those evaluated again, all by that scoring.
       * Each result served unchanged must equal a fresh evaluation of the facts as they are now,
       * as of the time it was evaluated.
       */
      const evaluatedAfter = async (
        change: (time: Date) => Promise<unknown>,
      ) => {
        hour += 1;
        await change(at(hour));
        // The scoring a watched change sets off, then every entity read.
        clock.now = at(hour + 0.25);
        await keeper.recomputeChanged(at(hour));
        clock.now = at(hour + 0.5);
        const evaluated: string[] = [];
        const missed: string[] = [];
        for (const entity of entities) {
          const served = await keeper.result(entity, clock.now);
          if (served.computedAt.getTime() === at(hour + 0.25).getTime()) {
            evaluated.push(entity.metadata.name);
            continue;
          }
          if (served.computedAt.getTime() === clock.now.getTime()) {
            missed.push(entity.metadata.name);
            continue;
          }
          await keeper.recompute(entity, served.computedAt);
          const fresh = await keeper.result(entity, clock.now);
          expect({ entity: entity.metadata.name, view: fresh.view }).toEqual({
            entity: entity.metadata.name,
            view: served.view,
          });
        }
        // None was left for its page to evaluate: the changed-only scoring found them all.
        expect(missed).toEqual([]);
        return evaluated.sort();
      };

      // A backup of search's selection: its namespace's claims.
      expect(
        await evaluatedAfter(time =>
          put('velero-backups', backup('search-2', ['search'], time), time),
        ),
      ).toEqual(['search', 'selected']);
      // Its snapshot evidence: through the backup, the same.
      expect(
        await evaluatedAfter(time =>
          put(
            'volume-snapshot-contents',
            snapshotContent('search-2', 'search', 'index'),
            time,
          ),
        ),
      ).toEqual(['search', 'selected']);
      // The same backup seen again (a status field the plugin does not keep): nothing.
      expect(
        await evaluatedAfter(time =>
          put('velero-backups', backup('search-2', ['search'], at(1)), time),
        ),
      ).toEqual([]);
      // An older backup of search deleted: its history.
      expect(
        await evaluatedAfter(time =>
          remove('velero-backups', 'backup-search-1', time),
        ),
      ).toEqual(['search', 'selected']);
      // A pod of billing's namespace.
      expect(
        await evaluatedAfter(time =>
          put('pods', pod('billing', 'ledger', 'Pending'), time),
        ),
      ).toEqual(['billing', 'selected']);
      // A certificate of billing's, renewed.
      expect(
        await evaluatedAfter(time =>
          put(
            'certificates',
            certificate('billing', 'billing', at(100 * 24)),
            time,
          ),
        ),
      ).toEqual(['billing', 'selected']);
      // A claim in the namespace reports is mapped to.
      expect(
        await evaluatedAfter(time =>
          put(
            'persistent-volume-claims',
            claim('reports', 'cache', 'reports'),
            time,
          ),
        ),
      ).toEqual(['reports', 'selected']);
      // A claim carrying search's id appears in a namespace of its own...
      expect(
        await evaluatedAfter(time =>
          put(
            'persistent-volume-claims',
            claim('extra', 'scratch', 'search'),
            time,
          ),
        ),
      ).toEqual(['search', 'selected']);
      // ...which search now depends on: a pod there is about search.
      expect(
        await evaluatedAfter(time =>
          put('pods', pod('extra', 'scratch'), time),
        ),
      ).toEqual(['search', 'selected']);
      // The storage location: every mapped entity.
      expect(
        await evaluatedAfter(time =>
          put('backup-storage-locations', location('Unavailable'), time),
        ),
      ).toEqual(MAPPED);
      // A restore is read by no evaluation (only the label selector's reads the whole cluster).
      expect(
        await evaluatedAfter(time =>
          put(
            'velero-restores',
            {
              cluster: 'prod',
              uid: 'restore-1',
              namespace: 'velero',
              name: 'restore-1',
              backupName: 'search-1',
              namespaceMapping: {},
              phase: 'Completed',
              errors: 0,
              warnings: 0,
            },
            time,
          ),
        ),
      ).toEqual(['selected']);
      // A backup of a selection not seen before: which claims it includes is not known yet.
      expect(
        await evaluatedAfter(time =>
          put(
            'velero-backups',
            backup('billing-and-reports-1', ['billing', 'reports'], time),
            time,
          ),
        ),
      ).toEqual(MAPPED);
      // The next one of that selection: the claims it includes.
      expect(
        await evaluatedAfter(time =>
          put(
            'velero-backups',
            backup('billing-and-reports-2', ['billing', 'reports'], time),
            time,
          ),
        ),
      ).toEqual(['billing', 'reports', 'selected']);
      // A claim of billing is deleted: billing, not the other entity of the backups with it.
      expect(
        await evaluatedAfter(time =>
          collect(
            'persistent-volume-claims',
            [
              claim('search', 'index', 'search'),
              claim('reports', 'data', 'reports'),
              claim('reports', 'cache', 'reports'),
              claim('extra', 'scratch', 'search'),
            ],
            time,
          ),
        ),
      ).toEqual(['billing', 'selected']);
      // A SAST upload: that entity alone.
      expect(
        await evaluatedAfter(time =>
          store.ingestSastReports({
            entityRef: 'component:default/billing',
            runs: [],
            uploadedBy: 'user:default/ci',
            uploadedAt: time,
          }),
        ),
      ).toEqual(['billing']);
      // A source fails: every entity, the unmapped one too.
      expect(
        await evaluatedAfter(time =>
          store.recordFailure({
            cluster: 'prod',
            source: 'certificates',
            state: 'error',
            message: 'the API server timed out',
            attemptedAt: time,
          }),
        ),
      ).toEqual([...MAPPED, 'docs'].sort());
    });
  },
);
