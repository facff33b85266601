import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EntityIncidentResponse,
  EntityResilienceResponse,
  EntitySastResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import { startEmulator } from '@internal/resilience-test';
import request from 'supertest';
import { resiliencePlugin } from '../plugin';

jest.setTimeout(90_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const DAY = 86_400_000;
const now = Date.now();
const daysAgo = (days: number) => new Date(now - days * DAY).toISOString();
const COMMIT = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/**
 * The ledger's history, in days before now:
 *
 * - 15: first scan of main, clean;
 * - 9: a critical and a high appear;
 * - 5: both fixed;
 * - 3: the high comes back (reopened), with a medium;
 * - 4.5: a critical on a feature branch, which does not count.
 *
 * Its backups started 20 (before any scan), 12, 8, 6, 4, 2 and 1 days ago; one failed 0.5 days
 * ago.
 */
const BACKUPS: Array<[string, number, string]> = [
  ['ledger-20d', 20, 'Completed'],
  ['ledger-12d', 12, 'Completed'],
  ['ledger-8d', 8, 'Completed'],
  ['ledger-6d', 6, 'Completed'],
  ['ledger-4d', 4, 'Completed'],
  ['ledger-2d', 2, 'Completed'],
  ['ledger-1d', 1, 'Completed'],
  ['ledger-failed', 0.5, 'Failed'],
];

const certificate = (
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
) => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { namespace, name, labels },
  spec: {
    secretName: name,
    dnsNames: [`${name}.example.com`],
    issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer' },
  },
});

const objects = [
  ...['velero', 'payments', 'other'].map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  })),
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      namespace: 'payments',
      name: 'data-ledger-0',
      labels: { 'backstage.io/kubernetes-id': 'ledger' },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '5Gi' } },
    },
    status: { phase: 'Bound' },
  },
  ...BACKUPS.map(([name, age, phase]) => ({
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      namespace: 'velero',
      name,
      creationTimestamp: daysAgo(age),
    },
    spec: { includedNamespaces: ['payments'] },
    status: {
      phase,
      startTimestamp: daysAgo(age),
      completionTimestamp: daysAgo(age - 0.01),
      expiration: daysAgo(age - 30),
      volumeSnapshotsAttempted: 1,
      volumeSnapshotsCompleted: phase === 'Completed' ? 1 : 0,
    },
  })),
  {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: 'selfsigned' },
    spec: { selfSigned: {} },
  },
  // The ledger's own, a neighbour's in its namespace, and one elsewhere.
  certificate('payments', 'ledger-tls', {
    'backstage.io/kubernetes-id': 'ledger',
  }),
  certificate('payments', 'gateway-tls'),
  certificate('other', 'elsewhere-tls'),
];

const component = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name, ...annotations },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

const entities = [
  component('ledger', {
    'backstage.io/source-location':
      'url:https://github.com/acme/ledger/tree/main/',
  }),
  // The same claims, from a repository whose default branch is develop.
  {
    ...component('ledger-develop'),
    metadata: {
      name: 'ledger-develop',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': 'ledger',
        'resilience.io/sast-default-branch': 'develop',
      },
    },
  },
  // The same claims, never scanned.
  {
    ...component('ledger-unscanned'),
    metadata: {
      name: 'ledger-unscanned',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'ledger' },
    },
  },
];

interface Finding {
  ruleId: string;
  level: 'error' | 'warning' | 'note';
  severity?: string;
  hash: string;
  uri: string;
  line: number;
}

function sarif(tool: string, findings: Finding[]) {
  return {
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool,
            version: '1.0.0',
            rules: [...new Set(findings.map(f => f.ruleId))].map(id => ({
              id,
              shortDescription: { text: `Rule ${id}` },
              properties: {
                'security-severity': findings.find(f => f.ruleId === id)
                  ?.severity,
              },
            })),
          },
        },
        results: findings.map(f => ({
          ruleId: f.ruleId,
          level: f.level,
          message: { text: `${f.ruleId} at ${f.uri}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.uri },
                region: { startLine: f.line },
              },
            },
          ],
          partialFingerprints: { primaryLocationLineHash: f.hash },
        })),
      },
    ],
  };
}

const critical: Finding = {
  ruleId: 'sql-injection',
  level: 'error',
  severity: '9.8',
  hash: 'crit-1',
  uri: 'src/db/query.ts',
  line: 42,
};
const high: Finding = {
  ruleId: 'path-traversal',
  level: 'error',
  severity: '7.5',
  hash: 'high-1',
  uri: 'src/files.ts',
  line: 7,
};
const medium: Finding = {
  ruleId: 'weak-random',
  level: 'warning',
  severity: '5.0',
  hash: 'med-1',
  uri: 'src/token.ts',
  line: 3,
};

describe.each(databases.eachSupportedId())(
  'backup marks, the incident view and the SAST view over HTTP, on %s',
  databaseId => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    let dir: string;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

    async function upload(
      findings: Finding[],
      days: number,
      options: { branch?: string; tool?: string; entityRef?: string } = {},
    ) {
      const res = await request(server)
        .post('/api/resilience/sast/reports')
        .query({
          entityRef: options.entityRef ?? 'component:default/ledger',
          branch: options.branch ?? 'main',
          commit: COMMIT,
          scannedAt: daysAgo(days),
        })
        .set('Content-Type', 'application/sarif+json')
        .send(JSON.stringify(sarif(options.tool ?? 'ESLint', findings)));
      expect(res.status).toBe(201);
    }

    beforeAll(async () => {
      emulator = await startEmulator({ objects });
      await emulator.certManagerIdle();
      dir = await mkdtemp(join(tmpdir(), 'resilience-code-security-'));
      await writeFile(join(dir, 'kubeconfig'), emulator.kubeconfig());
      const knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          resiliencePlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.scheduler.factory({
            includeInitialDelayedTasksOnStartup: true,
          }),
          mockServices.rootConfig.factory({
            data: {
              resilience: {
                clusters: [
                  { name: 'emulated', kubeconfig: join(dir, 'kubeconfig') },
                ],
                policies: {
                  defaultTier: 'standard',
                  tiers: {
                    standard: {
                      rpo: { hours: 24 },
                      // The timeline shows the backups of the retention window: all of them.
                      retention: { days: 30 },
                      sast: {
                        scanMaxAge: { days: 2 },
                        requiredTools: ['secretlint'],
                      },
                    },
                  },
                },
              },
            },
          }),
        ],
      }));
      await upload([], 15);
      await upload([critical, high], 9);
      await upload([], 5);
      await upload([high, medium], 3);
      await upload([critical], 4.5, { branch: 'feature/x' });
      // Another tool, last run long ago.
      await upload([], 10, { tool: 'Semgrep' });
      const develop = { entityRef: 'component:default/ledger-develop' };
      await upload([critical], 7, { ...develop, branch: 'main' });
      await upload([], 7, { ...develop, branch: 'develop' });
      // Collection runs as a scheduled task on start-up: wait until it has stored its results.
      for (let attempt = 0; ; attempt++) {
        const res = await request(server).get(
          '/api/resilience/entities/component/default/ledger',
        );
        const body = res.body as EntityResilienceResponse;
        if (
          body.collection.every(s => s.state !== 'pending') ||
          attempt > 200
        ) {
          break;
        }
        await new Promise(r => setTimeout(r, 100));
      }
    });

    afterAll(async () => {
      await emulator?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('marks every backup of the timeline by the findings of main open when it started', async () => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/ledger',
      );
      expect(res.status).toBe(200);
      const body = res.body as EntityResilienceResponse;
      const marks = Object.fromEntries(
        body.backups.map(b => [b.name, b.security]),
      );
      expect(marks).toEqual({
        'ledger-failed': { mark: 'vulnerable', openCritical: 0, openHigh: 1 },
        'ledger-1d': { mark: 'vulnerable', openCritical: 0, openHigh: 1 },
        'ledger-2d': { mark: 'vulnerable', openCritical: 0, openHigh: 1 },
        // The high was fixed 5 days ago and came back 3 days ago: not open in between.
        'ledger-4d': { mark: 'known-good', openCritical: 0, openHigh: 0 },
        'ledger-6d': { mark: 'vulnerable', openCritical: 1, openHigh: 1 },
        'ledger-8d': { mark: 'vulnerable', openCritical: 1, openHigh: 1 },
        'ledger-12d': { mark: 'known-good', openCritical: 0, openHigh: 0 },
        'ledger-20d': { mark: 'unknown', openCritical: 0, openHigh: 0 },
      });
      // The claim's last good backup carries its mark too.
      expect(body.pvcs[0].lastGoodBackup).toMatchObject({
        name: 'ledger-1d',
        security: { mark: 'vulnerable' },
      });
    });

    it('counts only the branch an entity names as its default, when it names one', async () => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/ledger-develop',
      );
      const body = res.body as EntityResilienceResponse;
      // The critical finding is on main, which is not this repository's default branch.
      expect(
        body.codeSecurityChecks.find(c => c.id === 'sast.open-critical'),
      ).toMatchObject({ state: 'pass', value: 0 });
      expect(
        new Set(
          body.backups
            .filter(b => Date.parse(b.startedAt!) > Date.parse(daysAgo(7)))
            .map(b => b.security?.mark),
        ),
      ).toEqual(new Set(['known-good']));
      const sast = await request(server).get(
        '/api/resilience/entities/component/default/ledger-develop/sast',
      );
      expect(sast.body).toMatchObject({ branch: 'develop' });
    });

    it('marks nothing known-good for an entity that was never scanned', async () => {
      const entity = await request(server).get(
        '/api/resilience/entities/component/default/ledger-unscanned',
      );
      expect(
        new Set(
          (entity.body as EntityResilienceResponse).backups.map(
            b => b.security?.mark,
          ),
        ),
      ).toEqual(new Set(['unknown']));
      const res = await request(server).get(
        '/api/resilience/entities/component/default/ledger-unscanned/incident',
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        scanned: false,
        latestKnownGood: null,
        latestKnownGoodAgeSeconds: null,
        vulnerableSince: [],
        openFindings: { critical: 0, high: 0 },
      });
    });

    it('serves the incident view: the latest known-good backup, the vulnerable ones since, the certificates to rotate', async () => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/ledger/incident',
      );
      expect(res.status).toBe(200);
      const body = res.body as EntityIncidentResponse;
      expect(body.scanned).toBe(true);
      expect(body.openFindings).toEqual({ critical: 0, high: 1 });
      expect(body.latestKnownGood?.name).toBe('ledger-4d');
      // Started 4 days ago and completed 3.99 days ago: its data is as old as its start.
      expect(body.latestKnownGoodAgeSeconds).toBeGreaterThan(4 * 86_400 - 60);
      expect(body.latestKnownGoodAgeSeconds).toBeLessThan(4 * 86_400 + 60);
      // The failed one is no recovery point.
      expect(body.vulnerableSince.map(b => b.name)).toEqual([
        'ledger-1d',
        'ledger-2d',
      ]);
      expect(body.namespaces).toEqual([
        { cluster: 'emulated', namespace: 'payments' },
      ]);
      expect(
        body.certificates.map(c => `${c.namespace}/${c.name}`).sort(),
      ).toEqual(['payments/gateway-tls', 'payments/ledger-tls']);
      expect(body.certificates[0]).toMatchObject({
        managedBy: 'cert-manager',
        cluster: 'emulated',
      });
      expect(body.certificates[0].secondsLeft).toBeGreaterThan(0);
    });

    it('answers 404 for an entity it may not read', async () => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/nobody/incident',
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(
        /No entity component:default\/nobody/,
      );
    });

    it('serves the SAST view of main: counts, links at the commit, top rules, trend, tool freshness', async () => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/ledger/sast?days=12',
      );
      expect(res.status).toBe(200);
      const body = res.body as EntitySastResponse;
      expect(body).toMatchObject({
        branch: 'main',
        isDefaultBranch: true,
        branches: ['feature/x', 'main'],
        openFindings: { critical: 0, high: 1, medium: 1, low: 0, none: 0 },
        findingsTotal: 2,
        policy: {
          tier: 'standard',
          scanMaxAgeSeconds: 2 * 86_400,
          highFindingSlaSeconds: 30 * 86_400,
          requiredTools: ['secretlint'],
        },
      });
      expect(body.findings.map(f => [f.ruleId, f.severity, f.url])).toEqual([
        [
          'path-traversal',
          'high',
          `https://github.com/acme/ledger/blob/${COMMIT}/src/files.ts#L7`,
        ],
        [
          'weak-random',
          'medium',
          `https://github.com/acme/ledger/blob/${COMMIT}/src/token.ts#L3`,
        ],
      ]);
      expect(body.findings[0].commit).toBe(COMMIT);
      expect(body.topRules).toEqual([
        {
          tool: 'ESLint',
          ruleId: 'path-traversal',
          ruleName: 'Rule path-traversal',
          severity: 'high',
          open: 1,
        },
        {
          tool: 'ESLint',
          ruleId: 'weak-random',
          ruleName: 'Rule weak-random',
          severity: 'medium',
          open: 1,
        },
      ]);

      expect(body.trend).toHaveLength(12);
      const today = body.trend[body.trend.length - 1];
      expect(today.date).toBe(body.generatedAt.slice(0, 10));
      expect(today.open).toEqual(body.openFindings);
      const on = (days: number) =>
        body.trend.find(p => p.date === daysAgo(days).slice(0, 10))!.open;
      expect(on(11)).toEqual({
        critical: 0,
        high: 0,
        medium: 0,
        low: 0,
        none: 0,
      });
      expect(on(7)).toMatchObject({ critical: 1, high: 1, medium: 0 });
      // The feature branch's critical is not in main's trend.
      expect(on(4).critical).toBe(0);

      expect(body.tools).toEqual([
        {
          tool: 'ESLint',
          lastScannedAt: daysAgo(3),
          ageSeconds: expect.any(Number),
          required: false,
          state: 'stale',
        },
        {
          tool: 'Semgrep',
          lastScannedAt: daysAgo(10),
          ageSeconds: expect.any(Number),
          required: false,
          state: 'stale',
        },
        { tool: 'secretlint', required: true, state: 'missing' },
      ]);
      expect(body.tools[0].ageSeconds).toBeGreaterThanOrEqual(3 * 86_400);
      expect(body.latestReports.map(r => r.tool)).toEqual([
        'ESLint',
        'Semgrep',
      ]);
    });

    it('pages and filters the findings, and shows another branch when asked', async () => {
      const page2 = await request(server).get(
        '/api/resilience/entities/component/default/ledger/sast?limit=1&offset=1',
      );
      expect(page2.status).toBe(200);
      expect(
        page2.body.findings.map((f: { ruleId: string }) => f.ruleId),
      ).toEqual(['weak-random']);
      expect(page2.body.findingsTotal).toBe(2);

      const highOnly = await request(server).get(
        '/api/resilience/entities/component/default/ledger/sast?severity=critical,high',
      );
      expect(highOnly.body.findingsTotal).toBe(1);
      expect(highOnly.body.openFindings.medium).toBe(1);

      const feature = await request(server)
        .get('/api/resilience/entities/component/default/ledger/sast')
        .query({ branch: 'feature/x' });
      expect(feature.body).toMatchObject({
        branch: 'feature/x',
        isDefaultBranch: false,
        openFindings: { critical: 1 },
      });
      expect(feature.body.findings[0].url).toBe(
        `https://github.com/acme/ledger/blob/${COMMIT}/src/db/query.ts#L42`,
      );
    });

    it.each([
      [
        'limit=0',
        /limit query parameter must be given once, as a whole number from 1 to 500/,
      ],
      ['limit=many', /limit query parameter/],
      ['offset=-1', /offset query parameter/],
      ['days=400', /days query parameter .* from 1 to 365/],
      ['severity=urgent,high', /Unknown severity "urgent"/],
      ['branch=a&branch=b', /branch query parameter must be given once/],
    ])(
      'refuses %s with a message that says what to fix',
      async (query, message) => {
        const res = await request(server).get(
          `/api/resilience/entities/component/default/ledger/sast?${query}`,
        );
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(message);
      },
    );
  },
);
