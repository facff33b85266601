import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_KUBERNETES_ID,
  CollectionSource,
  LABEL_KUBERNETES_ID,
} from '@resilience-for-backstage/plugin-resilience-common';
import { COLLECTION_SOURCES } from '../collectors/ClusterCollector';
import { DatabaseResilienceStore } from '../database/DatabaseResilienceStore';
import { clusterScope, entityScope } from '../database/ResilienceStore';
import { BackupFact, FactsBySource, PvcFact } from '../database/types';
import { BUILT_IN_POLICIES } from '../scoring/policy';
import { CheckRegistry } from '../scoring/scorecard';
import { readScoringConfig } from '../scoring/scoringConfig';
import { ConfigReader } from '@backstage/config';
import { ScoreKeeper } from './scoreKeeper';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const HOUR = 3_600_000;
const t0 = new Date('2026-12-02T12:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

const search: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'search',
    namespace: 'default',
    annotations: { [ANNOTATION_KUBERNETES_ID]: 'search' },
  },
  spec: { type: 'service', owner: 'group:default/team-a', lifecycle: 'x' },
};
const ref = stringifyEntityRef(search);

const claim: PvcFact = {
  cluster: 'prod',
  uid: 'uid-index',
  namespace: 'search',
  name: 'index',
  labels: { [LABEL_KUBERNETES_ID]: 'search' },
  phase: 'Bound',
  capacity: '1Gi',
};

function backup(name: string, startedAt: Date): BackupFact {
  return {
    cluster: 'prod',
    uid: `uid-${name}`,
    namespace: 'velero',
    name,
    phase: 'Completed',
    selection: { includedNamespaces: ['search'] },
    startedAt,
    completedAt: new Date(startedAt.getTime() + 60_000),
    errors: 0,
    warnings: 0,
    capture: {
      volumeSnapshotsCompleted: 1,
      csiVolumeSnapshotsCompleted: 0,
      itemOperationsCompleted: 0,
    },
  };
}

async function setUp(databaseId: TestDatabaseId, entities = [search]) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  const collect = async <S extends CollectionSource>(
    source: S,
    facts: FactsBySource[S][],
    collectedAt = at(0),
  ) => store.replaceFacts({ cluster: 'prod', source, facts, collectedAt });
  // Every source listed once, empty, so that nothing is "never collected".
  for (const source of COLLECTION_SOURCES) await collect(source, []);
  const clock = { now: at(0) };
  const keeper = new ScoreKeeper({
    now: () => clock.now,
    resultMaxAgeMs: 24 * HOUR,
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
  const rpoOf = async (entity: Entity, now: Date) => {
    const result = await keeper.result(entity, now);
    const rpo = result.view.checks.find(c => c.id === 'backup.rpo')!;
    return { state: rpo.state, computedAt: result.computedAt };
  };
  return { knex, store, collect, keeper, rpoOf, clock };
}

describe.each(databases.eachSupportedId())(
  'stored entity results on %s',
  databaseId => {
    it('serves the stored result while nothing it was evaluated from changed', async () => {
      const { collect, rpoOf } = await setUp(databaseId);
      await collect('persistent-volume-claims', [claim]);
      await collect('velero-backups', [backup('daily-1', at(-2))]);
      expect(await rpoOf(search, at(0))).toEqual({
        state: 'pass',
        computedAt: at(0),
      });
      // Later, and after a collection that lists the same facts: the same evaluation.
      await collect('velero-backups', [backup('daily-1', at(-2))], at(0.5));
      expect(await rpoOf(search, at(1))).toEqual({
        state: 'pass',
        computedAt: at(0),
      });
    });

    it('evaluates again once a listing stores different facts', async () => {
      const { collect, rpoOf, keeper } = await setUp(databaseId);
      await collect('persistent-volume-claims', [claim]);
      await collect('velero-backups', [backup('daily-1', at(-2))]);
      expect((await rpoOf(search, at(0))).state).toBe('pass');
      // The backup is deleted from the cluster: no good backup is left.
      await collect('velero-backups', [], at(0.5));
      expect(await rpoOf(search, at(1))).toEqual({
        state: 'fail',
        computedAt: at(1),
      });
      const view = await keeper.view(search, at(1));
      expect(view.backups.map(b => [b.name, b.deletedAt])).toEqual([
        ['daily-1', at(0.5).toISOString()],
      ]);
    });

    it('evaluates again when a source of a cluster fails, and when it recovers', async () => {
      const { store, collect, rpoOf } = await setUp(databaseId);
      await collect('persistent-volume-claims', [claim]);
      await collect('velero-backups', [backup('daily-1', at(-2))]);
      expect((await rpoOf(search, at(0))).computedAt).toEqual(at(0));
      await store.recordFailure({
        cluster: 'prod',
        source: 'velero-backups',
        state: 'forbidden',
        message: 'backups.velero.io is forbidden',
        attemptedAt: at(0.5),
      });
      expect((await rpoOf(search, at(1))).computedAt).toEqual(at(1));
      // The same failure again changes nothing.
      await store.recordFailure({
        cluster: 'prod',
        source: 'velero-backups',
        state: 'forbidden',
        message: 'backups.velero.io is forbidden',
        attemptedAt: at(1.5),
      });
      expect((await rpoOf(search, at(2))).computedAt).toEqual(at(1));
      await collect('velero-backups', [backup('daily-1', at(-2))], at(2.5));
      expect((await rpoOf(search, at(3))).computedAt).toEqual(at(3));
    });

    it('evaluates again at the instant the RPO passes, on a read and in the due task', async () => {
      const { store, collect, rpoOf, keeper } = await setUp(databaseId);
      await collect('persistent-volume-claims', [claim]);
      // The standard tier's RPO is 24 hours: this backup's data is 23 hours old at t0.
      await collect('velero-backups', [backup('daily-1', at(-23))]);
      await keeper.recomputeAll();
      expect((await rpoOf(search, at(0))).state).toBe('pass');
      const [stored] = await store.getEntityResults([ref]);
      expect(stored.nextFlipAt).toEqual(new Date(at(1).getTime() + 1));
      expect(
        await store.listEntityResultsDue({ now: at(1), limit: 10 }),
      ).toEqual([]);
      const due = new Date(at(1).getTime() + 1);
      expect(await store.listEntityResultsDue({ now: due, limit: 10 })).toEqual(
        [ref],
      );
      // The due task stores the score that changed, for the team views.
      expect(await keeper.recomputeDue(due)).toBe(1);
      expect(await store.listEntityResultsDue({ now: due, limit: 10 })).toEqual(
        [],
      );
      const [score] = await store.listEntityScores({ entityRefs: [ref] });
      expect(score.computedAt).toEqual(due);
      expect(await rpoOf(search, due)).toEqual({
        state: 'fail',
        computedAt: due,
      });
    });

    it('evaluates again once the result is older than its maximum age', async () => {
      const { collect, rpoOf } = await setUp(databaseId);
      await collect('persistent-volume-claims', [claim]);
      await collect('velero-backups', [backup('daily-1', at(0))]);
      expect((await rpoOf(search, at(0))).computedAt).toEqual(at(0));
      expect((await rpoOf(search, at(23.9))).computedAt).toEqual(at(0));
      expect((await rpoOf(search, at(24))).computedAt).toEqual(at(24));
    });

    it('evaluates again when the catalog entity changes', async () => {
      const { collect, rpoOf } = await setUp(databaseId);
      await collect('persistent-volume-claims', [claim]);
      await collect('velero-backups', [backup('daily-1', at(-2))]);
      expect((await rpoOf(search, at(0))).state).toBe('pass');
      const stricter: Entity = {
        ...search,
        metadata: {
          ...search.metadata,
          annotations: {
            ...search.metadata.annotations,
            'resilience.io/rpo': '1h',
          },
        },
      };
      expect(await rpoOf(stricter, at(0.5))).toEqual({
        state: 'fail',
        computedAt: at(0.5),
      });
      // A change of what the evaluation does not read (its relations) keeps the result.
      expect(
        (await rpoOf({ ...stricter, relations: [] }, at(0.75))).computedAt,
      ).toEqual(at(0.5));
    });

    it("changes an entity's version with its uploads and restore tests, and a cluster's with its listings", async () => {
      const { store, collect } = await setUp(databaseId);
      const versions = () =>
        store.getInputVersions([clusterScope('prod'), entityScope(ref)]);
      const before = await versions();
      expect(before.get(clusterScope('prod'))).toBeDefined();
      await store.ingestSastReports({
        entityRef: ref,
        runs: [],
        uploadedBy: 'user:default/ci',
        uploadedAt: at(1),
      });
      const afterUpload = await versions();
      expect(afterUpload.get(entityScope(ref))).toBeDefined();
      expect(afterUpload.get(clusterScope('prod'))).toBe(
        before.get(clusterScope('prod')),
      );
      await store.createRestoreTest({
        id: 'test-1',
        entityRef: ref,
        cluster: 'prod',
        backupName: 'daily-1',
        namespaceMapping: { search: 'restore-test-1-search' },
        restoreName: 'restore-test-1-search',
        createdBy: 'user:default/jane',
        createdAt: at(2),
        message: 'Started by jane.',
      });
      const afterTest = await versions();
      expect(afterTest.get(entityScope(ref))).not.toBe(
        afterUpload.get(entityScope(ref)),
      );
      await collect('persistent-volume-claims', [claim], at(3));
      expect((await versions()).get(clusterScope('prod'))).not.toBe(
        before.get(clusterScope('prod')),
      );
    });

    it('evaluates after a collection only the entities whose inputs changed, and stores every score as of now', async () => {
      const other: Entity = {
        ...search,
        metadata: { name: 'other', namespace: 'default' },
      };
      const { collect, keeper, store, clock } = await setUp(databaseId, [
        search,
        other,
      ]);
      await collect('persistent-volume-claims', [claim]);
      await collect('velero-backups', [backup('daily-1', at(-2))]);
      expect(await keeper.recomputeAll()).toMatchObject({
        scored: 2,
        evaluated: 2,
      });
      clock.now = at(0.25);
      expect(await keeper.recomputeAll()).toMatchObject({
        scored: 2,
        evaluated: 0,
      });
      const scores = await store.listEntityScores({
        entityRefs: [ref, stringifyEntityRef(other)],
      });
      expect(scores.map(s => s.computedAt)).toEqual([at(0.25), at(0.25)]);
      // New facts of the cluster: the entity that maps to none of its objects is unchanged.
      await collect('velero-backups', [backup('daily-2', at(-1))], at(0.5));
      clock.now = at(0.75);
      expect(await keeper.recomputeAll()).toMatchObject({
        scored: 2,
        evaluated: 1,
      });
      // A source fails: its state is an input of both.
      await store.recordFailure({
        cluster: 'prod',
        source: 'certificates',
        state: 'error',
        message: 'the API server timed out',
        attemptedAt: at(0.8),
      });
      clock.now = at(0.9);
      expect(await keeper.recomputeAll()).toMatchObject({
        scored: 2,
        evaluated: 2,
      });
    });
  },
);
