/**
 * The ownership map and the scorecards read from it: which scored entities each group owns,
 * itself or through the groups below it, and the stored scores of those entities, summarised,
 * filtered, sorted and paged in SQL.
 */

import { Grade } from '@resilience-for-backstage/plugin-resilience-common';
import { Knex } from 'knex';
import { createHash } from 'crypto';
import { MAX_DAYS, TeamScorecardQuery } from '../service/scorecardQuery';
import { GradeCount, trendStart } from '../service/scorecardStats';
import {
  chunks,
  dayOf,
  PILLAR_COLUMNS,
  Row,
  scoreFromRow,
  toDate,
} from './rows';
import {
  changeScorecardsVersion,
  lockSummaries,
  NO_GRADE,
  ORGANISATION_SCOPE,
  rebuildSummaries,
} from './scorecardSummaries';

/** One scored entity with an owner, as the catalog showed it when the map was read. */
export interface OwnedEntity {
  entityRef: string;
  kind: string;
  title?: string;
  type?: string;
  owner?: string;
  /** What a sort by name compares: the title, else the name, in lower case. */
  nameKey: string;
  /** Its owners (the targets of its `ownedBy` relations), in lower case. */
  ownerKeys: string[];
}

/** One group, with every group at or below it (itself first), all in lower case. */
export interface MappedGroup {
  groupKey: string;
  groupRef: string;
  title?: string;
  memberKeys: string[];
}

export interface OwnershipMap {
  entities: OwnedEntity[];
  groups: MappedGroup[];
}

/** One entity of a page of a team's scorecard. */
export interface ScorecardEntityRow {
  entityRef: string;
  kind: string;
  title?: string;
  type?: string;
  owner?: string;
  score: ReturnType<typeof scoreFromRow> | undefined;
  computedAt?: Date;
}

const ROWS_PER_INSERT = 100;
const REFRESHED_SCOPE = 'ownership-map';

async function insertAll(db: Knex, table: string, rows: Row[]) {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await db(table).insert(rows.slice(i, i + ROWS_PER_INSERT));
  }
}

/** How many of `entityRefs` the stored map has (as it stores them, by `stringifyEntityRef`). */
export async function countMappedEntities(
  db: Knex,
  entityRefs: string[],
): Promise<number> {
  let found = 0;
  for (const refs of chunks([...new Set(entityRefs)])) {
    const [{ n }] = await db('resilience_owned_entities')
      .whereIn('entity_ref', refs)
      .count({ n: '*' });
    found += Number(n);
  }
  return found;
}

/** A digest of the map that does not depend on the order the catalog listed it in. */
export function ownershipMapDigest(map: OwnershipMap): string {
  // By code point: the same order whatever the locale.
  const order = (x: string, y: string) => (x < y ? -1 : Number(x > y));
  const byKey = <T>(items: T[], key: (item: T) => string) =>
    [...items].sort((a, b) => order(key(a), key(b)));
  const sorted = (values: string[]) => [...new Set(values)].sort();
  return createHash('sha256')
    .update(
      JSON.stringify([
        byKey(map.entities, e => e.entityRef).map(e => [
          e.entityRef,
          e.kind,
          e.title ?? null,
          e.type ?? null,
          e.owner ?? null,
          e.nameKey,
          sorted(e.ownerKeys),
        ]),
        byKey(map.groups, g => g.groupKey).map(g => [
          g.groupKey,
          g.groupRef,
          g.title ?? null,
          sorted(g.memberKeys),
        ]),
      ]),
    )
    .digest('hex');
}

/**
 * Replaces the whole map, and the scorecard summaries counted from it, in one transaction: a
 * scorecard read meanwhile sees the map before or after, never half of it. A map equal to the
 * stored one only moves the time it was read.
 */
export async function replaceOwnershipMap(
  db: Knex,
  map: OwnershipMap,
  at: Date,
): Promise<void> {
  const digest = ownershipMapDigest(map);
  await db.transaction(async trx => {
    await lockSummaries(trx);
    const stored = await trx('resilience_input_versions')
      .where({ scope: REFRESHED_SCOPE })
      .first('version');
    if (stored?.version !== digest) {
      await writeMap(trx, map);
      await rebuildSummaries(
        trx,
        dayOf(trendStart({ days: MAX_DAYS, now: at })),
      );
      await changeScorecardsVersion(trx, at);
    }
    // The version is the map's digest; changed_at when it was last read.
    await trx('resilience_input_versions')
      .insert({ scope: REFRESHED_SCOPE, version: digest, changed_at: at })
      .onConflict('scope')
      .merge(['version', 'changed_at']);
  });
}

async function writeMap(trx: Knex.Transaction, map: OwnershipMap) {
  for (const table of [
    'resilience_group_members',
    'resilience_groups',
    'resilience_entity_owners',
    'resilience_owned_entities',
  ]) {
    await trx(table).delete();
  }
  await insertAll(
    trx,
    'resilience_owned_entities',
    map.entities.map(e => ({
      entity_ref: e.entityRef,
      kind: e.kind,
      title: e.title ?? null,
      type: e.type ?? null,
      owner: e.owner ?? null,
      name_key: e.nameKey,
    })),
  );
  await insertAll(
    trx,
    'resilience_entity_owners',
    map.entities.flatMap(e =>
      [...new Set(e.ownerKeys)].map(owner => ({
        entity_ref: e.entityRef,
        owner_key: owner,
      })),
    ),
  );
  await insertAll(
    trx,
    'resilience_groups',
    map.groups.map(g => ({
      group_key: g.groupKey,
      group_ref: g.groupRef,
      title: g.title ?? null,
    })),
  );
  await insertAll(
    trx,
    'resilience_group_members',
    map.groups.flatMap(g =>
      [...new Set(g.memberKeys)].map(member => ({
        ancestor_key: g.groupKey,
        group_key: member,
      })),
    ),
  );
}

/** When the map was last replaced; undefined before its first reading. */
export async function ownershipMapRefreshedAt(
  db: Knex,
): Promise<Date | undefined> {
  const row = await db('resilience_input_versions')
    .where({ scope: REFRESHED_SCOPE })
    .first();
  return toDate(row?.changed_at);
}

/** Grade counts from stored summary rows. */
function gradeCount(row: Row): GradeCount {
  return {
    grade: (row.grade === NO_GRADE ? null : row.grade) as Grade | null,
    count: Number(row.entities),
    sum: Number(row.total),
    scored: Number(row.scored),
  };
}

/** The stored counts by grade of a scope (a group key, or the organisation). */
function storedCounts(db: Knex, scope: string) {
  return db('resilience_scorecard_counts')
    .where({ scope })
    .select('grade', 'entities', 'scored', 'total');
}

/** The stored daily counts by grade of a scope from the day (UTC) of `since` on. */
function storedTrend(db: Knex, scope: string, since: Date) {
  return db('resilience_scorecard_trend')
    .where({ scope })
    .where('day', '>=', dayOf(since))
    .select('day', 'grade', 'entities', 'scored', 'total');
}

/** The groups at and below a group, by reference (the group itself among them). */
export async function teamGroupRefs(
  db: Knex,
  groupKey: string,
): Promise<string[]> {
  const rows = await db('resilience_group_members as m')
    .join('resilience_groups as g', 'g.group_key', 'm.group_key')
    .where('m.ancestor_key', groupKey)
    .select('g.group_ref');
  return rows.map(r => String(r.group_ref));
}

/**
 * One page of a team's scorecard, with the total of the filtered entities, the counts by grade
 * of all of them and of their daily points from the day (UTC) of `since` on.
 */
export async function queryTeamScorecard(
  db: Knex,
  options: { groupKey: string; query: TeamScorecardQuery; since: Date },
): Promise<{
  items: ScorecardEntityRow[];
  total: number;
  counts: GradeCount[];
  trend: Array<GradeCount & { date: string }>;
}> {
  const { groupKey, query } = options;
  const entities = () =>
    db('resilience_group_entities as g')
      .join('resilience_owned_entities as e', 'e.entity_ref', 'g.entity_ref')
      .leftJoin('resilience_entity_scores as s', 's.entity_ref', 'g.entity_ref')
      .where('g.group_key', groupKey);
  const filtered = () => {
    const q = entities();
    if (query.grades) {
      const grades = query.grades.filter(g => g !== 'none');
      const none = query.grades.includes('none');
      q.where(b => {
        if (grades.length > 0) b.orWhereIn('s.grade', grades);
        if (none) b.orWhereNull('s.grade');
      });
    }
    if (query.pillar) q.whereNotNull(`s.${PILLAR_COLUMNS[query.pillar]}`);
    return q;
  };
  // Names compare by code point on both databases: PostgreSQL's default collation would not.
  const byName =
    db.client.config.client === 'pg' ? 'e.name_key collate "C"' : 'e.name_key';
  const page = filtered().select(
    'e.entity_ref',
    'e.kind',
    'e.title',
    'e.type',
    'e.owner',
    's.score',
    's.grade',
    's.computed_at',
    ...Object.values(PILLAR_COLUMNS).map(c => `s.${c}`),
  );
  const direction = query.order === 'asc' ? 'asc' : 'desc';
  if (query.sort === 'name') {
    page
      .orderByRaw(`${byName} ${direction}`)
      .orderBy('e.entity_ref', direction);
  } else {
    const column =
      query.sort === 'score' ? 's.score' : `s.${PILLAR_COLUMNS[query.sort]}`;
    // Those without the value last in either order; ties by name, then reference.
    page
      .orderByRaw(`(${column} is null) asc`)
      .orderBy(column, direction)
      .orderByRaw(`${byName} asc`)
      .orderBy('e.entity_ref', 'asc');
  }
  const [rows, counts, trend] = await Promise.all([
    page.offset(query.offset).limit(query.limit),
    storedCounts(db, groupKey),
    storedTrend(db, groupKey, options.since),
  ]);
  // The total from the counts by grade, unless a pillar filters: those are not counted.
  let total: number;
  if (query.pillar) {
    const [{ n }] = await filtered().count({ n: '*' });
    total = Number(n);
  } else {
    const wanted = query.grades?.map((g): string =>
      g === 'none' ? NO_GRADE : g,
    );
    total = (counts as Row[])
      .filter(row => !wanted || wanted.includes(String(row.grade)))
      .reduce((n, row) => n + Number(row.entities), 0);
  }
  return {
    items: rows.map((row: Row) => ({
      entityRef: String(row.entity_ref),
      kind: String(row.kind),
      title: (row.title as string | null) ?? undefined,
      type: (row.type as string | null) ?? undefined,
      owner: (row.owner as string | null) ?? undefined,
      score: row.computed_at === null ? undefined : scoreFromRow(row),
      computedAt: toDate(row.computed_at),
    })),
    total,
    counts: counts.map(gradeCount),
    trend: trend.map((row: Row) => ({
      ...gradeCount(row),
      date: String(row.day),
    })),
  };
}

/**
 * The organisation: the counts by grade of the entities of each group that owns any (itself or
 * through the groups below it), of the stored scores of every owned entity, and of their daily
 * points from the day (UTC) of `since` on.
 */
export async function queryOrganisationScorecard(
  db: Knex,
  options: { since: Date },
): Promise<{
  teams: Array<{ groupRef: string; title?: string; counts: GradeCount[] }>;
  counts: GradeCount[];
  trend: Array<GradeCount & { date: string }>;
}> {
  const [byTeam, groups, counts, trend] = await Promise.all([
    db('resilience_scorecard_counts')
      .whereNot({ scope: ORGANISATION_SCOPE })
      .select('scope', 'grade', 'entities', 'scored', 'total'),
    db('resilience_groups').select('group_key', 'group_ref', 'title'),
    storedCounts(db, ORGANISATION_SCOPE),
    storedTrend(db, ORGANISATION_SCOPE, options.since),
  ]);
  const countsOf = new Map<string, GradeCount[]>();
  for (const row of byTeam as Row[]) {
    const key = String(row.scope);
    countsOf.set(key, [...(countsOf.get(key) ?? []), gradeCount(row)]);
  }
  return {
    teams: (groups as Row[])
      .filter(g => countsOf.has(String(g.group_key)))
      .map(g => ({
        groupRef: String(g.group_ref),
        title: (g.title as string | null) ?? undefined,
        counts: countsOf.get(String(g.group_key))!,
      })),
    counts: counts.map(gradeCount),
    trend: trend.map((row: Row) => ({
      ...gradeCount(row),
      date: String(row.day),
    })),
  };
}
