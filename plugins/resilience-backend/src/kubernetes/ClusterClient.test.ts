import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { RunningEmulator, startEmulator } from '@internal/resilience-test';
import { ClusterClient } from './ClusterClient';
import { KubernetesRequestError } from './errors';

jest.setTimeout(60_000);

const BACKUPS = '/apis/velero.io/v1/namespaces/velero/backups';
const backups = { group: 'velero.io', version: 'v1', plural: 'backups' };

/** Seven backups: four pages of two. */
const backupNames = Array.from({ length: 7 }, (_, i) => `daily-${i}`);
const backup = (name: string) => ({
  apiVersion: 'velero.io/v1',
  kind: 'Backup',
  metadata: { namespace: 'velero', name },
  spec: { includedNamespaces: ['payments'], ttl: '720h0m0s' },
  status: { phase: 'Completed' },
});

const certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { namespace: 'payments', name: 'web' },
  spec: {
    secretName: 'web-tls',
    dnsNames: ['web.example.com'],
    issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
  },
  status: { notAfter: '2027-01-01T00:00:00Z' },
};
const certificateRef = {
  group: 'cert-manager.io',
  version: 'v1',
  plural: 'certificates',
  namespace: 'payments',
  name: 'web',
};

describe('ClusterClient against the emulator', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let tokenFile: string;
  let caFile: string;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let client: ClusterClient;

  beforeEach(async () => {
    emulator = await startEmulator({
      objects: [...backupNames.map(backup), certificate],
    });
    dir = await mkdtemp(join(tmpdir(), 'resilience-client-'));
    tokenFile = join(dir, 'token');
    caFile = join(dir, 'ca.crt');
    await writeFile(tokenFile, `${emulator.token}\n`);
    await writeFile(caFile, emulator.caPem);
    logger = mockServices.logger.mock();
    client = ClusterClient.create({
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
      logger,
    });
  });

  afterEach(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Calls `rotate` once, after the first page of the backups has been answered, when the client
   * connects for the second: it has read its credentials for that page and not used them yet.
   * (The client reads them again before every page, so a rotation between pages would never fail
   * a request.)
   */
  const whileSendingSecondPage = (rotate: () => void) => {
    const stop = emulator.onResponse(request => {
      if (request.path === BACKUPS && request.status === 200) {
        stop();
        const stopConnection = emulator.onConnection(() => {
          stopConnection();
          rotate();
        });
      }
    });
  };
  const backupRequests = () =>
    emulator.requests
      .filter(r => r.path === BACKUPS)
      .map(r => ({ status: r.status, continued: /continue=/.test(r.query) }));
  const infoMessages = (pattern: RegExp) =>
    logger.info.mock.calls
      .map(([message]) => message)
      .filter(m => pattern.test(m));
  const listBackups = () =>
    client.listCustomObjects({ ...backups, namespace: 'velero' });
  const failureOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(KubernetesRequestError);
      return error as KubernetesRequestError;
    }
    throw new Error('expected the request to fail');
  };

  it('finishes a paged list across a rotation of the CA and the token, retrying one page once', async () => {
    whileSendingSecondPage(() => {
      // As the kubelet does: the new CA and token land in the mounted files.
      writeFileSync(caFile, emulator.rotateCertificateAuthority());
      writeFileSync(tokenFile, emulator.rotateToken());
    });

    const listed = await listBackups();

    expect(listed.map(b => b.metadata?.name)).toEqual(backupNames);
    // The second page failed in the TLS handshake, so the emulator never saw it; it was sent
    // again with the new CA and token, and the list went on from there without starting over.
    expect(backupRequests()).toEqual([
      { status: 200, continued: false },
      { status: 200, continued: true },
      { status: 200, continued: true },
      { status: 200, continued: true },
    ]);
    expect(infoMessages(/retrying it once/)).toEqual([
      expect.stringContaining(
        'failed (TLS UNABLE_TO_VERIFY_LEAF_SIGNATURE) and its credentials changed',
      ),
    ]);

    // The next collection needs no restart, and no retry.
    await expect(listBackups()).resolves.toHaveLength(backupNames.length);
    expect(infoMessages(/retrying it once/)).toHaveLength(1);
    expect(backupRequests().slice(4)).toEqual([
      { status: 200, continued: false },
      { status: 200, continued: true },
      { status: 200, continued: true },
      { status: 200, continued: true },
    ]);
  });

  it('finishes a paged list across a rotation of the token, retrying the refused page once', async () => {
    whileSendingSecondPage(() =>
      writeFileSync(tokenFile, emulator.rotateToken()),
    );

    const listed = await listBackups();

    expect(listed.map(b => b.metadata?.name)).toEqual(backupNames);
    expect(backupRequests()).toEqual([
      { status: 200, continued: false },
      { status: 401, continued: true },
      { status: 200, continued: true },
      { status: 200, continued: true },
      { status: 200, continued: true },
    ]);
    expect(infoMessages(/retrying it once/)).toEqual([
      expect.stringContaining('failed (HTTP 401)'),
    ]);
    await expect(listBackups()).resolves.toHaveLength(backupNames.length);
    expect(emulator.requests.filter(r => r.status === 401)).toHaveLength(1);
  });

  it('does not retry when the token file was not updated, and follows it once it is', async () => {
    whileSendingSecondPage(() => emulator.rotateToken());

    const failure = await failureOf(listBackups());

    expect(failure.reason).toBe('unauthorized');
    expect(failure.state).toBe('error');
    expect(failure.message).toMatch(/rejected the credentials \(401\)/);
    // The refused page was sent once: the token read again was the same, so no retry.
    expect(backupRequests()).toEqual([
      { status: 200, continued: false },
      { status: 401, continued: true },
    ]);
    expect(infoMessages(/retrying/)).toEqual([]);

    // A later collection fails the same way, once, ...
    await failureOf(listBackups());
    expect(backupRequests().slice(2)).toEqual([
      { status: 401, continued: false },
    ]);
    // ... until the file is updated, with no restart.
    await writeFile(tokenFile, emulator.token);
    await expect(listBackups()).resolves.toHaveLength(backupNames.length);
    expect(infoMessages(/changed; using the new ones/)).toHaveLength(1);
  });

  it('does not retry when the CA file was not updated after a CA rotation', async () => {
    whileSendingSecondPage(() => {
      emulator.rotateCertificateAuthority();
      writeFileSync(tokenFile, emulator.rotateToken());
    });

    const failure = await failureOf(listBackups());

    // The token file changed, so the page was retried once, and failed the handshake again.
    expect(failure.reason).toBe('untrusted-server');
    expect(failure.message).toMatch(
      /certificate is not signed by a trusted CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); check the CA/,
    );
    expect(infoMessages(/retrying it once/)).toHaveLength(1);
    expect(backupRequests()).toEqual([{ status: 200, continued: false }]);

    // Nothing changed since: the next collection fails once, with no retry.
    await failureOf(listBackups());
    expect(infoMessages(/retrying it once/)).toHaveLength(1);

    await writeFile(caFile, emulator.caPem);
    await expect(listBackups()).resolves.toHaveLength(backupNames.length);
  });

  it('retries once only, when the token file changed but is still refused', async () => {
    whileSendingSecondPage(() => {
      emulator.rotateToken();
      writeFileSync(tokenFile, 'not-the-new-token');
    });

    const failure = await failureOf(listBackups());

    expect(failure.reason).toBe('unauthorized');
    expect(backupRequests()).toEqual([
      { status: 200, continued: false },
      { status: 401, continued: true },
      { status: 401, continued: true },
    ]);
    expect(infoMessages(/retrying it once/)).toHaveLength(1);
  });

  it('reads a custom object and merge-patches its status', async () => {
    const before = await client.getCustomObject(certificateRef);
    expect(before.spec).toMatchObject({ secretName: 'web-tls' });

    const condition = {
      type: 'Issuing',
      status: 'True',
      reason: 'ManuallyTriggered',
      message: 'Renewal requested from Backstage',
    };
    const patched = await client.patchCustomObjectStatus({
      ...certificateRef,
      patch: { status: { conditions: [condition] } },
    });
    // A merge patch keeps what it does not name.
    expect(patched.status).toEqual({
      notAfter: '2027-01-01T00:00:00Z',
      conditions: [condition],
    });
    const after = await client.getCustomObject(certificateRef);
    expect(after.status).toEqual(patched.status);
    expect(emulator.requests.find(r => r.method === 'PATCH')?.path).toBe(
      '/apis/cert-manager.io/v1/namespaces/payments/certificates/web/status',
    );
  });

  it('tells a conflict, a missing object and a missing CRD apart', async () => {
    const current = await client.getCustomObject(certificateRef);
    await client.patchCustomObjectStatus({
      ...certificateRef,
      patch: { status: { conditions: [] } },
    });
    const conflict = await failureOf(
      client.patchCustomObjectStatus({
        ...certificateRef,
        patch: {
          metadata: { resourceVersion: current.metadata?.resourceVersion },
          status: { conditions: [] },
        },
      }),
    );
    expect(conflict).toMatchObject({ reason: 'conflict', statusCode: 409 });
    expect(conflict.message).toMatch(/read the object again and retry/);

    const missing = await failureOf(
      client.getCustomObject({ ...certificateRef, name: 'absent' }),
    );
    expect(missing).toMatchObject({ reason: 'not-found', statusCode: 404 });
    expect(missing.message).toMatch(
      /certificates.cert-manager.io "absent" not found/,
    );
    const missingPatch = await failureOf(
      client.patchCustomObjectStatus({
        ...certificateRef,
        name: 'absent',
        patch: { status: {} },
      }),
    );
    expect(missingPatch.reason).toBe('not-found');

    const notInstalled = await failureOf(
      client.getCustomObject({
        ...certificateRef,
        group: 'example.com',
      }),
    );
    expect(notInstalled).toMatchObject({
      reason: 'not-installed',
      state: 'not-installed',
    });
  });

  it('retries a read and a status patch once when the credentials rotate while they are sent', async () => {
    const onNextConnection = (rotate: () => void) => {
      const stop = emulator.onConnection(() => {
        stop();
        rotate();
      });
    };
    onNextConnection(() => writeFileSync(tokenFile, emulator.rotateToken()));
    await expect(client.getCustomObject(certificateRef)).resolves.toMatchObject(
      { kind: 'Certificate' },
    );

    // The patch failed in the handshake, so it was not applied: sending it again is safe.
    onNextConnection(() => {
      writeFileSync(caFile, emulator.rotateCertificateAuthority());
      writeFileSync(tokenFile, emulator.rotateToken());
    });
    const patched = await client.patchCustomObjectStatus({
      ...certificateRef,
      patch: { status: { conditions: [] } },
    });
    expect(patched.status).toMatchObject({ conditions: [] });

    expect(emulator.requests.map(r => `${r.method} ${r.status}`)).toEqual([
      'GET 401',
      'GET 200',
      'PATCH 200',
    ]);
    expect(infoMessages(/retrying it once/)).toEqual([
      expect.stringContaining('(HTTP 401)'),
      expect.stringContaining('(TLS UNABLE_TO_VERIFY_LEAF_SIGNATURE)'),
    ]);
  });
});
