import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  AuditorServiceCreateEventOptions,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  AuthorizePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  CertificateRenewal,
  CertificateSummary,
  EntityResilienceResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import { startEmulator } from '@internal/resilience-test';
import request from 'supertest';
import { resiliencePlugin } from '../plugin';

jest.setTimeout(90_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const labelled = (id: string) => ({ 'backstage.io/kubernetes-id': id });

function certificate(
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
) {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { namespace: 'shop', name, labels: labelled(owner), annotations },
    spec: {
      secretName: name,
      dnsNames: [`${name}.shop.example.com`],
      issuerRef: { name: 'shop-ca', kind: 'Issuer' },
      privateKey: { rotationPolicy: 'Always' },
    },
  };
}

const objects = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Issuer',
    metadata: { namespace: 'shop', name: 'shop-ca' },
    spec: { selfSigned: {} },
  },
  certificate('payments-tls', 'payments'),
  // cert-manager issues it once, then every renewal fails.
  certificate('flaky-tls', 'payments', {
    'emulator.resilience.io/fail-issuance': 'renewals',
    'emulator.resilience.io/failure-message': 'the CA refused the request',
  }),
  // cert-manager is renewing it for ever.
  certificate('stuck-tls', 'payments', {
    'emulator.resilience.io/hang-issuance': 'renewals',
  }),
  certificate('other-tls', 'other'),
  certificate('restricted-tls', 'restricted'),
  // A TLS Secret made by hand, served by the payments Ingress.
  {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      namespace: 'shop',
      name: 'legacy-tls',
      annotations: {
        'emulator.resilience.io/generate-tls': JSON.stringify({
          dnsNames: ['legacy.shop.example.com'],
          validityDays: 365,
        }),
      },
    },
    data: {},
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      namespace: 'shop',
      name: 'legacy',
      labels: labelled('payments'),
    },
    spec: {
      tls: [{ hosts: ['legacy.shop.example.com'], secretName: 'legacy-tls' }],
      rules: [{ host: 'legacy.shop.example.com' }],
    },
  },
];

const entities = ['payments', 'other', 'restricted'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
}));

const renewPath = (entity: string, certificateName: string) =>
  `/api/resilience/entities/component/default/${entity}/certificates/emulated/shop/${certificateName}/renew`;

describe.each(databases.eachSupportedId())(
  'certificates and their renewal over HTTP, on %s',
  databaseId => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    let dir: string;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    const audited: Array<{
      eventId: string;
      meta?: unknown;
      outcome?: 'success' | 'fail';
      error?: string;
    }> = [];
    const authorized: AuthorizePermissionRequest[] = [];
    // The test scheduler runs a task only when triggered: the test plays the follow-up task.
    // mockServices.scheduler() is typed as the service but is the mock, with its own factory.
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(options: {
        includeInitialDelayedTasksOnStartup?: boolean;
      }): ServiceFactory<SchedulerService>;
    };

    beforeAll(async () => {
      emulator = await startEmulator({
        objects,
        certManager: { issueDelayMs: 200 },
      });
      // Collect once cert-manager has issued everything, so the first collection sees it.
      await emulator.certManagerIdle();
      dir = await mkdtemp(join(tmpdir(), 'resilience-certificates-'));
      await writeFile(join(dir, 'kubeconfig'), emulator.kubeconfig());
      const knex = await databases.init(databaseId);
      const auditor = mockServices.auditor.mock({
        createEvent: async (options: AuditorServiceCreateEventOptions) => {
          const event: (typeof audited)[number] = {
            eventId: options.eventId,
            meta: options.meta,
          };
          audited.push(event);
          return {
            success: async () => {
              event.outcome = 'success';
            },
            fail: async ({ error }) => {
              event.outcome = 'fail';
              event.error = error.message;
            },
          };
        },
      });
      const permissions = mockServices.permissions.mock({
        authorize: async requests => {
          authorized.push(...(requests as AuthorizePermissionRequest[]));
          return requests.map(r => ({
            result:
              'resourceRef' in r &&
              r.resourceRef === 'component:default/restricted'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }));
        },
      });
      ({ server } = await startTestBackend({
        features: [
          resiliencePlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          scheduler.factory({ includeInitialDelayedTasksOnStartup: true }),
          auditor.factory,
          permissions.factory,
          mockServices.rootConfig.factory({
            data: {
              resilience: {
                clusters: [
                  { name: 'emulated', kubeconfig: join(dir, 'kubeconfig') },
                ],
                certificateRenewal: {
                  timeout: { seconds: 30 },
                  followInterval: { milliseconds: 200 },
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

    async function entity(name: string): Promise<EntityResilienceResponse> {
      for (let attempt = 0; ; attempt++) {
        const res = await request(server).get(
          `/api/resilience/entities/component/default/${name}`,
        );
        expect(res.status).toBe(200);
        if (
          res.body.collection.every(
            (s: { state: string }) => s.state !== 'pending',
          ) ||
          attempt > 200
        ) {
          return res.body;
        }
        await new Promise(r => setTimeout(r, 100));
      }
    }

    const byName = (response: EntityResilienceResponse, name: string) =>
      response.certificates.find(c => c.name === name) as CertificateSummary;

    async function finished(id: string): Promise<CertificateRenewal> {
      for (let attempt = 0; attempt < 100; attempt++) {
        await scheduler.triggerTask('resilience-follow-certificate-renewals');
        const res = await request(server).get(
          `/api/resilience/certificate-renewals/${id}`,
        );
        expect(res.status).toBe(200);
        if (res.body.renewal.state !== 'in-progress') {
          return res.body.renewal;
        }
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`renewal ${id} did not finish`);
    }

    it("shows the entity's Certificates and the TLS Secrets its Ingresses serve", async () => {
      const response = await entity('payments');
      expect(response.certificates.map(c => c.name).sort()).toEqual([
        'flaky-tls',
        'legacy-tls',
        'payments-tls',
        'stuck-tls',
      ]);
      const payments = byName(response, 'payments-tls');
      expect(payments).toMatchObject({
        managedBy: 'cert-manager',
        secretName: 'payments-tls',
        dnsNames: ['payments-tls.shop.example.com'],
        issuer: { kind: 'Issuer', name: 'shop-ca', ready: true },
        ready: { status: 'True' },
        revision: 1,
        issuing: false,
        renewalTimeComputed: false,
      });
      expect(payments.chain[0].dnsNames).toEqual([
        'payments-tls.shop.example.com',
      ]);
      expect(payments.chain[0].notAfter).toBe(payments.notAfter);
      expect(
        payments.checks.filter(c => c.state !== 'pass').map(c => c.id),
      ).toEqual([]);

      const legacy = byName(response, 'legacy-tls');
      expect(legacy).toMatchObject({
        managedBy: 'hand',
        secretName: 'legacy-tls',
      });
      expect(
        legacy.checks.find(c => c.id === 'certificate.managed'),
      ).toMatchObject({
        state: 'warn',
      });
      expect(
        response.certificateChecks.find(c => c.id === 'certificate.managed'),
      ).toMatchObject({
        state: 'warn',
        evidence: [
          expect.objectContaining({ kind: 'secret', name: 'legacy-tls' }),
        ],
      });
      // The failed renewal of flaky-tls shows.
      expect(
        response.certificateChecks.find(
          c => c.id === 'certificate.issuance-failures',
        )?.state,
      ).toBe('fail');
    });

    it('renews a Certificate the way cmctl does, and follows it to the new revision', async () => {
      await entity('payments');
      const before = emulator.get({
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        namespace: 'shop',
        name: 'payments-tls',
      }) as unknown as { status: { revision: number; notAfter: string } };
      const res = await request(server).post(
        renewPath('payments', 'payments-tls'),
      );
      expect(res.status).toBe(202);
      expect(res.body.renewal).toMatchObject({
        cluster: 'emulated',
        namespace: 'shop',
        name: 'payments-tls',
        entityRef: 'component:default/payments',
        requestedBy: 'user:default/mock',
        state: 'in-progress',
        previousRevision: before.status.revision,
      });
      // A second request while the first is in progress is refused.
      const again = await request(server).post(
        renewPath('payments', 'payments-tls'),
      );
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already/);

      const renewal = await finished(res.body.renewal.id);
      expect(renewal).toMatchObject({
        state: 'succeeded',
        revision: before.status.revision + 1,
      });
      const after = emulator.get({
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        namespace: 'shop',
        name: 'payments-tls',
      }) as unknown as { status: { revision: number; notAfter: string } };
      expect(after.status.revision).toBe(before.status.revision + 1);
      expect(renewal.notAfter).toBe(
        new Date(after.status.notAfter).toISOString(),
      );

      // The cluster is collected again after the renewal: the page shows the new revision.
      let shown: CertificateSummary | undefined;
      for (let i = 0; i < 100; i++) {
        shown = byName(await entity('payments'), 'payments-tls');
        if (shown.revision === after.status.revision) break;
        await new Promise(r => setTimeout(r, 100));
      }
      expect(shown).toMatchObject({
        revision: after.status.revision,
        lastRenewal: { id: renewal.id, state: 'succeeded' },
      });

      expect(audited).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            eventId: 'certificate-renew',
            outcome: 'success',
            meta: expect.objectContaining({ name: 'payments-tls' }),
          }),
          expect.objectContaining({
            eventId: 'certificate-renewal-outcome',
            outcome: 'success',
            meta: expect.objectContaining({ renewalId: renewal.id }),
          }),
        ]),
      );
      expect(authorized).toContainEqual(
        expect.objectContaining({
          permission: expect.objectContaining({
            name: 'resilience.certificate.renew',
          }),
          resourceRef: 'component:default/payments',
        }),
      );
    });

    it("reports cert-manager's failure", async () => {
      await entity('payments');
      const res = await request(server).post(
        renewPath('payments', 'flaky-tls'),
      );
      expect(res.status).toBe(202);
      const renewal = await finished(res.body.renewal.id);
      expect(renewal.state).toBe('failed');
      expect(renewal.message).toMatch(/the CA refused the request/);
      expect(audited).toContainEqual(
        expect.objectContaining({
          eventId: 'certificate-renewal-outcome',
          outcome: 'fail',
          meta: expect.objectContaining({ renewalId: renewal.id }),
        }),
      );
    });

    it('refuses while cert-manager is already issuing, and changes nothing', async () => {
      await entity('payments');
      const res = await request(server).post(
        renewPath('payments', 'stuck-tls'),
      );
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/cert-manager is already issuing/);
    });

    it('renews only the certificates of the entity, and only those cert-manager manages', async () => {
      await entity('payments');
      const foreign = await request(server).post(
        renewPath('payments', 'other-tls'),
      );
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.message).toMatch(
        /component:default\/payments has no certificate shop\/other-tls/,
      );
      const byHand = await request(server).post(
        renewPath('payments', 'legacy-tls'),
      );
      expect(byHand.status).toBe(400);
      expect(byHand.body.error.message).toMatch(/rotated by hand/);
      const unknownEntity = await request(server).post(
        renewPath('nobody', 'payments-tls'),
      );
      expect(unknownEntity.status).toBe(404);
    });

    it('refuses without the permission on the entity, and touches nothing', async () => {
      await entity('restricted');
      const before = emulator.get({
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        namespace: 'shop',
        name: 'restricted-tls',
      });
      const res = await request(server).post(
        renewPath('restricted', 'restricted-tls'),
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/resilience\.certificate\.renew/);
      const after = emulator.get({
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        namespace: 'shop',
        name: 'restricted-tls',
      });
      expect(after.metadata.resourceVersion).toBe(
        before.metadata.resourceVersion,
      );
      expect(
        byName(await entity('restricted'), 'restricted-tls').lastRenewal,
      ).toBeUndefined();
      expect(audited).toContainEqual(
        expect.objectContaining({
          eventId: 'certificate-renew',
          outcome: 'fail',
          meta: expect.objectContaining({ name: 'restricted-tls' }),
        }),
      );
    });

    it('lets only users renew', async () => {
      const res = await request(server)
        .post(renewPath('payments', 'payments-tls'))
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(403);
    });
  },
);
