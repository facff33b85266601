import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningEmulator, startEmulator } from '@internal/resilience-test';
import { ClusterClient } from './ClusterClient';
import { KubernetesRequestError } from './errors';

jest.setTimeout(60_000);

const restores = {
  group: 'velero.io',
  version: 'v1',
  plural: 'restores',
  namespace: 'velero',
};

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
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { namespace: 'payments', name: 'ledger-api' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'ledger-api' } },
      template: { metadata: { labels: { app: 'ledger-api' } }, spec: {} },
    },
  },
];

/**
 * What a restore test does in a cluster, through the client: a fresh labelled namespace, a
 * Velero Restore mapped onto it, the restored objects read back, and everything deleted.
 */
describe('ClusterClient writes, against the emulator and its Velero', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let client: ClusterClient;

  beforeAll(async () => {
    emulator = await startEmulator({
      objects,
      velero: { restoreDelayMs: 50, readyDelayMs: 50 },
      namespaceFinalizeMs: 200,
    });
    dir = await mkdtemp(join(tmpdir(), 'resilience-client-writes-'));
    await writeFile(join(dir, 'token'), emulator.token);
    await writeFile(join(dir, 'ca.crt'), emulator.caPem);
    client = ClusterClient.create({
      cluster: {
        type: 'url',
        name: 'emulated',
        veleroNamespace: 'velero',
        url: emulator.url,
        tokenFile: join(dir, 'token'),
        caFile: join(dir, 'ca.crt'),
        skipTLSVerify: false,
      },
      pageSize: 1,
    });
  });

  afterAll(async () => {
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const failureOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(KubernetesRequestError);
      return error as KubernetesRequestError;
    }
    throw new Error('expected the request to fail');
  };

  it('creates a labelled namespace once, restores into it, reads what came back and deletes it all', async () => {
    const label = { 'resilience.io/restore-test-id': 'test-1' };
    await client.createNamespace({
      metadata: { name: 'restore-test-1', labels: label },
    });
    const again = await failureOf(
      client.createNamespace({ metadata: { name: 'restore-test-1' } }),
    );
    expect(again).toMatchObject({ reason: 'conflict', statusCode: 409 });
    expect(
      (await client.getNamespace('restore-test-1')).metadata?.labels,
    ).toEqual(label);
    expect(
      (
        await client.listNamespaces({
          labelSelector: 'resilience.io/restore-test-id=test-1',
        })
      ).map(n => n.metadata?.name),
    ).toEqual(['restore-test-1']);

    const created = await client.createCustomObject({
      ...restores,
      body: {
        apiVersion: 'velero.io/v1',
        kind: 'Restore',
        metadata: {
          name: 'restore-test-1',
          namespace: 'velero',
          labels: label,
        },
        spec: {
          backupName: 'daily',
          includedNamespaces: ['payments'],
          namespaceMapping: { payments: 'restore-test-1' },
          restorePVs: true,
          existingResourcePolicy: 'none',
        },
      },
    });
    expect(created.metadata?.name).toBe('restore-test-1');
    await emulator.veleroIdle();
    const restore = await client.getCustomObject({
      ...restores,
      name: 'restore-test-1',
    });
    expect(restore.status).toMatchObject({ phase: 'Completed' });

    // Paged (one object a page) and in the test namespace only.
    expect(
      (await client.listNamespacedPersistentVolumeClaims('restore-test-1')).map(
        p => [p.metadata?.name, p.status?.phase],
      ),
    ).toEqual([['data-ledger-0', 'Bound']]);
    expect(
      (await client.listStatefulSets('restore-test-1')).map(s => [
        s.metadata?.name,
        s.status?.availableReplicas,
      ]),
    ).toEqual([['ledger', 1]]);
    expect(
      (await client.listDeployments('restore-test-1')).map(d => [
        d.metadata?.name,
        d.status?.availableReplicas,
      ]),
    ).toEqual([['ledger-api', 2]]);

    await client.deleteCustomObject({ ...restores, name: 'restore-test-1' });
    expect(
      (
        await failureOf(
          client.getCustomObject({ ...restores, name: 'restore-test-1' }),
        )
      ).reason,
    ).toBe('not-found');

    await client.deleteNamespace('restore-test-1');
    // Terminating for a while, as an API server keeps it while it finalises.
    expect((await client.getNamespace('restore-test-1')).status?.phase).toBe(
      'Terminating',
    );
    for (let i = 0; i < 50; i++) {
      const gone = await client
        .getNamespace('restore-test-1')
        .then(() => false)
        .catch((error: KubernetesRequestError) => error.reason === 'not-found');
      if (gone) break;
      await new Promise(r => setTimeout(r, 50));
    }
    expect(
      (await failureOf(client.getNamespace('restore-test-1'))).reason,
    ).toBe('not-found');
    // The source is untouched.
    expect(
      (await client.listNamespacedPersistentVolumeClaims('payments')).map(
        p => p.metadata?.name,
      ),
    ).toEqual(['data-ledger-0']);
  });

  it('says when a custom object to create exists, or one to delete does not', async () => {
    const body = {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: 'twice', namespace: 'velero' },
      spec: { backupName: 'daily' },
    };
    await client.createCustomObject({ ...restores, body });
    expect(
      (await failureOf(client.createCustomObject({ ...restores, body })))
        .reason,
    ).toBe('conflict');
    expect(
      (
        await failureOf(
          client.deleteCustomObject({ ...restores, name: 'never-made' }),
        )
      ).reason,
    ).toBe('not-found');
    expect((await failureOf(client.deleteNamespace('never-made'))).reason).toBe(
      'not-found',
    );
  });
});
