import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { resiliencePlugin } from '../plugin';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const UPLOAD_TOKEN = 'upload-token-for-tests';
const OTHER_TOKEN = 'collection-token-for-tests';

const report = JSON.stringify({
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'Semgrep' } },
      results: [
        {
          ruleId: 'python.lang.security.eval',
          level: 'error',
          message: { text: 'eval of user input' },
          partialFingerprints: { primaryLocationLineHash: 'e1' },
        },
      ],
    },
  ],
});

/**
 * The external access configuration the README gives, with Backstage's own auth and permissions
 * services: a static token restricted to the plugin and the upload permission.
 */
describe.each(databases.eachSupportedId())(
  'SAST uploads with an external access token, on %s',
  databaseId => {
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          resiliencePlugin,
          catalogServiceMock.factory({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: { name: 'payments', namespace: 'default' },
                spec: { type: 'service', owner: 'team-a' },
              },
            ],
          }),
          mockServices.database.factory({ knex }),
          authServiceFactory,
          httpAuthServiceFactory,
          permissionsServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              backend: {
                auth: {
                  externalAccess: [
                    {
                      type: 'static',
                      options: { token: UPLOAD_TOKEN, subject: 'ci-sast' },
                      accessRestrictions: [
                        {
                          plugin: 'resilience',
                          permission: 'resilience.sast.upload',
                        },
                      ],
                    },
                    {
                      type: 'static',
                      options: { token: OTHER_TOKEN, subject: 'ci-other' },
                      accessRestrictions: [
                        {
                          plugin: 'resilience',
                          permission: 'resilience.collection.run',
                        },
                      ],
                    },
                  ],
                },
              },
            },
          }),
        ],
      }));
    });

    const upload = (token: string) =>
      request(server)
        .post(
          '/api/resilience/sast/reports?entityRef=component:default/payments',
        )
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/sarif+json')
        .send(report);

    it('accepts an upload with a token restricted to resilience.sast.upload', async () => {
      const res = await upload(UPLOAD_TOKEN);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/payments',
        reports: [
          { tool: 'Semgrep', uploadedBy: 'ci-sast', findings: { high: 1 } },
        ],
      });
    });

    it('refuses a token restricted to another permission, and one it does not know', async () => {
      const other = await upload(OTHER_TOKEN);
      expect(other.status).toBe(403);
      expect(other.body.error.message).toMatch(/resilience\.sast\.upload/);
      const unknown = await upload('not-a-configured-token');
      expect(unknown.status).toBe(401);
    });
  },
);
