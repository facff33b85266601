import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseResilienceStore } from './DatabaseResilienceStore';
import {
  BackupFact,
  NamespaceFact,
  PodFact,
  PodVolumeBackupFact,
  PvcFact,
  RestoreFact,
  VolumeSnapshotFact,
} from './types';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  return { knex, store };
}

const t0 = new Date('2026-11-20T00:00:00Z');
const t1 = new Date('2026-11-21T00:00:00Z');
const t2 = new Date('2026-11-22T00:00:00Z');

function backup(name: string, overrides: Partial<BackupFact> = {}): BackupFact {
  return {
    cluster: 'prod',
    uid: `uid-${name}`,
    namespace: 'velero',
    name,
    phase: 'Completed',
    selection: { includedNamespaces: ['payments'] },
    startedAt: new Date('2026-11-19T02:00:00Z'),
    completedAt: new Date('2026-11-19T02:05:00Z'),
    errors: 0,
    warnings: 0,
    capture: {
      volumeSnapshotsCompleted: 0,
      csiVolumeSnapshotsCompleted: 1,
      itemOperationsCompleted: 0,
    },
    ...overrides,
  };
}

function pvc(
  name: string,
  labels: Record<string, string>,
  overrides: Partial<PvcFact> = {},
): PvcFact {
  return {
    cluster: 'prod',
    uid: `uid-${name}`,
    namespace: 'payments',
    name,
    labels,
    phase: 'Bound',
    capacity: '1Gi',
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseResilienceStore on %s',
  databaseId => {
    it('round-trips backups and lists completed ones newest first, page by page', async () => {
      const { store } = await createStore(databaseId);
      const facts = [
        backup('old', {
          startedAt: new Date('2026-11-09T23:00:00Z'),
          completedAt: new Date('2026-11-10T00:00:00Z'),
        }),
        backup('new', {
          startedAt: new Date('2026-11-18T23:00:00Z'),
          completedAt: new Date('2026-11-19T00:00:00Z'),
          scheduleName: 'daily',
          storageLocation: 'default',
          expiresAt: new Date('2026-12-19T00:00:00Z'),
          selection: { labelSelector: { matchLabels: { app: 'x' } } },
          capture: {
            snapshotVolumes: false,
            defaultVolumesToFsBackup: true,
            volumeSnapshotsCompleted: 2,
            csiVolumeSnapshotsCompleted: 0,
            itemOperationsCompleted: 3,
          },
        }),
        backup('failed', {
          phase: 'Failed',
          completedAt: new Date('2026-11-20T00:00:00Z'),
          errors: 3,
        }),
        backup('running', { phase: 'InProgress', completedAt: undefined }),
        backup('other-cluster', {
          cluster: 'dev',
          completedAt: new Date('2026-11-21T00:00:00Z'),
        }),
      ];
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: facts.filter(f => f.cluster === 'prod'),
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'dev',
        source: 'velero-backups',
        facts: facts.filter(f => f.cluster === 'dev'),
        collectedAt: t0,
      });

      const page1 = await store.listBackups({
        cluster: 'prod',
        completed: true,
        limit: 1,
        offset: 0,
      });
      const page2 = await store.listBackups({
        cluster: 'prod',
        completed: true,
        limit: 1,
        offset: 1,
      });
      const page3 = await store.listBackups({
        cluster: 'prod',
        completed: true,
        limit: 1,
        offset: 2,
      });
      // Each with the key of its selection, which only backups with the same selection share.
      expect(page1).toEqual([
        { ...facts[1], selectionKey: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ]);
      expect(page2).toEqual([
        { ...facts[0], selectionKey: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ]);
      expect(page1[0].selectionKey).not.toBe(page2[0].selectionKey);
      expect(page3).toEqual([]);
    });

    it('marks objects that disappear as deleted, keeps them stored, and updates changed ones', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: [backup('a'), backup('b')],
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: [backup('b', { warnings: 5 })],
        collectedAt: t1,
      });

      const live = await store.listBackups({
        cluster: 'prod',
        completed: true,
        limit: 10,
        offset: 0,
      });
      expect(live.map(b => [b.name, b.warnings])).toEqual([['b', 5]]);

      const rows = await knex('resilience_backups').orderBy('name');
      expect(rows.map(r => r.name)).toEqual(['a', 'b']);
      expect(new Date(rows[0].deleted_at).toISOString()).toBe(t1.toISOString());
      expect(rows[1].deleted_at).toBeNull();
      expect(new Date(rows[1].first_seen_at).toISOString()).toBe(
        t0.toISOString(),
      );
      expect(new Date(rows[1].last_seen_at).toISOString()).toBe(
        t1.toISOString(),
      );
    });

    it('moves only when the rows were seen for a listing the same as the last one, and writes them again once one changes', async () => {
      const { knex, store } = await createStore(databaseId);
      const t3 = new Date('2026-11-23T00:00:00Z');
      const version = async () =>
        (
          await knex('resilience_input_versions')
            .where({ scope: 'cluster:prod' })
            .first('version')
        )?.version;
      const list = (facts: BackupFact[], collectedAt: Date) =>
        store.replaceFacts({
          cluster: 'prod',
          source: 'velero-backups',
          facts,
          collectedAt,
        });
      await list([backup('a'), backup('b'), backup('c')], t0);
      await list([backup('c'), backup('b')], t1);
      const afterChange = await version();
      // The same facts in another order: the same listing, whose rows are not written again.
      const statements: string[] = [];
      const record = (query: { sql: string }) => statements.push(query.sql);
      knex.on('query', record);
      await list([backup('b'), backup('c')], t2);
      knex.off('query', record);
      expect(await version()).toBe(afterChange);
      const backupWrites = statements.filter(sql =>
        /^(insert|update|delete)\b.*["`]?resilience_backups["`]?/i.test(sql),
      );
      expect(backupWrites).toHaveLength(1);
      expect(backupWrites[0]).toMatch(/^update/i);

      const rows = async () =>
        (await knex('resilience_backups').orderBy('name')).map(r => ({
          name: r.name,
          firstSeen: new Date(r.first_seen_at).toISOString(),
          lastSeen: new Date(r.last_seen_at).toISOString(),
          deleted: r.deleted_at && new Date(r.deleted_at).toISOString(),
          warnings: Number(r.warnings),
        }));
      expect(await rows()).toEqual([
        {
          name: 'a',
          firstSeen: t0.toISOString(),
          lastSeen: t0.toISOString(),
          deleted: t1.toISOString(),
          warnings: 0,
        },
        {
          name: 'b',
          firstSeen: t0.toISOString(),
          lastSeen: t2.toISOString(),
          deleted: null,
          warnings: 0,
        },
        {
          name: 'c',
          firstSeen: t0.toISOString(),
          lastSeen: t2.toISOString(),
          deleted: null,
          warnings: 0,
        },
      ]);

      // A failed listing in between does not make the next one skip its rows.
      await store.recordFailure({
        cluster: 'prod',
        source: 'velero-backups',
        state: 'error',
        message: 'connection reset',
        attemptedAt: t3,
      });
      await list([backup('b', { warnings: 2 })], t3);
      expect(await version()).not.toBe(afterChange);
      expect(await rows()).toEqual([
        expect.objectContaining({ name: 'a', deleted: t1.toISOString() }),
        expect.objectContaining({
          name: 'b',
          lastSeen: t3.toISOString(),
          deleted: null,
          warnings: 2,
        }),
        expect.objectContaining({ name: 'c', deleted: t3.toISOString() }),
      ]);
      const live = await store.listBackups({
        cluster: 'prod',
        completed: true,
        limit: 10,
        offset: 0,
      });
      expect(live.map(b => [b.name, b.warnings])).toEqual([['b', 2]]);
    });

    it('stores many objects in chunks within one listing', async () => {
      const { store } = await createStore(databaseId);
      const many = Array.from({ length: 450 }, (_, i) =>
        backup(`b-${String(i).padStart(3, '0')}`, {
          startedAt: new Date(t0.getTime() - i * 60_000 - 30_000),
          completedAt: new Date(t0.getTime() - i * 60_000),
        }),
      );
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: many,
        collectedAt: t1,
      });
      const all = await store.listBackups({
        cluster: 'prod',
        completed: true,
        limit: 1000,
        offset: 0,
      });
      expect(all).toHaveLength(450);
      expect(all[0].name).toBe('b-000');
    });

    it('finds PVCs by kubernetes-id label and namespace, only live ones, only configured clusters', async () => {
      const { store } = await createStore(databaseId);
      const ledger = pvc(
        'data-ledger-0',
        { 'backstage.io/kubernetes-id': 'ledger' },
        { storageClassName: 'ssd', createdAt: t0 },
      );
      const other = pvc('data-api-0', { 'backstage.io/kubernetes-id': 'api' });
      const elsewhere = pvc(
        'data-ledger-1',
        { 'backstage.io/kubernetes-id': 'ledger' },
        { namespace: 'staging' },
      );
      const dev = pvc(
        'dev-ledger',
        { 'backstage.io/kubernetes-id': 'ledger' },
        { cluster: 'dev' },
      );
      await store.replaceFacts({
        cluster: 'prod',
        source: 'persistent-volume-claims',
        facts: [ledger, other, elsewhere],
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'dev',
        source: 'persistent-volume-claims',
        facts: [dev],
        collectedAt: t0,
      });

      expect(
        await store.listPvcs({ clusters: ['prod'], kubernetesId: 'ledger' }),
      ).toEqual([ledger, elsewhere]);
      expect(
        await store.listPvcs({
          clusters: ['prod', 'dev'],
          kubernetesId: 'ledger',
          namespace: 'payments',
        }),
      ).toEqual([dev, ledger]);
      expect(await store.listPvcs({ clusters: [] })).toEqual([]);

      await store.replaceFacts({
        cluster: 'prod',
        source: 'persistent-volume-claims',
        facts: [other],
        collectedAt: t1,
      });
      expect(
        await store.listPvcs({ clusters: ['prod'], kubernetesId: 'ledger' }),
      ).toEqual([]);
    });

    it('round-trips schedules', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-schedules',
        facts: [
          {
            cluster: 'prod',
            uid: 's1',
            namespace: 'velero',
            name: 'daily',
            schedule: '0 2 * * *',
            paused: true,
            ttl: '720h0m0s',
            selection: { includedNamespaces: ['payments'] },
            lastBackupAt: t0,
          },
        ],
        collectedAt: t1,
      });
      const [row] = await knex('resilience_schedules');
      expect(row).toMatchObject({
        name: 'daily',
        schedule: '0 2 * * *',
        ttl: '720h0m0s',
      });
      expect(Boolean(row.paused)).toBe(true);
    });

    it('records failures without touching facts, and success afterwards', async () => {
      const { store } = await createStore(databaseId);
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: [backup('a')],
        collectedAt: t0,
      });
      await store.recordFailure({
        cluster: 'prod',
        source: 'velero-backups',
        state: 'forbidden',
        message: 'forbidden (403)',
        attemptedAt: t1,
      });
      expect(
        await store.listBackups({
          cluster: 'prod',
          completed: true,
          limit: 10,
          offset: 0,
        }),
      ).toHaveLength(1);
      expect(await store.listCollectionStatus({ clusters: ['prod'] })).toEqual([
        {
          cluster: 'prod',
          source: 'velero-backups',
          state: 'forbidden',
          message: 'forbidden (403)',
          lastAttemptAt: t1,
          lastSuccessAt: t0,
          itemCount: 1,
        },
      ]);

      await store.recordFailure({
        cluster: 'prod',
        source: 'persistent-volume-claims',
        state: 'error',
        message: 'connect ECONNREFUSED',
        attemptedAt: t1,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: [],
        collectedAt: t2,
      });
      const status = await store.listCollectionStatus({
        clusters: ['prod', 'gone'],
      });
      expect(status).toEqual([
        {
          cluster: 'prod',
          source: 'persistent-volume-claims',
          state: 'error',
          message: 'connect ECONNREFUSED',
          lastAttemptAt: t1,
          lastSuccessAt: undefined,
          itemCount: undefined,
        },
        {
          cluster: 'prod',
          source: 'velero-backups',
          state: 'ok',
          message: undefined,
          lastAttemptAt: t2,
          lastSuccessAt: t2,
          itemCount: 0,
        },
      ]);
      // An empty successful listing means every backup is gone from the cluster.
      expect(
        await store.listBackups({
          cluster: 'prod',
          completed: true,
          limit: 10,
          offset: 0,
        }),
      ).toEqual([]);
    });

    it('purges facts of one cluster that disappeared before a time, and only those', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: [backup('a'), backup('b')],
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'dev',
        source: 'velero-backups',
        facts: [backup('c', { cluster: 'dev' })],
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: [backup('b')],
        collectedAt: t1,
      });
      await store.replaceFacts({
        cluster: 'dev',
        source: 'velero-backups',
        facts: [],
        collectedAt: t1,
      });

      expect(
        await store.purgeDeletedFacts({ cluster: 'prod', before: t1 }),
      ).toBe(0);
      expect(
        await store.purgeDeletedFacts({ cluster: 'prod', before: t2 }),
      ).toBe(1);
      const rows = await knex('resilience_backups').orderBy('name');
      expect(rows.map(r => [r.cluster, r.name])).toEqual([
        ['prod', 'b'],
        ['dev', 'c'],
      ]);
    });

    it('finds volumes by name and snapshot contents by backup, only live ones', async () => {
      const { store } = await createStore(databaseId);
      const pv = (name: string) => ({
        cluster: 'prod',
        uid: `uid-${name}`,
        namespace: '',
        name,
        csiDriver: 'ebs.csi.aws.com',
        volumeHandle: `vol-${name}`,
        claimNamespace: 'payments',
        claimName: name,
      });
      const content = (name: string, backupName: string) => ({
        cluster: 'prod',
        uid: `uid-${name}`,
        namespace: '',
        name,
        backupName,
        volumeHandle: `vol-${name}`,
        snapshotNamespace: 'payments',
        snapshotName: name,
        readyToUse: true,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'persistent-volumes',
        facts: [pv('a'), pv('b')],
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'volume-snapshot-contents',
        facts: [
          content('c1', 'daily-1'),
          content('c2', 'daily-2'),
          content('c3', 'daily-1'),
        ],
        collectedAt: t0,
      });
      expect(
        await store.listPvs({ cluster: 'prod', names: ['b', 'missing'] }),
      ).toEqual([pv('b')]);
      expect(await store.listPvs({ cluster: 'dev', names: ['b'] })).toEqual([]);
      expect(
        await store.listSnapshotContents({
          cluster: 'prod',
          backupNames: ['daily-1'],
        }),
      ).toEqual([content('c1', 'daily-1'), content('c3', 'daily-1')]);
      await store.replaceFacts({
        cluster: 'prod',
        source: 'volume-snapshot-contents',
        facts: [content('c3', 'daily-1')],
        collectedAt: t1,
      });
      expect(
        (
          await store.listSnapshotContents({
            cluster: 'prod',
            backupNames: ['daily-1', 'daily-2'],
          })
        ).map(c => c.name),
      ).toEqual(['c3']);
      const upload = {
        cluster: 'prod',
        uid: 'uid-u1',
        namespace: 'velero',
        name: 'u1',
        backupName: 'daily-2',
        sourceNamespace: 'payments',
        sourcePvc: 'a',
        phase: 'Completed',
      };
      await store.replaceFacts({
        cluster: 'prod',
        source: 'data-uploads',
        facts: [upload],
        collectedAt: t1,
      });
      expect(
        await store.listDataUploads({
          cluster: 'prod',
          backupNames: ['daily-2'],
        }),
      ).toEqual([upload]);
      expect(
        await store.listDataUploads({
          cluster: 'prod',
          backupNames: ['daily-1'],
        }),
      ).toEqual([]);
      // Replacing one source leaves the other alone.
      expect(
        await store.listPvs({ cluster: 'prod', names: ['a', 'b'] }),
      ).toHaveLength(2);
    });

    it('keeps only the pods and namespaces of the latest listing, and round-trips them', async () => {
      const { knex, store } = await createStore(databaseId);
      const pod = (
        namespace: string,
        name: string,
        overrides: Partial<PodFact> = {},
      ): PodFact => ({
        cluster: 'prod',
        uid: `uid-${namespace}-${name}`,
        namespace,
        name,
        labels: { app: name },
        phase: 'Running',
        backupVolumes: [],
        backupVolumesExcludes: [],
        claims: {},
        ...overrides,
      });
      const namespace = (name: string): NamespaceFact => ({
        cluster: 'prod',
        uid: `uid-ns-${name}`,
        namespace: '',
        name,
        labels: { 'kubernetes.io/metadata.name': name },
        phase: 'Active',
      });
      const reporting = pod('reporting', 'reporting-0', {
        backupVolumes: ['exports', ' cache'],
        backupVolumesExcludes: ['tmp'],
        claims: { exports: 'reporting-exports' },
      });
      const gone = pod('reporting', 'reporting-job-x1');
      const other = pod('payments', 'ledger-0', { phase: undefined });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'pods',
        facts: [reporting, gone, other],
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'dev',
        source: 'pods',
        facts: [pod('reporting', 'dev-pod', { cluster: 'dev' })],
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'namespaces',
        facts: [namespace('payments'), namespace('reporting')],
        collectedAt: t0,
      });
      expect(
        await store.listPods({
          cluster: 'prod',
          namespaces: ['reporting', 'payments', 'reporting'],
        }),
      ).toEqual([other, reporting, gone]);

      await store.replaceFacts({
        cluster: 'prod',
        source: 'pods',
        facts: [reporting, other],
        collectedAt: t1,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'namespaces',
        facts: [namespace('payments')],
        collectedAt: t1,
      });
      // Gone means gone: no row is left to purge later.
      expect(
        (await knex('resilience_pods').where({ cluster: 'prod' })).map(
          r => r.name,
        ),
      ).toEqual(expect.arrayContaining(['reporting-0', 'ledger-0']));
      expect(
        await knex('resilience_pods').where({ cluster: 'prod' }),
      ).toHaveLength(2);
      expect(
        await store.listPods({ cluster: 'prod', namespaces: ['reporting'] }),
      ).toEqual([reporting]);
      expect(await store.listNamespaces({ cluster: 'prod' })).toEqual([
        namespace('payments'),
      ]);
      expect(
        await store.listPods({ cluster: 'dev', namespaces: ['reporting'] }),
      ).toHaveLength(1);
      expect(
        await store.purgeDeletedFacts({ cluster: 'prod', before: t2 }),
      ).toBe(0);
    });

    it('finds pod volume backups and volume snapshots by backup, and keeps restores with their history', async () => {
      const { knex, store } = await createStore(databaseId);
      const pvb = (
        name: string,
        backupName: string,
        overrides: Partial<PodVolumeBackupFact> = {},
      ): PodVolumeBackupFact => ({
        cluster: 'prod',
        uid: `uid-${name}`,
        namespace: 'velero',
        name,
        backupName,
        podNamespace: 'reporting',
        podName: 'reporting-0',
        podUid: 'pod-1',
        volume: 'exports',
        pvcUid: 'pvc-1',
        phase: 'Completed',
        ...overrides,
      });
      const snapshot = (
        name: string,
        backupName: string,
        readyToUse?: boolean,
      ): VolumeSnapshotFact => ({
        cluster: 'prod',
        uid: `uid-${name}`,
        namespace: 'storefront',
        name,
        backupName,
        sourcePvc: 'cart-sessions',
        readyToUse,
        contentName: readyToUse ? `content-${name}` : undefined,
      });
      const restore = (
        name: string,
        overrides: Partial<RestoreFact> = {},
      ): RestoreFact => ({
        cluster: 'prod',
        uid: `uid-${name}`,
        namespace: 'velero',
        name,
        backupName: 'daily-1',
        namespaceMapping: { payments: 'restore-test-1' },
        phase: 'Completed',
        startedAt: t0,
        completedAt: new Date(t0.getTime() + 420_000),
        errors: 0,
        warnings: 2,
        ...overrides,
      });
      const failedPvb = pvb('p2', 'daily-2', {
        phase: 'Failed',
        pvcUid: undefined,
        podUid: undefined,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'pod-volume-backups',
        facts: [pvb('p1', 'daily-1'), failedPvb, pvb('p3', 'daily-3')],
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'volume-snapshots',
        facts: [snapshot('vs1', 'daily-1', true), snapshot('vs2', 'daily-2')],
        collectedAt: t0,
      });
      const failed = restore('r2', {
        phase: 'Failed',
        namespaceMapping: {},
        completedAt: undefined,
        errors: 1,
        failureReason: 'backup daily-9 not found',
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-restores',
        facts: [restore('r1'), failed],
        collectedAt: t0,
      });
      expect(
        await store.listPodVolumeBackups({
          cluster: 'prod',
          backupNames: ['daily-2', 'daily-1'],
        }),
      ).toEqual([pvb('p1', 'daily-1'), failedPvb]);
      expect(
        await store.listVolumeSnapshots({
          cluster: 'prod',
          backupNames: ['daily-2'],
        }),
      ).toEqual([snapshot('vs2', 'daily-2')]);
      expect(await store.listRestores({ cluster: 'prod' })).toEqual([
        restore('r1'),
        failed,
      ]);

      await store.replaceFacts({
        cluster: 'prod',
        source: 'pod-volume-backups',
        facts: [pvb('p3', 'daily-3')],
        collectedAt: t1,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-restores',
        facts: [failed],
        collectedAt: t1,
      });
      expect(
        await store.listPodVolumeBackups({
          cluster: 'prod',
          backupNames: ['daily-1', 'daily-2', 'daily-3'],
        }),
      ).toEqual([pvb('p3', 'daily-3')]);
      expect(await store.listRestores({ cluster: 'prod' })).toEqual([failed]);
      // Backups' records and restores keep their history, like backups.
      const kept = await knex('resilience_restores').where({ name: 'r1' });
      expect(kept).toHaveLength(1);
      expect(new Date(kept[0].deleted_at).toISOString()).toBe(t1.toISOString());
      expect(
        await store.purgeDeletedFacts({ cluster: 'prod', before: t2 }),
      ).toBe(3);
      expect(await knex('resilience_restores')).toHaveLength(1);
    });

    it('round-trips schedules with their template settings, and storage locations, per cluster', async () => {
      const { store } = await createStore(databaseId);
      const schedule = {
        cluster: 'prod',
        uid: 's1',
        namespace: 'velero',
        name: 'daily',
        schedule: '0 2 * * *',
        paused: false,
        phase: 'Enabled',
        ttl: '720h0m0s',
        selection: { includedNamespaces: ['payments'] },
        lastBackupAt: t0,
        storageLocation: 'secondary',
        snapshotVolumes: false,
        defaultVolumesToFsBackup: true,
      };
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-schedules',
        facts: [schedule],
        collectedAt: t1,
      });
      const location = {
        cluster: 'prod',
        uid: 'l1',
        namespace: 'velero',
        name: 'secondary',
        phase: 'Unavailable',
        isDefault: false,
        provider: 'aws',
        bucket: 'dr',
        accessMode: 'ReadOnly',
        lastValidatedAt: t1,
        message: 'NoSuchBucket',
      };
      const fallback = {
        cluster: 'prod',
        uid: 'l2',
        namespace: 'velero',
        name: 'default',
        isDefault: true,
      };
      await store.replaceFacts({
        cluster: 'prod',
        source: 'backup-storage-locations',
        facts: [location, fallback],
        collectedAt: t1,
      });
      expect(await store.listSchedules({ clusters: ['prod'] })).toEqual([
        schedule,
      ]);
      expect(await store.listSchedules({ clusters: ['dev'] })).toEqual([]);
      expect(await store.listStorageLocations({ clusters: ['prod'] })).toEqual([
        {
          ...fallback,
          phase: undefined,
          provider: undefined,
          bucket: undefined,
          accessMode: undefined,
          lastValidatedAt: undefined,
          message: undefined,
        },
        location,
      ]);
      // A location that disappears is no longer listed.
      await store.replaceFacts({
        cluster: 'prod',
        source: 'backup-storage-locations',
        facts: [location],
        collectedAt: t2,
      });
      expect(
        (await store.listStorageLocations({ clusters: ['prod'] })).map(
          l => l.name,
        ),
      ).toEqual(['secondary']);
    });

    it('lists backups of every phase newest request first, deleted ones with the time they went', async () => {
      const { store } = await createStore(databaseId);
      const hour = 3_600_000;
      const facts = [
        backup('oldest', { createdAt: new Date(t0.getTime() - 3 * hour) }),
        backup('failed-validation', {
          phase: 'FailedValidation',
          startedAt: undefined,
          completedAt: undefined,
          createdAt: new Date(t0.getTime() - hour),
        }),
        backup('partial', {
          phase: 'PartiallyFailed',
          errors: 1,
          warnings: 2,
          createdAt: new Date(t0.getTime() - 2 * hour),
          ttlMs: 48 * hour,
        }),
      ];
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts,
        collectedAt: t1,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'velero-backups',
        facts: facts.slice(1),
        collectedAt: t2,
      });
      const listed = await store.listBackups({
        cluster: 'prod',
        limit: 10,
        offset: 0,
      });
      expect(listed.map(b => [b.name, b.phase, b.deletedAt])).toEqual([
        ['failed-validation', 'FailedValidation', undefined],
        ['partial', 'PartiallyFailed', undefined],
        ['oldest', 'Completed', t2],
      ]);
      expect(listed[1]).toMatchObject({
        errors: 1,
        warnings: 2,
        ttlMs: 48 * hour,
      });
      expect(
        (await store.listBackups({ cluster: 'prod', limit: 1, offset: 2 })).map(
          b => b.name,
        ),
      ).toEqual(['oldest']);
    });

    describe("Velero's order of backups", () => {
      // Backup sync recreated every Backup from object storage at one time: all share one
      // creationTimestamp, and their names put the oldest first in ascending order.
      const synced = new Date('2026-12-01T09:00:00Z');
      const hour = 3_600_000;
      const day = 24 * hour;
      const run = (daysAgo: number, overrides: Partial<BackupFact> = {}) =>
        backup(`daily-2026112${9 - daysAgo}020000`, {
          createdAt: synced,
          startedAt: new Date(t0.getTime() - daysAgo * day),
          completedAt: new Date(t0.getTime() - daysAgo * day + 600_000),
          ...overrides,
        });
      const facts = [
        run(5),
        run(4),
        run(3),
        // A slow run started before the next one and completed after it: Velero calls the later
        // start the most recent.
        run(2, {
          completedAt: new Date(t0.getTime() - 1 * day + 3_600_000),
        }),
        run(1),
        run(0, { phase: 'PartiallyFailed', errors: 2 }),
        // Not started yet: placed by its own creation, after the sync.
        backup('adhoc-queued', {
          phase: 'New',
          startedAt: undefined,
          completedAt: undefined,
          createdAt: new Date(synced.getTime() + 60_000),
        }),
        // Two runs that started in the same second: the later name first.
        run(3, { name: 'daily-20261126020000-b', uid: 'uid-second' }),
      ];
      const names = (backups: BackupFact[]) => backups.map(b => b.name);
      const newestFirst = [
        'adhoc-queued',
        'daily-20261129020000',
        'daily-20261128020000',
        'daily-20261127020000',
        'daily-20261126020000-b',
        'daily-20261126020000',
        'daily-20261125020000',
        'daily-20261124020000',
      ];

      async function stored(databaseIdOf: TestDatabaseId) {
        const created = await createStore(databaseIdOf);
        await created.store.replaceFacts({
          cluster: 'prod',
          source: 'velero-backups',
          facts,
          collectedAt: t1,
        });
        return created;
      }

      it('lists every backup by start, newest first, never by the creation sync reset', async () => {
        const { store } = await stored(databaseId);
        expect(
          names(
            await store.listBackups({ cluster: 'prod', limit: 100, offset: 0 }),
          ),
        ).toEqual(newestFirst);
        // Page by page, the same order.
        const pages: BackupFact[] = [];
        for (let offset = 0; offset < facts.length; offset += 3) {
          pages.push(
            ...(await store.listBackups({ cluster: 'prod', limit: 3, offset })),
          );
        }
        expect(names(pages)).toEqual(newestFirst);
      });

      it('lists completed backups by start, so the slow run is older than the one after it', async () => {
        const { store } = await stored(databaseId);
        expect(
          names(
            await store.listBackups({
              cluster: 'prod',
              completed: true,
              limit: 100,
              offset: 0,
            }),
          ),
        ).toEqual(
          newestFirst.filter(
            n => n !== 'adhoc-queued' && n !== 'daily-20261129020000',
          ),
        );
      });

      it('lists the backups of some selections only, in the same order and pages', async () => {
        const { store } = await stored(databaseId);
        await store.replaceFacts({
          cluster: 'prod',
          source: 'velero-backups',
          facts: [
            ...facts,
            backup('orders-daily', {
              uid: 'uid-orders',
              selection: { includedNamespaces: ['orders'] },
              startedAt: t0,
            }),
          ],
          collectedAt: t2,
        });
        const selections = await store.listBackupSelections({
          cluster: 'prod',
        });
        expect(selections.map(s => s.selection)).toEqual(
          expect.arrayContaining([
            { includedNamespaces: ['payments'] },
            { includedNamespaces: ['orders'] },
          ]),
        );
        expect(selections).toHaveLength(2);
        const payments = selections
          .filter(s => s.selection.includedNamespaces?.[0] === 'payments')
          .map(s => s.key);
        const pages: BackupFact[] = [];
        for (let offset = 0; offset < facts.length; offset += 3) {
          pages.push(
            ...(await store.listBackups({
              cluster: 'prod',
              selectionKeys: payments,
              limit: 3,
              offset,
            })),
          );
        }
        expect(names(pages)).toEqual(newestFirst);
        expect(
          names(
            await store.listBackups({
              cluster: 'prod',
              selectionKeys: payments,
              completed: true,
              limit: 2,
              offset: 0,
            }),
          ),
        ).toEqual(['daily-20261128020000', 'daily-20261127020000']);
        expect(
          await store.listBackups({
            cluster: 'prod',
            selectionKeys: [],
            limit: 10,
            offset: 0,
          }),
        ).toEqual([]);
      });

      it('keys the selections of backups stored before the migration that added the keys', async () => {
        const { knex, store } = await stored(databaseId);
        const directory = require('node:path').resolve(
          __dirname,
          '../../migrations',
        );
        const before = await store.listBackupSelections({ cluster: 'prod' });
        await knex.migrate.down({
          directory,
          name: '20261202200000_backup_inclusion.js',
        });
        expect(
          await knex.schema.hasColumn('resilience_backups', 'selection_key'),
        ).toBe(false);
        await knex.migrate.up({
          directory,
          name: '20261202200000_backup_inclusion.js',
        });
        expect(await store.listBackupSelections({ cluster: 'prod' })).toEqual(
          before,
        );
        expect(
          names(
            await store.listBackups({
              cluster: 'prod',
              selectionKeys: before.map(s => s.key),
              limit: 100,
              offset: 0,
            }),
          ),
        ).toEqual(newestFirst);
      });

      it('fills the order of backups stored before the migration that added it', async () => {
        const { knex, store } = await stored(databaseId);
        const directory = require('node:path').resolve(
          __dirname,
          '../../migrations',
        );
        // Down to before it, in order (the later migrations build on its column), and up again.
        while (
          await knex.schema.hasColumn('resilience_backups', 'ordered_at')
        ) {
          await knex.migrate.down({ directory });
        }
        expect(
          await knex.schema.hasColumn('resilience_backups', 'selection_key'),
        ).toBe(false);
        await knex.migrate.latest({ directory });
        expect(
          names(
            await store.listBackups({ cluster: 'prod', limit: 100, offset: 0 }),
          ),
        ).toEqual(newestFirst);
      });
    });

    it('migrates down cleanly', async () => {
      const { knex } = await createStore(databaseId);
      await knex.migrate.rollback(
        {
          directory: require('node:path').resolve(
            __dirname,
            '../../migrations',
          ),
        },
        true,
      );
      expect(await knex.schema.hasTable('resilience_backups')).toBe(false);
    });
  },
);
