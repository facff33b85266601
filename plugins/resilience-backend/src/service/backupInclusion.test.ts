import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  CollectionSource,
  LABEL_KUBERNETES_ID,
} from '@resilience-for-backstage/plugin-resilience-common';
import { DatabaseResilienceStore } from '../database/DatabaseResilienceStore';
import { BackupFact, FactsBySource, PodFact, PvcFact } from '../database/types';
import { BUILT_IN_POLICIES } from '../scoring/policy';
import { refreshBackupInclusion } from './backupInclusion';
import { entityResilience } from './entityResilience';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const now = new Date('2026-12-02T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'search',
    annotations: { [ANNOTATION_KUBERNETES_ID]: 'search' },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
};

const claim: PvcFact = {
  cluster: 'prod',
  uid: 'uid-index',
  namespace: 'search',
  name: 'index',
  labels: { [LABEL_KUBERNETES_ID]: 'search' },
  phase: 'Bound',
  capacity: '1Gi',
};

const indexer: PodFact = {
  cluster: 'prod',
  uid: 'uid-indexer-0',
  namespace: 'search',
  name: 'indexer-0',
  labels: { app: 'indexer' },
  phase: 'Running',
  backupVolumes: [],
  backupVolumesExcludes: [],
  claims: { data: 'index' },
};

function backup(
  name: string,
  startedAt: Date,
  overrides: Partial<BackupFact> = {},
): BackupFact {
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
    ...overrides,
  };
}

async function setUp(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  const collect = async <S extends CollectionSource>(
    source: S,
    facts: FactsBySource[S][],
    collectedAt = hoursAgo(0.5),
  ) => store.replaceFacts({ cluster: 'prod', source, facts, collectedAt });
  const view = () =>
    entityResilience({
      entity,
      store,
      clusters: ['prod'],
      policies: BUILT_IN_POLICIES,
      sastDefaultBranches: ['main'],
      now,
    });
  return { knex, store, collect, view };
}

describe.each(databases.eachSupportedId())(
  'backups found by their selection on %s',
  databaseId => {
    it("shows the entity's backups behind thousands of newer backups of other namespaces", async () => {
      const { collect, view } = await setUp(databaseId);
      // 6,000 hourly backups of another namespace, all newer than the entity's only backup.
      const others = Array.from({ length: 6000 }, (_, i) =>
        backup(`orders-${i}`, hoursAgo(1 + i / 1000), {
          selection: { includedNamespaces: ['orders'] },
        }),
      );
      await collect('velero-backups', [
        ...others,
        backup('search-daily', hoursAgo(20)),
      ]);
      await collect('persistent-volume-claims', [claim]);
      await collect('pods', [indexer]);
      const result = await view();
      expect(result.backups.map(b => b.name)).toEqual(['search-daily']);
      expect(result.pvcs.map(p => [p.name, p.lastGoodBackup?.name])).toEqual([
        ['index', 'search-daily'],
      ]);
    });

    it('follows the pods that bring a claim into a label-selected backup, as they are now', async () => {
      const { store, collect, view } = await setUp(databaseId);
      await collect('velero-backups', [
        backup('indexer-daily', hoursAgo(3), {
          selection: { labelSelector: { matchLabels: { app: 'indexer' } } },
        }),
      ]);
      await collect('persistent-volume-claims', [claim]);
      await collect('pods', [indexer]);
      const before = await view();
      expect(before.pvcs.map(p => [p.coverage, p.coverageReason])).toEqual([
        [
          'covered',
          expect.stringContaining(
            'includes the claim through pod indexer-0, which mounts it,',
          ),
        ],
      ]);
      // The pod is gone at the next listing: the label-selected backup no longer brings the claim
      // in, and the view says so without waiting for the end of a collection.
      await collect('pods', [], hoursAgo(0.1));
      const after = await view();
      expect(after.pvcs.map(p => p.coverage)).toEqual(['not-covered']);
      expect(after.backups).toEqual([]);
      expect(
        await refreshBackupInclusion({ store, cluster: 'prod', now }),
      ).toEqual([]);
    });

    it('lists the schedules whose template includes a claim, before their first backup', async () => {
      const { collect, view } = await setUp(databaseId);
      const schedule = (name: string, namespace: string) => ({
        cluster: 'prod',
        uid: `uid-${name}`,
        namespace: 'velero',
        name,
        schedule: '0 2 * * *',
        paused: false,
        phase: 'Enabled',
        selection: { includedNamespaces: [namespace] },
      });
      await collect('velero-backups', []);
      await collect('velero-schedules', [
        schedule('search-daily', 'search'),
        schedule('orders-daily', 'orders'),
      ]);
      await collect('persistent-volume-claims', [claim]);
      await collect('pods', [indexer]);
      const result = await view();
      expect(result.schedules.map(s => [s.name, s.pvcs])).toEqual([
        ['search-daily', ['search/index']],
      ]);
      // A schedule added at a later listing is seen at once.
      await collect(
        'velero-schedules',
        [
          schedule('search-daily', 'search'),
          schedule('search-hourly', 'search*'),
        ],
        hoursAgo(0.1),
      );
      expect((await view()).schedules.map(s => s.name)).toEqual([
        'search-daily',
        'search-hourly',
      ]);
    });

    it('stores the inclusion once per selection and reports the claims whose inclusion changed', async () => {
      const { knex, store, collect } = await setUp(databaseId);
      await collect(
        'velero-backups',
        Array.from({ length: 30 }, (_, i) =>
          backup(`search-${i}`, hoursAgo(i + 1)),
        ),
      );
      await collect('persistent-volume-claims', [
        claim,
        { ...claim, uid: 'uid-wal', name: 'wal' },
      ]);
      expect(
        await refreshBackupInclusion({ store, cluster: 'prod', now }),
      ).toEqual(['search/index', 'search/wal']);
      const [{ n }] = await knex('resilience_backup_inclusion').count({
        n: '*',
      });
      expect(Number(n)).toBe(2);
      expect(
        await refreshBackupInclusion({ store, cluster: 'prod', now }),
      ).toEqual([]);
      await collect('persistent-volume-claims', [claim], hoursAgo(0.2));
      expect(
        await refreshBackupInclusion({ store, cluster: 'prod', now }),
      ).toEqual(['search/wal']);
    });

    it('stays right when a collection and readers refresh it at once', async () => {
      // A watch's collection and the reads of entities during it can each find the inclusion
      // behind the listings; on PostgreSQL, without a lock, several of them stored the same
      // rows and each reported the claims as changed.
      const { knex, store, collect } = await setUp(databaseId);
      await collect(
        'velero-backups',
        Array.from({ length: 30 }, (_, i) =>
          backup(`search-${i}`, hoursAgo(i + 1)),
        ),
      );
      await collect(
        'persistent-volume-claims',
        Array.from({ length: 50 }, (_, i) => ({
          ...claim,
          uid: `uid-${i}`,
          name: `data-${i}`,
        })),
      );
      const outcomes = await Promise.allSettled(
        Array.from({ length: 4 }, () =>
          refreshBackupInclusion({ store, cluster: 'prod', now }),
        ),
      );
      expect(outcomes.filter(o => o.status === 'rejected')).toEqual([]);
      const changed = outcomes.map(o =>
        o.status === 'fulfilled' ? o.value.length : -1,
      );
      // One of them stored the 50 claims; the others found them stored.
      expect(changed.sort((a, b) => a - b)).toEqual([0, 0, 0, 50]);
      const [{ n }] = await knex('resilience_backup_inclusion').count({
        n: '*',
      });
      expect(Number(n)).toBe(50);
    });
  },
);
