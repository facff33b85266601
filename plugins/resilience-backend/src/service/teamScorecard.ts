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
import { readGroupDescendants } from './groupHierarchy';
import { readOwnedEntities } from './ownedEntities';
import { TeamScorecardQuery } from './scorecardQuery';
import { dailyTrend, summarise, trendStart } from './scorecardStats';

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

/** What a sort of `name` compares: the title, else the name, without regard to case. */
const nameOf = (entity: Entity) =>
  (entity.metadata.title ?? entity.metadata.name).toLocaleLowerCase('en-US');

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
 * The scorecard of a group: the entities it and the groups below it own, that the caller may
 * read, with their latest scores, one page of them filtered and sorted, and the summary and
 * daily trend of all of them.
 *
 * @throws NotFoundError when the catalog has no such group, or the caller may not read it.
 */
export async function teamScorecard(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  store: ResilienceStore;
  group: CompoundEntityRef;
  query: TeamScorecardQuery;
  now: Date;
}): Promise<TeamScorecardResponse> {
  const { catalog, credentials, store, query, now } = options;
  const group = await catalog.getEntityByRef(options.group, { credentials });
  if (!group || group.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new NotFoundError(
      `No group ${stringifyEntityRef(
        options.group,
      )} in the catalog, or you may not read it; check the namespace and name`,
    );
  }
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
    return { item, name: nameOf(entity) };
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
