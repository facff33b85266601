import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  createTestCertificate,
  createTestKey,
  startEmulator,
  tlsSecret,
} from '@internal/resilience-test';
import { Knex } from 'knex';
import { DatabaseResilienceStore } from '../database/DatabaseResilienceStore';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { certificatesOfEntity } from '../mapping/certificateOwnership';
import { ClusterCollector } from './ClusterCollector';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const ID = 'backstage.io/kubernetes-id';
const notBefore = new Date('2026-11-01T00:00:00Z');
const notAfter = new Date('2027-01-30T00:00:00Z');

// Keys and certificates are made once for every test: RSA key generation is the slow part.
const caKey = createTestKey({ ec: 'secp384r1' });
const paymentsKey = createTestKey({ ec: 'prime256v1' });
const legacyKey = createTestKey({ rsa: 1024 });
const misfiledKey = createTestKey({ rsa: 2048 });
const caPem = createTestCertificate({
  commonName: 'payments-ca',
  key: caKey,
  ca: true,
  notBefore,
  notAfter: new Date('2031-01-01T00:00:00Z'),
});
const paymentsPem = createTestCertificate({
  commonName: 'payments.example.com',
  key: paymentsKey,
  issuer: { commonName: 'payments-ca', key: caKey },
  dnsNames: ['payments.example.com'],
  notBefore,
  notAfter,
});
const legacyPem = createTestCertificate({
  commonName: 'legacy.example.com',
  key: legacyKey,
  hash: 'sha1',
  dnsNames: ['legacy.example.com'],
  notBefore,
  notAfter,
});

/** Every private key a TLS Secret of the emulator holds: none may be stored or logged. */
const keys = [paymentsKey, legacyKey, misfiledKey, caKey];

const secrets = [
  tlsSecret({
    namespace: 'payments',
    name: 'payments-tls',
    chainPem: paymentsPem + caPem,
    keyPem: paymentsKey.keyPem,
    annotations: {
      'cert-manager.io/certificate-name': 'payments',
      'cert-manager.io/issuer-name': 'letsencrypt',
      'cert-manager.io/issuer-kind': 'ClusterIssuer',
    },
  }),
  tlsSecret({
    namespace: 'payments',
    name: 'legacy-tls',
    chainPem: legacyPem,
    keyPem: legacyKey.keyPem,
  }),
  // A key pasted into tls.crt after the certificate, as people do.
  tlsSecret({
    namespace: 'payments',
    name: 'bundled-tls',
    chainPem: legacyPem + misfiledKey.keyPem,
    keyPem: misfiledKey.keyPem,
  }),
  // The key and certificate swapped: tls.crt holds the key.
  tlsSecret({
    namespace: 'search',
    name: 'swapped-tls',
    chainPem: caKey.keyPem,
    keyPem: caPem,
  }),
  {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { namespace: 'payments', name: 'db-password' },
    data: { password: Buffer.from('hunter2-opaque').toString('base64') },
  },
];

const certManager = [
  {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: 'letsencrypt' },
    spec: { selfSigned: {} },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'IsReady' }],
    },
  },
  {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Issuer',
    metadata: { namespace: 'payments', name: 'ca' },
    spec: { ca: { secretName: 'ca-key-pair' } },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'ErrGetKeyPair',
          message: 'Error getting keypair for CA issuer',
        },
      ],
    },
  },
  {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { namespace: 'payments', name: 'payments' },
    spec: {
      secretName: 'payments-tls',
      dnsNames: ['payments.example.com'],
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
      duration: '2160h0m0s',
      privateKey: { rotationPolicy: 'Always', algorithm: 'ECDSA', size: 256 },
    },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'Ready' }],
      notBefore: notBefore.toISOString().replace('.000', ''),
      notAfter: notAfter.toISOString().replace('.000', ''),
      renewalTime: '2026-12-31T00:00:00Z',
      revision: 2,
    },
  },
  {
    apiVersion: 'cert-manager.io/v1',
    kind: 'CertificateRequest',
    metadata: {
      namespace: 'payments',
      name: 'payments-2',
      annotations: { 'cert-manager.io/certificate-revision': '2' },
      ownerReferences: [
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          name: 'payments',
          uid: 'uid-of-payments',
          controller: true,
        },
      ],
    },
    spec: {
      request: Buffer.from('a certificate signing request').toString('base64'),
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
    },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'Issued' }],
    },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      namespace: 'payments',
      name: 'web',
      labels: { [ID]: 'payments' },
    },
    spec: {
      tls: [
        { hosts: ['payments.example.com'], secretName: 'payments-tls' },
        { hosts: ['legacy.example.com'], secretName: 'legacy-tls' },
      ],
      rules: [{ host: 'payments.example.com' }],
    },
  },
];

/** A logger that keeps every line, with its metadata, of every level. */
function capturingLogger(lines: string[]): LoggerService {
  const log = (level: string) => (message: string, meta?: unknown) => {
    lines.push(
      `${level} ${message} ${
        meta instanceof Error
          ? `${meta.message} ${meta.stack}`
          : JSON.stringify(meta ?? {})
      }`,
    );
  };
  const logger: LoggerService = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}

async function setUp(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  // The objects as written here, with their status: cert-manager's simulation stays off.
  const emulator = await startEmulator({
    objects: [...secrets, ...certManager],
    certManager: false,
  });
  const dir = await mkdtemp(join(tmpdir(), 'resilience-certificates-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, emulator.kubeconfig());
  const logLines: string[] = [];
  const collector = ClusterCollector.create({
    client: ClusterClient.create({
      cluster: {
        type: 'kubeconfig',
        name: 'emulated',
        veleroNamespace: 'velero',
        kubeconfigPath,
      },
      pageSize: 2,
    }),
    veleroNamespace: 'velero',
    store,
    logger: capturingLogger(logLines),
  });
  const cleanUp = async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { knex, store, emulator, collector, logLines, cleanUp };
}

/** Every row of every table of the database, every column, as text. */
async function dumpDatabase(
  knex: Knex,
): Promise<{ tables: string[]; text: string }> {
  const tables: string[] =
    knex.client.config.client === 'pg'
      ? (
          await knex('information_schema.tables')
            .select('table_name')
            .whereRaw('table_schema = current_schema()')
        ).map((r: { table_name: string }) => r.table_name)
      : (
          await knex('sqlite_master').select('name').where({ type: 'table' })
        ).map((r: { name: string }) => r.name);
  const parts: string[] = [];
  for (const table of tables.sort()) {
    parts.push(table, JSON.stringify(await knex(table).select('*')));
  }
  return { tables, text: parts.join('\n') };
}

/** The forms a private key could leak in: its PEM, the Secret's base64 of it, its DER. */
function leakForms(keyPem: string): string[] {
  const body = keyPem.split('\n').filter(l => l && !l.startsWith('-----'));
  const base64 = Buffer.from(keyPem).toString('base64');
  const derHex = Buffer.from(body.join(''), 'base64').toString('hex');
  return [
    keyPem,
    ...body.filter(line => line.length >= 32),
    body.join('').slice(100, 140),
    base64,
    base64.slice(60, 100),
    derHex.slice(100, 164),
  ];
}

describe.each(databases.eachSupportedId())(
  'ClusterCollector with certificates, on %s',
  databaseId => {
    it('collects TLS Secrets by field selector, cert-manager objects and Ingresses', async () => {
      const { store, emulator, collector, cleanUp } = await setUp(databaseId);
      try {
        await collector.collect();
        const status = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        const sources = [
          'certificate-requests',
          'certificates',
          'cluster-issuers',
          'ingresses',
          'issuers',
          'tls-secrets',
        ];
        expect(
          status
            .filter(s => sources.includes(s.source))
            .map(s => [s.source, s.state, s.itemCount]),
        ).toEqual([
          ['certificate-requests', 'ok', 1],
          ['certificates', 'ok', 1],
          ['cluster-issuers', 'ok', 1],
          ['ingresses', 'ok', 1],
          ['issuers', 'ok', 1],
          ['tls-secrets', 'ok', 4],
        ]);

        // Every page of the Secret list asked for TLS Secrets only; the Opaque one never came.
        const secretLists = emulator.requests.filter(
          r => r.method === 'GET' && r.path === '/api/v1/secrets',
        );
        expect(
          secretLists.map(r => {
            const query = new URLSearchParams(r.query);
            return [query.get('fieldSelector'), query.has('continue')];
          }),
        ).toEqual([
          ['type=kubernetes.io/tls', false],
          ['type=kubernetes.io/tls', true],
        ]);
        expect(
          emulator.requests.filter(
            r => /secrets/.test(r.path) && r.path !== '/api/v1/secrets',
          ),
        ).toEqual([]);

        const tlsSecrets = await store.listTlsSecrets({
          clusters: ['emulated'],
        });
        expect(
          tlsSecrets.map(s => [
            s.namespace,
            s.name,
            s.chain.map(c => c.subject),
            s.parseError,
          ]),
        ).toEqual([
          ['payments', 'bundled-tls', ['CN=legacy.example.com'], undefined],
          ['payments', 'legacy-tls', ['CN=legacy.example.com'], undefined],
          [
            'payments',
            'payments-tls',
            ['CN=payments.example.com', 'CN=payments-ca'],
            undefined,
          ],
          [
            'search',
            'swapped-tls',
            [],
            'tls.crt holds no PEM-encoded certificate',
          ],
        ]);
        const payments = tlsSecrets.find(s => s.name === 'payments-tls')!;
        expect(payments).toMatchObject({
          certificateName: 'payments',
          issuerName: 'letsencrypt',
          issuerKind: 'ClusterIssuer',
        });
        expect(payments.chain[0]).toMatchObject({
          keyType: 'ec',
          keySize: 256,
          notAfter,
          selfSigned: false,
          fingerprintSha256: new X509Certificate(paymentsPem).fingerprint256,
        });
        expect(tlsSecrets[1].chain[0]).toMatchObject({
          keyType: 'rsa',
          keySize: 1024,
          signatureAlgorithm: 'sha1WithRSAEncryption',
          selfSigned: true,
        });

        const [certificate] = await store.listCertificates({
          clusters: ['emulated'],
        });
        expect(certificate).toMatchObject({
          namespace: 'payments',
          name: 'payments',
          secretName: 'payments-tls',
          issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' },
          durationMs: 2160 * 3_600_000,
          rotationPolicy: 'Always',
          notAfter,
          revision: 2,
          conditions: [{ type: 'Ready', status: 'True', reason: 'Ready' }],
        });
        expect(
          await store.listCertificateRequests({ clusters: ['emulated'] }),
        ).toEqual([
          expect.objectContaining({
            name: 'payments-2',
            certificateName: 'payments',
            revision: 2,
          }),
        ]);
        const issuers = await store.listIssuers({ clusters: ['emulated'] });
        expect(
          issuers.map(i => [i.kind, i.namespace, i.name, i.ready]),
        ).toEqual([
          ['Issuer', 'payments', 'ca', 'False'],
          ['ClusterIssuer', '', 'letsencrypt', 'True'],
        ]);

        // The stored facts map to the entity of the Ingress: its Secrets, one with its Certificate.
        const items = certificatesOfEntity({
          mapping: { kubernetesId: 'payments' },
          certificates: await store.listCertificates({
            clusters: ['emulated'],
          }),
          secrets: tlsSecrets,
          ingresses: await store.listIngresses({ clusters: ['emulated'] }),
          issuers,
        });
        expect(
          items.map(i => [
            i.secretName,
            i.certificate?.name,
            i.secret?.name,
            i.issuer?.name,
            i.ingresses.map(g => g.name),
          ]),
        ).toEqual([
          ['legacy-tls', undefined, 'legacy-tls', undefined, ['web']],
          ['payments-tls', 'payments', 'payments-tls', 'letsencrypt', ['web']],
        ]);
      } finally {
        await cleanUp();
      }
    });

    it('reports TLS Secrets as forbidden, keeping what was known, while the other sources stay ok', async () => {
      const { store, emulator, collector, cleanUp } = await setUp(databaseId);
      try {
        await collector.collect();
        emulator.forbid({ group: '', resource: 'secrets' });
        await collector.collect();
        const status = await store.listCollectionStatus({
          clusters: ['emulated'],
        });
        const secretsStatus = status.find(s => s.source === 'tls-secrets')!;
        expect(secretsStatus).toMatchObject({
          state: 'forbidden',
          itemCount: 4,
        });
        expect(secretsStatus.message).toMatch(/forbidden \(403\)/);
        expect(
          status.filter(s => s.source !== 'tls-secrets').map(s => s.state),
        ).toEqual(Array(status.length - 1).fill('ok'));
        expect(
          await store.listTlsSecrets({ clusters: ['emulated'] }),
        ).toHaveLength(4);
      } finally {
        await cleanUp();
      }
    });

    it('stores and logs no private key, in any form, in any table', async () => {
      const { knex, emulator, collector, logLines, cleanUp } = await setUp(
        databaseId,
      );
      try {
        await collector.collect();
        // A failing run too, so that error paths are logged and recorded.
        emulator.injectFault({
          pathPrefix: '/api/v1/secrets',
          after: 1,
          status: 500,
        });
        await collector.collect();
        const { tables, text } = await dumpDatabase(knex);
        const logs = logLines.join('\n');

        // The dump and the logs hold what was collected, so their silence about keys means something.
        expect(tables).toEqual(
          expect.arrayContaining([
            'resilience_tls_secrets',
            'resilience_certificates',
            'resilience_collection_status',
          ]),
        );
        expect(text).toContain('CN=payments.example.com');
        expect(text).toContain(new X509Certificate(paymentsPem).fingerprint256);
        expect(text).toContain('tls.crt holds no PEM-encoded certificate');
        expect(logs).toMatch(/Collected 4 tls-secrets from cluster emulated/);
        expect(logs).toMatch(
          /Could not collect tls-secrets from cluster emulated/,
        );

        const forms = keys.flatMap(k => leakForms(k.keyPem));
        expect(forms.length).toBeGreaterThan(20);
        for (const form of forms) {
          expect(text.includes(form)).toBe(false);
          expect(logs.includes(form)).toBe(false);
        }
        for (const marker of ['PRIVATE KEY', 'tls.key', 'hunter2-opaque']) {
          expect(text).not.toContain(marker);
          expect(logs).not.toContain(marker);
        }
      } finally {
        await cleanUp();
      }
    });
  },
);
