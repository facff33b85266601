/**
 * The ownership map and the scorecards read from it: which scored entities each group owns,
 * itself or through the groups below it, and the stored scores of those entities, summarised,
 * filtered, sorted and paged in SQL.
 */

import { Grade } from '@resilience-for-backstage/plugin-resilience-common';
import { Knex } from 'knex';
import { TeamScorecardQuery } from '../service/scorecardQuery';
import { GradeCount } from '../service/scorecardStats';
import {
  chunks,
  dayOf,
  PILLAR_COLUMNS,
  Row,
  scoreFromRow,
  toDate,
} from './rows';

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

/**
 * Replaces the whole map in one transaction: a scorecard read meanwhile sees the map before or
 * after, never half of it.
 */
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

export async function replaceOwnershipMap(
  db: Knex,
  map: OwnershipMap,
  at: Date,
): Promise<void> {
  await db.transaction(async trx => {
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
    await trx('resilience_input_versions')
      .insert({
        scope: REFRESHED_SCOPE,
        version: at.toISOString(),
        changed_at: at,
      })
      .onConflict('scope')
      .merge(['version', 'changed_at']);
  });
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

/** The references of the entities a group owns, itself or through the groups below it. */
function teamEntityRefs(db: Knex, groupKey: string) {
  return db('resilience_entity_owners as o')
    .distinct('o.entity_ref')
    .join('resilience_group_members as m', 'm.group_key', 'o.owner_key')
    .where('m.ancestor_key', groupKey);
}

/** Grade counts from rows grouped by grade (and maybe by more). */
function gradeCount(row: Row): GradeCount {
  return {
    grade: (row.grade ?? null) as Grade | null,
    count: Number(row.n),
    sum: Number(row.total ?? 0),
    scored: Number(row.scored),
  };
}

/** Counts by grade of the query's rows: `s` the scores (or points) joined in. */
function countsByGrade(query: Knex.QueryBuilder, alias: string) {
  return query
    .count({ n: '*', scored: `${alias}.score` })
    .sum({ total: `${alias}.score` })
    .groupBy(`${alias}.grade`)
    .select(`${alias}.grade`);
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
    db('resilience_owned_entities as e')
      .leftJoin('resilience_entity_scores as s', 's.entity_ref', 'e.entity_ref')
      .whereIn('e.entity_ref', teamEntityRefs(db, groupKey));
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
  const [rows, [{ n: total }], counts, trend] = await Promise.all([
    page.offset(query.offset).limit(query.limit),
    filtered().count({ n: '*' }),
    countsByGrade(entities(), 's'),
    countsByGrade(
      db('resilience_entity_score_history as h')
        .whereIn('h.entity_ref', teamEntityRefs(db, groupKey))
        .where('h.day', '>=', dayOf(options.since)),
      'h',
    )
      .select('h.day')
      .groupBy('h.day'),
  ]);
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
    total: Number(total),
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
  const pairs = db('resilience_group_members as m')
    .join('resilience_entity_owners as o', 'o.owner_key', 'm.group_key')
    .distinct('m.ancestor_key', 'o.entity_ref')
    .as('t');
  const owned = db('resilience_owned_entities').select('entity_ref');
  const [byTeam, groups, counts, trend] = await Promise.all([
    countsByGrade(
      db
        .from(pairs)
        .leftJoin(
          'resilience_entity_scores as s',
          's.entity_ref',
          't.entity_ref',
        ),
      's',
    )
      .select('t.ancestor_key')
      .groupBy('t.ancestor_key'),
    db('resilience_groups').select('group_key', 'group_ref', 'title'),
    countsByGrade(
      db('resilience_entity_scores as s').whereIn(
        's.entity_ref',
        owned.clone(),
      ),
      's',
    ),
    countsByGrade(
      db('resilience_entity_score_history as h')
        .whereIn('h.entity_ref', owned.clone())
        .where('h.day', '>=', dayOf(options.since)),
      'h',
    )
      .select('h.day')
      .groupBy('h.day'),
  ]);
  const countsOf = new Map<string, GradeCount[]>();
  for (const row of byTeam as Row[]) {
    const key = String(row.ancestor_key);
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
