import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { startEmulator } from '@internal/resilience-test';
import { DatabaseResilienceStore } from '../database/DatabaseResilienceStore';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { CertificateRenewer } from './CertificateRenewer';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { namespace: 'shop', name: 'shop-tls' },
  spec: {
    secretName: 'shop-tls',
    dnsNames: ['shop.example.com'],
    issuerRef: { name: 'shop-ca', kind: 'ClusterIssuer' },
  },
  // As cert-manager left it: issued once, Ready.
  status: {
    revision: 1,
    notBefore: '2026-11-01T00:00:00Z',
    notAfter: '2027-01-30T00:00:00Z',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Ready',
        message: 'Certificate is up to date and has not expired',
      },
    ],
  },
};

/**
 * The renewer against the emulator with its cert-manager switched off, so that nothing answers
 * the trigger: the paths where no new revision comes.
 */
describe('CertificateRenewer without cert-manager answering', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let dir: string;
  let renewer: CertificateRenewer;
  let store: DatabaseResilienceStore;
  let clock = new Date('2026-11-25T10:00:00Z');

  beforeAll(async () => {
    emulator = await startEmulator({
      objects: [certificate],
      certManager: false,
    });
    dir = await mkdtemp(join(tmpdir(), 'resilience-renewer-'));
    await writeFile(join(dir, 'kubeconfig'), emulator.kubeconfig());
    const knex = await databases.init('SQLITE_3');
    store = await DatabaseResilienceStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
    const client = ClusterClient.create({
      cluster: {
        type: 'kubeconfig',
        name: 'emulated',
        kubeconfigPath: join(dir, 'kubeconfig'),
        veleroNamespace: 'velero',
      },
    });
    renewer = CertificateRenewer.create({
      store,
      clients: new Map([['emulated', client]]),
      logger: mockServices.logger.mock(),
      timeoutMs: 5 * 60_000,
      now: () => clock,
    });
  });

  afterAll(async () => {
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const request = {
    cluster: 'emulated',
    namespace: 'shop',
    name: 'shop-tls',
    entityRef: 'component:default/shop',
    requestedBy: 'user:default/ada',
  };

  it('sets Issuing=True with reason ManuallyTriggered, keeping the other conditions', async () => {
    const renewal = await renewer.start(request);
    expect(renewal).toMatchObject({
      state: 'in-progress',
      previousRevision: 1,
    });
    const patched = emulator.get({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      namespace: 'shop',
      name: 'shop-tls',
    }) as unknown as { status: { conditions: object[]; revision: number } };
    expect(patched.status.revision).toBe(1);
    expect(patched.status.conditions).toEqual([
      expect.objectContaining({ type: 'Ready', status: 'True' }),
      expect.objectContaining({
        type: 'Issuing',
        status: 'True',
        reason: 'ManuallyTriggered',
        lastTransitionTime: '2026-11-25T10:00:00Z',
      }),
    ]);

    // cert-manager now reports it issuing: a second request is refused by the cluster's state.
    await expect(renewer.start(request)).rejects.toThrow(ConflictError);

    // Nothing answers; after the timeout the renewal fails, once.
    await renewer.advance();
    expect((await store.getCertificateRenewal(renewal.id))?.state).toBe(
      'in-progress',
    );
    expect((await store.getCertificateRenewal(renewal.id))?.message).toBe(
      'cert-manager is issuing revision 2: Certificate re-issuance manually triggered',
    );
    clock = new Date('2026-11-25T10:05:01Z');
    await renewer.advance();
    expect(await store.getCertificateRenewal(renewal.id)).toMatchObject({
      state: 'failed',
      finishedAt: clock,
      message:
        'No new revision became Ready within 300 seconds; last seen: cert-manager is issuing revision 2: Certificate re-issuance manually triggered',
    });
  });

  it('fails a renewal whose Certificate was deleted, and refuses one that does not exist', async () => {
    emulator.apply({
      ...certificate,
      metadata: { namespace: 'shop', name: 'doomed-tls' },
    });
    const renewal = await renewer.start({ ...request, name: 'doomed-tls' });
    emulator.delete({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      namespace: 'shop',
      name: 'doomed-tls',
    });
    await renewer.advance();
    expect(await store.getCertificateRenewal(renewal.id)).toMatchObject({
      state: 'failed',
      message:
        'Certificate shop/doomed-tls in cluster emulated was deleted during the renewal',
    });
    await expect(
      renewer.start({ ...request, name: 'doomed-tls' }),
    ).rejects.toThrow(NotFoundError);
    await expect(
      renewer.start({ ...request, cluster: 'elsewhere' }),
    ).rejects.toThrow('No cluster named "elsewhere" is configured');
  });
});
