import {
  createPrivateKey,
  createPublicKey,
  X509Certificate,
} from 'node:crypto';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  V1Secret,
} from '@kubernetes/client-node';
import * as x509 from '@peculiar/x509';
import {
  Condition,
  EMULATOR_ANNOTATIONS,
  faultMode,
  parseGenerateTls,
  parseGoDuration,
  renewalTime,
  setCondition,
} from './certmanager';
import { RunningEmulator, startEmulator } from './index';

jest.setTimeout(30_000);

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('parseGoDuration', () => {
  it.each([
    ['2160h', 2160 * HOUR],
    ['720h0m0s', 720 * HOUR],
    ['1h30m', 90 * 60_000],
    ['90s', 90_000],
    ['1.5h', 90 * 60_000],
    ['250ms', 250],
    ['', undefined],
    [undefined, undefined],
    ['2160', undefined],
    ['3d', undefined],
    ['1h junk', undefined],
  ])('%p is %p ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });
});

describe('renewalTime', () => {
  const notBefore = new Date('2026-01-01T00:00:00Z');
  const notAfter = new Date(notBefore.getTime() + 90 * DAY);
  it.each([
    ['a third of the lifetime by default', {}, 60 * DAY],
    ['renewBefore when shorter', { renewBeforeMs: 15 * DAY }, 75 * DAY],
    [
      'a third when renewBefore is not shorter than the lifetime',
      { renewBeforeMs: 90 * DAY },
      60 * DAY,
    ],
    ['renewBeforePercentage', { renewBeforePercentage: 10 }, 81 * DAY],
    [
      'renewBefore over the percentage',
      { renewBeforeMs: 30 * DAY, renewBeforePercentage: 50 },
      60 * DAY,
    ],
  ])('%s', (_, overrides, afterNotBefore) => {
    expect(renewalTime({ notBefore, notAfter, ...overrides })).toEqual(
      new Date(notBefore.getTime() + afterNotBefore),
    );
  });

  it('is at whole seconds', () => {
    const at = renewalTime({
      notBefore,
      notAfter: new Date(notBefore.getTime() + 10_000),
    });
    expect(at.getTime() % 1000).toBe(0);
  });
});

describe('setCondition', () => {
  const now = new Date('2026-02-01T00:00:00Z');
  const ready: Condition = {
    type: 'Ready',
    status: 'True',
    reason: 'Ready',
    lastTransitionTime: '2026-01-01T00:00:00Z',
  };
  it.each([
    [
      'adds a new condition at now',
      [],
      { type: 'Issuing', status: 'True' as const },
      [
        {
          type: 'Issuing',
          status: 'True',
          lastTransitionTime: '2026-02-01T00:00:00Z',
        },
      ],
    ],
    [
      'keeps the transition time when the status stays',
      [ready],
      { type: 'Ready', status: 'True' as const, reason: 'Other' },
      [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Other',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    ],
    [
      'moves the transition time when the status changes',
      [ready],
      { type: 'Ready', status: 'False' as const },
      [
        {
          type: 'Ready',
          status: 'False',
          lastTransitionTime: '2026-02-01T00:00:00Z',
        },
      ],
    ],
  ])('%s', (_, conditions, condition, expected) => {
    expect(setCondition({ conditions, condition, now })).toEqual(expected);
  });
});

describe('faultMode and parseGenerateTls', () => {
  it.each([
    ['true', 'always'],
    ['always', 'always'],
    ['Renewals', 'renewals'],
    ['false', undefined],
    [undefined, undefined],
  ])('faultMode(%p) is %p', (value, mode) => {
    expect(faultMode(value)).toBe(mode);
  });

  it.each([
    ['not json', /must be JSON/],
    ['{}', /needs "dnsNames"/],
    ['{"dnsNames":[]}', /needs "dnsNames"/],
    ['{"dnsNames":["a"],"validityDays":"x"}', /"validityDays" must be/],
  ])('refuses %p', (value, message) => {
    expect(() => parseGenerateTls(value)).toThrow(message);
  });
});

const GROUP = 'cert-manager.io';
const certificates = { group: GROUP, version: 'v1', plural: 'certificates' };

interface Cert {
  metadata: { name: string; uid: string; annotations?: Record<string, string> };
  status?: {
    conditions?: Condition[];
    notBefore?: string;
    notAfter?: string;
    renewalTime?: string;
    revision?: number;
    failedIssuanceAttempts?: number;
    lastFailureTime?: string;
  };
}

const certificate = (
  name: string,
  spec: Record<string, unknown> = {},
  annotations: Record<string, string> = {},
) => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'Certificate',
  metadata: { name, namespace: 'shop', annotations },
  spec: {
    secretName: `${name}-tls`,
    dnsNames: [`${name}.example.com`],
    issuerRef: { name: 'shop-ca', kind: 'Issuer' },
    ...spec,
  },
});

const condition = (object: Cert | { status?: unknown }, type: string) =>
  ((object.status as { conditions?: Condition[] })?.conditions ?? []).find(
    c => c.type === type,
  );

/** The leaf and the rest of a Secret's `tls.crt`, parsed by Node. */
function chainOf(secret: V1Secret) {
  const pem = Buffer.from(secret.data!['tls.crt'], 'base64').toString('utf8');
  const blocks = pem.match(
    /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
  )!;
  return blocks.map(block => new X509Certificate(block));
}

describe('the simulated cert-manager, through the HTTPS API', () => {
  let emulator: RunningEmulator;
  let custom: CustomObjectsApi;
  let core: CoreV1Api;

  const get = async (name: string) =>
    (await custom.getNamespacedCustomObject({
      ...certificates,
      namespace: 'shop',
      name,
    })) as Cert;
  const create = (body: object) =>
    custom.createNamespacedCustomObject({
      ...certificates,
      namespace: 'shop',
      body,
    });
  const secret = (name: string) =>
    core.readNamespacedSecret({ namespace: 'shop', name });
  const renew = async (name: string) => {
    const current = await get(name);
    await custom.patchNamespacedCustomObjectStatus(
      {
        ...certificates,
        namespace: 'shop',
        name,
        body: {
          status: {
            conditions: [
              ...(current.status?.conditions ?? []).filter(
                c => c.type !== 'Issuing',
              ),
              {
                type: 'Issuing',
                status: 'True',
                reason: 'ManuallyTriggered',
                message: 'Certificate re-issuance manually triggered',
                lastTransitionTime: new Date().toISOString(),
              },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      certManager: { issueDelayMs: 20 },
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
        {
          apiVersion: `${GROUP}/v1`,
          kind: 'Issuer',
          metadata: { name: 'shop-ca', namespace: 'shop' },
          spec: { ca: { secretName: 'shop-ca-key-pair' } },
        },
        {
          apiVersion: `${GROUP}/v1`,
          kind: 'ClusterIssuer',
          metadata: { name: 'selfsigned' },
          spec: { selfSigned: {} },
        },
        {
          apiVersion: `${GROUP}/v1`,
          kind: 'ClusterIssuer',
          metadata: {
            name: 'broken',
            annotations: {
              [EMULATOR_ANNOTATIONS.ready]: 'false',
              [EMULATOR_ANNOTATIONS.readyMessage]: 'secret "x" not found',
            },
          },
          spec: { ca: { secretName: 'x' } },
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: 'legacy-tls',
            namespace: 'shop',
            annotations: {
              [EMULATOR_ANNOTATIONS.generateTls]: JSON.stringify({
                dnsNames: ['legacy.example.com', 'old.example.com'],
                validityDays: 365,
                issuedDaysAgo: 300,
                issuer: 'Example Corp CA',
              }),
            },
          },
          type: 'kubernetes.io/tls',
        },
      ],
    });
    const kc = new KubeConfig();
    kc.loadFromString(emulator.kubeconfig());
    custom = kc.makeApiClient(CustomObjectsApi);
    core = kc.makeApiClient(CoreV1Api);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('makes Issuers and ClusterIssuers ready unless annotated', async () => {
    const issuer = await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'issuers',
      namespace: 'shop',
      name: 'shop-ca',
    });
    expect(condition(issuer, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'KeyPairVerified',
      message: 'Signing CA verified',
    });
    const selfSigned = await custom.getClusterCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'clusterissuers',
      name: 'selfsigned',
    });
    expect(condition(selfSigned, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'IsReady',
    });
    const broken = await custom.getClusterCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'clusterissuers',
      name: 'broken',
    });
    expect(condition(broken, 'Ready')).toMatchObject({
      status: 'False',
      message: 'secret "x" not found',
    });
  });

  it('issues a new Certificate into its Secret with the status cert-manager writes', async () => {
    await create(
      certificate('web', {
        commonName: 'web.example.com',
        dnsNames: ['web.example.com', 'www.example.com'],
        duration: '720h',
        renewBefore: '240h',
        privateKey: { algorithm: 'ECDSA', size: 384 },
        secretTemplate: { labels: { 'backstage.io/kubernetes-id': 'web' } },
      }),
    );
    await emulator.certManagerIdle();

    const cert = await get('web');
    expect(condition(cert, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Ready',
      message: 'Certificate is up to date and has not expired',
    });
    expect(condition(cert, 'Issuing')).toBeUndefined();
    expect(cert.status?.revision).toBe(1);

    const tls = await secret('web-tls');
    expect(tls.type).toBe('kubernetes.io/tls');
    expect(tls.metadata?.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'web',
      'controller.cert-manager.io/fao': 'true',
    });
    expect(tls.metadata?.annotations).toMatchObject({
      'cert-manager.io/certificate-name': 'web',
      'cert-manager.io/issuer-name': 'shop-ca',
      'cert-manager.io/issuer-kind': 'Issuer',
      'cert-manager.io/common-name': 'web.example.com',
      'cert-manager.io/alt-names': 'web.example.com,www.example.com',
    });
    const [leaf, ca] = chainOf(tls);
    expect(leaf.subject).toBe('CN=web.example.com');
    expect(leaf.subjectAltName).toBe(
      'DNS:web.example.com, DNS:www.example.com',
    );
    expect(leaf.issuer).toBe(ca.subject);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(ca.ca).toBe(true);
    expect(
      Buffer.from(tls.data!['ca.crt'], 'base64').toString('utf8'),
    ).toContain(ca.toString().trim());
    expect(leaf.publicKey.asymmetricKeyType).toBe('ec');
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    // The key in the Secret is the certificate's.
    expect(
      leaf.checkPrivateKey(
        createPrivateKey(
          Buffer.from(tls.data!['tls.key'], 'base64').toString('utf8'),
        ),
      ),
    ).toBe(true);

    const notBefore = new Date(leaf.validFrom);
    const notAfter = new Date(leaf.validTo);
    expect(new Date(cert.status!.notBefore!)).toEqual(notBefore);
    expect(new Date(cert.status!.notAfter!)).toEqual(notAfter);
    expect(notAfter.getTime() - notBefore.getTime()).toBe(720 * HOUR);
    expect(new Date(cert.status!.renewalTime!)).toEqual(
      new Date(notAfter.getTime() - 240 * HOUR),
    );

    const request = (await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'certificaterequests',
      namespace: 'shop',
      name: 'web-1',
    })) as {
      metadata: {
        annotations: Record<string, string>;
        ownerReferences: Array<Record<string, unknown>>;
      };
      spec: { request: string };
      status: { certificate: string };
    };
    expect(
      request.metadata.annotations['cert-manager.io/certificate-revision'],
    ).toBe('1');
    expect(request.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Certificate',
        name: 'web',
        uid: cert.metadata.uid,
        controller: true,
      }),
    ]);
    expect(condition(request, 'Approved')?.status).toBe('True');
    expect(condition(request, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Issued',
    });
    expect(
      new X509Certificate(Buffer.from(request.status.certificate, 'base64'))
        .serialNumber,
    ).toBe(leaf.serialNumber);
    const csr = new x509.Pkcs10CertificateRequest(
      Buffer.from(request.spec.request, 'base64').toString('utf8'),
    );
    expect(await csr.verify()).toBe(true);
  });

  it('issues RSA 2048 and 90 days by default, and self-signed for a SelfSigned issuer', async () => {
    await create(
      certificate('plain', {
        issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer' },
      }),
    );
    await emulator.certManagerIdle();
    const [leaf, ...rest] = chainOf(await secret('plain-tls'));
    expect(rest).toHaveLength(0);
    expect(leaf.subject ?? '').toBe('');
    expect(leaf.verify(leaf.publicKey)).toBe(true);
    expect(leaf.publicKey.asymmetricKeyType).toBe('rsa');
    expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(
      new Date(leaf.validTo).getTime() - new Date(leaf.validFrom).getTime(),
    ).toBe(2160 * HOUR);
  });

  it('shows Issuing while an issuance waits for its delay', async () => {
    const slow = await startEmulator({
      certManager: { issueDelayMs: 60_000 },
      objects: [
        {
          apiVersion: `${GROUP}/v1`,
          kind: 'ClusterIssuer',
          metadata: { name: 'selfsigned' },
          spec: { selfSigned: {} },
        },
        {
          ...certificate('later', {
            issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer' },
          }),
          metadata: { name: 'later', namespace: 'default' },
        },
      ],
    });
    try {
      const kc = new KubeConfig();
      kc.loadFromString(slow.kubeconfig());
      const api = kc.makeApiClient(CustomObjectsApi);
      const cert = (await api.getNamespacedCustomObject({
        ...certificates,
        namespace: 'default',
        name: 'later',
      })) as Cert;
      expect(condition(cert, 'Issuing')).toMatchObject({
        status: 'True',
        reason: 'DoesNotExist',
      });
      expect(condition(cert, 'Ready')?.status).toBe('False');
      await expect(
        kc.makeApiClient(CoreV1Api).readNamespacedSecret({
          namespace: 'default',
          name: 'later-tls',
        }),
      ).rejects.toMatchObject({ code: 404 });
    } finally {
      await slow.close();
    }
  });

  it('re-issues on Issuing=True ManuallyTriggered (merge patch of /status) with a new key', async () => {
    await create(certificate('rotating'));
    await emulator.certManagerIdle();
    const before = chainOf(await secret('rotating-tls'))[0];

    await renew('rotating');
    await emulator.certManagerIdle();

    const cert = await get('rotating');
    expect(cert.status?.revision).toBe(2);
    expect(condition(cert, 'Issuing')).toBeUndefined();
    expect(condition(cert, 'Ready')?.status).toBe('True');
    const after = chainOf(await secret('rotating-tls'))[0];
    expect(after.serialNumber).not.toBe(before.serialNumber);
    expect(after.publicKey.export({ type: 'spki', format: 'der' })).not.toEqual(
      before.publicKey.export({ type: 'spki', format: 'der' }),
    );
    expect(new Date(cert.status!.notAfter!)).toEqual(new Date(after.validTo));
    await expect(
      custom.getNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        plural: 'certificaterequests',
        namespace: 'shop',
        name: 'rotating-2',
      }),
    ).resolves.toBeDefined();
  });

  it('keeps the key with rotationPolicy Never, and re-issues on a PUT of /status too', async () => {
    await create(
      certificate('pinned', {
        privateKey: { algorithm: 'ECDSA', rotationPolicy: 'Never' },
      }),
    );
    await emulator.certManagerIdle();
    const beforeSecret = await secret('pinned-tls');
    const before = chainOf(beforeSecret)[0];

    const current = await get('pinned');
    await custom.replaceNamespacedCustomObjectStatus({
      ...certificates,
      namespace: 'shop',
      name: 'pinned',
      body: {
        ...current,
        status: {
          ...current.status,
          conditions: [
            ...(current.status?.conditions ?? []),
            { type: 'Issuing', status: 'True', reason: 'ManuallyTriggered' },
          ],
        },
      },
    });
    await emulator.certManagerIdle();

    expect((await get('pinned')).status?.revision).toBe(2);
    const afterSecret = await secret('pinned-tls');
    const after = chainOf(afterSecret)[0];
    expect(after.serialNumber).not.toBe(before.serialNumber);
    expect(after.publicKey.export({ type: 'spki', format: 'der' })).toEqual(
      before.publicKey.export({ type: 'spki', format: 'der' }),
    );
    expect(afterSecret.data!['tls.key']).toBe(beforeSecret.data!['tls.key']);
  });

  it('fails every issuance with fail-issuance "true"', async () => {
    await create(
      certificate(
        'failing',
        {},
        {
          [EMULATOR_ANNOTATIONS.failIssuance]: 'true',
          [EMULATOR_ANNOTATIONS.failureMessage]: 'ACME order rejected',
        },
      ),
    );
    await emulator.certManagerIdle();
    let cert = await get('failing');
    expect(condition(cert, 'Issuing')).toMatchObject({
      status: 'False',
      reason: 'Failed',
    });
    expect(condition(cert, 'Issuing')?.message).toContain(
      'ACME order rejected',
    );
    expect(condition(cert, 'Ready')?.status).toBe('False');
    expect(cert.status?.failedIssuanceAttempts).toBe(1);
    expect(cert.status?.lastFailureTime).toMatch(/Z$/);
    expect(cert.status?.revision).toBeUndefined();
    await expect(secret('failing-tls')).rejects.toMatchObject({ code: 404 });
    const request = await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'certificaterequests',
      namespace: 'shop',
      name: 'failing-1',
    });
    expect(condition(request, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Failed',
    });

    await renew('failing');
    await emulator.certManagerIdle();
    cert = await get('failing');
    expect(cert.status?.failedIssuanceAttempts).toBe(2);
  });

  it('fails renewals only with fail-issuance "renewals", keeping the issued certificate Ready', async () => {
    await create(
      certificate(
        'renewal-fails',
        {},
        {
          [EMULATOR_ANNOTATIONS.failIssuance]: 'renewals',
        },
      ),
    );
    await emulator.certManagerIdle();
    const cert = await get('renewal-fails');
    expect(cert.status?.revision).toBe(1);
    expect(condition(cert, 'Ready')?.status).toBe('True');
    expect(condition(cert, 'Issuing')).toMatchObject({
      status: 'False',
      reason: 'Failed',
    });
    expect(cert.status?.failedIssuanceAttempts).toBe(1);
    expect(chainOf(await secret('renewal-fails-tls'))).toHaveLength(2);
  });

  it('hangs with hang-issuance: Issuing stays True and the request pending', async () => {
    await create(
      certificate('stuck', {}, { [EMULATOR_ANNOTATIONS.hangIssuance]: 'true' }),
    );
    await emulator.certManagerIdle();
    const cert = await get('stuck');
    expect(condition(cert, 'Issuing')?.status).toBe('True');
    expect(cert.status?.revision).toBeUndefined();
    const request = await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'certificaterequests',
      namespace: 'shop',
      name: 'stuck-1',
    });
    expect(condition(request, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Pending',
    });
  });

  it('backdates the first issuance with issued-days-ago, and not the renewal', async () => {
    await create(
      certificate('old', {}, { [EMULATOR_ANNOTATIONS.issuedDaysAgo]: '80' }),
    );
    await emulator.certManagerIdle();
    const cert = await get('old');
    const notBefore = new Date(cert.status!.notBefore!).getTime();
    const notAfter = new Date(cert.status!.notAfter!).getTime();
    // Issued 80 days before the emulator's clock, give or take the test's own run time.
    expect(Date.now() - notBefore).toBeGreaterThan(80 * DAY - 60_000);
    expect(Date.now() - notBefore).toBeLessThan(80 * DAY + 60_000);
    expect(notAfter - notBefore).toBe(90 * DAY);
    const leaf = chainOf(await secret('old-tls'))[0];
    expect(new Date(leaf.validTo).getTime()).toBe(notAfter);

    await renew('old');
    await emulator.certManagerIdle();
    const renewed = await get('old');
    expect(
      Date.now() - new Date(renewed.status!.notBefore!).getTime(),
    ).toBeLessThan(60_000);
  });

  it('makes an RSA 1024 key and a SHA-1 signature with weak-material', async () => {
    await create(
      certificate('weak', {}, { [EMULATOR_ANNOTATIONS.weakMaterial]: 'true' }),
    );
    await emulator.certManagerIdle();
    const [leaf, ca] = chainOf(await secret('weak-tls'));
    expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    const parsed = new x509.X509Certificate(leaf.raw);
    expect(parsed.signatureAlgorithm).toMatchObject({
      name: 'RSASSA-PKCS1-v1_5',
      hash: { name: 'SHA-1' },
    });
  });

  it('leaves the Secret behind on re-issuance with stuck-rotation', async () => {
    await create(
      certificate(
        'drift',
        {},
        {
          [EMULATOR_ANNOTATIONS.stuckRotation]: 'true',
          [EMULATOR_ANNOTATIONS.issuedDaysAgo]: '40',
        },
      ),
    );
    await emulator.certManagerIdle();
    const cert = await get('drift');
    expect(cert.status?.revision).toBe(2);
    expect(condition(cert, 'Ready')?.status).toBe('True');
    expect(condition(cert, 'Issuing')).toBeUndefined();
    const leaf = chainOf(await secret('drift-tls'))[0];
    expect(new Date(leaf.validTo).getTime()).toBeLessThan(
      new Date(cert.status!.notAfter!).getTime(),
    );
    const first = (await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'certificaterequests',
      namespace: 'shop',
      name: 'drift-1',
    })) as { status: { certificate: string } };
    expect(
      new X509Certificate(Buffer.from(first.status.certificate, 'base64'))
        .serialNumber,
    ).toBe(leaf.serialNumber);
  });

  it('waits for an issuer that is not ready, and issues once it is', async () => {
    await create(
      certificate('patient', {
        issuerRef: { name: 'broken', kind: 'ClusterIssuer' },
      }),
    );
    await emulator.certManagerIdle();
    expect(condition(await get('patient'), 'Issuing')?.status).toBe('True');
    await expect(secret('patient-tls')).rejects.toMatchObject({ code: 404 });

    await custom.patchClusterCustomObject(
      {
        group: GROUP,
        version: 'v1',
        plural: 'clusterissuers',
        name: 'broken',
        body: {
          metadata: { annotations: { [EMULATOR_ANNOTATIONS.ready]: null } },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await emulator.certManagerIdle();
    const cert = await get('patient');
    expect(cert.status?.revision).toBe(1);
    expect(chainOf(await secret('patient-tls'))).toHaveLength(2);
  });

  it('fills a hand-made TLS Secret from generate-tls before serving', async () => {
    const tls = await secret('legacy-tls');
    expect(tls.type).toBe('kubernetes.io/tls');
    const [leaf, ca] = chainOf(tls);
    expect(leaf.subjectAltName).toBe(
      'DNS:legacy.example.com, DNS:old.example.com',
    );
    expect(ca.subject).toBe('CN=Example Corp CA');
    const notBefore = new Date(leaf.validFrom).getTime();
    expect(new Date(leaf.validTo).getTime() - notBefore).toBe(365 * DAY);
    expect(Date.now() - notBefore).toBeGreaterThan(300 * DAY - 60_000);
    expect(
      tls.metadata?.annotations?.['cert-manager.io/certificate-name'],
    ).toBe(undefined);
    expect(
      createPublicKey(
        Buffer.from(tls.data!['tls.key'], 'base64').toString('utf8'),
      ).export({ type: 'spki', format: 'der' }),
    ).toEqual(leaf.publicKey.export({ type: 'spki', format: 'der' }));
  });

  it('leaves Certificates alone when turned off', async () => {
    const off = await startEmulator({
      certManager: false,
      objects: [certificate('idle')].map(c => ({
        ...c,
        metadata: { name: 'idle', namespace: 'default' },
      })),
    });
    try {
      await off.certManagerIdle();
      expect(
        off.get({
          apiVersion: `${GROUP}/v1`,
          kind: 'Certificate',
          namespace: 'default',
          name: 'idle',
        }).status,
      ).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
