import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityScoreResponse } from '@resilience-for-backstage/plugin-resilience-common';
import { RunningEmulator, startEmulator } from '@internal/resilience-test';
import request from 'supertest';
import { resiliencePlugin } from '../plugin';

jest.setTimeout(90_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const hour = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const backup = (name: string, start: number, phase: string) => ({
  apiVersion: 'velero.io/v1',
  kind: 'Backup',
  metadata: {
    namespace: 'velero',
    name,
    labels: { 'velero.io/schedule-name': 'daily' },
    creationTimestamp: iso(start),
  },
  spec: {
    includedNamespaces: ['payments'],
    storageLocation: 'default',
    ttl: '720h0m0s',
  },
  status: {
    phase,
    startTimestamp: iso(start),
    ...(phase === 'InProgress'
      ? {}
      : {
          completionTimestamp: iso(start + 60_000),
          expiration: iso(start + 720 * hour),
        }),
    volumeSnapshotsAttempted: 1,
    volumeSnapshotsCompleted: phase === 'InProgress' ? 0 : 1,
  },
});

/** One claim whose last good backup is 30 hours old: over the RPO of 24 hours. */
function cluster(now: number) {
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
        labels: { 'backstage.io/kubernetes-id': 'ledger' },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
      status: { phase: 'Bound' },
    },
    backup('daily-old', now - 30 * hour, 'Completed'),
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

const ledger = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ledger',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'ledger' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
};

const team = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

describe.each(databases.eachSupportedId())(
  'a backup completing between collections, on %s',
  databaseId => {
    let emulator: RunningEmulator;
    let dir: string;

    beforeEach(async () => {
      emulator = await startEmulator({
        objects: cluster(Date.now()),
        certManager: false,
        velero: false,
      });
      dir = await mkdtemp(join(tmpdir(), 'resilience-freshness-'));
      await writeFile(join(dir, 'kubeconfig'), emulator.kubeconfig());
    });

    afterEach(async () => {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    });

    /** A backend whose one collection runs at its start; nothing collects after but the watches. */
    const backend = async (watch?: boolean) => {
      const scheduler = mockServices.scheduler() as SchedulerService & {
        factory(options: {
          includeInitialDelayedTasksOnStartup?: boolean;
        }): ServiceFactory<SchedulerService>;
      };
      const knex = await databases.init(databaseId);
      const started = await startTestBackend({
        features: [
          resiliencePlugin,
          catalogServiceMock.factory({ entities: [ledger, team] }),
          mockServices.database.factory({ knex }),
          scheduler.factory({ includeInitialDelayedTasksOnStartup: true }),
          mockServices.rootConfig.factory({
            data: {
              resilience: {
                clusters: [
                  { name: 'emulated', kubeconfig: join(dir, 'kubeconfig') },
                ],
                collection: {
                  schedule: {
                    frequency: { hours: 24 },
                    timeout: { minutes: 5 },
                  },
                  ...(watch === undefined ? {} : { watch }),
                },
              },
            },
          }),
        ],
      });
      return {
        server: started.server,
        stop: () => started.stop(),
        scheduler,
      };
    };

    const rpoOf = async (server: Parameters<typeof request>[0]) => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/ledger/score',
      );
      expect(res.status).toBe(200);
      return (res.body as EntityScoreResponse).pillars
        .flatMap(p => p.checks)
        .find(c => c.id === 'backup.rpo');
    };

    const eventually = async <T>(
      probe: () => Promise<T | undefined>,
      what: string,
    ): Promise<T> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`no ${what} within 30 s`);
        await new Promise(r => setTimeout(r, 100));
      }
    };

    /** Velero's run: a Backup created InProgress, ended Completed a moment later. */
    const runBackup = async (server: Parameters<typeof request>[0]) => {
      const start = Date.now();
      emulator.apply(backup('daily-new', start, 'InProgress'));
      await eventually(async () => {
        const res = await request(server).get(
          '/api/resilience/entities/component/default/ledger',
        );
        return res.body.backups?.some(
          (b: { name: string }) => b.name === 'daily-new',
        )
          ? true
          : undefined;
      }, 'backup listed');
      emulator.apply(backup('daily-new', start, 'Completed'));
    };

    it('is scored through the watches, with no collection started', async () => {
      const { server, stop, scheduler } = await backend();
      try {
        const before = await eventually(async () => {
          const rpo = await rpoOf(server);
          return rpo?.state === 'fail' ? rpo : undefined;
        }, 'first collection');
        expect(before.message).toMatch(/RPO/);
        const storedScore = async () => {
          const res = await request(server).get(
            '/api/resilience/groups/default/team-payments/scorecard',
          );
          return res.body.items?.[0]?.score as number | null | undefined;
        };
        // Scored by hand once: from here on, only what the watches set off scores it.
        const scoreBefore = await eventually(async () => {
          await scheduler.triggerTask('resilience-scores').catch(() => {});
          return (await storedScore()) ?? undefined;
        }, 'stored score');
        // The backups as the collection lists them (the watches' own lists have `limit=1`).
        const backupListings = () =>
          emulator.requests.filter(
            r =>
              r.path === '/apis/velero.io/v1/namespaces/velero/backups' &&
              !/(^|&)(watch=true|limit=1)(&|$)/.test(r.query),
          ).length;
        const listingsBefore = backupListings();
        await runBackup(server);
        const after = await eventually(async () => {
          const rpo = await rpoOf(server);
          return rpo?.state === 'pass' ? rpo : undefined;
        }, 'pass after the backup completed');
        expect(after.value).toBeLessThan(3600);
        // Stored from the watch's objects: the backups were not listed again.
        expect(backupListings()).toBe(listingsBefore);
        expect(listingsBefore).toBeGreaterThan(0);
        // The scorecard's stored score is the new one too: stored by the scoring the change set off.
        const scoreAfter = await eventually(async () => {
          const score = await storedScore();
          return typeof score === 'number' && score > scoreBefore
            ? score
            : undefined;
        }, 'a higher stored score');
        expect(scoreAfter).toBeGreaterThan(scoreBefore);
      } finally {
        await stop();
      }
    });

    it('waits for the next collection when watching is off', async () => {
      const { server, stop } = await backend(false);
      try {
        await eventually(async () => {
          const rpo = await rpoOf(server);
          return rpo?.state === 'fail' ? rpo : undefined;
        }, 'first collection');
        const start = Date.now();
        emulator.apply(backup('daily-new', start, 'Completed'));
        // What the watches take well under a second for (the test above) does not come.
        await new Promise(r => setTimeout(r, 3_000));
        expect((await rpoOf(server))?.state).toBe('fail');
        expect(
          emulator.requests.filter(r => /(^|&)watch=true/.test(r.query)),
        ).toEqual([]);
      } finally {
        await stop();
      }
    });
  },
);
