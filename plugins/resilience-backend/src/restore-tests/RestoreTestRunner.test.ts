import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  RunningEmulator,
  startEmulator,
  VeleroRestoreOptions,
} from '@internal/resilience-test';
import { DatabaseResilienceStore } from '../database/DatabaseResilienceStore';
import { StoredRestoreTest } from '../database/ResilienceStore';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { testNamespaceMapping } from './manifests';
import { RestoreTestRunner, RestoreTestSettings } from './RestoreTestRunner';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const objects = [
  ...['velero', 'payments'].map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  })),
  {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: { namespace: 'velero', name: 'daily' },
    spec: { includedNamespaces: ['payments'] },
    status: { phase: 'Completed' },
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { namespace: 'payments', name: 'data-ledger-0' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    },
    status: { phase: 'Bound' },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { namespace: 'payments', name: 'ledger' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'ledger' } },
      serviceName: 'ledger',
      template: { metadata: { labels: { app: 'ledger' } }, spec: {} },
    },
  },
];

const SETTINGS: RestoreTestSettings = {
  timeoutMs: 5_000,
  leaseMs: 60_000,
  concurrency: 1,
};

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe.each(databases.eachSupportedId())(
  'restore tests run against the emulator, on %s',
  databaseId => {
    let emulator: RunningEmulator | undefined;
    let dir: string;

    afterEach(async () => {
      await emulator?.close();
      emulator = undefined;
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function setUp(
      velero: Partial<VeleroRestoreOptions> = {},
      extraObjects: object[] = [],
    ) {
      emulator = await startEmulator({
        objects: [...objects, ...extraObjects],
        velero: { restoreDelayMs: 100, readyDelayMs: 100, ...velero },
        namespaceFinalizeMs: 100,
      });
      dir = await mkdtemp(join(tmpdir(), 'resilience-restore-tests-'));
      await writeFile(join(dir, 'token'), emulator.token);
      await writeFile(join(dir, 'ca.crt'), emulator.caPem);
      const client = ClusterClient.create({
        cluster: {
          type: 'url',
          name: 'prod',
          veleroNamespace: 'velero',
          url: emulator.url,
          tokenFile: join(dir, 'token'),
          caFile: join(dir, 'ca.crt'),
          skipTLSVerify: false,
        },
      });
      const knex = await databases.init(databaseId as TestDatabaseId);
      const store = await DatabaseResilienceStore.create({
        database: { getClient: async () => knex, migrations: { skip: false } },
      });
      const finished: StoredRestoreTest[] = [];
      const runner = (owner: string, settings = SETTINGS) =>
        RestoreTestRunner.create({
          store,
          clusters: new Map([['prod', { client, veleroNamespace: 'velero' }]]),
          settings,
          owner,
          logger: mockServices.logger.mock(),
          onFinished: async test => {
            finished.push(test);
          },
        });
      const start = async (
        id = randomUUID(),
        entityRef = 'component:default/ledger',
      ) => {
        const namespaceMapping = testNamespaceMapping({
          prefix: 'restore-test-',
          id,
          sources: ['payments'],
        });
        await store.createRestoreTest({
          id,
          entityRef,
          cluster: 'prod',
          backupName: 'daily',
          namespaceMapping,
          restoreName: Object.values(namespaceMapping)[0],
          createdBy: 'user:default/alice',
          createdAt: new Date(),
          message: 'Started by alice.',
        });
        return { id, namespace: Object.values(namespaceMapping)[0] };
      };
      /** Ticks the runners in turn until the test has ended, or gives up. */
      const runUntilDone = async (id: string, runners: RestoreTestRunner[]) => {
        for (let i = 0; i < 200; i++) {
          await Promise.all(runners.map(r => r.tick()));
          const test = await store.getRestoreTest(id);
          if (['succeeded', 'failed', 'cancelled'].includes(test!.state)) {
            return test!;
          }
          await sleep(50);
        }
        throw new Error(`restore test ${id} did not end`);
      };
      // Read from the emulator's store directly: what exists, Terminating or not.
      const namespaces = async () =>
        emulator!
          .list({ apiVersion: 'v1', kind: 'Namespace' })
          .items.map(n => n.metadata.name!)
          .sort();
      const restoreNames = async () =>
        emulator!
          .list({ apiVersion: 'velero.io/v1', kind: 'Restore' })
          .items.map(r => r.metadata.name!);
      return {
        store,
        runner,
        start,
        runUntilDone,
        finished,
        namespaces,
        restoreNames,
      };
    }

    it('restores, verifies, measures the RTO and cleans up', async () => {
      const t = await setUp();
      const { id, namespace } = await t.start();
      const done = await t.runUntilDone(id, [t.runner('one')]);
      expect(done).toMatchObject({
        state: 'succeeded',
        outcome: 'succeeded',
        velero: { phase: 'Completed', errors: 0, warnings: 0 },
        verification: {
          pvcs: [{ namespace, name: 'data-ledger-0', phase: 'Bound' }],
          workloads: [
            {
              kind: 'StatefulSet',
              namespace,
              name: 'ledger',
              replicas: 1,
              available: 1,
            },
          ],
        },
      });
      expect(done.rtoSeconds).toBeGreaterThanOrEqual(0);
      expect(done.transitions.map(s => s.state)).toEqual([
        'pending',
        'restoring',
        'verifying',
        'cleaning-up',
        'succeeded',
      ]);
      expect(done.outcomeMessage).toMatch(/^Verified: 1 claim\(s\) Bound/);
      // Nothing of the test is left, and the source is as it was.
      expect(await t.namespaces()).toEqual(['default', 'payments', 'velero']);
      expect(await t.restoreNames()).toEqual([]);
      expect(t.finished.map(f => f.id)).toEqual([id]);
    });

    it.each<[string, object, RegExp]>([
      [
        'a restore that partially fails',
        { defaultOutcome: 'partially-fail' },
        /^Velero's restore ended PartiallyFailed: 1 error\(s\)/,
      ],
      [
        'a restore that hangs',
        { defaultOutcome: 'hang' },
        /^Velero's restore did not finish within 5 s \(still InProgress\)/,
      ],
    ])('fails on %s, and still cleans up', async (_, velero, message) => {
      const t = await setUp(velero);
      const { id } = await t.start();
      const done = await t.runUntilDone(id, [t.runner('one')]);
      expect(done).toMatchObject({ state: 'failed', outcome: 'failed' });
      expect(done.outcomeMessage).toMatch(message);
      expect(done.transitions.map(s => s.state)).toEqual([
        'pending',
        'restoring',
        'cleaning-up',
        'failed',
      ]);
      expect(await t.namespaces()).toEqual(['default', 'payments', 'velero']);
      expect(await t.restoreNames()).toEqual([]);
    });

    it('is cancelled while it restores, and cleans up', async () => {
      const t = await setUp({ defaultOutcome: 'hang' });
      const { id } = await t.start();
      const runner = t.runner('one');
      await runner.tick();
      await runner.tick();
      expect((await t.store.getRestoreTest(id))!.state).toBe('restoring');
      expect(await t.store.requestRestoreTestCancel(id)).toBe(true);
      const done = await t.runUntilDone(id, [runner]);
      expect(done).toMatchObject({ state: 'cancelled', outcome: 'cancelled' });
      expect(await t.namespaces()).toEqual(['default', 'payments', 'velero']);
      expect(await t.restoreNames()).toEqual([]);
    });

    it('never restores into a namespace that exists, and leaves it alone', async () => {
      const id = randomUUID();
      const [taken] = Object.values(
        testNamespaceMapping({ prefix: 'restore-test-', id, sources: ['x'] }),
      );
      const t = await setUp({}, [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: taken } },
      ]);
      await t.start(id);
      const done = await t.runUntilDone(id, [t.runner('one')]);
      expect(done.state).toBe('failed');
      expect(done.transitions.at(-1)!.message).toMatch(
        /exists already.*nothing was created/,
      );
      expect(await t.namespaces()).toEqual(
        ['default', 'payments', 'velero', taken].sort(),
      );
      expect(await t.restoreNames()).toEqual([]);
    });

    it('runs each step once with two replicas on one database', async () => {
      const t = await setUp();
      const { id } = await t.start();
      const done = await t.runUntilDone(id, [t.runner('one'), t.runner('two')]);
      expect(done.transitions.map(s => s.state)).toEqual([
        'pending',
        'restoring',
        'verifying',
        'cleaning-up',
        'succeeded',
      ]);
      const posts = emulator!.requests.filter(r => r.method === 'POST');
      expect(posts.map(r => r.path).sort()).toEqual([
        '/api/v1/namespaces',
        '/apis/velero.io/v1/namespaces/velero/restores',
      ]);
      expect(t.finished).toHaveLength(1);
    });

    it('is finished by another replica when the first dies mid-test', async () => {
      const t = await setUp();
      const { id } = await t.start();
      const shortLease = { ...SETTINGS, leaseMs: 300 };
      // The first replica creates the namespace and the Restore, then is gone.
      await t.runner('one', shortLease).tick();
      expect((await t.store.getRestoreTest(id))!.state).toBe('restoring');
      const other = t.runner('two', shortLease);
      // While the lease holds, the other replica does nothing with the test.
      await other.tick();
      expect((await t.store.getRestoreTest(id))!.transitions).toHaveLength(2);
      await sleep(400);
      const done = await t.runUntilDone(id, [other]);
      expect(done.state).toBe('succeeded');
      expect(await t.namespaces()).toEqual(['default', 'payments', 'velero']);
    });

    it('queues a second test of the cluster until the first is over', async () => {
      const t = await setUp();
      const first = await t.start();
      // Requested later: tests asked for in the same millisecond are claimed in either order.
      await sleep(5);
      const second = await t.start(undefined, 'component:default/gateway');
      const runner = t.runner('one');
      await runner.tick();
      expect((await t.store.getRestoreTest(first.id))!.state).toBe('restoring');
      expect((await t.store.getRestoreTest(second.id))!.state).toBe('pending');
      await t.runUntilDone(first.id, [runner]);
      const done = await t.runUntilDone(second.id, [runner]);
      expect(done.state).toBe('succeeded');
    });

    it('sweeps away what finished or unknown tests left behind, and nothing of a test in flight', async () => {
      const labelled = (
        kind: string,
        name: string,
        id: string,
        created = new Date(Date.now() - 86_400_000),
      ) => ({
        apiVersion: kind === 'Namespace' ? 'v1' : 'velero.io/v1',
        kind,
        metadata: {
          name,
          creationTimestamp: created.toISOString(),
          ...(kind === 'Restore' ? { namespace: 'velero' } : {}),
          labels: { 'resilience.io/restore-test-id': id },
        },
        ...(kind === 'Restore' ? { spec: { backupName: 'daily' } } : {}),
      });
      const finishedId = randomUUID();
      const t = await setUp({ defaultOutcome: 'hang' }, [
        labelled('Namespace', 'restore-test-ghost', randomUUID()),
        // Unknown here but new: another portal's test in flight, perhaps.
        labelled('Namespace', 'restore-test-other', randomUUID(), new Date()),
        labelled('Namespace', 'restore-test-old', finishedId),
        labelled('Restore', 'restore-test-old', finishedId),
        // Not a test's: no label, never touched.
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'restore-test-mine' },
        },
      ]);
      // A finished test, and one in flight that has created its namespace and Restore.
      await t.start(finishedId, 'component:default/old');
      await t.store.requestRestoreTestCancel(finishedId);
      const runner = t.runner('one');
      await t.runUntilDone(finishedId, [runner]);
      const { id: flying, namespace } = await t.start();
      await runner.tick();
      expect((await t.store.getRestoreTest(flying))!.state).toBe('restoring');

      expect(await runner.sweep()).toBe(3);
      // Deleted namespaces stay Terminating for a moment, as on a cluster.
      await sleep(400);
      expect(await t.namespaces()).toEqual(
        [
          'default',
          'payments',
          'restore-test-mine',
          'restore-test-other',
          'velero',
          namespace,
        ].sort(),
      );
      expect(await t.restoreNames()).toEqual([namespace]);
      // Nothing more to do.
      expect(await runner.sweep()).toBe(0);
    });
  },
);
