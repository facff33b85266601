import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  gradeOf,
  OrganisationScorecardResponse,
  TeamScorecardResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import request from 'supertest';
import { DatabaseResilienceStore } from '../database/DatabaseResilienceStore';
import { StoredEntityScore } from '../database/ResilienceStore';
import { resiliencePlugin } from '../plugin';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const DAY = 86_400_000;

const ref = (kind: string, name: string) => `${kind}:default/${name}`;
const groupRef = (name: string) => ref('group', name);

/**
 * The groups, by parent. Both sides of each relation are written, as the catalog does, but for
 * platform-db: only platform names it as a child.
 */
const GROUPS: Record<string, { parent?: string; oneSided?: boolean }> = {
  org: {},
  platform: { parent: 'org' },
  'platform-db': { parent: 'platform', oneSided: true },
  payments: { parent: 'org' },
  empty: { parent: 'org' },
  secret: { parent: 'org' },
  newcomers: {},
  // A cycle: each is the other's parent.
  'loop-a': { parent: 'loop-b' },
  'loop-b': { parent: 'loop-a' },
};

function group(name: string): Entity {
  const { parent, oneSided } = GROUPS[name];
  const children = Object.entries(GROUPS)
    .filter(([, g]) => g.parent === name)
    .map(([child]) => groupRef(child));
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', title: `Team ${name}` },
    spec: { type: 'team', children: [] },
    relations: [
      ...(parent && !oneSided
        ? [{ type: 'childOf', targetRef: groupRef(parent) }]
        : []),
      ...children.map(targetRef => ({ type: 'parentOf', targetRef })),
    ],
  };
}

function component(name: string, owner: string, kind = 'Component'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', owner, lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: groupRef(owner) }],
  };
}

const entities: Entity[] = [
  ...Object.keys(GROUPS).map(group),
  component('ledger', 'payments'),
  component('gateway', 'payments'),
  component('billing', 'payments'),
  component('fraud', 'payments'),
  // Not scored, whatever it is owned by.
  component('payments-repo', 'payments', 'Location'),
  component('payments-system', 'payments', 'System'),
  component('operator', 'platform'),
  component('postgres', 'platform-db'),
  component('looped-a', 'loop-a'),
  component('looped-b', 'loop-b'),
  component('vault', 'secret'),
  component('fresh', 'newcomers'),
];

/** The catalog's methods each test called, by name. */
const catalogCalls: string[] = [];

/** What Bob may not read, as a permission policy would hide it. */
const HIDDEN_FROM_BOB = new Set([
  ref('component', 'fraud'),
  ref('component', 'vault'),
  groupRef('secret'),
]);

/**
 * A catalog that shows each user what they may read: every call is answered from the entities
 * visible to its credentials, which it must be given.
 */
function catalogWithVisibility(): CatalogService {
  const visibleTo = (credentials: BackstageCredentials | undefined) => {
    if (!credentials) {
      throw new Error('The catalog was asked without credentials');
    }
    const principal = credentials.principal as { userEntityRef?: string };
    return new InMemoryCatalogClient({
      entities: entities.filter(
        e =>
          principal.userEntityRef !== BOB ||
          !HIDDEN_FROM_BOB.has(stringifyEntityRef(e)),
      ),
    });
  };
  const methods = Object.getOwnPropertyNames(InMemoryCatalogClient.prototype);
  return Object.fromEntries(
    methods
      .filter(method => method !== 'constructor')
      .map(method => [
        method,
        (...args: unknown[]) => {
          const options = args[args.length - 1] as
            | { credentials?: BackstageCredentials }
            | undefined;
          catalogCalls.push(method);
          const client = visibleTo(options?.credentials) as unknown as Record<
            string,
            (...a: unknown[]) => unknown
          >;
          return client[method](...args);
        },
      ]),
  ) as unknown as CatalogService;
}

/**
 * The permission decisions that go with that catalog: Bob may read the catalog's entities on a
 * condition (as a policy that hides some from him decides), everyone else every entity.
 */
function permissionsWithVisibility(): PermissionsService {
  const isBob = (credentials: BackstageCredentials) =>
    (credentials.principal as { userEntityRef?: string }).userEntityRef === BOB;
  return {
    authorize: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(() =>
        isBob(credentials)
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: [BOB] },
              },
            }
          : { result: AuthorizeResult.ALLOW },
      ),
  } as PermissionsService;
}

const now = Date.now();

/** A score computed `daysAgo` days ago; its pillars: backups, recovery, certificates, code security. */
function stored(
  name: string,
  score: number | null,
  pillars: Array<number | null> = [score, null, null, null],
  daysAgo = 0,
): StoredEntityScore {
  return {
    entityRef: ref('component', name),
    score,
    grade: gradeOf(score),
    pillars: {
      backups: pillars[0],
      recovery: pillars[1],
      certificates: pillars[2],
      'code-security': pillars[3],
    },
    computedAt: new Date(now - daysAgo * DAY),
  };
}

const day = (daysAgo: number) =>
  new Date(now - daysAgo * DAY).toISOString().slice(0, 10);

describe.each(databases.eachSupportedId())(
  'team and organisation scorecards over HTTP, on %s',
  databaseId => {
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    let store: DatabaseResilienceStore;

    function get(path: string, user = ALICE) {
      return request(server)
        .get(`/api/resilience${path}`)
        .set('Authorization', mockCredentials.user.header(user));
    }

    async function team(
      name: string,
      query = '',
      user = ALICE,
    ): Promise<TeamScorecardResponse> {
      const res = await get(`/groups/default/${name}/scorecard${query}`, user);
      expect(res.status).toBe(200);
      return res.body;
    }

    const names = (body: TeamScorecardResponse) =>
      body.items.map(i => i.entityRef.replace('component:default/', ''));

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          resiliencePlugin,
          createServiceFactory({
            service: catalogServiceRef,
            deps: {},
            factory: () => catalogWithVisibility(),
          }),
          createServiceFactory({
            service: coreServices.permissions,
            deps: {},
            factory: () => permissionsWithVisibility(),
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: {} }),
        ],
      }));
      // The plugin has run its migrations: the same database, through a store of the test's own.
      store = await DatabaseResilienceStore.create({
        database: { getClient: async () => knex, migrations: { skip: true } },
      });
      await store.saveEntityScores([
        stored('ledger', 30, undefined, 2),
        stored('ledger', 35, undefined, 1),
        stored('fraud', 70, undefined, 1),
      ]);
      await store.saveEntityScores([
        stored('ledger', 40, [20, 60, null, 40]),
        stored('gateway', 95, [100, 90, 95, null]),
        stored('fraud', 72, [70, 80, 60, 80]),
        stored('operator', 85),
        stored('postgres', 55),
        stored('looped-a', 60),
        stored('looped-b', 80),
        stored('vault', 99),
        // Scored, without data.
        stored('fresh', null),
      ]);
    });

    it("lists the team's entities worst first, those without a score last, and summarises all of them", async () => {
      const body = await team('payments');
      expect(names(body)).toEqual(['ledger', 'fraud', 'gateway', 'billing']);
      expect(body).toMatchObject({
        groupRef: 'group:default/payments',
        groups: ['group:default/payments'],
        total: 4,
        offset: 0,
        limit: 25,
        meanScore: 69,
        distribution: { A: 1, B: 0, C: 1, D: 0, E: 0, F: 1, none: 1 },
      });
      expect(body.items[0]).toEqual({
        entityRef: 'component:default/ledger',
        kind: 'Component',
        type: 'service',
        owner: 'payments',
        score: 40,
        grade: 'F',
        pillars: {
          backups: 20,
          recovery: 60,
          certificates: null,
          'code-security': 40,
        },
        computedAt: new Date(now).toISOString(),
      });
      // Never scored: every value null, no time.
      expect(body.items[3]).toEqual({
        entityRef: 'component:default/billing',
        kind: 'Component',
        type: 'service',
        owner: 'payments',
        score: null,
        grade: null,
        pillars: {
          backups: null,
          recovery: null,
          certificates: null,
          'code-security': null,
        },
      });
    });

    it('pages, with the total and the summary over every entity', async () => {
      const first = await team('payments', '?limit=2');
      expect(names(first)).toEqual(['ledger', 'fraud']);
      const second = await team('payments', '?limit=2&offset=2');
      expect(names(second)).toEqual(['gateway', 'billing']);
      expect(second).toMatchObject({ total: 4, offset: 2, limit: 2 });
      expect(second.distribution).toEqual(first.distribution);
      expect(names(await team('payments', '?offset=4'))).toEqual([]);
    });

    it.each([
      ['?order=desc', ['gateway', 'fraud', 'ledger', 'billing']],
      ['?sort=name', ['billing', 'fraud', 'gateway', 'ledger']],
      ['?sort=name&order=desc', ['ledger', 'gateway', 'fraud', 'billing']],
      ['?sort=certificates', ['fraud', 'gateway', 'billing', 'ledger']],
      [
        '?sort=code-security&order=desc',
        ['fraud', 'ledger', 'billing', 'gateway'],
      ],
    ])('sorts %s', async (query, expected) => {
      expect(names(await team('payments', query))).toEqual(expected);
    });

    it('filters by grade and by pillar, the summary staying that of every entity', async () => {
      const aOrNone = await team('payments', '?grade=A,none');
      expect(names(aOrNone)).toEqual(['gateway', 'billing']);
      expect(aOrNone.total).toBe(2);
      expect(aOrNone.distribution).toMatchObject({ A: 1, C: 1, F: 1, none: 1 });
      expect(aOrNone.meanScore).toBe(69);
      expect(names(await team('payments', '?grade=f'))).toEqual(['ledger']);
      const withCertificates = await team('payments', '?pillar=certificates');
      expect(names(withCertificates)).toEqual(['fraud', 'gateway']);
      expect(withCertificates.total).toBe(2);
    });

    it('counts the entities of the groups below, through parentOf alone too', async () => {
      const platform = await team('platform');
      expect(platform.groups).toEqual([
        'group:default/platform',
        'group:default/platform-db',
      ]);
      expect(names(platform)).toEqual(['postgres', 'operator']);
      expect(platform.meanScore).toBe(70);

      const org = await team('org', '?sort=name');
      expect(org.groups).toEqual(
        ['org', 'empty', 'payments', 'platform', 'platform-db', 'secret'].map(
          groupRef,
        ),
      );
      expect(names(org)).toEqual([
        'billing',
        'fraud',
        'gateway',
        'ledger',
        'operator',
        'postgres',
        'vault',
      ]);
    });

    it('reads each group once in a cycle', async () => {
      const loop = await team('loop-b');
      expect(loop.groups).toEqual([groupRef('loop-b'), groupRef('loop-a')]);
      expect(names(loop)).toEqual(['looped-a', 'looped-b']);
      expect(loop.meanScore).toBe(70);
    });

    it("draws the team's daily trend from the history", async () => {
      const body = await team('payments', '?days=3');
      expect(body.trend).toEqual([
        {
          date: day(2),
          meanScore: 30,
          distribution: { A: 0, B: 0, C: 0, D: 0, E: 0, F: 1, none: 0 },
        },
        {
          date: day(1),
          meanScore: 52.5,
          distribution: { A: 0, B: 0, C: 1, D: 0, E: 0, F: 1, none: 0 },
        },
        {
          date: day(0),
          meanScore: 69,
          distribution: { A: 1, B: 0, C: 1, D: 0, E: 0, F: 1, none: 0 },
        },
      ]);
      expect((await team('payments')).trend).toHaveLength(90);
    });

    it('ranks the teams by mean score, those without one last, and summarises the organisation', async () => {
      const res = await get('/scorecard?days=2');
      expect(res.status).toBe(200);
      const body = res.body as OrganisationScorecardResponse;
      expect(
        body.teams.map(t => [
          t.groupRef.replace('group:default/', ''),
          t.entities,
          t.meanScore,
        ]),
      ).toEqual([
        ['secret', 1, 99],
        ['org', 7, 74.3],
        ['loop-a', 2, 70],
        ['loop-b', 2, 70],
        ['platform', 2, 70],
        ['payments', 4, 69],
        ['platform-db', 1, 55],
        ['newcomers', 1, null],
      ]);
      expect(body.teams[0]).toEqual({
        groupRef: 'group:default/secret',
        title: 'Team secret',
        entities: 1,
        meanScore: 99,
        distribution: { A: 1, B: 0, C: 0, D: 0, E: 0, F: 0, none: 0 },
      });
      // Over the stored scores: billing was never scored; fresh was, without data.
      expect(body.distribution).toEqual({
        A: 2,
        B: 2,
        C: 1,
        D: 1,
        E: 1,
        F: 1,
        none: 1,
      });
      expect(body.meanScore).toBe(73.3);
      expect(body.trend.map(p => [p.date, p.meanScore])).toEqual([
        [day(1), 52.5],
        [day(0), 73.3],
      ]);
      expect(body.trend[1].distribution).toEqual(body.distribution);
    });

    it('leaves out what the caller may not read, from the lists, the counts, the means and the trends', async () => {
      const payments = await team('payments', '?days=3', BOB);
      expect(names(payments)).toEqual(['ledger', 'gateway', 'billing']);
      expect(payments).toMatchObject({
        total: 3,
        meanScore: 67.5,
        distribution: { A: 1, C: 0, F: 1, none: 1 },
      });
      expect(payments.trend.map(p => p.meanScore)).toEqual([30, 35, 67.5]);
      expect(payments.trend[1].distribution.C).toBe(0);
      const grades = await team('payments', '?grade=C', BOB);
      expect(grades.total).toBe(0);

      const org = await team('org', '', BOB);
      expect(org.groups).not.toContain(groupRef('secret'));
      expect(org.total).toBe(5);

      const secret = await get('/groups/default/secret/scorecard', BOB);
      expect(secret.status).toBe(404);

      const res = await get('/scorecard?days=2', BOB);
      const body = res.body as OrganisationScorecardResponse;
      expect(
        body.teams.map(t => [
          t.groupRef.replace('group:default/', ''),
          t.entities,
          t.meanScore,
        ]),
      ).toEqual([
        ['loop-a', 2, 70],
        ['loop-b', 2, 70],
        ['platform', 2, 70],
        ['org', 5, 68.8],
        ['payments', 3, 67.5],
        ['platform-db', 1, 55],
        ['newcomers', 1, null],
      ]);
      expect(body.distribution).toEqual({
        A: 1,
        B: 2,
        C: 0,
        D: 1,
        E: 1,
        F: 1,
        none: 1,
      });
      expect(body.meanScore).toBe(69.2);
      expect(body.trend.map(p => p.meanScore)).toEqual([35, 69.2]);

      // Alice, who may read them, still sees them.
      expect(names(await team('payments'))).toContain('fraud');
    });

    it('answers one who may read the whole catalog from the stored ownership map, asking the catalog for the group alone', async () => {
      // The map is read once, at the first scorecard (here, an earlier test's).
      await team('payments');
      catalogCalls.length = 0;
      const payments = await team('platform', '?sort=name&limit=1');
      expect(names(payments)).toEqual(['operator']);
      expect(payments.total).toBe(2);
      const res = await get('/scorecard');
      expect(res.status).toBe(200);
      // The group alone, unless this caller's answer for it is still kept from an earlier test.
      expect(catalogCalls.every(call => call === 'getEntityByRef')).toBe(true);
      expect(catalogCalls.length).toBeLessThanOrEqual(1);
      // Kept now (resilience.entityCache.ttl): the next scorecard of it asks the catalog nothing.
      catalogCalls.length = 0;
      expect((await team('platform')).total).toBe(2);
      expect(catalogCalls).toEqual([]);
    });

    it('serves the whole-catalog scorecards again as kept until a score changes, on any replica', async () => {
      const platform = () => team('platform', '?sort=name');
      const operator = (body: TeamScorecardResponse) =>
        body.items.find(i => i.entityRef === 'component:default/operator');
      const platformRank = async () => {
        const res = await get('/scorecard');
        expect(res.status).toBe(200);
        return (res.body as OrganisationScorecardResponse).teams.find(
          t => t.groupRef === 'group:default/platform',
        );
      };
      const before = await platform();
      const rankBefore = await platformRank();
      const teamQueries = jest.spyOn(
        DatabaseResilienceStore.prototype,
        'queryTeamScorecard',
      );
      const organisationQueries = jest.spyOn(
        DatabaseResilienceStore.prototype,
        'queryOrganisationScorecard',
      );
      try {
        expect(await platform()).toEqual(before);
        expect(await platformRank()).toEqual(rankBefore);
        expect(teamQueries).not.toHaveBeenCalled();
        expect(organisationQueries).not.toHaveBeenCalled();

        // Written by a store of its own, as another replica would.
        await store.saveEntityScores([stored('operator', 10)]);
        const after = await platform();
        expect(operator(after)?.score).toBe(10);
        expect(after.meanScore).not.toBe(before.meanScore);
        expect((await platformRank())?.meanScore).toBe(after.meanScore);
        expect(teamQueries).toHaveBeenCalledTimes(1);
        expect(organisationQueries).toHaveBeenCalledTimes(1);
      } finally {
        teamQueries.mockRestore();
        organisationQueries.mockRestore();
        await store.saveEntityScores([stored('operator', 85)]);
      }
      expect(operator(await platform())?.score).toBe(85);
    });

    it("keeps the catalog's answer for an entity per caller, each caller only its own", async () => {
      catalogCalls.length = 0;
      for (let i = 0; i < 3; i++) {
        expect((await get('/entities/component/default/fraud')).status).toBe(
          200,
        );
        expect(
          (await get('/entities/component/default/fraud', BOB)).status,
        ).toBe(404);
      }
      // Once for Alice, once for Bob, within resilience.entityCache.ttl.
      expect(catalogCalls).toEqual(['getEntityByRef', 'getEntityByRef']);
    });

    it('serves a service principal what the catalog shows it', async () => {
      const res = await request(server)
        .get('/api/resilience/scorecard')
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
      expect(res.body.teams[0].groupRef).toBe('group:default/secret');
    });

    it.each([
      ['nobody', ''],
      // Not a group.
      ['ledger', ''],
    ])('answers 404 for the group %s', async (name, query) => {
      const res = await get(`/groups/default/${name}/scorecard${query}`);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        `No group group:default/${name} in the catalog, or you may not read it; check the namespace and name`,
      );
    });

    it.each([
      [
        'limit=201',
        /limit query parameter must be given once, as a whole number from 1 to 200/,
      ],
      ['offset=-1', /offset query parameter/],
      ['limit=1&limit=2', /limit query parameter must be given once/],
      ['sort=grade', /Unknown sort "grade"/],
      ['order=up', /Unknown order "up"/],
      ['grade=A,G', /Unknown grade "G"/],
      ['pillar=speed', /Unknown pillar "speed"/],
      ['days=366', /days query parameter .* from 1 to 365/],
    ])(
      'refuses %s with a message that says what to fix',
      async (query, message) => {
        const res = await get(`/groups/default/payments/scorecard?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(message);
      },
    );

    it('refuses a wrong number of days for the organisation', async () => {
      const res = await get('/scorecard?days=0');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/days query parameter/);
    });
  },
);
