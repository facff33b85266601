import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  PillarId,
  PILLARS,
  ScorecardEntity,
  TeamScorecardResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceStore,
  StoredEntityScore,
} from '../database/ResilienceStore';
import { readGroupDescendants, refKey } from './groupHierarchy';
import { nameKeyOf } from './ownershipMap';
import { readOwnedEntities } from './ownedEntities';
import { TeamScorecardQuery } from './scorecardQuery';
import {
  dailyTrend,
  dailyTrendOfCounts,
  summarise,
  summariseCounts,
  trendStart,
} from './scorecardStats';

/** Every pillar without a score: an entity never scored. */
function noPillars(): Record<PillarId, number | null> {
  return Object.fromEntries(PILLARS.map(p => [p.id, null])) as Record<
    PillarId,
    number | null
  >;
}

const text = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

/** An entity of a scorecard, from its latest stored score, if it has one. */
export function scorecardEntity(
  entity: Entity,
  stored: StoredEntityScore | undefined,
): ScorecardEntity {
  return {
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title,
    kind: entity.kind,
    type: text(entity.spec?.type),
    owner: text(entity.spec?.owner),
    score: stored?.score ?? null,
    grade: stored?.grade ?? null,
    pillars: stored ? { ...noPillars(), ...stored.pillars } : noPillars(),
    computedAt: stored?.computedAt.toISOString(),
  };
}

/**
 * The order of a team's entities: by score, a pillar's score or name, ascending or descending;
 * those without the score sorted on last either way; ties by name, then reference, so that
 * pages never overlap.
 */
export function compareScorecardRows(
  query: Pick<TeamScorecardQuery, 'sort' | 'order'>,
) {
  const direction = query.order === 'asc' ? 1 : -1;
  const value = (row: ScorecardRow): number | null => {
    if (query.sort === 'score') return row.item.score;
    if (query.sort === 'name') return null;
    return row.item.pillars[query.sort];
  };
  return (a: ScorecardRow, b: ScorecardRow): number => {
    const byName =
      a.name.localeCompare(b.name) ||
      a.item.entityRef.localeCompare(b.item.entityRef);
    if (query.sort === 'name') return direction * byName;
    const [va, vb] = [value(a), value(b)];
    if (va === null || vb === null) {
      return (va === null ? 1 : 0) - (vb === null ? 1 : 0) || byName;
    }
    return direction * (va - vb) || byName;
  };
}

/** One entity of a team, with what it is sorted by. */
export interface ScorecardRow {
  item: ScorecardEntity;
  name: string;
}

/** Whether an entity passes the grade and pillar filters. */
function passes(row: ScorecardRow, query: TeamScorecardQuery): boolean {
  const { item } = row;
  if (query.grades && !query.grades.includes(item.grade ?? 'none')) {
    return false;
  }
  return !query.pillar || item.pillars[query.pillar] !== null;
}

/**
 * The group, as the caller may read it.
 *
 * @throws NotFoundError when the catalog has no such group, or the caller may not read it.
 */
export async function readableGroup(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  group: CompoundEntityRef;
  readEntity?: (ref: CompoundEntityRef) => Promise<Entity | undefined>;
}): Promise<Entity> {
  const group = options.readEntity
    ? await options.readEntity(options.group)
    : await options.catalog.getEntityByRef(options.group, {
        credentials: options.credentials,
      });
  if (!group || group.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new NotFoundError(
      `No group ${stringifyEntityRef(
        options.group,
      )} in the catalog, or you may not read it; check the namespace and name`,
    );
  }
  return group;
}

/** What a team's scorecard is read with. */
export interface TeamScorecardOptions {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  store: ResilienceStore;
  group: CompoundEntityRef;
  /**
   * Reads the group as the caller may, when not straight from `catalog` (the router keeps the
   * catalog's answers for a short time).
   */
  readEntity?: (ref: CompoundEntityRef) => Promise<Entity | undefined>;
  query: TeamScorecardQuery;
  now: Date;
}

/**
 * The scorecard of a group: the entities it and the groups below it own, that the caller may
 * read, with their latest scores, one page of them filtered and sorted, and the summary and
 * daily trend of all of them.
 *
 * @throws NotFoundError when the catalog has no such group, or the caller may not read it.
 */
export async function teamScorecard(
  options: TeamScorecardOptions,
): Promise<TeamScorecardResponse> {
  const { catalog, credentials, store, query, now } = options;
  const group = await readableGroup(options);
  const groups = (
    await readGroupDescendants({ catalog, credentials, group })
  ).map(g => stringifyEntityRef(g));
  const entities = await readOwnedEntities({
    catalog,
    credentials,
    owners: groups,
  });
  const entityRefs = entities.map(e => stringifyEntityRef(e));
  const scores = new Map(
    (await store.listEntityScores({ entityRefs })).map(s => [s.entityRef, s]),
  );
  const rows: ScorecardRow[] = entities.map(entity => {
    const item = scorecardEntity(
      entity,
      scores.get(stringifyEntityRef(entity)),
    );
    return { item, name: nameKeyOf(entity) };
  });
  const selected = rows
    .filter(row => passes(row, query))
    .sort(compareScorecardRows(query));
  const history = await store.listEntityScoreHistory({
    entityRefs,
    since: trendStart({ days: query.days, now }),
  });
  return {
    groupRef: groups[0],
    groups,
    items: selected
      .slice(query.offset, query.offset + query.limit)
      .map(row => row.item),
    total: selected.length,
    offset: query.offset,
    limit: query.limit,
    ...summarise(rows.map(row => row.item)),
    trend: dailyTrend({ points: history, days: query.days, now }),
  };
}

/**
 * The scorecard of a group for a caller who may read the whole catalog ({@link readsWholeCatalog})
 * and was found to read the group ({@link readableGroup}): the same as {@link teamScorecard},
 * from the stored ownership map and scores, filtered, sorted, paged and summarised in SQL; the
 * same for every such caller.
 */
export async function storedTeamScorecardOf(options: {
  store: ResilienceStore;
  groupRef: string;
  query: TeamScorecardQuery;
  now: Date;
}): Promise<TeamScorecardResponse> {
  const { store, query, now, groupRef } = options;
  const groupKey = refKey(groupRef);
  const [below, page] = await Promise.all([
    store.teamGroupRefs(groupKey),
    store.queryTeamScorecard({
      groupKey,
      query,
      since: trendStart({ days: query.days, now }),
    }),
  ]);
  return {
    groupRef,
    groups: [groupRef, ...below.filter(ref => refKey(ref) !== groupKey).sort()],
    items: page.items.map(row => ({
      entityRef: row.entityRef,
      title: row.title,
      kind: row.kind,
      type: row.type,
      owner: row.owner,
      score: row.score?.score ?? null,
      grade: row.score?.grade ?? null,
      pillars: row.score
        ? { ...noPillars(), ...row.score.pillars }
        : noPillars(),
      computedAt: row.computedAt?.toISOString(),
    })),
    total: page.total,
    offset: query.offset,
    limit: query.limit,
    ...summariseCounts(page.counts),
    trend: dailyTrendOfCounts({ counts: page.trend, days: query.days, now }),
  };
}
