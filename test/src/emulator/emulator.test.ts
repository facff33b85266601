import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import {
  ApisApi,
  CoreApi,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { RunningEmulator, startEmulator } from './index';

jest.setTimeout(30_000);

const pvc = (
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { namespace, name, labels },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
  },
  status: { phase: 'Bound' },
});

const backupBody = (name: string) => ({
  apiVersion: 'velero.io/v1',
  kind: 'Backup',
  metadata: { name, namespace: 'velero' },
  spec: { includedNamespaces: ['payments'], ttl: '24h0m0s' },
});

/** The HTTP status and parsed `Status` body of a failed client-node call. */
async function failure(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code: number; body: string | object };
    return {
      code: e.code,
      body:
        typeof e.body === 'string'
          ? JSON.parse(e.body)
          : (e.body as Record<string, unknown>),
    };
  }
  throw new Error('expected the call to fail');
}

/** A GET with node's own https client: status, parsed body and the served certificate. */
function rawGet(emulator: RunningEmulator, path: string, token?: string) {
  return new Promise<{ status: number; body: string; fingerprint: string }>(
    (resolve, reject) => {
      const req = httpsRequest(
        `${emulator.url}${path}`,
        {
          ca: emulator.caPem,
          agent: false,
          headers: token ? { Authorization: `Bearer ${token}` } : {},
        },
        res => {
          const fingerprint = (res.socket as TLSSocket).getPeerCertificate()
            .fingerprint256;
          let body = '';
          res.on('data', chunk => (body += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode!, body, fingerprint }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

describe('the emulator, through @kubernetes/client-node', () => {
  let emulator: RunningEmulator;
  let kc: KubeConfig;

  beforeEach(async () => {
    emulator = await startEmulator({
      objects: [
        pvc('payments', 'data-0', { 'backstage.io/kubernetes-id': 'ledger' }),
        pvc('payments', 'data-1', {
          'backstage.io/kubernetes-id': 'ledger',
          tier: 'db',
        }),
        pvc('search', 'index-0', { 'backstage.io/kubernetes-id': 'search' }),
        pvc('search', 'scratch'),
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'velero' } },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'kubernetes.io/tls',
          metadata: { namespace: 'payments', name: 'web-tls' },
          data: {},
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'Opaque',
          metadata: { namespace: 'payments', name: 'db-password' },
          data: {},
        },
      ],
    });
    kc = new KubeConfig();
    kc.loadFromString(emulator.kubeconfig());
  });

  afterEach(() => emulator.close());

  it('serves discovery of core, built-in groups and CRDs', async () => {
    expect((await kc.makeApiClient(CoreApi).getAPIVersions()).versions).toEqual(
      ['v1'],
    );
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    const names = groups.groups.map(g => g.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'apps',
        'networking.k8s.io',
        'velero.io',
        'cert-manager.io',
        'snapshot.storage.k8s.io',
      ]),
    );
    expect(
      groups.groups.find(g => g.name === 'velero.io')!.preferredVersion!
        .version,
    ).toBe('v1');
    const core = await kc.makeApiClient(CoreV1Api).getAPIResources();
    expect(
      core.resources.find(r => r.name === 'persistentvolumeclaims'),
    ).toMatchObject({
      namespaced: true,
      kind: 'PersistentVolumeClaim',
      shortNames: ['pvc'],
    });
  });

  it('lists across namespaces page by page with limit and continue', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    const first = await api.listPersistentVolumeClaimForAllNamespaces({
      limit: 3,
    });
    expect(
      first.items.map(p => `${p.metadata!.namespace}/${p.metadata!.name}`),
    ).toEqual(['payments/data-0', 'payments/data-1', 'search/index-0']);
    expect(first.metadata!.remainingItemCount).toBe(1);
    const second = await api.listPersistentVolumeClaimForAllNamespaces({
      limit: 3,
      _continue: first.metadata!._continue,
    });
    expect(second.items.map(p => p.metadata!.name)).toEqual(['scratch']);
    expect(second.metadata!._continue).toBeUndefined();
    const namespaced = await api.listNamespacedPersistentVolumeClaim({
      namespace: 'search',
    });
    expect(namespaced.items.map(p => p.metadata!.name)).toEqual([
      'index-0',
      'scratch',
    ]);
  });

  it('answers 410 Expired for a continue token that has expired, and 400 for a forged one', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    const first = await api.listPersistentVolumeClaimForAllNamespaces({
      limit: 1,
    });
    emulator.expireContinueTokens();
    const expired = await failure(
      api.listPersistentVolumeClaimForAllNamespaces({
        limit: 1,
        _continue: first.metadata!._continue,
      }),
    );
    expect(expired.code).toBe(410);
    expect(expired.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    const forged = await failure(
      api.listPersistentVolumeClaimForAllNamespaces({
        _continue: 'not-a-token',
      }),
    );
    expect(forged.code).toBe(400);
  });

  it('filters with label selectors (equality, set-based, existence) and field selectors', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    const names = async (labelSelector: string) =>
      (
        await api.listPersistentVolumeClaimForAllNamespaces({ labelSelector })
      ).items.map(p => p.metadata!.name);
    expect(await names('backstage.io/kubernetes-id=ledger')).toEqual([
      'data-0',
      'data-1',
    ]);
    expect(
      await names('backstage.io/kubernetes-id in (search,other),!tier'),
    ).toEqual(['index-0']);
    expect(await names('!backstage.io/kubernetes-id')).toEqual(['scratch']);
    expect(await names('tier')).toEqual(['data-1']);
    const tls = await api.listSecretForAllNamespaces({
      fieldSelector: 'type=kubernetes.io/tls',
    });
    expect(tls.items.map(s => s.metadata!.name)).toEqual(['web-tls']);
    const bad = await failure(
      api.listSecretForAllNamespaces({ fieldSelector: 'data.x=1' }),
    );
    expect(bad.code).toBe(400);
    expect(bad.body.message).toBe('field label not supported: data.x');
  });

  it('creates, gets, patches (merge and JSON) and deletes custom objects', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const ref = {
      group: 'velero.io',
      version: 'v1',
      namespace: 'velero',
      plural: 'backups',
    };
    const created = await api.createNamespacedCustomObject({
      ...ref,
      body: { ...backupBody('b1'), status: { phase: 'New' } },
    });
    expect(created.metadata).toMatchObject({
      name: 'b1',
      namespace: 'velero',
      generation: 1,
    });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    // Velero's Backup CRD has no status subresource, so status is part of the object.
    expect(created.status).toEqual({ phase: 'New' });

    const conflict = await failure(
      api.createNamespacedCustomObject({ ...ref, body: backupBody('b1') }),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body).toMatchObject({
      reason: 'AlreadyExists',
      message: 'backups.velero.io "b1" already exists',
    });

    const merged = await api.patchNamespacedCustomObject(
      {
        ...ref,
        name: 'b1',
        body: {
          metadata: { labels: { team: 'payments' } },
          spec: { ttl: '48h0m0s' },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.spec.ttl).toBe('48h0m0s');
    expect(merged.metadata.generation).toBe(2);

    const patched = await api.patchNamespacedCustomObject(
      {
        ...ref,
        name: 'b1',
        body: [
          { op: 'add', path: '/spec/includedNamespaces/-', value: 'search' },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(patched.spec.includedNamespaces).toEqual(['payments', 'search']);

    const fetched = await api.getNamespacedCustomObject({ ...ref, name: 'b1' });
    expect(fetched).toMatchObject({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { labels: { team: 'payments' } },
    });
    expect(Number(fetched.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );

    const noStatus = await failure(
      api.getNamespacedCustomObjectStatus({ ...ref, name: 'b1' }),
    );
    expect(noStatus.code).toBe(404);

    await api.deleteNamespacedCustomObject({ ...ref, name: 'b1' });
    const gone = await failure(
      api.getNamespacedCustomObject({ ...ref, name: 'b1' }),
    );
    expect(gone.code).toBe(404);
    expect(gone.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'backups.velero.io "b1" not found',
    });
  });

  it('keeps status apart when the CRD has a status subresource', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const ref = {
      group: 'cert-manager.io',
      version: 'v1',
      namespace: 'payments',
      plural: 'certificates',
    };
    const created = await api.createNamespacedCustomObject({
      ...ref,
      body: {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'web', namespace: 'payments' },
        spec: {
          secretName: 'web-tls',
          dnsNames: ['web.example.com'],
          issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
        },
        status: { notAfter: '2027-01-01T00:00:00Z' },
      },
    });
    // Sent on create, status is ignored, as by a real server.
    expect(created.status).toBeUndefined();
    const withStatus = await api.patchNamespacedCustomObjectStatus(
      {
        ...ref,
        name: 'web',
        body: {
          status: {
            conditions: [
              {
                type: 'Issuing',
                status: 'True',
                reason: 'ManuallyTriggered',
                message: 'renew',
              },
            ],
          },
          spec: { secretName: 'changed' },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(withStatus.status.conditions[0]).toMatchObject({
      type: 'Issuing',
      reason: 'ManuallyTriggered',
    });
    // Through /status only status changes, and through the object only the rest.
    expect(withStatus.spec.secretName).toBe('web-tls');
    const updated = await api.patchNamespacedCustomObject(
      {
        ...ref,
        name: 'web',
        body: { spec: { renewBefore: '720h' }, status: { conditions: [] } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(updated.spec.renewBefore).toBe('720h');
    expect(updated.status.conditions).toHaveLength(1);

    // A resourceVersion in a merge patch is a precondition: a stale one is a conflict.
    const stale = await failure(
      api.patchNamespacedCustomObjectStatus(
        {
          ...ref,
          name: 'web',
          body: {
            metadata: { resourceVersion: withStatus.metadata.resourceVersion },
            status: { conditions: [] },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(stale.code).toBe(409);
    expect(stale.body).toMatchObject({ reason: 'Conflict' });
    const current = await api.patchNamespacedCustomObjectStatus(
      {
        ...ref,
        name: 'web',
        body: {
          metadata: { resourceVersion: updated.metadata.resourceVersion },
          status: { conditions: [] },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(current.status.conditions).toEqual([]);
  });

  it('refuses objects that break the CRD schema with a 422 naming the fields', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const invalid = await failure(
      api.createNamespacedCustomObject({
        group: 'velero.io',
        version: 'v1',
        namespace: 'velero',
        plural: 'backups',
        body: {
          ...backupBody('bad'),
          spec: { ttl: 24, includedNamespaces: 'payments' },
        },
      }),
    );
    expect(invalid.code).toBe(422);
    expect(invalid.body.reason).toBe('Invalid');
    const causes = (
      invalid.body.details as { causes: Array<{ field: string }> }
    ).causes;
    expect(causes.map(c => c.field).sort()).toEqual([
      'spec.includedNamespaces',
      'spec.ttl',
    ]);
  });

  it('answers 404 for a namespace that does not exist', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const missing = await failure(
      api.createNamespacedCustomObject({
        group: 'velero.io',
        version: 'v1',
        namespace: 'nowhere',
        plural: 'backups',
        body: {
          ...backupBody('x'),
          metadata: { name: 'x', namespace: 'nowhere' },
        },
      }),
    );
    expect(missing.code).toBe(404);
    expect(missing.body.message).toBe('namespaces "nowhere" not found');
  });

  it('answers 404 for a CRD that is not installed', async () => {
    const bare = await startEmulator({ crdDirs: [] });
    try {
      const bareKc = new KubeConfig();
      bareKc.loadFromString(bare.kubeconfig());
      const notInstalled = await failure(
        bareKc.makeApiClient(CustomObjectsApi).listClusterCustomObject({
          group: 'velero.io',
          version: 'v1',
          plural: 'backups',
        }),
      );
      expect(notInstalled.code).toBe(404);
      expect(notInstalled.body).toMatchObject({
        kind: 'Status',
        reason: 'NotFound',
      });
    } finally {
      await bare.close();
    }
  });

  it('answers 403 as RBAC would for a forbidden verb and resource', async () => {
    emulator.forbid({ verb: 'list', group: '', resource: 'secrets' });
    const api = kc.makeApiClient(CoreV1Api);
    const forbidden = await failure(api.listSecretForAllNamespaces());
    expect(forbidden.code).toBe(403);
    expect(forbidden.body).toMatchObject({
      reason: 'Forbidden',
      details: { kind: 'secrets' },
    });
    expect(forbidden.body.message).toMatch(
      /cannot list resource "secrets" in API group "" at the cluster scope/,
    );
    await expect(
      api.readNamespacedSecret({ namespace: 'payments', name: 'web-tls' }),
    ).resolves.toBeDefined();
    emulator.clearForbid();
    await expect(api.listSecretForAllNamespaces()).resolves.toBeDefined();
  });

  it('answers 401 without the current token, and accepts a rotated one', async () => {
    const oldToken = emulator.token;
    const oldKubeconfig = emulator.kubeconfig();
    const newToken = emulator.rotateToken();
    expect(newToken).not.toBe(oldToken);
    const stale = new KubeConfig();
    stale.loadFromString(oldKubeconfig);
    expect(
      (await failure(stale.makeApiClient(CoreV1Api).listNamespace())).code,
    ).toBe(401);
    // client-node drops the body of a 401; read it directly.
    const raw = await rawGet(emulator, '/api/v1/namespaces', oldToken);
    expect(raw.status).toBe(401);
    expect(JSON.parse(raw.body)).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      code: 401,
    });
    expect((await rawGet(emulator, '/api/v1/namespaces')).status).toBe(401);
    const fresh = new KubeConfig();
    fresh.loadFromString(emulator.kubeconfig());
    await expect(
      fresh.makeApiClient(CoreV1Api).listNamespace(),
    ).resolves.toBeDefined();
  });

  it('serves a rotated certificate, signed by the same CA, to new connections', async () => {
    const before = await rawGet(emulator, '/healthz');
    emulator.rotateServingCertificate();
    const after = await rawGet(emulator, '/healthz');
    expect(before.status).toBe(200);
    expect(after.status).toBe(200);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    await expect(
      kc.makeApiClient(CoreV1Api).listNamespace(),
    ).resolves.toBeDefined();
  });

  it('rotates its CA: new connections get a certificate that only the new CA verifies', async () => {
    const oldCa = emulator.caPem;
    const newCa = emulator.rotateCertificateAuthority();
    expect(newCa).not.toBe(oldCa);
    expect(emulator.caPem).toBe(newCa);

    // The handshake fails before any request is sent, so the emulator sees none.
    const seen = emulator.requests.length;
    await expect(kc.makeApiClient(CoreV1Api).listNamespace()).rejects.toThrow(
      expect.objectContaining({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
    );
    expect(emulator.requests).toHaveLength(seen);

    const fresh = new KubeConfig();
    fresh.loadFromString(emulator.kubeconfig());
    await expect(
      fresh.makeApiClient(CoreV1Api).listNamespace(),
    ).resolves.toBeDefined();
  });

  it('answers a keep-alive connection opened before a rotation once more, then makes the client reconnect', async () => {
    const agent = new Agent({
      keepAlive: true,
      maxSockets: 1,
      ca: emulator.caPem,
    });
    const get = () =>
      new Promise<{ fingerprint: string; connection?: string }>(
        (resolve, reject) => {
          const req = httpsRequest(
            `${emulator.url}/healthz`,
            { agent },
            res => {
              const fingerprint = (res.socket as TLSSocket).getPeerCertificate()
                .fingerprint256;
              res.resume();
              res.on('end', () =>
                resolve({ fingerprint, connection: res.headers.connection }),
              );
            },
          );
          req.on('error', reject);
          req.end();
        },
      );
    try {
      const first = await get();
      expect(first.connection).toBe('keep-alive');
      emulator.rotateServingCertificate();

      const onOldConnection = await get();
      expect(onOldConnection).toEqual({
        fingerprint: first.fingerprint,
        connection: 'close',
      });
      const onNewConnection = await get();
      expect(onNewConnection.fingerprint).not.toBe(first.fingerprint);
      expect(onNewConnection.connection).toBe('keep-alive');
    } finally {
      agent.destroy();
    }
  });

  it('records the status of each answer and tells listeners once it is answered', async () => {
    const answered: string[] = [];
    const stop = emulator.onResponse(r =>
      answered.push(`${r.method} ${r.path} ${r.status}`),
    );
    const api = kc.makeApiClient(CoreV1Api);
    await api.listNamespace();
    await failure(api.readNamespace({ name: 'absent' }));
    stop();
    await api.listNamespace();
    expect(answered).toEqual([
      'GET /api/v1/namespaces 200',
      'GET /api/v1/namespaces/absent 404',
    ]);
    expect(emulator.requests.map(r => r.status)).toEqual([200, 404, 200]);
  });

  it('lets a test rotate the certificate after a client connects, before the handshake', async () => {
    const before = await rawGet(emulator, '/healthz');
    const stop = emulator.onConnection(() => {
      stop();
      emulator.rotateServingCertificate();
    });
    const after = await rawGet(emulator, '/healthz');
    expect(after.fingerprint).not.toBe(before.fingerprint);
  });

  it('injects faults per path and records requests', async () => {
    emulator.injectFault({
      pathPrefix: '/api/v1/namespaces',
      status: 503,
      times: 1,
    });
    const api = kc.makeApiClient(CoreV1Api);
    const unavailable = await failure(api.listNamespace());
    expect(unavailable.code).toBe(503);
    await expect(api.listNamespace()).resolves.toBeDefined();
    expect(
      emulator.requests.filter(r => r.path === '/api/v1/namespaces'),
    ).toHaveLength(2);
  });
});

describe('loading manifests', () => {
  it('names the file and document of an invalid object', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-manifests-'));
    try {
      await writeFile(
        join(dir, 'velero.yaml'),
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: velero}\n---\napiVersion: velero.io/v1\nkind: Backup\nmetadata: {name: b, namespace: velero}\nspec: {ttl: 5}\n',
      );
      await expect(startEmulator({ manifestsDir: dir })).rejects.toThrow(
        /velero\.yaml, document 2 \(Backup b\): Backup\.velero\.io "b" is invalid: spec\.ttl/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('object identity', () => {
  it('keeps the uid of a loaded object, and assigns a new one to an object created over HTTP', async () => {
    const uid = '0b6c7f2e-5d3a-4c1b-9e8f-1a2b3c4d5e6f';
    const emulator = await startEmulator({
      objects: [
        {
          ...pvc('payments', 'data-0'),
          metadata: { namespace: 'payments', name: 'data-0', uid },
        },
      ],
    });
    try {
      const kc = new KubeConfig();
      kc.loadFromString(emulator.kubeconfig());
      const api = kc.makeApiClient(CoreV1Api);
      const loaded = await api.readNamespacedPersistentVolumeClaim({
        namespace: 'payments',
        name: 'data-0',
      });
      expect(loaded.metadata!.uid).toBe(uid);
      const created = await api.createNamespacedPersistentVolumeClaim({
        namespace: 'payments',
        body: {
          ...pvc('payments', 'data-1'),
          metadata: { namespace: 'payments', name: 'data-1', uid },
        },
      });
      expect(created.metadata!.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.metadata!.uid).not.toBe(uid);
    } finally {
      await emulator.close();
    }
  });
});
