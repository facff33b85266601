import { gzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuditorServiceCreateEventOptions } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntitySastResponse,
  SastUploadResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import { Knex } from 'knex';
import request from 'supertest';
import { resiliencePlugin } from '../plugin';
import {
  editMessages,
  packageOf,
  scannedAt,
  trivyImageScan,
  withoutPackage,
} from './__fixtures__/trivyImage';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Small, so that the tests can cross it; the default is 50 MB. */
const MAX_REPORT_SIZE = 20_000;

const entity = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

const entities = [
  entity('payments', {
    'backstage.io/source-location':
      'url:https://github.com/acme/payments/tree/main/',
  }),
  // Same prefix, another repository: must not match.
  entity('payments-ui', {
    'backstage.io/source-location':
      'url:https://github.com/acme/payments-ui/tree/main/',
  }),
  entity('ledger'),
  entity('replaced'),
  entity('storefront'),
];

interface Result {
  ruleId: string;
  level?: 'error' | 'warning' | 'note';
  hash?: string;
  uri?: string;
  line?: number;
}

function sarif(
  results: Result[],
  run: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'CodeQL', semanticVersion: '2.20.0' } },
        automationDetails: { id: '/language:javascript/run-1' },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: '2026-11-20T10:00:00Z',
          },
        ],
        results: results.map(r => ({
          ruleId: r.ruleId,
          level: r.level ?? 'error',
          message: { text: `${r.ruleId} found something` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: r.uri ?? 'src/index.ts' },
                region: { startLine: r.line ?? 1 },
              },
            },
          ],
          ...(r.hash
            ? { partialFingerprints: { primaryLocationLineHash: r.hash } }
            : {}),
        })),
        ...run,
      },
    ],
    ...extra,
  };
}

const threeFindings = sarif([
  { ruleId: 'js/sql-injection', level: 'error', hash: 'h1' },
  { ruleId: 'js/xss', level: 'warning', hash: 'h2' },
  { ruleId: 'js/unused', level: 'note', hash: 'h3' },
]);

const UPLOAD = '/api/resilience/sast/reports';

describe.each(databases.eachSupportedId())(
  'SAST uploads over HTTP, on %s',
  databaseId => {
    let knex: Knex;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    const audited: Array<{
      eventId: string;
      meta?: Record<string, unknown>;
      outcome?: 'success' | 'fail';
      successMeta?: Record<string, unknown>;
      failMeta?: Record<string, unknown>;
      error?: string;
    }> = [];

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const auditor = mockServices.auditor.mock({
        createEvent: async (options: AuditorServiceCreateEventOptions) => {
          const event: (typeof audited)[number] = {
            eventId: options.eventId,
            meta: options.meta,
          };
          audited.push(event);
          return {
            success: async ({ meta } = {}) => {
              event.outcome = 'success';
              event.successMeta = meta;
            },
            fail: async ({ error, meta }) => {
              event.outcome = 'fail';
              event.error = error.message;
              event.failMeta = meta;
            },
          };
        },
      });
      // The policy: everybody but user:default/intruder may upload.
      const permissions = mockServices.permissions.mock({
        authorize: async (requests, options) =>
          requests.map(() => ({
            result:
              (options?.credentials?.principal as { userEntityRef?: string })
                ?.userEntityRef === 'user:default/intruder'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      });
      ({ server } = await startTestBackend({
        features: [
          resiliencePlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          auditor.factory,
          permissions.factory,
          mockServices.rootConfig.factory({
            data: { resilience: { sast: { maxReportSize: MAX_REPORT_SIZE } } },
          }),
        ],
      }));
    });

    const count = async (table: string) =>
      Number((await knex(table).count({ n: '*' }))[0].n);
    const stored = async () => ({
      reports: await count('resilience_sast_reports'),
      findings: await count('resilience_sast_findings'),
    });

    function upload(
      query: string,
      body: string | Buffer,
      headers: Record<string, string> = {},
    ) {
      const req = request(server)
        .post(`${UPLOAD}${query}`)
        .set('Content-Type', 'application/sarif+json')
        // Sent as is: superagent would serialise a Buffer as JSON.
        .serialize(data => data);
      for (const [name, value] of Object.entries(headers)) {
        req.set(name, value);
      }
      return req.send(body);
    }

    /** Posts a body in chunks without Content-Length, as a streaming CI client does. */
    function uploadChunked(query: string, chunks: string[]) {
      const { port } = server.address() as AddressInfo;
      return new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `${UPLOAD}${query}`,
            headers: {
              'Content-Type': 'application/sarif+json',
              Authorization: mockCredentials.user.header(),
            },
          },
          res => {
            let text = '';
            res.on('data', d => (text += d));
            res.on('end', () =>
              resolve({ status: res.statusCode!, body: JSON.parse(text) }),
            );
          },
        );
        // The server may answer and close before the last chunk is written.
        req.on('error', reject);
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });
    }

    /** The latest audit event of an upload. */
    const lastUploadEvent = () =>
      audited.filter(e => e.eventId === 'sast-upload').at(-1);

    it('accepts a SARIF report, counts its findings and shows them on the entity', async () => {
      const res = await upload(
        '?entityRef=component:default/ledger&commit=abc123',
        JSON.stringify(threeFindings),
      );
      expect(res.status).toBe(201);
      const body: SastUploadResponse = res.body;
      expect(body).toEqual({
        entityRef: 'component:default/ledger',
        reports: [
          expect.objectContaining({
            id: expect.any(String),
            tool: 'CodeQL',
            toolVersion: '2.20.0',
            category: '/language:javascript/',
            branch: 'default',
            commit: 'abc123',
            scannedAt: '2026-11-20T10:00:00.000Z',
            uploadedBy: 'user:default/mock',
            findings: { critical: 0, high: 1, medium: 1, low: 1, none: 0 },
            opened: 3,
            fixed: 0,
            applied: true,
          }),
        ],
      });
      const rows = await knex('resilience_sast_findings')
        .where({ entity_ref: 'component:default/ledger' })
        .orderBy('fingerprint');
      expect(rows.map(r => [r.fingerprint, r.severity, r.path])).toEqual([
        ['plh:h1', 'high', 'src/index.ts'],
        ['plh:h2', 'medium', 'src/index.ts'],
        ['plh:h3', 'low', 'src/index.ts'],
      ]);

      const view = await request(server).get(
        '/api/resilience/entities/component/default/ledger/sast',
      );
      expect(view.status).toBe(200);
      const sast: EntitySastResponse = view.body;
      expect(sast).toMatchObject({
        entityRef: 'component:default/ledger',
        branch: 'default',
        branches: ['default'],
        openFindings: { critical: 0, high: 1, medium: 1, low: 1, none: 0 },
        latestReports: [{ id: body.reports[0].id, commit: 'abc123' }],
      });
      expect(sast.findings.map(f => f.ruleId)).toEqual([
        'js/sql-injection',
        'js/xss',
        'js/unused',
      ]);

      // The entity's code-security checks read the upload (branch "default" counts as default).
      const tab = await request(server).get(
        '/api/resilience/entities/component/default/ledger',
      );
      expect(tab.status).toBe(200);
      expect(
        tab.body.codeSecurityChecks.map((c: { id: string }) => c.id),
      ).toEqual([
        'sast.open-critical',
        'sast.high-age',
        'sast.scan-freshness',
        'sast.required-tools',
      ]);
      expect(tab.body.codeSecurityChecks[0]).toMatchObject({
        state: 'pass',
        value: 0,
      });
      expect(tab.body.codeSecurityChecks[3].state).toBe('not-applicable');

      expect(lastUploadEvent()).toMatchObject({
        outcome: 'success',
        successMeta: {
          entityRef: 'component:default/ledger',
          reports: [
            {
              tool: 'CodeQL',
              findings: { high: 1, medium: 1, low: 1 },
              opened: 3,
            },
          ],
        },
      });
    });

    it('reads a gzip-compressed body, sent as application/json', async () => {
      const before = await stored();
      const res = await upload(
        '?entityRef=component:default/ledger&branch=feature%2Fgzip&scannedAt=2026-11-21T00:00:00Z',
        gzipSync(JSON.stringify(threeFindings)),
        { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' },
      );
      expect(res.status).toBe(201);
      expect(res.body.reports[0]).toMatchObject({
        branch: 'feature/gzip',
        scannedAt: '2026-11-21T00:00:00.000Z',
        findings: { high: 1, medium: 1, low: 1 },
      });
      expect(await stored()).toEqual({
        reports: before.reports + 1,
        findings: before.findings + 3,
      });
    });

    it('refuses a report over the configured size with 413, plain or as a gzip bomb, and stores nothing', async () => {
      const before = await stored();
      const large = JSON.stringify(
        sarif(
          [{ ruleId: 'r', hash: 'h' }],
          {},
          { padding: 'x'.repeat(40_000) },
        ),
      );
      const plain = await upload('?entityRef=component:default/ledger', large);
      expect(plain.status).toBe(413);
      expect(plain.body.error.message).toMatch(
        /larger than 20000 bytes, the limit set by resilience\.sast\.maxReportSize/,
      );

      // Without Content-Length: refused while reading.
      const streamed = await uploadChunked(
        '?entityRef=component:default/ledger',
        [large.slice(0, 15_000), large.slice(15_000)],
      );
      expect(streamed.status).toBe(413);
      expect(streamed.body.error.message).toMatch(
        /resilience\.sast\.maxReportSize/,
      );

      // A few kilobytes on the wire, megabytes once inflated.
      const bomb = gzipSync(
        JSON.stringify(sarif([], {}, { padding: 'x'.repeat(5 * 1024 * 1024) })),
      );
      expect(bomb.length).toBeLessThan(MAX_REPORT_SIZE);
      const inflated = await upload(
        '?entityRef=component:default/ledger',
        bomb,
        {
          'Content-Encoding': 'gzip',
        },
      );
      expect(inflated.status).toBe(413);
      expect(inflated.body.error.message).toMatch(
        /larger than 20000 bytes once decompressed, the limit set by resilience\.sast\.maxReportSize/,
      );
      expect(await stored()).toEqual(before);
      expect(lastUploadEvent()).toMatchObject({
        outcome: 'fail',
        error: expect.stringMatching(/maxReportSize/),
      });
    });

    it('refuses invalid JSON and what is not SARIF with 400, and stores nothing', async () => {
      const before = await stored();
      const broken = await upload(
        '?entityRef=component:default/ledger',
        '{"version": "2.1.0", "runs": [',
      );
      expect(broken.status).toBe(400);
      expect(broken.body.error.message).toMatch(
        /not valid JSON: Unexpected end of JSON input at position 30: the report is cut short/,
      );
      const misplaced = await upload(
        '?entityRef=component:default/ledger',
        '{"version": "2.1.0",, "runs": []}',
      );
      expect(misplaced.status).toBe(400);
      expect(misplaced.body.error.message).toMatch(
        /not valid JSON: .* at position 20 \(line 1 column 21\)/,
      );

      const notSarif = await upload(
        '?entityRef=component:default/ledger',
        JSON.stringify({ version: '2.0.0', runs: [] }),
      );
      expect(notSarif.status).toBe(400);
      expect(notSarif.body.error.message).toMatch(
        /Invalid SARIF log: \/version: must be "2\.1\.0"/,
      );

      const notGzip = await upload(
        '?entityRef=component:default/ledger',
        JSON.stringify(threeFindings),
        { 'Content-Encoding': 'gzip' },
      );
      expect(notGzip.status).toBe(400);
      expect(notGzip.body.error.message).toMatch(/not valid gzip/);

      const wrongType = await upload(
        '?entityRef=component:default/ledger',
        JSON.stringify(threeFindings),
        { 'Content-Type': 'text/plain' },
      );
      expect(wrongType.status).toBe(415);
      expect(wrongType.body.error.message).toMatch(/application\/sarif\+json/);

      expect(await stored()).toEqual(before);
      expect(lastUploadEvent()).toMatchObject({ outcome: 'fail' });
    });

    it('needs an entity: 400 without one, 404 for one the catalog does not have', async () => {
      const before = await stored();
      const none = await upload('', JSON.stringify(threeFindings));
      expect(none.status).toBe(400);
      expect(none.body.error.message).toMatch(/entityRef query parameter/);

      const unknown = await upload(
        '?entityRef=component:default/nobody',
        JSON.stringify(threeFindings),
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(
        /No entity component:default\/nobody/,
      );

      const unknownRepository = await upload(
        '',
        JSON.stringify(
          sarif([{ ruleId: 'r', hash: 'h' }], {
            versionControlProvenance: [
              { repositoryUri: 'https://github.com/acme/elsewhere' },
            ],
          }),
        ),
      );
      expect(unknownRepository.status).toBe(404);
      expect(unknownRepository.body.error.message).toMatch(
        /github\.com\/acme\/elsewhere/,
      );
      expect(await stored()).toEqual(before);
      expect(lastUploadEvent()).toMatchObject({
        outcome: 'fail',
        failMeta: { tools: ['CodeQL'] },
      });
    });

    it('finds the entity by the repository the report names', async () => {
      const res = await upload(
        '',
        JSON.stringify(
          sarif([{ ruleId: 'r', hash: 'h' }], {
            versionControlProvenance: [
              {
                repositoryUri: 'https://GitHub.com/acme/payments.git',
                revisionId: 'f00dfeed',
                branch: 'refs/heads/main',
              },
            ],
          }),
        ),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/payments',
        reports: [{ branch: 'main', commit: 'f00dfeed' }],
      });
    });

    it('refuses without the resilience.sast.upload permission, and stores nothing', async () => {
      const before = await stored();
      const res = await upload(
        '?entityRef=component:default/ledger',
        JSON.stringify(threeFindings),
        { Authorization: mockCredentials.user.header('user:default/intruder') },
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/resilience\.sast\.upload/);
      expect(await stored()).toEqual(before);
      expect(lastUploadEvent()).toMatchObject({
        meta: { entityRef: 'component:default/ledger' },
        outcome: 'fail',
        error: expect.stringMatching(/resilience\.sast\.upload/),
      });
    });

    it('accepts uploads from a service principal, as CI does with an external access token', async () => {
      const res = await upload(
        '?entityRef=component:default/ledger&branch=ci',
        JSON.stringify(threeFindings),
        { Authorization: mockCredentials.service.header() },
      );
      expect(res.status).toBe(201);
      expect(res.body.reports[0].uploadedBy).toMatch(/^(external|plugin):/);
    });

    it('replaces the open findings with those of the next upload', async () => {
      const query = '?entityRef=component:default/replaced&branch=main';
      const first = await upload(
        `${query}&scannedAt=2026-11-20T00:00:00Z`,
        JSON.stringify(threeFindings),
      );
      expect(first.status).toBe(201);
      // h1 fixed, h3 still there, h4 new.
      const second = await upload(
        `${query}&scannedAt=2026-11-21T00:00:00Z`,
        JSON.stringify(
          sarif([
            { ruleId: 'js/unused', level: 'note', hash: 'h3' },
            { ruleId: 'js/xss', level: 'warning', hash: 'h2' },
            { ruleId: 'js/path-injection', level: 'error', hash: 'h4' },
          ]),
        ),
      );
      expect(second.status).toBe(201);
      expect(second.body.reports[0]).toMatchObject({ opened: 1, fixed: 1 });
      const view = await request(server).get(
        '/api/resilience/entities/component/default/replaced/sast?branch=main',
      );
      expect(
        view.body.findings.map((f: { ruleId: string; firstSeenAt: string }) => [
          f.ruleId,
          f.firstSeenAt,
        ]),
      ).toEqual([
        ['js/path-injection', '2026-11-21T00:00:00.000Z'],
        ['js/xss', '2026-11-20T00:00:00.000Z'],
        ['js/unused', '2026-11-20T00:00:00.000Z'],
      ]);
      const fixed = await knex('resilience_sast_findings')
        .where({ entity_ref: 'component:default/replaced' })
        .whereNotNull('fixed_at')
        .select('fingerprint');
      expect(fixed).toEqual([{ fingerprint: 'plh:h1' }]);
    });

    it('keeps each package of a container image its own finding, open until that package is fixed', async () => {
      const query = '?entityRef=component:default/storefront';
      const first = await upload(query, JSON.stringify(trivyImageScan()));
      expect(first.status).toBe(201);
      expect(first.body.reports[0]).toMatchObject({
        tool: 'Trivy',
        scannedAt: '2026-11-02T08:00:00.000Z',
        findings: { high: 3 },
        opened: 3,
        fixed: 0,
      });

      // The same image a week later, against a newer vulnerability database.
      const rescan = await upload(
        query,
        JSON.stringify(
          trivyImageScan(run => {
            scannedAt(run, '2026-11-09T08:00:00Z');
            editMessages(run, text =>
              text.replace(
                'Fixed Version: 3.0.8-r1',
                'Fixed Version: 3.0.9-r0',
              ),
            );
          }),
        ),
      );
      expect(rescan.status).toBe(201);
      expect(rescan.body.reports[0]).toMatchObject({ opened: 0, fixed: 0 });

      // libssl3 upgraded, the other two packages still vulnerable.
      const upgraded = await upload(
        query,
        JSON.stringify(
          trivyImageScan(run => {
            scannedAt(run, '2026-11-16T08:00:00Z');
            withoutPackage(run, 'libssl3');
          }),
        ),
      );
      expect(upgraded.status).toBe(201);
      expect(upgraded.body.reports[0]).toMatchObject({ opened: 0, fixed: 1 });

      const view = await request(server).get(
        '/api/resilience/entities/component/default/storefront/sast',
      );
      const sast: EntitySastResponse = view.body;
      expect(sast.openFindings).toMatchObject({ high: 2 });
      expect(
        sast.findings
          .map(f => [packageOf(f.message), f.firstSeenAt, f.lastSeenAt])
          .sort(),
      ).toEqual([
        ['libcrypto3', '2026-11-02T08:00:00.000Z', '2026-11-16T08:00:00.000Z'],
        ['openssl', '2026-11-02T08:00:00.000Z', '2026-11-16T08:00:00.000Z'],
      ]);
      const fixed = await knex('resilience_sast_findings')
        .where({ entity_ref: 'component:default/storefront' })
        .whereNotNull('fixed_at')
        .select('message');
      expect(fixed.map(row => packageOf(row.message))).toEqual(['libssl3']);
    });

    it('refuses a scan time in the future or that is no time', async () => {
      const future = await upload(
        '?entityRef=component:default/ledger&scannedAt=2999-01-01T00:00:00Z',
        JSON.stringify(threeFindings),
      );
      expect(future.status).toBe(400);
      const nonsense = await upload(
        '?entityRef=component:default/ledger&scannedAt=yesterday',
        JSON.stringify(threeFindings),
      );
      expect(nonsense.status).toBe(400);
      expect(nonsense.body.error.message).toMatch(/ISO 8601/);
    });

    it('shows nothing for an entity without reports, and 404 for an unknown one', async () => {
      const empty = await request(server).get(
        '/api/resilience/entities/component/default/payments-ui/sast',
      );
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual({
        entityRef: 'component:default/payments-ui',
        generatedAt: expect.any(String),
        isDefaultBranch: false,
        branches: [],
        openFindings: { critical: 0, high: 0, medium: 0, low: 0, none: 0 },
        findings: [],
        findingsTotal: 0,
        topRules: [],
        // No scan, no trend: zeros would read as "clean".
        trend: [],
        latestReports: [],
        tools: [],
        policy: {
          tier: 'standard',
          highFindingSlaSeconds: 30 * 86_400,
          scanMaxAgeSeconds: 7 * 86_400,
          requiredTools: [],
        },
      });
      const unknown = await request(server).get(
        '/api/resilience/entities/component/default/nobody/sast',
      );
      expect(unknown.status).toBe(404);
    });
  },
);
