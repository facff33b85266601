import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { clusterScope, namespaceScope } from './ResilienceStore';
import { DatabaseResilienceStore } from './DatabaseResilienceStore';
import { selectionKey } from './factPartitions';
import { BackupFact, PodFact } from './types';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const t0 = new Date('2026-12-02T12:00:00Z');
const t1 = new Date('2026-12-02T13:00:00Z');

function backup(name: string, phase: string, namespace = 'shop'): BackupFact {
  return {
    cluster: 'prod',
    uid: `uid-${name}`,
    namespace: 'velero',
    name,
    phase,
    selection: { includedNamespaces: [namespace] },
    startedAt: t0,
    completedAt: phase === 'Completed' ? t1 : undefined,
    errors: 0,
    warnings: 0,
    capture: {
      volumeSnapshotsCompleted: 0,
      csiVolumeSnapshotsCompleted: 0,
      itemOperationsCompleted: 0,
    },
  };
}

const pod = (name: string, phase: string): PodFact => ({
  cluster: 'prod',
  uid: `uid-${name}`,
  namespace: 'shop',
  name,
  labels: {},
  phase,
  backupVolumes: [],
  backupVolumesExcludes: [],
  claims: {},
});

async function setUp(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  return { knex, store };
}

/** The stored rows of a table, by uid. */
const rowsOf = (knex: Knex, table: string) =>
  knex(table).where({ cluster: 'prod' }).orderBy('uid');

describe.each(databases.eachSupportedId())(
  'facts changed one object at a time (the watch), on %s',
  databaseId => {
    it('stores exactly what a listing of the objects as they now are stores', async () => {
      const watched = await setUp(databaseId);
      const listed = await setUp(databaseId);
      for (const { store } of [watched, listed]) {
        await store.replaceFacts({
          cluster: 'prod',
          source: 'velero-backups',
          facts: [backup('daily-1', 'Completed'), backup('daily-2', 'New')],
          collectedAt: t0,
        });
        await store.replaceFacts({
          cluster: 'prod',
          source: 'pods',
          facts: [pod('web-0', 'Running'), pod('web-1', 'Running')],
          collectedAt: t0,
        });
      }
      // daily-2 ends, daily-3 starts, daily-1 is deleted; a pod is replaced and one goes.
      expect(
        await watched.store.applyFactChanges({
          cluster: 'prod',
          source: 'velero-backups',
          upserted: [
            backup('daily-2', 'InProgress'),
            backup('daily-2', 'Completed'),
            backup('daily-3', 'InProgress'),
          ],
          removed: ['uid-daily-1'],
          changedAt: t1,
        }),
      ).toEqual({ applied: true, changed: 3, newSelections: false });
      await watched.store.applyFactChanges({
        cluster: 'prod',
        source: 'pods',
        upserted: [pod('web-0', 'Pending')],
        removed: ['uid-web-1'],
        changedAt: t1,
      });
      await listed.store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: [
          backup('daily-2', 'Completed'),
          backup('daily-3', 'InProgress'),
        ],
        collectedAt: t1,
      });
      await listed.store.replaceFacts({
        cluster: 'prod',
        source: 'pods',
        facts: [pod('web-0', 'Pending')],
        collectedAt: t1,
      });
      for (const table of ['resilience_backups', 'resilience_pods']) {
        expect(await rowsOf(watched.knex, table)).toEqual(
          await rowsOf(listed.knex, table),
        );
      }
      const counts = async (store: DatabaseResilienceStore) =>
        (await store.listCollectionStatus({ clusters: ['prod'] }))
          .map(s => [s.source, s.itemCount])
          .sort();
      expect(await counts(watched.store)).toEqual(await counts(listed.store));
      expect(await counts(watched.store)).toEqual([
        ['pods', 1],
        ['velero-backups', 2],
      ]);
    });

    it('changes no version for objects that changed in nothing it keeps, and the next listing is stored in full', async () => {
      const { store } = await setUp(databaseId);
      const facts = [backup('daily-1', 'Completed'), backup('daily-2', 'New')];
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts,
        collectedAt: t0,
      });
      // The backups' selection includes a claim of shop: their changes are shop's.
      await store.replaceBackupInclusion({
        cluster: 'prod',
        rows: [
          {
            selectionKey: selectionKey(facts[0].selection),
            namespace: 'shop',
            name: 'data',
          },
        ],
        inputs: { backupsAt: t0 },
        refreshedAt: t0,
      });
      const scopes = [clusterScope('prod'), namespaceScope('prod', 'shop')];
      const versions = async () => {
        const stored = await store.getInputVersions(scopes);
        return scopes.map(scope => stored.get(scope));
      };
      const before = await versions();
      expect(before.every(Boolean)).toBe(true);
      expect(
        await store.applyFactChanges({
          cluster: 'prod',
          source: 'velero-backups',
          upserted: [backup('daily-1', 'Completed')],
          removed: ['uid-never-stored'],
          changedAt: t1,
        }),
      ).toEqual({ applied: true, changed: 0, newSelections: false });
      expect(await versions()).toEqual(before);

      await store.applyFactChanges({
        cluster: 'prod',
        source: 'velero-backups',
        upserted: [backup('daily-2', 'Completed')],
        removed: [],
        changedAt: t1,
      });
      const changed = await versions();
      expect(changed[0]).not.toEqual(before[0]);
      expect(changed[1]).not.toEqual(before[1]);
      // The listing of the same objects cannot be told from the watch's: stored, and its parts
      // change again. The one after it is the same listing: nothing changes.
      const relisted = [
        backup('daily-1', 'Completed'),
        backup('daily-2', 'Completed'),
      ];
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: relisted,
        collectedAt: new Date(t1.getTime() + 60_000),
      });
      const afterListing = await versions();
      expect(afterListing[1]).not.toEqual(changed[1]);
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: relisted,
        collectedAt: new Date(t1.getTime() + 120_000),
      });
      expect(await versions()).toEqual(afterListing);
    });

    it('says when a backup brings a selection not stored, and leaves the inclusion behind until refreshed', async () => {
      const { store } = await setUp(databaseId);
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: [backup('daily-1', 'Completed')],
        collectedAt: t0,
      });
      await store.replaceBackupInclusion({
        cluster: 'prod',
        rows: [],
        inputs: { backupsAt: t0 },
        refreshedAt: t0,
      });
      expect(
        await store.applyFactChanges({
          cluster: 'prod',
          source: 'velero-backups',
          upserted: [backup('tools-1', 'New', 'tools')],
          removed: [],
          changedAt: t1,
        }),
      ).toMatchObject({ applied: true, newSelections: true });
      expect(
        await store.getBackupInclusionInputs({ cluster: 'prod' }),
      ).toMatchObject({ backupsAt: undefined });
    });

    it('applies nothing to a source never listed, or whose last listing failed', async () => {
      const { knex, store } = await setUp(databaseId);
      const apply = () =>
        store.applyFactChanges({
          cluster: 'prod',
          source: 'velero-backups',
          upserted: [backup('daily-2', 'New')],
          removed: [],
          changedAt: t1,
        });
      expect(await apply()).toEqual({
        applied: false,
        changed: 0,
        newSelections: false,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: [backup('daily-1', 'Completed')],
        collectedAt: t0,
      });
      await store.recordFailure({
        cluster: 'prod',
        source: 'velero-backups',
        state: 'error',
        message: 'the API server timed out',
        attemptedAt: t0,
      });
      expect((await apply()).applied).toBe(false);
      expect(
        (await rowsOf(knex, 'resilience_backups')).map(r => r.name),
      ).toEqual(['daily-1']);
    });
  },
);
