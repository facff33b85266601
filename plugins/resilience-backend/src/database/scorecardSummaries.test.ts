import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  Grade,
  gradeOf,
} from '@resilience-for-backstage/plugin-resilience-common';
import { Knex } from 'knex';
import { readTeamScorecardQuery } from '../service/scorecardQuery';
import { GradeCount } from '../service/scorecardStats';
import { DatabaseResilienceStore } from './DatabaseResilienceStore';
import { OwnershipMap } from './ownership';
import { dayOf } from './rows';
import { StoredEntityScore } from './ResilienceStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  return { knex, store };
}

const ref = (name: string) => `component:default/${name}`;
const groupKey = (name: string) => `group:default/${name}`;

/** A map of groups (name → parent) and entities (name → owners). */
function mapOf(
  parents: Record<string, string | undefined>,
  owners: Record<string, string[]>,
): OwnershipMap {
  const below = (name: string): string[] => [
    name,
    ...Object.keys(parents)
      .filter(child => parents[child] === name)
      .flatMap(below),
  ];
  return {
    entities: Object.entries(owners).map(([name, keys]) => ({
      entityRef: ref(name),
      kind: 'Component',
      nameKey: name,
      ownerKeys: keys.map(groupKey),
    })),
    groups: Object.keys(parents).map(name => ({
      groupKey: groupKey(name),
      groupRef: `group:default/${name}`,
      memberKeys: below(name).map(groupKey),
    })),
  };
}

function score(
  name: string,
  at: string,
  value: number | null,
): StoredEntityScore {
  return {
    entityRef: ref(name),
    score: value,
    grade: gradeOf(value),
    pillars: {
      backups: value,
      recovery: null,
      certificates: null,
      'code-security': null,
    },
    computedAt: new Date(at),
  };
}

const gradeText = (c: GradeCount) => c.grade ?? '';
const sorted = (counts: GradeCount[]) =>
  [...counts].sort((a, b) => gradeText(a).localeCompare(gradeText(b)));
const byDateAndGrade = (
  a: GradeCount & { date: string },
  b: GradeCount & { date: string },
) => a.date.localeCompare(b.date) || gradeText(a).localeCompare(gradeText(b));

/**
 * What the summaries should say, counted here from the map, the latest scores and the daily
 * points, one entity at a time: the oracle the stored summaries are compared with.
 */
class Model {
  map: OwnershipMap = { entities: [], groups: [] };
  latest = new Map<string, StoredEntityScore>();
  points = new Map<string, StoredEntityScore>();

  save(scores: StoredEntityScore[]) {
    for (const s of scores) {
      const known = this.latest.get(s.entityRef);
      if (!known || known.computedAt <= s.computedAt) {
        this.latest.set(s.entityRef, s);
      }
      const key = `${s.entityRef}|${dayOf(s.computedAt)}`;
      const point = this.points.get(key);
      if (!point || point.computedAt <= s.computedAt) this.points.set(key, s);
    }
  }

  delete(refs: string[]) {
    for (const r of refs) this.latest.delete(r);
  }

  /** The entities a group owns, itself or through the groups below it. */
  owned(key: string): string[] {
    const members = this.map.groups.find(g => g.groupKey === key)!.memberKeys;
    return this.map.entities
      .filter(e => e.ownerKeys.some(o => members.includes(o)))
      .map(e => e.entityRef);
  }

  static counts(
    items: Array<{ score: number | null; grade: Grade | null }>,
  ): GradeCount[] {
    const byGrade = new Map<Grade | null, GradeCount>();
    for (const { score: value, grade } of items) {
      const count = byGrade.get(grade) ?? {
        grade,
        count: 0,
        sum: 0,
        scored: 0,
      };
      count.count += 1;
      if (value !== null) {
        count.scored += 1;
        count.sum += value;
      }
      byGrade.set(grade, count);
    }
    return sorted([...byGrade.values()]);
  }

  team(key: string) {
    const refs = this.owned(key);
    return {
      counts: Model.counts(
        refs.map(r => this.latest.get(r) ?? { score: null, grade: null }),
      ),
      trend: this.trend(refs),
    };
  }

  organisation() {
    const refs = this.map.entities.map(e => e.entityRef);
    return {
      teams: this.map.groups
        .filter(g => this.owned(g.groupKey).length > 0)
        .map(g => ({
          groupRef: g.groupRef,
          counts: this.team(g.groupKey).counts,
        }))
        .sort((a, b) => a.groupRef.localeCompare(b.groupRef)),
      counts: Model.counts(
        refs.flatMap(r => (this.latest.has(r) ? [this.latest.get(r)!] : [])),
      ),
      trend: this.trend(refs),
    };
  }

  trend(refs: string[]) {
    const days = new Map<string, StoredEntityScore[]>();
    for (const [key, point] of this.points) {
      const [entityRef, day] = key.split('|');
      if (refs.includes(entityRef)) {
        days.set(day, [...(days.get(day) ?? []), point]);
      }
    }
    return [...days]
      .flatMap(([date, points]) =>
        Model.counts(points).map(c => ({ ...c, date })),
      )
      .sort(byDateAndGrade);
  }
}

const SINCE = new Date('2026-01-01T00:00:00Z');

async function stored(store: DatabaseResilienceStore, groups: string[]) {
  const teams: Record<string, unknown> = {};
  for (const key of groups) {
    const found = await store.queryTeamScorecard({
      groupKey: key,
      query: readTeamScorecardQuery({}),
      since: SINCE,
    });
    teams[key] = {
      counts: sorted(found.counts),
      trend: [...found.trend].sort(byDateAndGrade),
    };
  }
  const org = await store.queryOrganisationScorecard({ since: SINCE });
  return {
    teams,
    organisation: {
      teams: org.teams
        .map(t => ({ groupRef: t.groupRef, counts: sorted(t.counts) }))
        .sort((a, b) => a.groupRef.localeCompare(b.groupRef)),
      counts: sorted(org.counts),
      trend: [...org.trend].sort(byDateAndGrade),
    },
  };
}

function expected(model: Model, groups: string[]) {
  const teams: Record<string, unknown> = {};
  for (const key of groups) {
    teams[key] = model.map.groups.some(g => g.groupKey === key)
      ? model.team(key)
      : { counts: [], trend: [] };
  }
  return { teams, organisation: model.organisation() };
}

/** The statements that write the stored summaries, while `run` runs. */
async function summaryWrites(knex: Knex, run: () => Promise<unknown>) {
  const writes: string[] = [];
  const listener = (query: { sql: string }) => {
    if (
      /^(insert|delete|update)/i.test(query.sql.trim()) &&
      /resilience_(scorecard_counts|scorecard_trend|group_entities|owned_entities)/.test(
        query.sql,
      )
    ) {
      writes.push(query.sql);
    }
  };
  knex.on('query', listener);
  try {
    await run();
  } finally {
    knex.off('query', listener);
  }
  return writes;
}

describe.each(databases.eachSupportedId())(
  'the stored scorecard summaries, on %s',
  databaseId => {
    const parents = {
      org: undefined,
      payments: 'org',
      shop: 'org',
      checkout: 'shop',
      ops: undefined,
      empty: 'ops',
    };
    const owners = {
      ledger: ['payments'],
      refunds: ['payments'],
      cart: ['shop'],
      basket: ['checkout'],
      pay: ['checkout', 'payments'],
      pager: ['ops'],
      orphan: ['nobody'],
    };
    const allGroups = Object.keys(parents).map(groupKey);

    it('say what counting the map, the scores and the points afresh says, through every kind of change', async () => {
      const { store } = await createStore(databaseId);
      const model = new Model();
      const check = async () =>
        expect(await stored(store, allGroups)).toEqual(
          expected(model, allGroups),
        );
      const save = async (scores: StoredEntityScore[]) => {
        model.save(scores);
        await store.saveEntityScores(scores);
        await check();
      };

      // Scores before any map: counted once the map comes.
      await save([score('ledger', '2026-03-01T08:00:00Z', 91)]);
      model.map = mapOf(parents, owners);
      await store.replaceOwnershipMap(
        model.map,
        new Date('2026-03-01T09:00:00Z'),
      );
      await check();
      expect(model.team(groupKey('org')).counts.length).toBeGreaterThan(0);

      await save([
        score('refunds', '2026-03-01T10:00:00Z', 55),
        score('cart', '2026-03-01T10:00:00Z', null),
        score('pay', '2026-03-01T10:00:00Z', 72),
        score('pager', '2026-03-01T10:00:00Z', 30),
        score('orphan', '2026-03-01T10:00:00Z', 99),
      ]);
      // A new grade, a later point of the same day, and a computation saved late that loses.
      await save([
        score('ledger', '2026-03-01T12:00:00Z', 40),
        score('pay', '2026-03-01T09:00:00Z', 10),
      ]);
      // The next day: new points, the latest scores move on.
      await save([
        score('ledger', '2026-03-02T08:00:00Z', 88),
        score('basket', '2026-03-02T08:00:00Z', 65),
        score('cart', '2026-03-02T08:00:00Z', 77),
      ]);
      // Scores deleted: gone from the counts, their points stay in the trend.
      model.delete([ref('refunds'), ref('pager')]);
      await store.deleteEntityScores({
        entityRefs: [ref('refunds'), ref('pager')],
      });
      await check();

      // The map changes: an owner moves, a group moves, an entity leaves the catalog.
      const { ledger: _gone, ...rest } = owners;
      model.map = mapOf(
        { ...parents, checkout: 'org', empty: 'payments' },
        { ...rest, cart: ['ops'], orphan: ['empty'] },
      );
      await store.replaceOwnershipMap(
        model.map,
        new Date('2026-03-02T09:00:00Z'),
      );
      await check();
      await save([score('orphan', '2026-03-02T10:00:00Z', 20)]);
    });

    it('writes nothing of them for a score or a map that did not change', async () => {
      const { knex, store } = await createStore(databaseId);
      const map = mapOf(parents, owners);
      await store.replaceOwnershipMap(map, new Date('2026-03-01T09:00:00Z'));
      const scores = [
        score('ledger', '2026-03-01T10:00:00Z', 91),
        score('cart', '2026-03-01T10:00:00Z', 50),
      ];
      expect(
        await summaryWrites(knex, () => store.saveEntityScores(scores)),
      ).not.toEqual([]);

      // The same scores later the same day: only computed_at moves.
      const again = scores.map(s => ({
        ...s,
        computedAt: new Date('2026-03-01T11:00:00Z'),
      }));
      expect(
        await summaryWrites(knex, () => store.saveEntityScores(again)),
      ).toEqual([]);
      // The same map, listed in another order.
      const reordered: OwnershipMap = {
        entities: [...map.entities].reverse(),
        groups: [...map.groups].reverse(),
      };
      const at = new Date('2026-03-01T12:00:00Z');
      expect(
        await summaryWrites(knex, () =>
          store.replaceOwnershipMap(reordered, at),
        ),
      ).toEqual([]);
      expect(await store.ownershipMapRefreshedAt()).toEqual(at);

      // One score changes: its groups and the organisation are written again, the others not.
      const writes = await summaryWrites(knex, () =>
        store.saveEntityScores([score('cart', '2026-03-01T13:00:00Z', 20)]),
      );
      expect(writes.length).toBeGreaterThan(0);
      expect(
        (
          await store.queryTeamScorecard({
            groupKey: groupKey('shop'),
            query: readTeamScorecardQuery({}),
            since: SINCE,
          })
        ).counts,
      ).toEqual([
        // basket and pay, through checkout
        { grade: null, count: 2, sum: 0, scored: 0 },
        { grade: 'F', count: 1, sum: 20, scored: 1 },
      ]);
    });

    it('stay right when replicas save scores of the same groups at once', async () => {
      const { store } = await createStore(databaseId);
      const model = new Model();
      model.map = mapOf(parents, owners);
      await store.replaceOwnershipMap(
        model.map,
        new Date('2026-03-01T09:00:00Z'),
      );
      const batches = Object.keys(owners).map((name, i) => [
        score(name, '2026-03-01T10:00:00Z', 10 * i),
      ]);
      for (const batch of batches) model.save(batch);
      await Promise.all(batches.map(batch => store.saveEntityScores(batch)));
      expect(await stored(store, allGroups)).toEqual(
        expected(model, allGroups),
      );
    });
  },
);
