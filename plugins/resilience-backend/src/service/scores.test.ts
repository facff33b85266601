import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createBackendModule,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  BACKUP_CHECK_IDS,
  EntityScoreResponse,
  RECOVERY_CHECK_IDS,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceCheck,
  resilienceChecksExtensionPoint,
} from '@resilience-for-backstage/plugin-resilience-node';
import { startEmulator } from '@internal/resilience-test';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseResilienceStore } from '../database/DatabaseResilienceStore';
import { resiliencePlugin } from '../plugin';

jest.setTimeout(90_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3_600_000).toISOString();

/** A claim of the ledger, backed up 3 hours ago by a daily schedule; its location available. */
const objects = [
  ...['velero', 'payments'].map(name => ({
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
  {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      namespace: 'velero',
      name: 'daily-1',
      labels: { 'velero.io/schedule-name': 'daily' },
    },
    spec: { includedNamespaces: ['payments'], storageLocation: 'default' },
    status: {
      phase: 'Completed',
      startTimestamp: hoursAgo(3.1),
      completionTimestamp: hoursAgo(3),
      expiration: hoursAgo(-24 * 30),
      volumeSnapshotsAttempted: 1,
      volumeSnapshotsCompleted: 1,
    },
  },
  {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { namespace: 'velero', name: 'daily' },
    spec: {
      schedule: '0 2 * * *',
      template: { includedNamespaces: ['payments'], ttl: '720h0m0s' },
    },
    status: { phase: 'Enabled', lastBackup: hoursAgo(3) },
  },
  {
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    metadata: { namespace: 'velero', name: 'default' },
    spec: {
      provider: 'aws',
      default: true,
      objectStorage: { bucket: 'backups' },
    },
    status: { phase: 'Available', lastValidationTime: hoursAgo(0.1) },
  },
];

const component = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

const entities = [
  component('ledger', { 'backstage.io/kubernetes-id': 'ledger' }),
  // Held to a tier that does not ask for a schedule.
  component('ledger-lab', {
    'backstage.io/kubernetes-id': 'ledger',
    'resilience.io/tier': 'lab',
  }),
  component('docs', {}),
];

/** A module of another team: a check in the Recovery pillar, from the entity's annotations. */
const runbookCheck: ResilienceCheck = {
  id: 'acme.runbook-linked',
  pillar: 'recovery',
  title: 'Runbook linked',
  evaluate: async ({ entity }) =>
    entity.metadata.annotations?.['acme.io/runbook']
      ? { state: 'pass', message: 'The runbook is linked.' }
      : {
          state: 'fail',
          message: 'No runbook: add the acme.io/runbook annotation.',
        },
};
const acmeChecks = createBackendModule({
  pluginId: 'resilience',
  moduleId: 'acme-checks',
  register(env) {
    env.registerInit({
      deps: { checks: resilienceChecksExtensionPoint },
      async init({ checks }) {
        checks.addChecks(runbookCheck);
      },
    });
  },
});

const resilienceConfig = (dir: string, extra: object = {}) =>
  mockServices.rootConfig.factory({
    data: {
      resilience: {
        clusters: [{ name: 'emulated', kubeconfig: join(dir, 'kubeconfig') }],
        policies: {
          defaultTier: 'standard',
          tiers: {
            standard: { rpo: { hours: 26 }, retention: { days: 7 } },
            lab: {
              rpo: { hours: 26 },
              retention: { days: 7 },
              checks: {
                exclude: [
                  'backup.schedule',
                  'recovery.restore-test-age',
                  'acme.runbook-linked',
                ],
              },
            },
          },
        },
        ...extra,
      },
    },
  });

/** The emulated cluster and a backend on one test database, as each suite below starts them. */
async function startScoresBackend(options: {
  databaseId: TestDatabaseId;
  scheduler: ServiceFactory<SchedulerService>;
}) {
  const emulator = await startEmulator({ objects });
  const dir = await mkdtemp(join(tmpdir(), 'resilience-scores-'));
  await writeFile(join(dir, 'kubeconfig'), emulator.kubeconfig());
  const knex = await databases.init(options.databaseId);
  const { server } = await startTestBackend({
    features: [
      resiliencePlugin,
      acmeChecks,
      catalogServiceMock.factory({ entities }),
      mockServices.database.factory({ knex }),
      options.scheduler,
      resilienceConfig(dir),
    ],
  });
  return { emulator, dir, knex, server };
}

describe.each(databases.eachSupportedId())(
  'entity scores over HTTP, on %s',
  databaseId => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    let dir: string;
    let knex: Knex;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

    beforeAll(async () => {
      ({ emulator, dir, knex, server } = await startScoresBackend({
        databaseId,
        scheduler: mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
      }));
    });

    afterAll(async () => {
      await emulator?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** The stored scores, once the collection and the recomputation after it have run. */
    async function storedScores() {
      const store = await DatabaseResilienceStore.create({
        database: { getClient: async () => knex, migrations: { skip: true } },
      });
      const refs = entities.map(e => `component:default/${e.metadata.name}`);
      for (let attempt = 0; attempt < 300; attempt++) {
        const scores = await store.listEntityScores({ entityRefs: refs });
        if (scores.length === refs.length && scores[0].score !== null) {
          return scores;
        }
        await new Promise(r => setTimeout(r, 100));
      }
      return store.listEntityScores({ entityRefs: refs });
    }

    it('scores an entity by pillar, with the checks of other modules, and explains each', async () => {
      await storedScores();
      const res = await request(server).get(
        '/api/resilience/entities/component/default/ledger/score',
      );
      expect(res.status).toBe(200);
      const body = res.body as EntityScoreResponse;
      expect(body).toMatchObject({
        entityRef: 'component:default/ledger',
        tier: 'standard',
        gradeBounds: { A: 90, B: 80, C: 70, D: 60, E: 50 },
      });
      const pillar = (id: string) => body.pillars.find(p => p.pillar === id)!;
      // Six backup checks, all met.
      expect(pillar('backups')).toMatchObject({
        score: 100,
        counts: { pass: 6 },
      });
      // Never restore-tested (a failure), no RTO set, and the added check after the built-in ones.
      expect(
        pillar('recovery').checks.map(c => [c.id, c.state, c.message]),
      ).toEqual([
        [
          'recovery.restore-test-age',
          'fail',
          'No restore test has been run: run one from this tab to prove that a backup restores.',
        ],
        ['recovery.rto', 'not-applicable', expect.any(String)],
        [
          'acme.runbook-linked',
          'fail',
          'No runbook: add the acme.io/runbook annotation.',
        ],
      ]);
      expect(pillar('recovery').score).toBe(0);
      // Nothing uploaded: the code-security checks are unknown, so the pillar has no score.
      expect(pillar('code-security')).toMatchObject({
        score: null,
        counts: { unknown: 4 },
      });
      const scored = body.pillars.filter(p => p.score !== null);
      const mean = Math.round(
        scored.reduce((sum, p) => sum + p.score!, 0) / scored.length,
      );
      expect(body.score).toBe(mean);
      // Today's point, stored by the recomputation after the collection.
      expect(body.history).toEqual([
        expect.objectContaining({
          date: body.generatedAt.slice(0, 10),
          score: body.score,
          grade: body.grade,
        }),
      ]);
    });

    it('leaves out what the tier excludes, saying so', async () => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/ledger-lab/score',
      );
      const body = res.body as EntityScoreResponse;
      expect(body.tier).toBe('lab');
      const recovery = body.pillars.find(p => p.pillar === 'recovery')!;
      expect(
        recovery.checks.find(c => c.id === 'acme.runbook-linked'),
      ).toMatchObject({
        state: 'not-applicable',
        message: expect.stringContaining('checks.exclude'),
      });
      expect(recovery.checks.map(c => c.state)).toEqual([
        'not-applicable',
        'not-applicable',
        'not-applicable',
      ]);
      expect(recovery.score).toBeNull();
      expect(body.score).toBe(100);
      expect(body.grade).toBe('A');
    });

    it('gives no grade to an entity without data, not an F', async () => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/docs/score?days=7',
      );
      const body = res.body as EntityScoreResponse;
      // Only the added check has something to say about it.
      expect(
        body.pillars.filter(p => p.score !== null).map(p => p.pillar),
      ).toEqual(['recovery']);
      const stored = await storedScores();
      expect(
        stored.find(s => s.entityRef === 'component:default/docs'),
      ).toMatchObject({ pillars: { backups: null, recovery: 0 } });
    });

    it('stores every entity score after the collection', async () => {
      const stored = await storedScores();
      expect(stored.map(s => s.entityRef).sort()).toEqual([
        'component:default/docs',
        'component:default/ledger',
        'component:default/ledger-lab',
      ]);
      const ledger = stored.find(
        s => s.entityRef === 'component:default/ledger',
      )!;
      const live = await request(server).get(
        '/api/resilience/entities/component/default/ledger/score',
      );
      expect(ledger).toMatchObject({
        score: live.body.score,
        grade: live.body.grade,
        pillars: { backups: 100, recovery: 0, certificates: null },
      });
    });

    it('recomputes the stored score of an entity when SARIF is uploaded for it', async () => {
      const before = (await storedScores()).find(
        s => s.entityRef === 'component:default/ledger',
      )!;
      const res = await request(server)
        .post('/api/resilience/sast/reports?entityRef=component:default/ledger')
        .set('Content-Type', 'application/sarif+json')
        .send(
          JSON.stringify({
            version: '2.1.0',
            runs: [
              {
                tool: { driver: { name: 'ESLint', version: '9.0.0' } },
                results: [
                  {
                    ruleId: 'no-eval',
                    level: 'error',
                    properties: { 'security-severity': '9.5' },
                    message: { text: 'eval' },
                    locations: [
                      {
                        physicalLocation: {
                          artifactLocation: { uri: 'src/a.ts' },
                          region: { startLine: 1 },
                        },
                      },
                    ],
                  },
                ],
              },
            ],
          }),
        );
      expect(res.status).toBe(201);
      const store = await DatabaseResilienceStore.create({
        database: { getClient: async () => knex, migrations: { skip: true } },
      });
      const [after] = await store.listEntityScores({
        entityRefs: ['component:default/ledger'],
      });
      expect(before.pillars['code-security']).toBeNull();
      // An open critical fails one check, two pass, and no tool is required: 2 of 3.
      expect(after.pillars['code-security']).toBe(67);
      expect(after.computedAt.getTime()).toBeGreaterThan(
        before.computedAt.getTime(),
      );
    });

    it('answers 400 for a days parameter out of range', async () => {
      const res = await request(server).get(
        '/api/resilience/entities/component/default/ledger/score?days=0',
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/days query parameter/);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'entity scores before the first collection, on %s',
  databaseId => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    let dir: string;
    let knex: Knex;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    // Tasks run only when the test triggers them: the scores can be computed before the cluster
    // was ever collected, as on a portal whose first collection has not finished.
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(options: {
        includeInitialDelayedTasksOnStartup?: boolean;
      }): ServiceFactory<SchedulerService>;
    };

    beforeAll(async () => {
      ({ emulator, dir, knex, server } = await startScoresBackend({
        databaseId,
        scheduler: scheduler.factory({
          includeInitialDelayedTasksOnStartup: false,
        }),
      }));
    });

    afterAll(async () => {
      await emulator?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const stored = async () =>
      (
        await DatabaseResilienceStore.create({
          database: { getClient: async () => knex, migrations: { skip: true } },
        })
      ).listEntityScores({
        entityRefs: entities.map(e => `component:default/${e.metadata.name}`),
      });
    const scoreOf = async (name: string) => {
      const res = await request(server).get(
        `/api/resilience/entities/component/default/${name}/score`,
      );
      expect(res.status).toBe(200);
      return res.body as EntityScoreResponse;
    };

    it('says unknown, not "no claims", and stores no score until the cluster was collected', async () => {
      await scheduler.triggerTask('resilience-scores');
      // Only the entity that maps to no Kubernetes object needs no collection.
      expect((await stored()).map(s => s.entityRef)).toEqual([
        'component:default/docs',
      ]);

      const before = await scoreOf('ledger');
      const checks = before.pillars.flatMap(p => p.checks);
      for (const id of [...BACKUP_CHECK_IDS, ...RECOVERY_CHECK_IDS]) {
        expect(checks.find(c => c.id === id)).toMatchObject({
          state: 'unknown',
          message: expect.stringContaining(
            'have not been collected yet from cluster emulated',
          ),
        });
      }
      expect(JSON.stringify(checks)).not.toMatch(/nothing to back up/);
      expect(
        before.pillars.find(p => p.pillar === 'backups')!.score,
      ).toBeNull();
      // Shown, not stored: the history has no point from before the collection.
      expect(before.history).toEqual([]);

      await scheduler.triggerTask('resilience-collect-emulated');
      for (let attempt = 0; attempt < 300; attempt++) {
        if ((await stored()).length === entities.length) break;
        await scheduler.triggerTask('resilience-scores').catch(() => {});
        await new Promise(r => setTimeout(r, 100));
      }
      const after = await scoreOf('ledger');
      const ledger = (await stored()).find(
        s => s.entityRef === 'component:default/ledger',
      );
      expect(ledger).toMatchObject({
        score: after.score,
        pillars: { backups: 100 },
      });
      expect(after.history).toEqual([
        expect.objectContaining({
          date: after.generatedAt.slice(0, 10),
          score: after.score,
        }),
      ]);
    });
  },
);

describe('start-up with scoring config', () => {
  it.each<[string, object, ReturnType<typeof createBackendModule>[], RegExp]>([
    [
      'a tier excluding a check that does not exist',
      {
        policies: {
          tiers: {
            lab: {
              rpo: '1d',
              retention: '7d',
              checks: { exclude: ['acme.runbok-linked'] },
            },
          },
        },
      },
      [acmeChecks],
      /resilience\.policies\.tiers\.lab\.checks\.exclude names "acme\.runbok-linked"/,
    ],
    [
      'two modules adding one id',
      {},
      [
        acmeChecks,
        createBackendModule({
          pluginId: 'resilience',
          moduleId: 'copy',
          register(env) {
            env.registerInit({
              deps: { checks: resilienceChecksExtensionPoint },
              async init({ checks }) {
                checks.addChecks(runbookCheck);
              },
            });
          },
        }),
      ],
      /Two checks of the Resilience plugin have the id "acme\.runbook-linked"/,
    ],
    [
      'grade bounds out of order',
      { scoring: { grades: { A: 50 } } },
      [],
      /resilience\.scoring\.grades\.B is 80/,
    ],
  ])('fails on %s, naming it', async (_, resilience, modules, message) => {
    await expect(
      startTestBackend({
        features: [
          resiliencePlugin,
          ...modules,
          catalogServiceMock.factory({ entities }),
          mockServices.rootConfig.factory({
            data: { resilience: { clusters: [], ...resilience } },
          }),
        ],
      }),
    ).rejects.toThrow(message);
  });
});
