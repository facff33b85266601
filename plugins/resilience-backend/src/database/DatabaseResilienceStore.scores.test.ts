import { resolve } from 'node:path';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseResilienceStore } from './DatabaseResilienceStore';
import { gradeOf } from '@resilience-for-backstage/plugin-resilience-common';
import { StoredEntityScore } from './ResilienceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  return { knex, store };
}

const ledger = 'component:default/ledger';
const gateway = 'component:default/gateway';

function score(
  entityRef: string,
  computedAt: string,
  value: number | null,
  overrides: Partial<StoredEntityScore> = {},
): StoredEntityScore {
  return {
    entityRef,
    score: value,
    grade: gradeOf(value),
    pillars: {
      backups: value,
      recovery: null,
      certificates: value === null ? null : 100,
      'code-security': value === null ? null : 0,
    },
    computedAt: new Date(computedAt),
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'entity scores in the store, on %s',
  databaseId => {
    it('stores the latest score of each entity, replacing the one before', async () => {
      const { store } = await createStore(databaseId);
      await store.saveEntityScores([
        score(ledger, '2026-11-20T10:00:00Z', 72),
        score(gateway, '2026-11-20T10:00:00Z', 95),
      ]);
      await store.saveEntityScores([score(ledger, '2026-11-21T08:00:00Z', 91)]);
      expect(
        await store.listEntityScores({ entityRefs: [ledger, gateway] }),
      ).toEqual([
        score(gateway, '2026-11-20T10:00:00Z', 95),
        score(ledger, '2026-11-21T08:00:00Z', 91),
      ]);
    });

    it('leaves out an entity without a score', async () => {
      const { store } = await createStore(databaseId);
      await store.saveEntityScores([score(ledger, '2026-11-20T10:00:00Z', 72)]);
      expect(
        await store.listEntityScores({
          entityRefs: [gateway, ledger, 'component:default/never'],
        }),
      ).toEqual([score(ledger, '2026-11-20T10:00:00Z', 72)]);
      expect(await store.listEntityScores({ entityRefs: [] })).toEqual([]);
    });

    it('round-trips a score without data: every value null', async () => {
      const { store } = await createStore(databaseId);
      const empty = score(ledger, '2026-11-20T10:00:00Z', null);
      await store.saveEntityScores([empty]);
      expect(await store.listEntityScores({ entityRefs: [ledger] })).toEqual([
        empty,
      ]);
      expect(
        await store.listEntityScoreHistory({
          entityRefs: [ledger],
          since: new Date('2026-11-20T00:00:00Z'),
        }),
      ).toEqual([
        {
          entityRef: ledger,
          date: '2026-11-20',
          score: null,
          grade: null,
          pillars: {
            backups: null,
            recovery: null,
            certificates: null,
            'code-security': null,
          },
        },
      ]);
    });

    it("replaces the day's point by a later computation the same day, and adds one on another day", async () => {
      const { store } = await createStore(databaseId);
      await store.saveEntityScores([score(ledger, '2026-11-20T01:00:00Z', 50)]);
      await store.saveEntityScores([score(ledger, '2026-11-20T23:59:00Z', 72)]);
      await store.saveEntityScores([score(ledger, '2026-11-21T00:01:00Z', 91)]);
      const history = await store.listEntityScoreHistory({
        entityRefs: [ledger],
        since: new Date('2026-11-01T00:00:00Z'),
      });
      expect(history.map(p => [p.date, p.score, p.grade])).toEqual([
        ['2026-11-20', 72, 'C'],
        ['2026-11-21', 91, 'A'],
      ]);
      expect(history[0].pillars).toEqual({
        backups: 72,
        recovery: null,
        certificates: 100,
        'code-security': 0,
      });
    });

    it('keeps the newest computation when an older one is saved after it', async () => {
      const { store } = await createStore(databaseId);
      await store.saveEntityScores([score(ledger, '2026-11-20T12:00:00Z', 91)]);
      // From another replica, computed earlier, saved later.
      await store.saveEntityScores([score(ledger, '2026-11-20T11:00:00Z', 40)]);
      expect(
        (await store.listEntityScores({ entityRefs: [ledger] }))[0].score,
      ).toBe(91);
      expect(
        (
          await store.listEntityScoreHistory({
            entityRefs: [ledger],
            since: new Date('2026-11-20T00:00:00Z'),
          })
        ).map(p => p.score),
      ).toEqual([91]);
    });

    it('saves one entity twice in one call as its newest computation', async () => {
      const { store } = await createStore(databaseId);
      await store.saveEntityScores([
        score(ledger, '2026-11-20T12:00:00Z', 91),
        score(ledger, '2026-11-20T08:00:00Z', 40),
        score(ledger, '2026-11-19T08:00:00Z', 60),
      ]);
      expect(
        (await store.listEntityScores({ entityRefs: [ledger] }))[0].score,
      ).toBe(91);
      expect(
        (
          await store.listEntityScoreHistory({
            entityRefs: [ledger],
            since: new Date('2026-11-01T00:00:00Z'),
          })
        ).map(p => [p.date, p.score]),
      ).toEqual([
        ['2026-11-19', 60],
        ['2026-11-20', 91],
      ]);
    });

    it('reads the history of many entities from the day of `since` on, oldest first', async () => {
      const { store } = await createStore(databaseId);
      const refs = Array.from(
        { length: 1200 },
        (_, i) => `component:default/c${String(i).padStart(4, '0')}`,
      );
      for (const day of ['18', '19', '20']) {
        await store.saveEntityScores(
          refs.map((ref, i) => score(ref, `2026-11-${day}T06:00:00Z`, i % 101)),
        );
      }
      // Late in the 19th: the whole of the 19th counts.
      const history = await store.listEntityScoreHistory({
        entityRefs: refs,
        since: new Date('2026-11-19T22:00:00Z'),
      });
      expect(history).toHaveLength(2 * refs.length);
      expect(history[0]).toMatchObject({
        entityRef: refs[0],
        date: '2026-11-19',
      });
      expect(history[refs.length - 1]).toMatchObject({
        entityRef: refs[refs.length - 1],
        date: '2026-11-19',
      });
      expect(history[refs.length]).toMatchObject({
        entityRef: refs[0],
        date: '2026-11-20',
      });
      expect(
        history.filter(p => p.entityRef === refs[500]).map(p => p.score),
      ).toEqual([500 % 101, 500 % 101]);
      expect(await store.listEntityScores({ entityRefs: refs })).toHaveLength(
        refs.length,
      );
    });

    it('deletes the latest scores and leaves the history', async () => {
      const { store } = await createStore(databaseId);
      await store.saveEntityScores([
        score(ledger, '2026-11-20T10:00:00Z', 72),
        score(gateway, '2026-11-20T10:00:00Z', 95),
      ]);
      await store.deleteEntityScores({ entityRefs: [ledger] });
      await store.deleteEntityScores({ entityRefs: [] });
      expect(
        (await store.listEntityScores({ entityRefs: [ledger, gateway] })).map(
          s => s.entityRef,
        ),
      ).toEqual([gateway]);
      expect(
        (
          await store.listEntityScoreHistory({
            entityRefs: [ledger],
            since: new Date('2026-11-20T00:00:00Z'),
          })
        ).map(p => p.score),
      ).toEqual([72]);
    });

    it('migrates the score tables down, leaving the earlier ones', async () => {
      const { knex } = await createStore(databaseId);
      await knex.migrate.down({
        directory: resolve(__dirname, '../../migrations'),
        name: '20261125100000_entity_scores.js',
      });
      expect(await knex.schema.hasTable('resilience_entity_scores')).toBe(
        false,
      );
      expect(
        await knex.schema.hasTable('resilience_entity_score_history'),
      ).toBe(false);
      expect(await knex.schema.hasTable('resilience_sast_finding_spans')).toBe(
        true,
      );
    });
  },
);
