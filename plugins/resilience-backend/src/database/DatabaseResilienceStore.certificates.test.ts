import { resolve } from 'node:path';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseResilienceStore } from './DatabaseResilienceStore';
import {
  CertificateFact,
  CertificateRequestFact,
  IngressFact,
  IssuerFact,
  TlsSecretFact,
  X509Fact,
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

function certificate(
  namespace: string,
  name: string,
  overrides: Partial<CertificateFact> = {},
): CertificateFact {
  return {
    cluster: 'prod',
    uid: `uid-${namespace}-${name}`,
    namespace,
    name,
    labels: { 'backstage.io/kubernetes-id': 'payments' },
    secretName: `${name}-tls`,
    dnsNames: [`${name}.example.com`],
    commonName: `${name}.example.com`,
    issuerRef: {
      kind: 'ClusterIssuer',
      name: 'letsencrypt',
      group: 'cert-manager.io',
    },
    durationMs: 2160 * 3_600_000,
    renewBeforeMs: 360 * 3_600_000,
    renewBeforePercentage: 25,
    rotationPolicy: 'Always',
    privateKeyAlgorithm: 'ECDSA',
    privateKeySize: 256,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Ready',
        message: 'Certificate is up to date and has not expired',
        lastTransitionTime: t0,
      },
      { type: 'Issuing', status: 'False' },
    ],
    notBefore: new Date('2026-11-01T00:00:00Z'),
    notAfter: new Date('2027-01-30T00:00:00Z'),
    renewalTime: new Date('2027-01-15T00:00:00Z'),
    revision: 3,
    failedIssuanceAttempts: 1,
    lastFailureTime: new Date('2026-10-31T00:00:00Z'),
    ...overrides,
  };
}

const x509: X509Fact = {
  subject: 'CN=payments.example.com',
  issuer: "CN=R11, O=Let's Encrypt, C=US",
  serialNumber: '01FF',
  dnsNames: ['payments.example.com'],
  ipAddresses: ['10.0.0.7'],
  notBefore: new Date('2026-11-01T00:00:00Z'),
  notAfter: new Date('2027-01-30T00:00:00Z'),
  keyType: 'ec',
  keySize: 256,
  curve: 'prime256v1',
  signatureAlgorithm: 'sha256WithRSAEncryption',
  selfSigned: false,
  isCa: false,
  fingerprintSha256: 'AB:CD',
};

function secret(
  namespace: string,
  name: string,
  overrides: Partial<TlsSecretFact> = {},
): TlsSecretFact {
  return {
    cluster: 'prod',
    uid: `uid-secret-${namespace}-${name}`,
    namespace,
    name,
    labels: {},
    certificateName: name.replace(/-tls$/, ''),
    issuerName: 'letsencrypt',
    issuerKind: 'ClusterIssuer',
    chain: [x509, { ...x509, subject: 'CN=R11', isCa: true, curve: undefined }],
    ...overrides,
  };
}

const ingressOf = (
  namespace: string,
  name: string,
  overrides: Partial<IngressFact> = {},
): IngressFact => ({
  cluster: 'prod',
  uid: `uid-ingress-${namespace}-${name}`,
  namespace,
  name,
  labels: {},
  tls: [{ secretName: `${name}-tls`, hosts: [`${name}.example.com`] }],
  ...overrides,
});

const issuer = (
  kind: IssuerFact['kind'],
  namespace: string,
  name: string,
  overrides: Partial<IssuerFact> = {},
): IssuerFact => ({
  cluster: 'prod',
  uid: `uid-${kind}-${namespace}-${name}`,
  namespace,
  name,
  kind,
  ready: 'True',
  readyReason: 'ACMEAccountRegistered',
  readyMessage: 'The ACME account was registered with the ACME server',
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'DatabaseResilienceStore with certificates, on %s',
  databaseId => {
    it('round-trips every certificate fact and lists them by cluster and namespace', async () => {
      const { store } = await createStore(databaseId);
      const payments = certificate('payments', 'payments');
      const bare = certificate('search', 'search', {
        labels: {},
        dnsNames: [],
        commonName: undefined,
        issuerRef: { kind: 'Issuer', name: 'ca' },
        durationMs: undefined,
        renewBeforeMs: undefined,
        renewBeforePercentage: undefined,
        rotationPolicy: undefined,
        privateKeyAlgorithm: undefined,
        privateKeySize: undefined,
        conditions: [],
        notBefore: undefined,
        notAfter: undefined,
        renewalTime: undefined,
        revision: undefined,
        failedIssuanceAttempts: undefined,
        lastFailureTime: undefined,
      });
      const other = { ...certificate('payments', 'api'), cluster: 'staging' };
      await store.replaceFacts({
        cluster: 'prod',
        source: 'certificates',
        facts: [payments, bare],
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'staging',
        source: 'certificates',
        facts: [other],
        collectedAt: t0,
      });
      expect(await store.listCertificates({ clusters: ['prod'] })).toEqual([
        payments,
        bare,
      ]);
      expect(
        await store.listCertificates({
          clusters: ['prod', 'staging'],
          namespaces: ['payments'],
        }),
      ).toEqual([payments, other]);
      expect(
        await store.listCertificates({ clusters: ['prod'], namespaces: [] }),
      ).toEqual([]);
      expect(await store.listCertificates({ clusters: [] })).toEqual([]);

      const request: CertificateRequestFact = {
        cluster: 'prod',
        uid: 'r3',
        namespace: 'payments',
        name: 'payments-3',
        certificateName: 'payments',
        revision: 3,
        createdAt: t0,
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'Failed',
            message: 'ACME order failed',
            lastTransitionTime: t0,
          },
        ],
        failureTime: t0,
      };
      const manual: CertificateRequestFact = {
        cluster: 'prod',
        uid: 'm',
        namespace: 'search',
        name: 'manual',
        conditions: [],
      };
      await store.replaceFacts({
        cluster: 'prod',
        source: 'certificate-requests',
        facts: [manual, request],
        collectedAt: t0,
      });
      expect(
        await store.listCertificateRequests({ clusters: ['prod'] }),
      ).toEqual([request, manual]);

      const signed = secret('payments', 'payments-tls');
      const broken = secret('search', 'broken-tls', {
        labels: { app: 'search' },
        certificateName: undefined,
        issuerName: undefined,
        issuerKind: undefined,
        chain: [],
        parseError: 'tls.crt holds no PEM-encoded certificate',
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'tls-secrets',
        facts: [broken, signed],
        collectedAt: t0,
      });
      expect(await store.listTlsSecrets({ clusters: ['prod'] })).toEqual([
        signed,
        broken,
      ]);

      const ingress: IngressFact = {
        cluster: 'prod',
        uid: 'g1',
        namespace: 'payments',
        name: 'web',
        labels: { app: 'payments' },
        tls: [
          { secretName: 'payments-tls', hosts: ['payments.example.com'] },
          { hosts: ['default.example.com'] },
        ],
      };
      await store.replaceFacts({
        cluster: 'prod',
        source: 'ingresses',
        facts: [ingress],
        collectedAt: t0,
      });
      expect(
        await store.listIngresses({
          clusters: ['prod'],
          namespaces: ['payments'],
        }),
      ).toEqual([ingress]);
      expect(
        await store.listIngresses({
          clusters: ['prod'],
          namespaces: ['search'],
        }),
      ).toEqual([]);
    });

    it('keeps Issuers and ClusterIssuers apart, each replaced by its own source', async () => {
      const { store } = await createStore(databaseId);
      const ca = issuer('Issuer', 'payments', 'ca', {
        ready: 'False',
        readyReason: 'ErrGetKeyPair',
        readyMessage: 'secret "ca-key-pair" not found',
      });
      const searchCa = issuer('Issuer', 'search', 'ca', {
        ready: undefined,
        readyReason: undefined,
        readyMessage: undefined,
      });
      const letsencrypt = issuer('ClusterIssuer', '', 'letsencrypt');
      await store.replaceFacts({
        cluster: 'prod',
        source: 'issuers',
        facts: [ca, searchCa],
        collectedAt: t0,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'cluster-issuers',
        facts: [letsencrypt],
        collectedAt: t1,
      });
      // ClusterIssuers are cluster-scoped: the namespace filter leaves them in.
      expect(
        await store.listIssuers({
          clusters: ['prod'],
          namespaces: ['payments'],
        }),
      ).toEqual([ca, letsencrypt]);
      expect(await store.listIssuers({ clusters: ['prod'] })).toEqual([
        ca,
        searchCa,
        letsencrypt,
      ]);
      await store.replaceFacts({
        cluster: 'prod',
        source: 'cluster-issuers',
        facts: [],
        collectedAt: t2,
      });
      expect(await store.listIssuers({ clusters: ['prod'] })).toEqual([
        ca,
        searchCa,
      ]);
    });

    it('keeps the history of Certificates, requests and TLS Secrets, but not of Ingresses and Issuers', async () => {
      const { store, knex } = await createStore(databaseId);
      const collect = async (collectedAt: Date, present: boolean) => {
        await store.replaceFacts({
          cluster: 'prod',
          source: 'certificates',
          facts: present ? [certificate('payments', 'payments')] : [],
          collectedAt,
        });
        await store.replaceFacts({
          cluster: 'prod',
          source: 'certificate-requests',
          facts: present
            ? [
                {
                  cluster: 'prod',
                  uid: 'r',
                  namespace: 'payments',
                  name: 'r',
                  conditions: [],
                },
              ]
            : [],
          collectedAt,
        });
        await store.replaceFacts({
          cluster: 'prod',
          source: 'tls-secrets',
          facts: present ? [secret('payments', 'payments-tls')] : [],
          collectedAt,
        });
        await store.replaceFacts({
          cluster: 'prod',
          source: 'ingresses',
          facts: present
            ? [
                {
                  cluster: 'prod',
                  uid: 'g',
                  namespace: 'payments',
                  name: 'web',
                  labels: {},
                  tls: [],
                },
              ]
            : [],
          collectedAt,
        });
        await store.replaceFacts({
          cluster: 'prod',
          source: 'issuers',
          facts: present ? [issuer('Issuer', 'payments', 'ca')] : [],
          collectedAt,
        });
      };
      await collect(t0, true);
      await collect(t1, false);

      expect(await store.listCertificates({ clusters: ['prod'] })).toEqual([]);
      expect(await store.listTlsSecrets({ clusters: ['prod'] })).toEqual([]);
      expect(await store.listIngresses({ clusters: ['prod'] })).toEqual([]);
      expect(await store.listIssuers({ clusters: ['prod'] })).toEqual([]);
      const counts = async () =>
        Object.fromEntries(
          await Promise.all(
            [
              'resilience_certificates',
              'resilience_certificate_requests',
              'resilience_tls_secrets',
              'resilience_ingresses',
              'resilience_issuers',
            ].map(async table => [table, (await knex(table)).length]),
          ),
        );
      expect(await counts()).toEqual({
        resilience_certificates: 1,
        resilience_certificate_requests: 1,
        resilience_tls_secrets: 1,
        resilience_ingresses: 0,
        resilience_issuers: 0,
      });
      expect(
        await store.purgeDeletedFacts({ cluster: 'prod', before: t2 }),
      ).toBe(3);
      expect(Object.values(await counts())).toEqual([0, 0, 0, 0, 0]);
    });

    it('finds the namespaces of the certificates, Secrets and Ingresses labelled with a Kubernetes id', async () => {
      const { knex, store } = await createStore(databaseId);
      const labelled = { 'backstage.io/kubernetes-id': 'payments' };
      await store.replaceFacts({
        cluster: 'prod',
        source: 'certificates',
        facts: [
          certificate('payments', 'api'),
          certificate('orders', 'api', { labels: { app: 'orders' } }),
          certificate('gone', 'api', { uid: 'uid-gone' }),
        ],
        collectedAt: t0,
      });
      // The certificate of namespace gone disappears at the next listing.
      await store.replaceFacts({
        cluster: 'prod',
        source: 'certificates',
        facts: [
          certificate('payments', 'api'),
          certificate('orders', 'api', { labels: { app: 'orders' } }),
        ],
        collectedAt: t1,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'tls-secrets',
        facts: [secret('payments-edge', 'edge-tls', { labels: labelled })],
        collectedAt: t1,
      });
      await store.replaceFacts({
        cluster: 'prod',
        source: 'ingresses',
        facts: [ingressOf('payments-web', 'web', { labels: labelled })],
        collectedAt: t1,
      });
      await store.replaceFacts({
        cluster: 'dev',
        source: 'ingresses',
        facts: [
          {
            ...ingressOf('payments-dev', 'web', { labels: labelled }),
            cluster: 'dev',
          },
        ],
        collectedAt: t1,
      });
      const namespaces = (clusters: string[], kubernetesId = 'payments') =>
        store.listCertificateNamespaces({ clusters, kubernetesId });
      expect(await namespaces(['prod'])).toEqual([
        'payments',
        'payments-edge',
        'payments-web',
      ]);
      expect(await namespaces(['prod', 'dev'])).toEqual([
        'payments',
        'payments-dev',
        'payments-edge',
        'payments-web',
      ]);
      expect(await namespaces(['prod'], 'orders')).toEqual([]);
      expect(await namespaces([])).toEqual([]);

      // Rows stored before the column: the migration reads the label from the stored labels.
      const directory = resolve(__dirname, '../../migrations');
      const migration = '20261202300000_certificate_kubernetes_id.js';
      await knex.migrate.down({ directory, name: migration });
      expect(
        await knex.schema.hasColumn('resilience_certificates', 'kubernetes_id'),
      ).toBe(false);
      await knex.migrate.up({ directory, name: migration });
      expect(await namespaces(['prod', 'dev'])).toEqual([
        'payments',
        'payments-dev',
        'payments-edge',
        'payments-web',
      ]);
    });

    it('migrates the certificate tables down, leaving the earlier ones', async () => {
      const { knex } = await createStore(databaseId);
      // Down to the migration before the certificate tables, whatever came after them.
      await knex.migrate.down({
        directory: resolve(__dirname, '../../migrations'),
        name: '20261125060000_certificates.js',
      });
      for (const table of [
        'resilience_certificates',
        'resilience_certificate_requests',
        'resilience_issuers',
        'resilience_cluster_issuers',
        'resilience_tls_secrets',
        'resilience_ingresses',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      expect(await knex.schema.hasTable('resilience_restores')).toBe(true);
      expect(
        await knex.schema.hasTable('resilience_certificate_renewals'),
      ).toBe(true);
    });
  },
);
