import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityResilienceResponse } from '@resilience-for-backstage/plugin-resilience-common';
import { startEmulator } from '@internal/resilience-test';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { COLLECTION_SOURCES } from './collectors/ClusterCollector';
import { readEntityCacheTtl, resiliencePlugin } from './plugin';
import { ConfigReader } from '@backstage/config';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3_600_000).toISOString();

const objects = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'velero' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } },
  ...['data-ledger-0', 'scratch'].map(name => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      namespace: 'payments',
      name,
      labels: {
        'backstage.io/kubernetes-id': 'ledger',
        ...(name === 'scratch' ? { tier: 'scratch' } : {}),
      },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '5Gi' } },
      volumeName: `pv-${name}`,
    },
    status: { phase: 'Bound' },
  })),
  ...[
    // The newest completed backup saved the claim objects but no volume data: not a recovery point.
    ['objects-only', 'Completed', 0.5, { snapshotVolumes: false }],
    ['nightly-new', 'Completed', 3, {}],
    ['nightly-failed', 'Failed', 1, {}],
    ['nightly-old', 'Completed', 27, {}],
    // Excludes the scratch volume by label, so it is covered only by the older backup.
    [
      'tiered',
      'Completed',
      2,
      {
        labelSelector: {
          matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }],
        },
      },
    ],
  ].map(([name, phase, age, extra]) => ({
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      namespace: 'velero',
      name,
      creationTimestamp: hoursAgo((age as number) + 1),
    },
    spec: { includedNamespaces: ['payments'], ...(extra as object) },
    status: {
      phase,
      startTimestamp: hoursAgo((age as number) + 1),
      completionTimestamp: hoursAgo(age as number),
      csiVolumeSnapshotsCompleted: name === 'objects-only' ? 0 : 2,
    },
  })),
];

/**
 * CSI evidence: each claim's volume, and the snapshot contents Velero kept. `tiered` holds a
 * ready snapshot of data-ledger-0; `nightly-new` snapshotted only another volume, so it did not
 * capture scratch, whatever its counts say.
 */
const evidence = [
  ...['data-ledger-0', 'scratch'].map(name => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `pv-${name}` },
    spec: {
      capacity: { storage: '5Gi' },
      accessModes: ['ReadWriteOnce'],
      csi: { driver: 'ebs.csi.aws.com', volumeHandle: `vol-${name}` },
      claimRef: { namespace: 'payments', name },
    },
  })),
  ...[
    ['tiered', 'vol-data-ledger-0'],
    ['nightly-new', 'vol-somebody-else'],
  ].map(([backup, volumeHandle]) => ({
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshotContent',
    metadata: {
      name: `snapcontent-${backup}`,
      labels: { 'velero.io/backup-name': backup },
    },
    spec: {
      deletionPolicy: 'Retain',
      driver: 'ebs.csi.aws.com',
      source: { volumeHandle },
      volumeSnapshotRef: {
        kind: 'VolumeSnapshot',
        namespace: 'payments',
        name: `velero-${backup}`,
      },
    },
    status: { readyToUse: true },
  })),
  // With snapshot data movement the snapshot objects go and a DataUpload stays.
  {
    apiVersion: 'velero.io/v2alpha1',
    kind: 'DataUpload',
    metadata: {
      namespace: 'velero',
      name: 'du-nightly-old',
      labels: { 'velero.io/backup-name': 'nightly-old' },
    },
    spec: {
      backupStorageLocation: 'default',
      operationTimeout: '10m0s',
      snapshotType: 'CSI',
      sourceNamespace: 'payments',
      sourcePVC: 'scratch',
    },
    status: { phase: 'Completed' },
  },
];

/** A daily schedule of the payments namespace, and the location its backups go to. */
const scheduling = [
  {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { namespace: 'velero', name: 'daily-payments' },
    spec: {
      schedule: '0 2 * * *',
      template: {
        includedNamespaces: ['payments'],
        ttl: '720h0m0s',
        storageLocation: 'default',
      },
    },
    status: { phase: 'Enabled', lastBackup: hoursAgo(3) },
  },
  // Selects pods by label: the cart's claim carries no such label, its pod does.
  {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { namespace: 'velero', name: 'hourly-shop' },
    spec: {
      schedule: '@hourly',
      template: {
        includedNamespaces: ['shop'],
        labelSelector: { matchLabels: { backup: 'hourly' } },
        ttl: '48h0m0s',
      },
    },
    status: { phase: 'Enabled' },
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
    status: { phase: 'Available', lastValidationTime: hoursAgo(0.1) },
  },
];

const uncovered = [
  // No backup includes the archive namespace.
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      namespace: 'archive',
      name: 'archive-data',
      labels: { 'backstage.io/kubernetes-id': 'archive' },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    },
  },
  // The reports namespace is only ever backed up without its volume data.
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      namespace: 'reports',
      name: 'exports',
      labels: { 'backstage.io/kubernetes-id': 'reports' },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    },
  },
  {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: { namespace: 'velero', name: 'reports-manifests' },
    spec: { includedNamespaces: ['reports'], snapshotVolumes: false },
    status: {
      phase: 'Completed',
      startTimestamp: hoursAgo(5),
      completionTimestamp: hoursAgo(4),
    },
  },
];

/**
 * File-system backup: the reporting pod opts its exports volume in. The newest backup's
 * PodVolumeBackup of the claim failed, the one before completed. In the shop namespace, a
 * label-selected backup selects the cart pod, not the claim, and brings the claim in through it.
 */
const fileSystem = [
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      namespace: 'reporting',
      name: 'exports',
      uid: 'uid-exports',
      labels: { 'backstage.io/kubernetes-id': 'exports' },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      namespace: 'shop',
      name: 'cart-sessions',
      labels: { 'backstage.io/kubernetes-id': 'cart' },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    },
  },
  ...[
    ['reporting', 'reporting-0', 'exports', { app: 'reporting' }],
    ['shop', 'cart-0', 'cart-sessions', { app: 'cart', backup: 'hourly' }],
  ].map(([namespace, name, claimName, labels]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace,
      name,
      labels,
      annotations: { 'backup.velero.io/backup-volumes': 'data' },
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'app:1',
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    },
    status: { phase: 'Running' },
  })),
  ...[
    ['fs-failed', 1, { includedNamespaces: ['reporting'] }],
    ['fs-good', 5, { includedNamespaces: ['reporting'] }],
    [
      'hourly-cart',
      2,
      {
        includedNamespaces: ['shop'],
        labelSelector: { matchLabels: { backup: 'hourly' } },
      },
    ],
  ].map(([name, age, spec]) => ({
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: { namespace: 'velero', name },
    spec,
    status: {
      phase: 'Completed',
      startTimestamp: hoursAgo((age as number) + 1),
      completionTimestamp: hoursAgo(age as number),
    },
  })),
  ...[
    ['fs-failed', 'Failed'],
    ['fs-good', 'Completed'],
  ].map(([backup, phase]) => ({
    apiVersion: 'velero.io/v1',
    kind: 'PodVolumeBackup',
    metadata: {
      namespace: 'velero',
      name: `${backup}-x7k2p`,
      labels: {
        'velero.io/backup-name': backup,
        'velero.io/pvc-uid': 'uid-exports',
      },
    },
    spec: {
      backupStorageLocation: 'default',
      node: 'node-1',
      repoIdentifier: '',
      pod: { kind: 'Pod', namespace: 'reporting', name: 'reporting-0' },
      volume: 'data',
    },
    status: { phase },
  })),
];

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

/** The ledger's objects, held to other policies through annotations. */
const ledgerWith = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'ledger', ...annotations },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

const entities = [
  component('archive'),
  component('reports'),
  ledgerWith('ledger-strict', { 'resilience.io/tier': 'strict' }),
  ledgerWith('ledger-typo', {
    'resilience.io/tier': 'gold',
    'resilience.io/rpo': '2 hours',
  }),
  component('exports'),
  component('cart'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'ledger',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'ledger' },
    },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'docs-site', namespace: 'default' },
    spec: { type: 'website', owner: 'team-payments', lifecycle: 'production' },
  },
];

describe.each(databases.eachSupportedId())(
  'resilience plugin over HTTP, on %s',
  databaseId => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    let dir: string;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

    beforeAll(async () => {
      emulator = await startEmulator({
        objects: [
          ...objects,
          ...evidence,
          ...uncovered,
          ...scheduling,
          ...fileSystem,
        ],
      });
      dir = await mkdtemp(join(tmpdir(), 'resilience-plugin-'));
      await writeFile(join(dir, 'kubeconfig'), emulator.kubeconfig());
      const knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          resiliencePlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.scheduler.factory({
            includeInitialDelayedTasksOnStartup: true,
          }),
          mockServices.rootConfig.factory({
            data: {
              resilience: {
                clusters: [
                  { name: 'emulated', kubeconfig: join(dir, 'kubeconfig') },
                ],
                policies: {
                  defaultTier: 'standard',
                  tiers: {
                    standard: { rpo: { hours: 24 }, retention: { days: 7 } },
                    strict: {
                      rpo: { hours: 1 },
                      retention: 'PT2H',
                      recentBackups: 1,
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
      await emulator?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** Collection runs as a scheduled task on start-up; wait until it has stored its results. */
    async function entityOnceCollected(
      path: string,
    ): Promise<EntityResilienceResponse> {
      for (let attempt = 0; ; attempt++) {
        const res = await request(server).get(path);
        expect(res.status).toBe(200);
        if (
          res.body.collection.every(
            (s: { state: string }) => s.state !== 'pending',
          ) ||
          attempt > 100
        ) {
          return res.body;
        }
        await new Promise(r => setTimeout(r, 100));
      }
    }

    it('serves health without credentials', async () => {
      const res = await request(server)
        .get('/api/resilience/health')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('returns each PVC of the entity with its newest completed backup that includes it', async () => {
      const body = await entityOnceCollected(
        '/api/resilience/entities/component/default/ledger',
      );
      expect(body.entityRef).toBe('component:default/ledger');
      expect(body.kubernetes).toEqual({ kubernetesId: 'ledger' });
      expect(
        body.collection.map(s => [s.cluster, s.source, s.state, s.stale]),
      ).toEqual([
        ['emulated', 'velero-backups', 'ok', false],
        ['emulated', 'velero-schedules', 'ok', false],
        ['emulated', 'persistent-volume-claims', 'ok', false],
        ['emulated', 'persistent-volumes', 'ok', false],
        ['emulated', 'volume-snapshot-contents', 'ok', false],
        ['emulated', 'data-uploads', 'ok', false],
        ['emulated', 'backup-storage-locations', 'ok', false],
        ['emulated', 'pods', 'ok', false],
        ['emulated', 'namespaces', 'ok', false],
        ['emulated', 'pod-volume-backups', 'ok', false],
        ['emulated', 'volume-snapshots', 'ok', false],
        ['emulated', 'velero-restores', 'ok', false],
        ['emulated', 'certificates', 'ok', false],
        ['emulated', 'certificate-requests', 'ok', false],
        ['emulated', 'issuers', 'ok', false],
        ['emulated', 'cluster-issuers', 'ok', false],
        ['emulated', 'tls-secrets', 'ok', false],
        ['emulated', 'ingresses', 'ok', false],
      ]);
      const rows = Object.fromEntries(body.pvcs.map(p => [p.name, p]));
      expect(Object.keys(rows).sort()).toEqual(['data-ledger-0', 'scratch']);
      expect(rows['data-ledger-0']).toMatchObject({
        cluster: 'emulated',
        namespace: 'payments',
        phase: 'Bound',
        capacity: '5Gi',
        coverage: 'verified',
        lastGoodBackup: {
          name: 'tiered',
          phase: 'Completed',
          namespace: 'velero',
        },
      });
      expect(rows['data-ledger-0'].coverageReason).toBe(
        "Backup tiered holds a ready CSI snapshot of this claim's volume (VolumeSnapshotContent snapcontent-tiered). " +
          'The newer backup objects-only included the claim but captured no data of it: ' +
          'snapshotVolumes is false and no file-system backup was requested.',
      );
      // nightly-new counts two snapshots, but neither is of scratch's volume; nightly-old moved
      // scratch's data.
      expect(rows.scratch).toMatchObject({
        coverage: 'verified',
        lastGoodBackup: { name: 'nightly-old' },
      });
      expect(rows.scratch.coverageReason).toBe(
        "Backup nightly-old holds the data of this claim's volume, moved to the backup storage (DataUpload du-nightly-old). " +
          '2 newer backups included the claim but captured no data of it; the newest, objects-only: ' +
          'snapshotVolumes is false and no file-system backup was requested.',
      );
      // nightly-old started 28 h ago and completed 27 h ago: its data is as old as its start.
      const age = rows.scratch.lastGoodBackupAgeSeconds!;
      expect(age).toBeGreaterThanOrEqual(28 * 3600 - 5);
      expect(age).toBeLessThan(28 * 3600 + 600);
      expect(rows.scratch.lastGoodBackup).toMatchObject({
        startedAt: expect.any(String),
        completedAt: expect.any(String),
        createdAt: expect.any(String),
      });
    });

    it('checks the entity against its policy, with the schedules, locations and backups it rests on', async () => {
      const body = await entityOnceCollected(
        '/api/resilience/entities/component/default/ledger',
      );
      expect(body.policy).toEqual({
        tier: 'standard',
        rpoSeconds: 24 * 3600,
        retentionSeconds: 7 * 86400,
        recentBackups: 5,
        overriddenBy: [],
        problems: [],
      });
      const checks = Object.fromEntries(body.checks.map(c => [c.id, c]));
      expect(body.checks.map(c => [c.id, c.state])).toEqual([
        ['backup.pvc-coverage', 'pass'],
        // scratch's last good backup, nightly-old, is 27 hours old.
        ['backup.rpo', 'fail'],
        ['backup.schedule', 'pass'],
        // The fixture's backups carry no TTL: Velero's server default is not visible.
        ['backup.retention', 'unknown'],
        ['backup.storage-location', 'pass'],
        // nightly-failed is among the last five finished backups.
        ['backup.recent-failures', 'fail'],
      ]);
      expect(checks['backup.rpo'].message).toMatch(
        /^1 of 2 claims has no good backup whose data is younger than the RPO of 24 h\. emulated\/payments\/scratch: the data of its last good backup, nightly-old, is 28 h old \(started 28 h ago, completed 27 h ago\)/,
      );
      expect(checks['backup.recent-failures'].message).toMatch(
        /nightly-failed Failed/,
      );
      expect(body.schedules).toEqual([
        expect.objectContaining({
          name: 'daily-payments',
          schedule: '0 2 * * *',
          paused: false,
          phase: 'Enabled',
          largestIntervalSeconds: 24 * 3600,
          ttlSeconds: 720 * 3600,
          pvcs: ['payments/data-ledger-0', 'payments/scratch'],
          nextRunAt: expect.stringMatching(/T02:00:00\.000Z$/),
        }),
      ]);
      expect(body.storageLocations).toEqual([
        expect.objectContaining({
          name: 'default',
          phase: 'Available',
          isDefault: true,
          bucket: 'backups',
        }),
      ]);
      // Every backup of the window that includes a claim, newest first, whatever its phase.
      expect(body.backups.map(b => [b.name, b.phase])).toEqual([
        ['objects-only', 'Completed'],
        ['nightly-failed', 'Failed'],
        ['tiered', 'Completed'],
        ['nightly-new', 'Completed'],
        ['nightly-old', 'Completed'],
      ]);
    });

    it('holds an entity to the tier it names: its RPO, and a timeline of its retention window plus its latest run', async () => {
      const body = await entityOnceCollected(
        '/api/resilience/entities/component/default/ledger-strict',
      );
      expect(body.policy).toMatchObject({
        tier: 'strict',
        rpoSeconds: 3600,
        retentionSeconds: 7200,
        recentBackups: 1,
      });
      const states = Object.fromEntries(body.checks.map(c => [c.id, c.state]));
      expect(states['backup.rpo']).toBe('fail');
      expect(states['backup.schedule']).toBe('fail');
      // Only the latest finished backup is looked at, and it completed.
      expect(states['backup.recent-failures']).toBe('pass');
      // Requested within the last two hours: objects-only (90 min ago); nightly-failed was
      // requested two hours ago and falls just outside.
      expect(body.backups.map(b => b.name)).toEqual(['objects-only']);
    });

    it('shows what is wrong with policy annotations, and leaves the checks that need them unknown', async () => {
      const body = await entityOnceCollected(
        '/api/resilience/entities/component/default/ledger-typo',
      );
      expect(body.policy.problems).toEqual([
        'resilience.io/tier is "gold", which is not a configured tier; use one of standard, strict',
        expect.stringMatching(
          /^resilience\.io\/rpo: "2 hours" is not a duration; write it like 4h/,
        ),
      ]);
      expect(body.checks.map(c => [c.id, c.state])).toEqual([
        ['backup.pvc-coverage', 'pass'],
        ['backup.rpo', 'unknown'],
        ['backup.schedule', 'unknown'],
        ['backup.retention', 'unknown'],
        ['backup.storage-location', 'pass'],
        ['backup.recent-failures', 'fail'],
      ]);
    });

    it('says why a claim is not covered', async () => {
      const archive = await entityOnceCollected(
        '/api/resilience/entities/component/default/archive',
      );
      expect(archive.pvcs).toEqual([
        expect.objectContaining({
          name: 'archive-data',
          coverage: 'not-covered',
          coverageReason:
            'No completed backup includes this claim: check the namespace, resource and label filters of the schedules.',
          lastGoodBackup: null,
          lastGoodBackupAgeSeconds: null,
        }),
      ]);
      const reports = await entityOnceCollected(
        '/api/resilience/entities/component/default/reports',
      );
      expect(reports.pvcs).toEqual([
        expect.objectContaining({
          name: 'exports',
          coverage: 'not-covered',
          coverageReason:
            'The newest completed backup that includes the claim, reports-manifests, captured no data of it ' +
            '(snapshotVolumes is false and no file-system backup was requested), and no older one did.',
          lastGoodBackup: null,
        }),
      ]);
    });

    it('verifies a claim by its file-system backup, and counts a failed one against it', async () => {
      const body = await entityOnceCollected(
        '/api/resilience/entities/component/default/exports',
      );
      expect(body.pvcs).toEqual([
        expect.objectContaining({
          name: 'exports',
          coverage: 'verified',
          coverageReason:
            "Backup fs-good holds a file-system backup of this claim's volume (PodVolumeBackup fs-good-x7k2p of pod reporting-0, volume data). " +
            "The newer backup fs-failed included the claim but captured no data of it: the file-system backup of this claim's volume (fs-failed-x7k2p) ended Failed.",
          lastGoodBackup: expect.objectContaining({ name: 'fs-good' }),
        }),
      ]);
    });

    it('includes a claim in a label-selected backup through the pod that mounts it, and sees its opt-in file-system backup', async () => {
      const body = await entityOnceCollected(
        '/api/resilience/entities/component/default/cart',
      );
      expect(body.pvcs).toEqual([
        expect.objectContaining({
          name: 'cart-sessions',
          coverage: 'covered',
          coverageReason:
            'Backup hourly-cart includes the claim through pod cart-0, which mounts it, ' +
            "and pod cart-0 opts the claim's volume data into file-system backup (backup.velero.io/backup-volumes); " +
            'no per-volume record ties that data to this claim.',
          lastGoodBackup: expect.objectContaining({ name: 'hourly-cart' }),
        }),
      ]);
      // The same rule decides which schedules and which backups of the timeline are the cart's.
      expect(body.schedules.map(sch => [sch.name, sch.pvcs])).toEqual([
        ['hourly-shop', ['shop/cart-sessions']],
      ]);
      expect(body.backups.map(b => b.name)).toEqual(['hourly-cart']);
      expect(body.checks.find(c => c.id === 'backup.schedule')?.state).toBe(
        'pass',
      );
    });

    it('answers an entity without Kubernetes annotations with no mapping and no PVCs', async () => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/docs-site',
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/docs-site',
        kubernetes: null,
        pvcs: [],
      });
    });

    it('says what to check for an unknown entity', async () => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/nope',
      );
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ name: 'NotFoundError' });
      expect(res.body.error.message).toMatch(
        /No entity component:default\/nope in the catalog.*check the kind, namespace and name/,
      );
    });

    it('refuses requests without credentials', async () => {
      for (const path of [
        '/api/resilience/entities/component/default/ledger',
        '/api/resilience/collection-status',
      ]) {
        const res = await request(server)
          .get(path)
          .set('Authorization', mockCredentials.none.header());
        expect(res.status).toBe(401);
      }
    });

    it('lets a permitted user start the collection of a cluster now', async () => {
      await entityOnceCollected(
        '/api/resilience/entities/component/default/ledger',
      );
      const lists = () =>
        emulator.requests.filter(
          r => r.path === '/apis/velero.io/v1/namespaces/velero/backups',
        ).length;
      const before = lists();
      const res = await request(server).post(
        '/api/resilience/collection/emulated/run',
      );
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ cluster: 'emulated', status: 'triggered' });
      for (let i = 0; lists() === before && i < 100; i++) {
        await new Promise(r => setTimeout(r, 50));
      }
      expect(lists()).toBeGreaterThan(before);
    });

    it('names the configured clusters when asked to collect an unknown one', async () => {
      const res = await request(server).post(
        '/api/resilience/collection/nowhere/run',
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        'No cluster named "nowhere" is configured; the configured clusters are: emulated',
      );
    });

    it('does not let services start a collection', async () => {
      const res = await request(server)
        .post('/api/resilience/collection/emulated/run')
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(403);
    });

    it('lists the collection status of every cluster and source', async () => {
      await entityOnceCollected(
        '/api/resilience/entities/component/default/ledger',
      );
      const res = await request(server).get(
        '/api/resilience/collection-status',
      );
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(COLLECTION_SOURCES.length);
      expect(res.body.items[1]).toMatchObject({
        cluster: 'emulated',
        source: 'velero-schedules',
        state: 'ok',
        itemCount: 2,
      });
    });
  },
);

describe('resilience plugin with permissions denied', () => {
  it('refuses to start a collection, naming the permission', async () => {
    const { server } = await startTestBackend({
      features: [
        resiliencePlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        mockServices.rootConfig.factory({
          data: {
            resilience: {
              clusters: [
                { name: 'prod', url: 'https://127.0.0.1:1', token: 'x' },
              ],
            },
          },
        }),
      ],
    });
    const res = await request(server).post(
      '/api/resilience/collection/prod/run',
    );
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message:
        'Starting a collection needs the resilience.collection.run permission',
    });
  });
});

describe('resilience plugin with two clusters configured the Kubernetes plugin way', () => {
  it('collects from both, each with its own token and CA, and serves PVCs of both', async () => {
    const pvc = (namespace: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        namespace,
        name: 'data',
        labels: { 'backstage.io/kubernetes-id': 'ledger' },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    });
    const east = await startEmulator({ objects: [pvc('payments-east')] });
    const west = await startEmulator({ objects: [pvc('payments-west')] });
    try {
      const clusterOf = (name: string, emulator: typeof east) => ({
        name,
        url: emulator.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: emulator.token,
        caData: Buffer.from(emulator.caPem).toString('base64'),
      });
      const { server } = await startTestBackend({
        features: [
          resiliencePlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.scheduler.factory({
            includeInitialDelayedTasksOnStartup: true,
          }),
          mockServices.rootConfig.factory({
            data: {
              kubernetes: {
                serviceLocatorMethod: { type: 'multiTenant' },
                clusterLocatorMethods: [
                  {
                    type: 'config',
                    clusters: [
                      clusterOf('east', east),
                      clusterOf('west', west),
                    ],
                  },
                ],
              },
            },
          }),
        ],
      });
      let body: EntityResilienceResponse | undefined;
      for (let i = 0; i < 100; i++) {
        body = (
          await request(server).get(
            '/api/resilience/entities/component/default/ledger',
          )
        ).body;
        if (body!.collection.every(s => s.state !== 'pending')) break;
        await new Promise(r => setTimeout(r, 100));
      }
      expect(
        body!.collection
          .filter(s => s.state === 'ok')
          .map(s => s.cluster)
          .sort(),
      ).toEqual([
        ...Array(COLLECTION_SOURCES.length).fill('east'),
        ...Array(COLLECTION_SOURCES.length).fill('west'),
      ]);
      expect(
        body!.pvcs.map(p => `${p.cluster}/${p.namespace}/${p.name}`),
      ).toEqual(['east/payments-east/data', 'west/payments-west/data']);
      // Each emulator was reached with its own token.
      expect(
        east.requests.some(r => r.path === '/api/v1/persistentvolumeclaims'),
      ).toBe(true);
      expect(
        west.requests.some(r => r.path === '/api/v1/persistentvolumeclaims'),
      ).toBe(true);
    } finally {
      await east.close();
      await west.close();
    }
  });
});

describe('resilience.entityCache.ttl', () => {
  const read = (ttl?: unknown) =>
    readEntityCacheTtl(
      new ConfigReader(
        ttl === undefined ? {} : { resilience: { entityCache: { ttl } } },
      ),
    );

  it('is 5 seconds by default, and 0 turns the cache off', () => {
    expect(read()).toBe(5_000);
    expect(read({ seconds: 0 })).toBe(0);
    expect(read('PT30S')).toBe(30_000);
  });

  it('says what to give instead of a value it cannot use', () => {
    expect(() => read('soon')).toThrow(
      /resilience.entityCache.ttl is not a duration: .*give one such as \{ seconds: 5 \}/,
    );
    expect(() => read({ hours: 2 })).toThrow(
      'resilience.entityCache.ttl must be from 0 to 1 hour',
    );
  });
});
