import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { DatabaseResilienceStore } from './DatabaseResilienceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  return { knex, store };
}

const t0 = new Date('2026-12-02T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const LEASE = 30_000;

function newTest(
  id: string,
  createdAt = t0,
  entityRef = 'component:default/ledger',
) {
  return {
    id,
    entityRef,
    cluster: 'prod',
    backupName: 'daily-20261202',
    namespaceMapping: { payments: `restore-test-${id.slice(0, 8)}` },
    restoreName: `restore-test-${id.slice(0, 8)}`,
    createdBy: 'user:default/alice',
    createdAt,
    message: 'Started by alice.',
  };
}

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

describe.each(databases.eachSupportedId())(
  'restore tests in the store, on %s',
  databaseId => {
    it('stores a test pending, one unfinished per entity, and lists an entity’s tests newest first', async () => {
      const { store } = await createStore(databaseId);
      await store.createRestoreTest(newTest(A));
      expect(await store.getRestoreTest(A)).toEqual({
        ...newTest(A),
        message: undefined,
        state: 'pending',
        cancelRequested: false,
        outcome: undefined,
        outcomeMessage: undefined,
        restoreCreatedAt: undefined,
        finishedAt: undefined,
        rtoSeconds: undefined,
        velero: undefined,
        verification: undefined,
        transitions: [
          { state: 'pending', at: t0, message: 'Started by alice.' },
        ],
      });
      // One unfinished test per entity, whichever replica inserts the second.
      await expect(store.createRestoreTest(newTest(B, at(60)))).rejects.toThrow(
        'A restore test of component:default/ledger is running already',
      );
      await store.claimRestoreTests({
        owner: 'one',
        now: at(1),
        leaseMs: LEASE,
        limit: 1,
      });
      await store.advanceRestoreTest({
        id: A,
        owner: 'one',
        now: at(2),
        leaseMs: LEASE,
        update: { state: 'failed', outcome: 'failed', message: 'Nothing.' },
      });
      await store.createRestoreTest(newTest(B, at(60)));
      await store.createRestoreTest(
        newTest(
          'cccccccc-0000-4000-8000-000000000003',
          at(120),
          'component:default/other',
        ),
      );
      const listed = await store.listRestoreTests({
        entityRef: 'component:default/ledger',
        limit: 10,
      });
      expect(listed.map(t => [t.id, t.state])).toEqual([
        [B, 'pending'],
        [A, 'failed'],
      ]);
      expect(
        await store.latestRestoreTestAt('component:default/ledger'),
      ).toEqual(at(60));
      expect(await store.getRestoreTest('nope')).toBeUndefined();
    });

    it('gives each test to one replica at a time, and to another once the lease expired', async () => {
      const { store } = await createStore(databaseId);
      await store.createRestoreTest(newTest(A));
      await store.createRestoreTest(
        newTest(B, at(1), 'component:default/other'),
      );
      const [one, two] = await Promise.all([
        store.claimRestoreTests({
          owner: 'one',
          now: at(2),
          leaseMs: LEASE,
          limit: 10,
        }),
        store.claimRestoreTests({
          owner: 'two',
          now: at(2),
          leaseMs: LEASE,
          limit: 10,
        }),
      ]);
      // Every test claimed exactly once between the two.
      expect([...one, ...two].map(t => t.id).sort()).toEqual([A, B]);
      const holder = one.some(t => t.id === A) ? 'one' : 'two';
      const other = holder === 'one' ? 'two' : 'one';
      // Before expiry, each replica gets back what it holds, and nothing of the other's.
      const again = await store.claimRestoreTests({
        owner: other,
        now: at(20),
        leaseMs: LEASE,
        limit: 10,
      });
      expect(again.map(t => t.id)).toEqual(
        (other === 'one' ? one : two).map(t => t.id),
      );
      // After expiry, it takes A over.
      const takenOver = await store.claimRestoreTests({
        owner: other,
        now: at(2 + 31),
        leaseMs: LEASE,
        limit: 10,
      });
      expect(takenOver.map(t => t.id)).toContain(A);
      // The replica that lost A can no longer write a step of it.
      await expect(
        store.advanceRestoreTest({
          id: A,
          owner: holder,
          now: at(34),
          leaseMs: LEASE,
          update: { state: 'restoring', message: 'late' },
        }),
      ).rejects.toThrow(ConflictError);
      expect((await store.getRestoreTest(A))!.state).toBe('pending');
    });

    it('records each state once, with its message, and ends the lease at the end', async () => {
      const { store } = await createStore(databaseId);
      await store.createRestoreTest(newTest(A));
      await store.claimRestoreTests({
        owner: 'one',
        now: at(1),
        leaseMs: LEASE,
        limit: 1,
      });
      const step = (
        seconds: number,
        update: Parameters<typeof store.advanceRestoreTest>[0]['update'],
      ) =>
        store.advanceRestoreTest({
          id: A,
          owner: 'one',
          now: at(seconds),
          leaseMs: LEASE,
          update,
        });
      await step(2, {
        state: 'restoring',
        message: 'Restoring daily-20261202.',
        restoreCreatedAt: at(2),
      });
      // Waiting: the same state, no new transition, the lease renewed.
      await step(20, { state: 'restoring' });
      await step(40, {
        state: 'verifying',
        message: 'Velero restored 3 item(s).',
        velero: { phase: 'Completed', warnings: 0 },
      });
      const verification = {
        pvcs: [
          { namespace: 'restore-test-aaaaaaaa', name: 'data', phase: 'Bound' },
        ],
        workloads: [],
      };
      await step(60, {
        state: 'cleaning-up',
        outcome: 'succeeded',
        outcomeMessage: 'Verified.',
        message: 'Verified.',
        rtoSeconds: 58,
        verification,
      });
      await step(70, { state: 'succeeded', message: 'Cleaned up. Verified.' });
      const done = (await store.getRestoreTest(A))!;
      expect(done).toMatchObject({
        state: 'succeeded',
        outcome: 'succeeded',
        outcomeMessage: 'Verified.',
        restoreCreatedAt: at(2),
        finishedAt: at(70),
        rtoSeconds: 58,
        velero: { phase: 'Completed', warnings: 0 },
        verification,
      });
      expect(done.transitions.map(t => [t.state, t.at, t.message])).toEqual([
        ['pending', t0, 'Started by alice.'],
        ['restoring', at(2), 'Restoring daily-20261202.'],
        ['verifying', at(40), 'Velero restored 3 item(s).'],
        ['cleaning-up', at(60), 'Verified.'],
        ['succeeded', at(70), 'Cleaned up. Verified.'],
      ]);
      // Finished: nobody claims it again.
      expect(
        await store.claimRestoreTests({
          owner: 'two',
          now: at(500),
          leaseMs: LEASE,
          limit: 10,
        }),
      ).toEqual([]);
    });

    it('counts a cluster’s tests by state, and takes a cancel only before clean-up', async () => {
      const { store } = await createStore(databaseId);
      await store.createRestoreTest(newTest(A));
      await store.createRestoreTest(
        newTest(B, at(1), 'component:default/other'),
      );
      await store.claimRestoreTests({
        owner: 'one',
        now: at(2),
        leaseMs: LEASE,
        limit: 1,
      });
      await store.advanceRestoreTest({
        id: A,
        owner: 'one',
        now: at(3),
        leaseMs: LEASE,
        update: { state: 'restoring', message: 'Restoring.' },
      });
      expect(
        await store.countRestoreTests({
          cluster: 'prod',
          states: ['restoring', 'verifying'],
        }),
      ).toBe(1);
      expect(
        await store.countRestoreTests({ cluster: 'prod', states: ['pending'] }),
      ).toBe(1);
      expect(
        await store.countRestoreTests({
          cluster: 'other',
          states: ['pending'],
        }),
      ).toBe(0);
      expect(await store.requestRestoreTestCancel(A)).toBe(true);
      expect((await store.getRestoreTest(A))!.cancelRequested).toBe(true);
      await store.advanceRestoreTest({
        id: A,
        owner: 'one',
        now: at(4),
        leaseMs: LEASE,
        update: {
          state: 'cleaning-up',
          outcome: 'cancelled',
          message: 'Cancelled.',
        },
      });
      expect(await store.requestRestoreTestCancel(A)).toBe(false);
      expect(await store.requestRestoreTestCancel('nope')).toBe(false);
    });

    it('migrates down and up again', async () => {
      const { knex } = await createStore(databaseId);
      await knex.migrate.down({
        directory: `${__dirname}/../../migrations`,
        name: '20261202000000_restore_tests.js',
      });
      expect(await knex.schema.hasTable('resilience_restore_tests')).toBe(
        false,
      );
      await DatabaseResilienceStore.create({
        database: { getClient: async () => knex, migrations: { skip: false } },
      });
      expect(await knex.schema.hasTable('resilience_restore_tests')).toBe(true);
    });
  },
);
