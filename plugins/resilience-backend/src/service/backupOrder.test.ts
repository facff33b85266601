import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EntityResilienceResponse,
  EntityRestoreTestsResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import { startEmulator } from '@internal/resilience-test';
import request from 'supertest';
import { resiliencePlugin } from '../plugin';

jest.setTimeout(90_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const now = Date.now();
const hour = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** Velero names a scheduled backup after the schedule and its start, `daily-20261201020000`. */
const stamp = (ms: number) => iso(ms).replace(/[-:T]/g, '').slice(0, 14);

/**
 * A daily schedule's last six runs of one claim, an hour each; the two newest PartiallyFailed.
 * On the synced cluster, Velero's backup sync recreated every Backup from object storage an
 * hour ago: all share that `creationTimestamp`, and their names, ascending, put the oldest first.
 */
function cluster(id: string, synced: boolean) {
  const runs = [0, 1, 2, 3, 4, 5].map(day => {
    const start = now - (day * 24 + 6) * hour;
    return {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: {
        namespace: 'velero',
        name: `daily-${stamp(start)}`,
        labels: { 'velero.io/schedule-name': 'daily' },
        creationTimestamp: iso(synced ? now - hour : start),
      },
      spec: {
        includedNamespaces: ['payments'],
        storageLocation: 'default',
        ttl: '720h0m0s',
      },
      status: {
        phase: day < 2 ? 'PartiallyFailed' : 'Completed',
        errors: day < 2 ? 3 : 0,
        startTimestamp: iso(start),
        completionTimestamp: iso(start + hour),
        expiration: iso(start + 720 * hour),
        volumeSnapshotsAttempted: 1,
        volumeSnapshotsCompleted: 1,
      },
    };
  });
  return [
    ...['velero', 'payments'].map(name => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    })),
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        namespace: 'payments',
        name: 'data-0',
        labels: { 'backstage.io/kubernetes-id': id },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
      status: { phase: 'Bound' },
    },
    ...runs,
    {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { namespace: 'velero', name: 'daily' },
      spec: {
        schedule: '0 2 * * *',
        template: { includedNamespaces: ['payments'], ttl: '720h0m0s' },
      },
      status: { phase: 'Enabled', lastBackup: iso(now - 6 * hour) },
    },
    {
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: { namespace: 'velero', name: 'default' },
      spec: {
        provider: 'aws',
        default: true,
        objectStorage: { bucket: 'backups' },
      },
      status: { phase: 'Available', lastValidationTime: iso(now) },
    },
  ];
}

const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

describe.each(databases.eachSupportedId())(
  "backups in Velero's order over HTTP, on %s",
  databaseId => {
    let emulators: Array<Awaited<ReturnType<typeof startEmulator>>> = [];
    let dir: string;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

    beforeAll(async () => {
      emulators = [
        await startEmulator({ objects: cluster('ledger', false) }),
        await startEmulator({ objects: cluster('ledger-synced', true) }),
      ];
      dir = await mkdtemp(join(tmpdir(), 'resilience-backup-order-'));
      await writeFile(join(dir, 'original'), emulators[0].kubeconfig());
      await writeFile(join(dir, 'synced'), emulators[1].kubeconfig());
      const knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          resiliencePlugin,
          catalogServiceMock.factory({
            entities: [component('ledger'), component('ledger-synced')],
          }),
          mockServices.database.factory({ knex }),
          mockServices.scheduler.factory({
            includeInitialDelayedTasksOnStartup: true,
          }),
          mockServices.rootConfig.factory({
            data: {
              resilience: {
                clusters: [
                  { name: 'original', kubeconfig: join(dir, 'original') },
                  { name: 'synced', kubeconfig: join(dir, 'synced') },
                ],
                policies: {
                  tiers: {
                    standard: {
                      rpo: { hours: 36 },
                      retention: { days: 7 },
                      recentBackups: 3,
                    },
                  },
                },
              },
            },
          }),
        ],
      }));
    });

    afterAll(async () => {
      await Promise.all(emulators.map(e => e.close()));
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function collected(name: string): Promise<EntityResilienceResponse> {
      for (let attempt = 0; ; attempt++) {
        const res = await request(server).get(
          `/api/resilience/entities/component/default/${name}`,
        );
        expect(res.status).toBe(200);
        const body = res.body as EntityResilienceResponse;
        if (
          body.collection.every(s => s.state !== 'pending') ||
          attempt > 300
        ) {
          return body;
        }
        await new Promise(r => setTimeout(r, 100));
      }
    }
    const restoreTests = async (name: string) =>
      (
        await request(server).get(
          `/api/resilience/entities/component/default/${name}/restore-tests`,
        )
      ).body as EntityRestoreTestsResponse;
    const incident = async (name: string) =>
      (
        await request(server).get(
          `/api/resilience/entities/component/default/${name}/incident`,
        )
      ).body;

    /** What a verdict rests on, without the cluster's name in the sentences. */
    const verdicts = (body: EntityResilienceResponse) => ({
      // Ages are measured at each request, a moment apart: to the hour.
      checks: body.checks.map(c => [
        c.id,
        c.state,
        c.unit === 'seconds' && c.value !== undefined
          ? Math.round(c.value / 3600)
          : c.value,
      ]),
      timeline: body.backups.map(b => [b.name, b.phase]),
      lastGood: body.pvcs.map(p => p.lastGoodBackup?.name),
      ages: body.pvcs.map(p => p.lastGoodBackupAgeSeconds! > 0),
    });

    it('gives a synced cluster the checks, timeline and default backup of the same cluster unsynced', async () => {
      const original = await collected('ledger');
      const synced = await collected('ledger-synced');
      expect(verdicts(synced)).toEqual(verdicts(original));

      const names = [0, 1, 2, 3, 4, 5].map(
        day => `daily-${stamp(now - (day * 24 + 6) * hour)}`,
      );
      // The newest runs failed: a false green if the oldest were taken for the latest.
      expect(
        synced.checks.find(c => c.id === 'backup.recent-failures'),
      ).toMatchObject({ state: 'fail', value: 2 });
      expect(synced.backups.map(b => b.name)).toEqual(names);
      expect(synced.pvcs[0].lastGoodBackup?.name).toBe(names[2]);

      const [tests, testsSynced] = [
        await restoreTests('ledger'),
        await restoreTests('ledger-synced'),
      ];
      expect(testsSynced.candidates.map(c => c.backupName)).toEqual(
        names.slice(2),
      );
      expect(testsSynced.candidates.map(c => c.backupName)).toEqual(
        tests.candidates.map(c => c.backupName),
      );
      expect(testsSynced.defaultBackup?.backupName).toBe(names[2]);
      expect(tests.defaultBackup?.backupName).toBe(names[2]);

      const [view, viewSynced] = [
        await incident('ledger'),
        await incident('ledger-synced'),
      ];
      expect(viewSynced.latestKnownGood?.name ?? null).toEqual(
        view.latestKnownGood?.name ?? null,
      );
    });
  },
);
