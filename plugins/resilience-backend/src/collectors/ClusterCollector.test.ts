import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { startEmulator } from '@internal/resilience-test';
import { DatabaseResilienceStore } from '../database/DatabaseResilienceStore';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { ClusterConfig } from '../kubernetes/config';
import { ClusterCollector, COLLECTION_SOURCES } from './ClusterCollector';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const ns = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

const pvc = (namespace: string, name: string, id: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { namespace, name, labels: { 'backstage.io/kubernetes-id': id } },
  spec: {
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'standard',
    resources: { requests: { storage: '5Gi' } },
    volumeName: `pv-${name}`,
  },
  status: { phase: 'Bound' },
});

const backup = (name: string, phase: string, completionTimestamp?: string) => ({
  apiVersion: 'velero.io/v1',
  kind: 'Backup',
  metadata: {
    namespace: 'velero',
    name,
    labels: { 'velero.io/schedule-name': 'daily-payments' },
  },
  spec: {
    includedNamespaces: ['payments'],
    storageLocation: 'default',
    ttl: '720h0m0s',
  },
  status: {
    phase,
    startTimestamp: '2026-11-24T02:00:00Z',
    ...(completionTimestamp ? { completionTimestamp } : {}),
  },
});

/** A running pod of the reporting service that opts its exports volume into file-system backup. */
const reportingPod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    namespace: 'payments',
    name,
    labels: { app: 'reporting' },
    annotations: { 'backup.velero.io/backup-volumes': 'exports' },
  },
  spec: {
    containers: [
      {
        name: 'reporting',
        image: 'reporting:1',
        volumeMounts: [{ name: 'exports', mountPath: '/exports' }],
      },
    ],
    volumes: [
      {
        name: 'exports',
        persistentVolumeClaim: { claimName: 'data-ledger-0' },
      },
      { name: 'tmp', emptyDir: {} },
    ],
  },
  status: { phase: 'Running' },
});

const evidence = [
  reportingPod('reporting-0'),
  reportingPod('reporting-1'),
  reportingPod('reporting-2'),
  {
    apiVersion: 'velero.io/v1',
    kind: 'PodVolumeBackup',
    metadata: {
      namespace: 'velero',
      name: 'daily-payments-20261124020000-x7k2p',
      labels: {
        'velero.io/backup-name': 'daily-payments-20261124020000',
        'velero.io/pvc-uid': 'uid-of-data-ledger-0',
      },
    },
    spec: {
      backupStorageLocation: 'default',
      node: 'node-1',
      repoIdentifier: '',
      uploaderType: 'kopia',
      pod: { kind: 'Pod', namespace: 'payments', name: 'reporting-0' },
      volume: 'exports',
    },
    status: { phase: 'Completed' },
  },
  ...[
    [
      'velero-data-ledger-1-abcde',
      { 'velero.io/backup-name': 'daily-payments-20261124020000' },
    ],
    // Not Velero's: the collector does not read it.
    ['manual-snapshot', {}],
  ].map(([name, labels]) => ({
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: { namespace: 'payments', name, labels },
    spec: { source: { persistentVolumeClaimName: 'data-ledger-1' } },
    status: {
      readyToUse: true,
      boundVolumeSnapshotContentName: `content-${name}`,
    },
  })),
  {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: {
      namespace: 'velero',
      name: 'daily-payments-20261122020000-20261124100000',
    },
    spec: {
      backupName: 'daily-payments-20261122020000',
      namespaceMapping: { payments: 'restore-test-payments' },
    },
    status: {
      phase: 'PartiallyFailed',
      startTimestamp: '2026-11-24T10:00:00Z',
      completionTimestamp: '2026-11-24T10:06:00Z',
      errors: 1,
      warnings: 4,
    },
  },
];

const objects = [
  ns('velero'),
  ns('payments'),
  ns('search'),
  pvc('payments', 'data-ledger-0', 'ledger'),
  pvc('payments', 'data-ledger-1', 'ledger'),
  pvc('search', 'index-0', 'search'),
  backup('daily-payments-20261122020000', 'Completed', '2026-11-22T02:03:00Z'),
  backup(
    'daily-payments-20261123020000',
    'PartiallyFailed',
    '2026-11-23T02:03:00Z',
  ),
  backup('daily-payments-20261124020000', 'Completed', '2026-11-24T02:03:00Z'),
  {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { namespace: 'velero', name: 'daily-payments' },
    spec: {
      schedule: '0 2 * * *',
      paused: false,
      template: { includedNamespaces: ['payments'], ttl: '720h0m0s' },
    },
  },
];

async function setUp(
  databaseId: TestDatabaseId,
  options: { crdDirs?: string[]; objects?: object[] } = {},
) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  const emulator = await startEmulator({ objects, ...options });

  const dir = await mkdtemp(join(tmpdir(), 'resilience-collector-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, emulator.kubeconfig());
  const collectorFor = (cluster: ClusterConfig, pageSize = 2) =>
    ClusterCollector.create({
      client: ClusterClient.create({ cluster, pageSize }),
      veleroNamespace: 'velero',
      store,
      logger: mockServices.logger.mock(),
    });
  const collector = collectorFor({
    type: 'kubeconfig',
    name: 'emulated',
    veleroNamespace: 'velero',
    kubeconfigPath,
  });
  const cleanUp = async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { knex, store, emulator, dir, collector, collectorFor, cleanUp };
}

describe.each(databases.eachSupportedId())(
  'ClusterCollector against the emulator, on %s',
  databaseId => {
    it('collects backups, schedules and PVCs with paged lists', async () => {
      const { store, knex, emulator, collector, cleanUp } = await setUp(
        databaseId,
      );
      try {
        await collector.collect();

        const status = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        expect(status.map(s => [s.source, s.state, s.itemCount])).toEqual([
          ['backup-storage-locations', 'ok', 0],
          ['certificate-requests', 'ok', 0],
          ['certificates', 'ok', 0],
          ['cluster-issuers', 'ok', 0],
          ['data-uploads', 'ok', 0],
          ['ingresses', 'ok', 0],
          ['issuers', 'ok', 0],
          ['namespaces', 'ok', 4],
          ['persistent-volume-claims', 'ok', 3],
          ['persistent-volumes', 'ok', 0],
          ['pod-volume-backups', 'ok', 0],
          ['pods', 'ok', 0],
          ['tls-secrets', 'ok', 0],
          ['velero-backups', 'ok', 3],
          ['velero-restores', 'ok', 0],
          ['velero-schedules', 'ok', 1],
          ['volume-snapshot-contents', 'ok', 0],
          ['volume-snapshots', 'ok', 0],
        ]);
        const completed = await store.listBackups({
          cluster: 'emulated',
          completed: true,
          limit: 10,
          offset: 0,
        });
        expect(completed.map(b => b.name)).toEqual([
          'daily-payments-20261124020000',
          'daily-payments-20261122020000',
        ]);
        expect(completed[0]).toMatchObject({
          scheduleName: 'daily-payments',
          storageLocation: 'default',
          selection: { includedNamespaces: ['payments'] },
          completedAt: new Date('2026-11-24T02:03:00Z'),
        });
        const ledger = await store.listPvcs({
          clusters: ['emulated'],
          kubernetesId: 'ledger',
        });
        expect(
          ledger.map(p => [p.namespace, p.name, p.phase, p.capacity]),
        ).toEqual([
          ['payments', 'data-ledger-0', 'Bound', '5Gi'],
          ['payments', 'data-ledger-1', 'Bound', '5Gi'],
        ]);
        const [schedule] = await knex('resilience_schedules');
        expect(schedule).toMatchObject({
          name: 'daily-payments',
          schedule: '0 2 * * *',
        });

        // Three backups with pages of two: the second page was asked for with a continue token.
        const backupLists = emulator.requests.filter(
          r =>
            r.method === 'GET' &&
            r.path === '/apis/velero.io/v1/namespaces/velero/backups',
        );
        expect(backupLists.length).toBe(2);
        expect(backupLists[1].query).toMatch(/continue=/);
      } finally {
        await cleanUp();
      }
    });

    it('collects pods, namespaces, pod volume backups, Velero-made volume snapshots and restores', async () => {
      const { store, knex, emulator, collector, cleanUp } = await setUp(
        databaseId,
        { objects: [...objects, ...evidence] },
      );
      try {
        await collector.collect();
        const status = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        expect(
          status
            .filter(s =>
              [
                'pods',
                'namespaces',
                'pod-volume-backups',
                'volume-snapshots',
                'velero-restores',
              ].includes(s.source),
            )
            .map(s => [s.source, s.state, s.itemCount]),
        ).toEqual([
          ['namespaces', 'ok', 4],
          ['pod-volume-backups', 'ok', 1],
          ['pods', 'ok', 3],
          ['velero-restores', 'ok', 1],
          ['volume-snapshots', 'ok', 1],
        ]);
        const pods = await store.listPods({
          cluster: 'emulated',
          namespaces: ['payments'],
        });
        expect(pods.map(p => p.name)).toEqual([
          'reporting-0',
          'reporting-1',
          'reporting-2',
        ]);
        expect(pods[0]).toMatchObject({
          labels: { app: 'reporting' },
          phase: 'Running',
          backupVolumes: ['exports'],
          backupVolumesExcludes: [],
          claims: { exports: 'data-ledger-0' },
        });
        // Three pods with pages of two: the pod list was paged too.
        const podLists = emulator.requests.filter(
          r => r.path === '/api/v1/pods',
        );
        expect(podLists.map(r => /continue=/.test(r.query))).toEqual([
          false,
          true,
        ]);
        expect(
          (await store.listNamespaces({ cluster: 'emulated' })).map(n => [
            n.name,
            n.namespace,
          ]),
        ).toEqual([
          ['default', ''],
          ['payments', ''],
          ['search', ''],
          ['velero', ''],
        ]);
        const backupName = 'daily-payments-20261124020000';
        expect(
          await store.listPodVolumeBackups({
            cluster: 'emulated',
            backupNames: [backupName],
          }),
        ).toEqual([
          expect.objectContaining({
            name: 'daily-payments-20261124020000-x7k2p',
            podNamespace: 'payments',
            podName: 'reporting-0',
            volume: 'exports',
            pvcUid: 'uid-of-data-ledger-0',
            phase: 'Completed',
          }),
        ]);
        expect(
          await store.listVolumeSnapshots({
            cluster: 'emulated',
            backupNames: [backupName],
          }),
        ).toEqual([
          expect.objectContaining({
            namespace: 'payments',
            name: 'velero-data-ledger-1-abcde',
            sourcePvc: 'data-ledger-1',
            readyToUse: true,
            contentName: 'content-velero-data-ledger-1-abcde',
          }),
        ]);
        expect(await store.listRestores({ cluster: 'emulated' })).toEqual([
          expect.objectContaining({
            backupName: 'daily-payments-20261122020000',
            namespaceMapping: { payments: 'restore-test-payments' },
            phase: 'PartiallyFailed',
            startedAt: new Date('2026-11-24T10:00:00Z'),
            completedAt: new Date('2026-11-24T10:06:00Z'),
            errors: 1,
            warnings: 4,
          }),
        ]);

        // A pod that goes leaves nothing behind; a restore that goes is kept as history.
        await emulator.delete({
          apiVersion: 'v1',
          kind: 'Pod',
          namespace: 'payments',
          name: 'reporting-1',
        });
        await emulator.delete({
          apiVersion: 'velero.io/v1',
          kind: 'Restore',
          namespace: 'velero',
          name: 'daily-payments-20261122020000-20261124100000',
        });
        await collector.collect();
        expect((await knex('resilience_pods')).map(r => r.name).sort()).toEqual(
          ['reporting-0', 'reporting-2'],
        );
        expect(await store.listRestores({ cluster: 'emulated' })).toEqual([]);
        expect(await knex('resilience_restores')).toHaveLength(1);
      } finally {
        await cleanUp();
      }
    });

    it('keeps the pods, marked stale, when pods become forbidden', async () => {
      const { store, emulator, collector, cleanUp } = await setUp(databaseId, {
        objects: [...objects, ...evidence],
      });
      try {
        await collector.collect();
        emulator.forbid({ group: '', resource: 'pods' });
        await emulator.delete({
          apiVersion: 'v1',
          kind: 'Pod',
          namespace: 'payments',
          name: 'reporting-1',
        });
        await collector.collect();
        const status = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        expect(status.find(s => s.source === 'pods')).toMatchObject({
          state: 'forbidden',
          itemCount: 3,
        });
        expect(
          await store.listPods({
            cluster: 'emulated',
            namespaces: ['payments'],
          }),
        ).toHaveLength(3);
      } finally {
        await cleanUp();
      }
    });

    it('keeps the facts, marked stale, when a source becomes forbidden, and notices deletions after', async () => {
      const { store, emulator, collector, cleanUp } = await setUp(databaseId);
      try {
        await collector.collect();
        emulator.forbid({ group: 'velero.io', resource: 'backups' });
        await emulator.delete({
          apiVersion: 'velero.io/v1',
          kind: 'Backup',
          namespace: 'velero',
          name: 'daily-payments-20261124020000',
        });
        await collector.collect();

        const status = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        const backups = status.find(s => s.source === 'velero-backups')!;
        expect(backups.state).toBe('forbidden');
        expect(backups.message).toMatch(/forbidden \(403\)/);
        expect(backups.lastSuccessAt).toBeDefined();
        expect(
          status.find(s => s.source === 'persistent-volume-claims')!.state,
        ).toBe('ok');
        expect(
          await store.listBackups({
            cluster: 'emulated',
            completed: true,
            limit: 10,
            offset: 0,
          }),
        ).toHaveLength(2);

        emulator.clearForbid();
        await collector.collect();
        const after = await store.listBackups({
          cluster: 'emulated',
          completed: true,
          limit: 10,
          offset: 0,
        });
        expect(after.map(b => b.name)).toEqual([
          'daily-payments-20261122020000',
        ]);
      } finally {
        await cleanUp();
      }
    });

    it.each([
      ['a 500 on the second page', { status: 500 }, /HTTP 500/],
      [
        'a connection dropped on the second page',
        { reset: true },
        /socket hang up|ECONNRESET/,
      ],
    ])(
      'keeps every backup, marked stale, after %s, instead of storing a partial list',
      async (_, fault, message) => {
        const { store, emulator, collector, cleanUp } = await setUp(databaseId);
        try {
          await collector.collect();
          emulator.injectFault({
            pathPrefix: '/apis/velero.io/v1/namespaces/velero/backups',
            after: 1,
            ...fault,
          });
          await collector.collect();
          const status = await store.listCollectionStatus({
            clusters: ['emulated'],
          });
          const backups = status.find(s => s.source === 'velero-backups')!;
          expect(backups.state).toBe('error');
          expect(backups.message).toMatch(message);
          expect(backups.itemCount).toBe(3);
          expect(backups.lastSuccessAt!.getTime()).toBeLessThan(
            backups.lastAttemptAt.getTime(),
          );
          expect(
            await store.listBackups({
              cluster: 'emulated',
              completed: true,
              limit: 10,
              offset: 0,
            }),
          ).toHaveLength(2);
          expect(
            status.find(s => s.source === 'persistent-volume-claims')!.state,
          ).toBe('ok');
        } finally {
          await cleanUp();
        }
      },
    );

    it('restarts a list whose continue token expired mid-way, and stores it whole', async () => {
      const { store, emulator, collector, cleanUp } = await setUp(databaseId);
      try {
        emulator.injectFault({
          pathPrefix: '/apis/velero.io/v1/namespaces/velero/backups',
          after: 1,
          status: 410,
          times: 1,
        });
        await collector.collect();
        const backupLists = emulator.requests.filter(
          r => r.path === '/apis/velero.io/v1/namespaces/velero/backups',
        );
        // Page 1, page 2 refused as expired, then page 1 and page 2 again.
        expect(backupLists.map(r => /continue=/.test(r.query))).toEqual([
          false,
          true,
          false,
          true,
        ]);
        const status = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        expect(status.find(s => s.source === 'velero-backups')).toMatchObject({
          state: 'ok',
          itemCount: 3,
        });
      } finally {
        await cleanUp();
      }
    });

    it('keeps the history of expired backups for the retention, then forgets them', async () => {
      const { store, knex, emulator, dir, cleanUp } = await setUp(databaseId);
      try {
        let now = new Date('2026-11-25T00:00:00Z');
        const collector = ClusterCollector.create({
          client: ClusterClient.create({
            cluster: {
              type: 'kubeconfig',
              name: 'emulated',
              veleroNamespace: 'velero',
              kubeconfigPath: join(dir, 'kubeconfig'),
            },
          }),
          veleroNamespace: 'velero',
          store,
          logger: mockServices.logger.mock(),
          now: () => now,
          historyRetentionMs: 30 * 86_400_000,
        });
        await collector.collect();
        await emulator.delete({
          apiVersion: 'velero.io/v1',
          kind: 'Backup',
          namespace: 'velero',
          name: 'daily-payments-20261122020000',
        });
        now = new Date('2026-11-26T00:00:00Z');
        await collector.collect();
        const kept = await knex('resilience_backups').where({
          name: 'daily-payments-20261122020000',
        });
        expect(kept).toHaveLength(1);
        expect(kept[0].deleted_at).not.toBeNull();

        now = new Date('2026-12-27T00:00:00Z');
        await collector.collect();
        expect(
          await knex('resilience_backups').where({
            name: 'daily-payments-20261122020000',
          }),
        ).toHaveLength(0);
        expect(await knex('resilience_backups')).toHaveLength(2);
      } finally {
        await cleanUp();
      }
    });

    it('reports Velero and cert-manager as not installed when their CRDs are missing, and still collects PVCs, TLS Secrets and Ingresses', async () => {
      const { store, collector, cleanUp } = await setUp(databaseId, {
        crdDirs: [],
        objects: objects.filter(o => o.apiVersion === 'v1'),
      });
      try {
        await collector.collect();
        const status = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        expect(status.map(s => [s.source, s.state])).toEqual([
          ['backup-storage-locations', 'not-installed'],
          ['certificate-requests', 'not-installed'],
          ['certificates', 'not-installed'],
          ['cluster-issuers', 'not-installed'],
          ['data-uploads', 'not-installed'],
          ['ingresses', 'ok'],
          ['issuers', 'not-installed'],
          ['namespaces', 'ok'],
          ['persistent-volume-claims', 'ok'],
          ['persistent-volumes', 'ok'],
          ['pod-volume-backups', 'not-installed'],
          ['pods', 'ok'],
          ['tls-secrets', 'ok'],
          ['velero-backups', 'not-installed'],
          ['velero-restores', 'not-installed'],
          ['velero-schedules', 'not-installed'],
          ['volume-snapshot-contents', 'not-installed'],
          ['volume-snapshots', 'not-installed'],
        ]);
        expect(
          status.find(s => s.source === 'velero-backups')?.message,
        ).toMatch(/is its CRD installed\?/);
      } finally {
        await cleanUp();
      }
    });

    it('follows a rotated token file without a restart', async () => {
      const { store, emulator, dir, collectorFor, cleanUp } = await setUp(
        databaseId,
      );
      try {
        const tokenFile = join(dir, 'token');
        const caFile = join(dir, 'ca.crt');
        await writeFile(tokenFile, `${emulator.token}\n`);
        await writeFile(caFile, emulator.caPem);
        const collector = collectorFor({
          type: 'url',
          name: 'emulated',
          veleroNamespace: 'velero',
          url: emulator.url,
          tokenFile,
          caFile,
          skipTLSVerify: false,
        });
        await collector.collect();
        expect(
          (await store.listCollectionStatus({ clusters: ['emulated'] })).every(
            s => s.state === 'ok',
          ),
        ).toBe(true);

        const newToken = emulator.rotateToken();
        await collector.collect();
        const rejected = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        expect(rejected.map(s => s.state)).toEqual(
          Array(COLLECTION_SOURCES.length).fill('error'),
        );
        expect(rejected[0].message).toMatch(/rejected the credentials \(401\)/);

        await writeFile(tokenFile, newToken);
        await collector.collect();
        expect(
          (await store.listCollectionStatus({ clusters: ['emulated'] })).every(
            s => s.state === 'ok',
          ),
        ).toBe(true);
      } finally {
        await cleanUp();
      }
    });

    it('finishes a collection across a rotation of the CA and the token, and the next one without a restart', async () => {
      const { store, emulator, dir, cleanUp } = await setUp(databaseId);
      try {
        const tokenFile = join(dir, 'token');
        const caFile = join(dir, 'ca.crt');
        await writeFile(tokenFile, emulator.token);
        await writeFile(caFile, emulator.caPem);
        const clientLogger = mockServices.logger.mock();
        const collector = ClusterCollector.create({
          client: ClusterClient.create({
            cluster: {
              type: 'url',
              name: 'emulated',
              veleroNamespace: 'velero',
              url: emulator.url,
              tokenFile,
              caFile,
              skipTLSVerify: false,
            },
            pageSize: 2,
            logger: clientLogger,
          }),
          veleroNamespace: 'velero',
          store,
          logger: mockServices.logger.mock(),
        });
        // After the first page of backups, once the client has read its credentials for the
        // second page and connects to send it, the cluster rotates its CA and the token, and the
        // kubelet writes both to the files.
        const stop = emulator.onResponse(request => {
          if (request.path === '/apis/velero.io/v1/namespaces/velero/backups') {
            stop();
            const stopConnection = emulator.onConnection(() => {
              stopConnection();
              writeFileSync(caFile, emulator.rotateCertificateAuthority());
              writeFileSync(tokenFile, emulator.rotateToken());
            });
          }
        });

        await collector.collect();

        const status = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        expect(status.every(s => s.state === 'ok')).toBe(true);
        expect(status.find(s => s.source === 'velero-backups')?.itemCount).toBe(
          3,
        );
        const retries = () =>
          clientLogger.info.mock.calls.filter(([message]) =>
            /retrying it once/.test(message),
          );
        expect(retries()).toHaveLength(1);
        expect(emulator.requests.filter(r => r.status !== 200)).toEqual([]);

        const attempted = status[0].lastAttemptAt.getTime();
        await collector.collect();
        const next = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        expect(next.every(s => s.state === 'ok')).toBe(true);
        expect(next[0].lastAttemptAt.getTime()).toBeGreaterThanOrEqual(
          attempted,
        );
        expect(retries()).toHaveLength(1);
      } finally {
        await cleanUp();
      }
    });

    it('records an unreachable cluster as an error of every source', async () => {
      const { store, emulator, collectorFor, cleanUp } = await setUp(
        databaseId,
      );
      const url = emulator.url;
      await cleanUp();
      const collector = collectorFor({
        type: 'url',
        name: 'emulated',
        veleroNamespace: 'velero',
        url,
        token: 'x',
        skipTLSVerify: true,
      });
      await collector.collect();
      const status = await store.listCollectionStatus({
        clusters: ['emulated'],
      });
      expect(status.map(s => s.state)).toEqual(
        Array(COLLECTION_SOURCES.length).fill('error'),
      );
      expect(status[0].lastSuccessAt).toBeUndefined();
    });
  },
);
