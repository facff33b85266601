import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RestoreTestSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { startEmulator } from '@internal/resilience-test';
import { Knex } from 'knex';
import request from 'supertest';
import { resiliencePlugin } from '../plugin';

jest.setTimeout(120_000);

/** Two replicas share one database in production: PostgreSQL. */
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const ids = databases.eachSupportedId();

const now = Date.now();
const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();

const objects = [
  ...['velero', 'payments', 'shop'].map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  })),
  ...[
    ['payments', 'ledger'],
    ['shop', 'gateway'],
  ].map(([namespace, id]) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      namespace,
      name: `data-${id}-0`,
      labels: { 'backstage.io/kubernetes-id': id },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    },
    status: { phase: 'Bound' },
  })),
  {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      namespace: 'velero',
      name: 'daily-1',
      creationTimestamp: hoursAgo(2),
    },
    spec: { includedNamespaces: ['payments', 'shop'], ttl: '720h0m0s' },
    status: {
      phase: 'Completed',
      startTimestamp: hoursAgo(2),
      completionTimestamp: hoursAgo(1.9),
      expiration: hoursAgo(-718),
      volumeSnapshotsAttempted: 2,
      volumeSnapshotsCompleted: 2,
    },
  },
];

const entities = ['ledger', 'gateway'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
}));

type MockScheduler = SchedulerService & {
  factory(options: {
    includeInitialDelayedTasksOnStartup?: boolean;
  }): ServiceFactory<SchedulerService>;
};

const LEASE_MS = 1_500;

/**
 * Two backend instances of the plugin on one PostgreSQL and one cluster, as two replicas: each
 * runs its own restore-test task, which the test triggers as their schedulers would.
 */
(ids.length ? describe : describe.skip)(
  'restore tests with two backend instances on one PostgreSQL',
  () => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    let dir: string;
    let knex: Knex;
    const replicas: Array<{
      scheduler: MockScheduler;
      server: Awaited<ReturnType<typeof startTestBackend>>['server'];
      stop: () => Promise<void>;
    }> = [];

    beforeAll(async () => {
      emulator = await startEmulator({
        objects,
        velero: { restoreDelayMs: 100, readyDelayMs: 100 },
        namespaceFinalizeMs: 100,
      });
      dir = await mkdtemp(join(tmpdir(), 'resilience-replicas-'));
      await writeFile(join(dir, 'kubeconfig'), emulator.kubeconfig());
      knex = await databases.init(ids[0][0]);
      for (let i = 0; i < 2; i++) {
        const scheduler = mockServices.scheduler() as MockScheduler;
        const backend = await startTestBackend({
          features: [
            resiliencePlugin,
            catalogServiceMock.factory({ entities }),
            mockServices.database.factory({ knex }),
            scheduler.factory({ includeInitialDelayedTasksOnStartup: false }),
            mockServices.rootConfig.factory({
              data: {
                resilience: {
                  clusters: [
                    { name: 'emulated', kubeconfig: join(dir, 'kubeconfig') },
                  ],
                  restoreTests: {
                    timeout: { seconds: 30 },
                    followInterval: { milliseconds: 200 },
                    lease: { milliseconds: LEASE_MS },
                    concurrency: 2,
                  },
                },
              },
            }),
          ],
        });
        replicas.push({
          scheduler,
          server: backend.server,
          stop: () => backend.stop(),
        });
      }
      // One collection is enough for both: they share the database.
      await replicas[0].scheduler.triggerTask('resilience-collect-emulated');
    });

    afterAll(async () => {
      for (const replica of replicas.slice(1)) await replica.stop();
      await emulator?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const tick = (replica: number) =>
      replicas[replica].scheduler.triggerTask('resilience-restore-tests');
    const test = async (id: string) =>
      (
        await request(replicas[1].server).get(
          `/api/resilience/restore-tests/${id}`,
        )
      ).body as RestoreTestSummary;
    const start = async (replica: number, entity: string) => {
      const res = await request(replicas[replica].server)
        .post('/api/resilience/restore-tests')
        .send({ entityRef: `component:default/${entity}` });
      expect(res.status).toBe(202);
      return res.body as RestoreTestSummary;
    };
    const posts = (path: string) =>
      emulator.requests.filter(r => r.method === 'POST' && r.path === path)
        .length;
    const final = (t: RestoreTestSummary) =>
      ['succeeded', 'failed', 'cancelled'].includes(t.state);

    it('runs each step once while both replicas advance the tests', async () => {
      const started = await start(0, 'gateway');
      for (let i = 0; i < 200 && !final(await test(started.id)); i++) {
        await Promise.all([tick(0), tick(1)]);
        await new Promise(r => setTimeout(r, 50));
      }
      const done = await test(started.id);
      expect(done.transitions.map(t => t.state)).toEqual([
        'pending',
        'restoring',
        'verifying',
        'cleaning-up',
        'succeeded',
      ]);
      expect(posts('/api/v1/namespaces')).toBe(1);
      expect(posts('/apis/velero.io/v1/namespaces/velero/restores')).toBe(1);
    });

    it('is finished and cleaned up by the other replica when the first stops mid-test', async () => {
      const namespacesBefore = posts('/api/v1/namespaces');
      const started = await start(0, 'ledger');
      // The request advances the new test at once on the replica that took it (its task is
      // triggered and awaited): that replica creates the test namespace and the Restore, then
      // stops. Another tick here could already see the Restore finished and move on.
      const midway = await test(started.id);
      expect(midway.state).toBe('restoring');
      await replicas[0].stop();
      // While its lease holds, the other replica leaves the test alone.
      await tick(1);
      expect((await test(started.id)).transitions).toHaveLength(2);
      await new Promise(r => setTimeout(r, LEASE_MS + 200));
      for (let i = 0; i < 200 && !final(await test(started.id)); i++) {
        await tick(1);
        await new Promise(r => setTimeout(r, 50));
      }
      const done = await test(started.id);
      expect(done.transitions.map(t => t.state)).toEqual([
        'pending',
        'restoring',
        'verifying',
        'cleaning-up',
        'succeeded',
      ]);
      expect(posts('/api/v1/namespaces')).toBe(namespacesBefore + 1);
      // Nothing of either test is left in the cluster.
      await new Promise(r => setTimeout(r, 300));
      expect(
        emulator
          .list({ apiVersion: 'v1', kind: 'Namespace' })
          .items.map(n => n.metadata.name)
          .sort(),
      ).toEqual(['default', 'payments', 'shop', 'velero']);
      expect(
        emulator.list({ apiVersion: 'velero.io/v1', kind: 'Restore' }).items,
      ).toEqual([]);
    });
  },
);
