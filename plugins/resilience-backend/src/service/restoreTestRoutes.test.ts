import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  AuditorServiceCreateEventOptions,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityResilienceResponse,
  EntityRestoreTestsResponse,
  RestoreTestSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import { startEmulator } from '@internal/resilience-test';
import request from 'supertest';
import { resiliencePlugin } from '../plugin';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const now = Date.now();
const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();

const backup = (name: string, hours: number, phase = 'Completed') => ({
  apiVersion: 'velero.io/v1',
  kind: 'Backup',
  metadata: { namespace: 'velero', name, creationTimestamp: hoursAgo(hours) },
  spec: { includedNamespaces: ['payments', 'shop'], ttl: '720h0m0s' },
  status: {
    phase,
    startTimestamp: hoursAgo(hours),
    completionTimestamp: hoursAgo(hours - 0.1),
    expiration: hoursAgo(hours - 720),
    volumeSnapshotsAttempted: 1,
    volumeSnapshotsCompleted: phase === 'Completed' ? 1 : 0,
  },
});

const claim = (namespace: string, name: string, id: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { namespace, name, labels: { 'backstage.io/kubernetes-id': id } },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
  },
  status: { phase: 'Bound' },
});

const objects = [
  ...['velero', 'payments', 'shop'].map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  })),
  claim('payments', 'data-ledger-0', 'ledger'),
  claim('shop', 'data-gateway-0', 'gateway'),
  claim('shop', 'data-restricted-0', 'restricted'),
  backup('daily-1', 2),
  backup('daily-2', 26),
  backup('broken-1', 14, 'Failed'),
];

const component = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name, ...annotations },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

const entities = [
  component('ledger', { 'resilience.io/rto': '10m' }),
  component('gateway'),
  component('restricted'),
  component('nothing', { 'backstage.io/kubernetes-id': 'none' }),
];

describe.each(databases.eachSupportedId())(
  'restore tests over HTTP, on %s',
  databaseId => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    let dir: string;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    const audited: Array<{
      eventId: string;
      meta?: unknown;
      outcome?: 'success' | 'fail';
      error?: string;
    }> = [];
    // The test scheduler runs a task only when triggered: the test plays the restore-test task.
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(options: {
        includeInitialDelayedTasksOnStartup?: boolean;
      }): ServiceFactory<SchedulerService>;
    };

    beforeAll(async () => {
      emulator = await startEmulator({
        objects,
        velero: { restoreDelayMs: 100, readyDelayMs: 100 },
      });
      dir = await mkdtemp(join(tmpdir(), 'resilience-restore-routes-'));
      await writeFile(join(dir, 'kubeconfig'), emulator.kubeconfig());
      const knex = await databases.init(databaseId);
      const auditor = mockServices.auditor.mock({
        createEvent: async (options: AuditorServiceCreateEventOptions) => {
          const event: (typeof audited)[number] = {
            eventId: options.eventId,
            meta: options.meta,
          };
          audited.push(event);
          return {
            success: async () => {
              event.outcome = 'success';
            },
            fail: async ({ error }) => {
              event.outcome = 'fail';
              event.error = error.message;
            },
          };
        },
      });
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              'resourceRef' in r &&
              r.resourceRef === 'component:default/restricted'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      });
      ({ server } = await startTestBackend({
        features: [
          resiliencePlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          scheduler.factory({ includeInitialDelayedTasksOnStartup: true }),
          auditor.factory,
          permissions.factory,
          mockServices.rootConfig.factory({
            data: {
              resilience: {
                clusters: [
                  { name: 'emulated', kubeconfig: join(dir, 'kubeconfig') },
                ],
                policies: {
                  tiers: {
                    standard: { rpo: { hours: 24 }, retention: { days: 30 } },
                  },
                },
                restoreTests: {
                  timeout: { seconds: 30 },
                  followInterval: { milliseconds: 200 },
                },
              },
            },
          }),
        ],
      }));
      // Collection runs on start-up: wait until it has stored its results.
      for (let attempt = 0; attempt < 200; attempt++) {
        const res = await request(server).get(
          '/api/resilience/entities/component/default/ledger',
        );
        if (
          (res.body as EntityResilienceResponse).collection?.every(
            s => s.state !== 'pending',
          )
        ) {
          break;
        }
        await new Promise(r => setTimeout(r, 100));
      }
    });

    afterAll(async () => {
      await emulator?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const view = async (name: string) => {
      const res = await request(server).get(
        `/api/resilience/entities/component/default/${name}/restore-tests`,
      );
      expect(res.status).toBe(200);
      return res.body as EntityRestoreTestsResponse;
    };
    const start = (body: object) =>
      request(server).post('/api/resilience/restore-tests').send(body);
    async function finished(id: string): Promise<RestoreTestSummary> {
      for (let attempt = 0; attempt < 200; attempt++) {
        await scheduler.triggerTask('resilience-restore-tests');
        const res = await request(server).get(
          `/api/resilience/restore-tests/${id}`,
        );
        expect(res.status).toBe(200);
        if (['succeeded', 'failed', 'cancelled'].includes(res.body.state)) {
          return res.body;
        }
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`restore test ${id} did not end`);
    }

    it('lists the completed backups a test may restore, and the default with its reason', async () => {
      expect(await view('ledger')).toEqual({
        entityRef: 'component:default/ledger',
        items: [],
        candidates: [
          expect.objectContaining({
            cluster: 'emulated',
            backupName: 'daily-1',
            mark: 'unknown',
          }),
          expect.objectContaining({ backupName: 'daily-2' }),
        ],
        defaultBackup: expect.objectContaining({
          backupName: 'daily-1',
          reason: expect.stringMatching(
            /^The latest completed backup: none is marked known-good/,
          ),
        }),
        rtoTargetSeconds: 600,
        disabledClusters: [],
      });
    });

    it('refuses a user without the permission, and stores nothing', async () => {
      const res = await start({ entityRef: 'component:default/restricted' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'Restore tests of component:default/restricted need the resilience.restore-test.create permission',
      );
      expect((await view('restricted')).items).toEqual([]);
      expect(
        emulator.requests.filter(r => r.method === 'POST').map(r => r.path),
      ).toEqual([]);
      expect(audited.at(-1)).toMatchObject({
        eventId: 'restore-test-create',
        outcome: 'fail',
      });
    });

    it.each<[string, object, number, RegExp]>([
      ['no entityRef', {}, 400, /^entityRef is missing/],
      [
        'an unknown entity',
        { entityRef: 'component:default/ghost' },
        404,
        /No entity component:default\/ghost in the catalog/,
      ],
      [
        'a backup that is not a completed one of the entity',
        { entityRef: 'component:default/ledger', backupName: 'broken-1' },
        400,
        /^broken-1 is not a completed backup of component:default\/ledger/,
      ],
      [
        'an entity without claims',
        { entityRef: 'component:default/nothing' },
        400,
        /has no completed backup to restore/,
      ],
    ])(
      'answers %s with %d and what to fix',
      async (_, body, status, message) => {
        const res = await start(body);
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
      },
    );

    it('refuses a service principal: a person starts a test', async () => {
      const res = await start({ entityRef: 'component:default/ledger' }).set(
        'Authorization',
        mockCredentials.service.header(),
      );
      expect(res.status).toBe(403);
    });

    it('restores the default backup, verifies it and cleans up; the Recovery checks follow', async () => {
      const res = await start({ entityRef: 'component:default/ledger' });
      expect(res.status).toBe(202);
      const started = res.body as RestoreTestSummary;
      expect(started).toMatchObject({
        entityRef: 'component:default/ledger',
        cluster: 'emulated',
        backupName: 'daily-1',
        state: 'pending',
        createdBy: 'user:default/mock',
      });
      expect(Object.keys(started.namespaceMapping)).toEqual(['payments']);
      expect(started.transitions[0].message).toBe(
        'Started by user:default/mock: backup daily-1, by default (the latest completed).',
      );
      const done = await finished(started.id);
      expect(done).toMatchObject({
        state: 'succeeded',
        outcome: 'succeeded',
        verification: {
          pvcs: [
            expect.objectContaining({ name: 'data-ledger-0', phase: 'Bound' }),
          ],
        },
      });
      expect(done.rtoSeconds).toBeGreaterThanOrEqual(0);
      // Nothing of it is left in the cluster.
      expect(
        emulator
          .list({ apiVersion: 'v1', kind: 'Namespace' })
          .items.map(n => n.metadata.name)
          .sort(),
      ).toEqual(['default', 'payments', 'shop', 'velero']);
      const listed = await view('ledger');
      expect(listed.items.map(i => i.id)).toEqual([started.id]);
      expect(listed.expectedSeconds).toBe(done.rtoSeconds);
      const entity = (
        await request(server).get(
          '/api/resilience/entities/component/default/ledger',
        )
      ).body as EntityResilienceResponse;
      expect(entity.recoveryChecks.map(c => [c.id, c.state])).toEqual([
        ['recovery.restore-test-age', 'pass'],
        ['recovery.rto', 'pass'],
      ]);
      expect(
        audited
          .filter(e => e.eventId.startsWith('restore-test-'))
          .slice(-2)
          .map(e => [e.eventId, e.outcome]),
      ).toEqual([
        ['restore-test-create', 'success'],
        ['restore-test-outcome', 'success'],
      ]);

      // Too soon for another of the same entity.
      const again = await start({ entityRef: 'component:default/ledger' });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(
        /resilience\.restoreTests\.minInterval is 10 min/,
      );
    });

    it('cancels a test before it starts, and refuses to cancel it twice', async () => {
      const res = await start({
        entityRef: 'component:default/gateway',
        backupName: 'daily-2',
      });
      expect(res.status).toBe(202);
      const { id } = res.body as RestoreTestSummary;
      // Another while it runs: one at a time per entity.
      const second = await start({ entityRef: 'component:default/gateway' });
      expect(second.status).toBe(409);
      const cancel = await request(server).post(
        `/api/resilience/restore-tests/${id}/cancel`,
      );
      expect(cancel.status).toBe(202);
      const done = await finished(id);
      expect(done).toMatchObject({ state: 'cancelled', backupName: 'daily-2' });
      expect(done.transitions[0].message).toMatch(
        /: backup daily-2, chosen\.$/,
      );
      const twice = await request(server).post(
        `/api/resilience/restore-tests/${id}/cancel`,
      );
      expect(twice.status).toBe(409);
      expect(twice.body.error.message).toMatch(/is cancelled: .*it is over/);
    });

    it('answers 404 for a test that does not exist', async () => {
      const res = await request(server).get(
        '/api/resilience/restore-tests/00000000-0000-4000-8000-000000000000',
      );
      expect(res.status).toBe(404);
    });
  },
);
