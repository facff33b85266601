/**
 * The stored summaries of the scorecards: each group's entities flattened (itself and the groups
 * below it), the counts by grade of those entities and of the organisation's, and the daily trend
 * of both. They are written in the transaction that changes their inputs (a score, a daily point,
 * the ownership map), so that a scorecard reads a few rows instead of counting per request.
 */

import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { chunks, Row } from './rows';

/** The scope of the organisation's summaries: no group key (a lower-case reference) is `*`. */
export const ORGANISATION_SCOPE = '*';

/** The stored grade of the entities (or points) without a score. */
export const NO_GRADE = '';

/** The PostgreSQL advisory lock that orders the writers of scores and summaries. */
const SUMMARIES_LOCK = 7_307_211_401;

/**
 * Orders this transaction after every other that writes scores or summaries, before it writes
 * anything itself (taken later, two writers could each hold what the other waits for). SQLite
 * has one writer at a time already.
 */
export async function lockSummaries(trx: Knex.Transaction): Promise<void> {
  if (trx.client.config.client === 'pg') {
    await trx.raw('select pg_advisory_xact_lock(?)', [SUMMARIES_LOCK]);
  }
}

/** Writes the flattened entities of every group again, from the stored map. */
export async function rebuildGroupEntities(trx: Knex.Transaction) {
  await trx('resilience_group_entities').delete();
  await trx
    .into(
      trx.raw('?? (??, ??)', [
        'resilience_group_entities',
        'group_key',
        'entity_ref',
      ]),
    )
    .insert(
      trx('resilience_group_members as m')
        .join('resilience_entity_owners as o', 'o.owner_key', 'm.group_key')
        .distinct('m.ancestor_key', 'o.entity_ref'),
    );
}

const COUNT_COLUMNS = ['scope', 'grade', 'entities', 'scored', 'total'];

/** The grade of a row, {@link NO_GRADE} for none: the same text in SELECT and GROUP BY. */
const gradeKey = (alias: string) => `coalesce(${alias}.grade, '')`;

/** Counts by grade of the rows of `alias` (the scores, or the points): grouped by the caller. */
function counted(db: Knex, alias: string) {
  return [
    db.raw(`${gradeKey(alias)} as grade`),
    db.raw('count(*) as entities'),
    db.raw(`count(${alias}.score) as scored`),
    db.raw(`coalesce(sum(${alias}.score), 0) as total`),
  ];
}

/**
 * Writes again the counts of the scopes (group keys, and maybe {@link ORGANISATION_SCOPE}); all
 * of them when `scopes` is undefined. A group counts every entity it owns, those without a score
 * among them; the organisation counts the stored scores of owned entities.
 */
async function refreshCounts(trx: Knex.Transaction, scopes?: string[]) {
  const table = 'resilience_scorecard_counts';
  const into = () =>
    trx.into(
      trx.raw(`?? (${COUNT_COLUMNS.map(() => '??').join(', ')})`, [
        table,
        ...COUNT_COLUMNS,
      ]),
    );
  const groups = (keys?: string[]) => {
    const q = trx('resilience_group_entities as g')
      .leftJoin('resilience_entity_scores as s', 's.entity_ref', 'g.entity_ref')
      .select('g.group_key', ...counted(trx, 's'))
      .groupBy('g.group_key')
      .groupByRaw(gradeKey('s'));
    return keys ? q.whereIn('g.group_key', keys) : q;
  };
  const organisation = () =>
    trx('resilience_entity_scores as s')
      .whereIn(
        's.entity_ref',
        trx('resilience_owned_entities').select('entity_ref'),
      )
      .select(trx.raw('? as scope', [ORGANISATION_SCOPE]), ...counted(trx, 's'))
      .groupByRaw(gradeKey('s'));
  if (!scopes) {
    await trx(table).delete();
    await into().insert(groups());
    await into().insert(organisation());
    return;
  }
  const keys = scopes.filter(s => s !== ORGANISATION_SCOPE);
  for (const chunk of chunks(keys)) {
    await trx(table).whereIn('scope', chunk).delete();
    await into().insert(groups(chunk));
  }
  if (scopes.includes(ORGANISATION_SCOPE)) {
    await trx(table).where({ scope: ORGANISATION_SCOPE }).delete();
    await into().insert(organisation());
  }
}

/**
 * Writes again the daily trend of the scopes on the days (`YYYY-MM-DD`); of every scope on every
 * day from `from` on when `scopes` is undefined.
 */
async function refreshTrend(
  trx: Knex.Transaction,
  options: { scopes?: string[]; days?: string[]; from?: string },
) {
  const table = 'resilience_scorecard_trend';
  const columns = ['scope', 'day', ...COUNT_COLUMNS.slice(1)];
  const into = () =>
    trx.into(
      trx.raw(`?? (${columns.map(() => '??').join(', ')})`, [
        table,
        ...columns,
      ]),
    );
  const onDays = (q: Knex.QueryBuilder, column: string) => {
    if (options.days) q.whereIn(column, options.days);
    if (options.from) q.where(column, '>=', options.from);
    return q;
  };
  const groups = (keys?: string[]) => {
    const q = trx('resilience_group_entities as g')
      .join(
        'resilience_entity_score_history as h',
        'h.entity_ref',
        'g.entity_ref',
      )
      .select('g.group_key', 'h.day', ...counted(trx, 'h'))
      .groupBy('g.group_key', 'h.day')
      .groupByRaw(gradeKey('h'));
    if (keys) q.whereIn('g.group_key', keys);
    return onDays(q, 'h.day');
  };
  const organisation = () =>
    onDays(
      trx('resilience_entity_score_history as h')
        .whereIn(
          'h.entity_ref',
          trx('resilience_owned_entities').select('entity_ref'),
        )
        .select(
          trx.raw('? as scope', [ORGANISATION_SCOPE]),
          'h.day',
          ...counted(trx, 'h'),
        )
        .groupBy('h.day')
        .groupByRaw(gradeKey('h')),
      'h.day',
    );
  const scopes = options.scopes;
  if (!scopes) {
    await onDays(trx(table).delete(), 'day');
    await into().insert(groups());
    await into().insert(organisation());
    return;
  }
  const keys = scopes.filter(s => s !== ORGANISATION_SCOPE);
  for (const chunk of chunks(keys)) {
    await onDays(trx(table).whereIn('scope', chunk).delete(), 'day');
    await into().insert(groups(chunk));
  }
  if (scopes.includes(ORGANISATION_SCOPE)) {
    await onDays(
      trx(table).where({ scope: ORGANISATION_SCOPE }).delete(),
      'day',
    );
    await into().insert(organisation());
  }
}

/** The scopes whose summaries count any of the entities. */
async function scopesOf(
  trx: Knex.Transaction,
  entityRefs: string[],
): Promise<string[]> {
  const scopes = new Set<string>();
  for (const refs of chunks([...new Set(entityRefs)])) {
    const rows = await trx('resilience_group_entities')
      .whereIn('entity_ref', refs)
      .distinct('group_key');
    for (const row of rows) scopes.add(String(row.group_key));
    if (!scopes.has(ORGANISATION_SCOPE)) {
      const owned = await trx('resilience_owned_entities')
        .whereIn('entity_ref', refs)
        .first('entity_ref');
      if (owned) scopes.add(ORGANISATION_SCOPE);
    }
  }
  return [...scopes];
}

/** Writes every summary again, from the stored map, scores and points; trends from `from` on. */
export async function rebuildSummaries(trx: Knex.Transaction, from: string) {
  await rebuildGroupEntities(trx);
  await refreshCounts(trx);
  await refreshTrend(trx, { from });
}

/**
 * Writes again the summaries that count entities whose score changed (`scored`), and the trends
 * of the days whose points of entities changed (`points`, by day).
 */
export async function refreshSummaries(
  trx: Knex.Transaction,
  changes: { scored: string[]; points: Map<string, string[]> },
) {
  if (changes.scored.length > 0) {
    const scopes = await scopesOf(trx, changes.scored);
    if (scopes.length > 0) await refreshCounts(trx, scopes);
  }
  for (const [day, refs] of changes.points) {
    const scopes = await scopesOf(trx, refs);
    if (scopes.length > 0) await refreshTrend(trx, { scopes, days: [day] });
  }
}

/** What a summary counts of a score or point: its score and grade. */
export const summaryKey = (row: Row) => `${row.score ?? ''}|${row.grade ?? ''}`;

/**
 * The score and grade of each of the entities' latest scores, or with `day`, of their points of
 * that day.
 */
export async function readSummaryKeys(
  trx: Knex.Transaction,
  entityRefs: string[],
  day?: string,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const refs of chunks(entityRefs)) {
    const query = day
      ? trx('resilience_entity_score_history').where({ day })
      : trx('resilience_entity_scores');
    const rows = await query
      .whereIn('entity_ref', refs)
      .select('entity_ref', 'score', 'grade');
    for (const row of rows) found.set(String(row.entity_ref), summaryKey(row));
  }
  return found;
}

/** The version of everything a whole-catalog scorecard shows: summaries, scores and map. */
const SCORECARDS_SCOPE = 'scorecards';

/**
 * Gives the scorecards a new version: in the transaction that changed a score, a point or the
 * map, so that an answer kept for the version before is not served again.
 */
export async function changeScorecardsVersion(
  trx: Knex.Transaction,
  at: Date,
): Promise<void> {
  await trx('resilience_input_versions')
    .insert({ scope: SCORECARDS_SCOPE, version: randomUUID(), changed_at: at })
    .onConflict('scope')
    .merge(['version', 'changed_at']);
}

/** The scorecards' current version; undefined before anything was stored. */
export async function scorecardsVersion(db: Knex): Promise<string | undefined> {
  const row = await db('resilience_input_versions')
    .where({ scope: SCORECARDS_SCOPE })
    .first('version');
  return row ? String(row.version) : undefined;
}
