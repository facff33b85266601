import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  OrganisationScorecardResponse,
  TeamRanking,
} from '@resilience-for-backstage/plugin-resilience-common';
import { ResilienceStore } from '../database/ResilienceStore';
import {
  descendants,
  groupChildren,
  readGroups,
  refKey,
} from './groupHierarchy';
import { ownersOf, readOwnedEntities } from './ownedEntities';
import { groupTitle } from './ownershipMap';
import { OrganisationScorecardQuery } from './scorecardQuery';
import {
  dailyTrend,
  dailyTrendOfCounts,
  Scored,
  summarise,
  summariseCounts,
  trendStart,
} from './scorecardStats';

const NO_SCORE: Scored = { score: null, grade: null };

/**
 * The teams in order: the best mean score first, those without one last; ties by reference.
 */
export function compareTeams(a: TeamRanking, b: TeamRanking): number {
  if (a.meanScore === null || b.meanScore === null) {
    return (
      (a.meanScore === null ? 1 : 0) - (b.meanScore === null ? 1 : 0) ||
      a.groupRef.localeCompare(b.groupRef)
    );
  }
  return b.meanScore - a.meanScore || a.groupRef.localeCompare(b.groupRef);
}

/**
 * The organisation's scorecard, as the caller may see it: every group the caller may read that
 * owns an entity the caller may read (itself or through the groups below it), ranked by the mean
 * score of those entities; and the summary and daily trend of every owned entity the caller may
 * read.
 */
export async function organisationScorecard(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  store: ResilienceStore;
  query: OrganisationScorecardQuery;
  now: Date;
}): Promise<OrganisationScorecardResponse> {
  const { catalog, credentials, store, query, now } = options;
  const [groups, entities] = await Promise.all([
    readGroups({ catalog, credentials }),
    readOwnedEntities({ catalog, credentials }),
  ]);
  const entityRefs = entities.map(e => stringifyEntityRef(e));
  const stored = await store.listEntityScores({ entityRefs });
  const scores = new Map(stored.map(s => [s.entityRef, s]));

  const owned = new Map<string, string[]>();
  for (const entity of entities) {
    const ref = stringifyEntityRef(entity);
    for (const owner of new Set(ownersOf(entity).map(refKey))) {
      const refs = owned.get(owner) ?? [];
      refs.push(ref);
      owned.set(owner, refs);
    }
  }
  const children = groupChildren(groups);
  const teams: TeamRanking[] = [];
  for (const group of groups) {
    const groupRef = stringifyEntityRef(group);
    const refs = new Set(
      descendants(refKey(groupRef), children).flatMap(g => owned.get(g) ?? []),
    );
    if (refs.size > 0) {
      teams.push({
        groupRef,
        title: groupTitle(group),
        entities: refs.size,
        ...summarise([...refs].map(ref => scores.get(ref) ?? NO_SCORE)),
      });
    }
  }

  const history = await store.listEntityScoreHistory({
    entityRefs,
    since: trendStart({ days: query.days, now }),
  });
  return {
    generatedAt: now.toISOString(),
    teams: teams.sort(compareTeams),
    ...summarise(stored),
    trend: dailyTrend({ points: history, days: query.days, now }),
  };
}

/**
 * The organisation's scorecard for a caller who may read the whole catalog
 * ({@link readsWholeCatalog}): the same as {@link organisationScorecard}, from the stored
 * ownership map and scores, counted in SQL.
 */
export async function storedOrganisationScorecard(options: {
  store: ResilienceStore;
  query: OrganisationScorecardQuery;
  now: Date;
}): Promise<OrganisationScorecardResponse> {
  const { store, query, now } = options;
  const found = await store.queryOrganisationScorecard({
    since: trendStart({ days: query.days, now }),
  });
  const teams: TeamRanking[] = found.teams.map(team => ({
    groupRef: team.groupRef,
    title: team.title,
    entities: team.counts.reduce((n, c) => n + c.count, 0),
    ...summariseCounts(team.counts),
  }));
  return {
    generatedAt: now.toISOString(),
    teams: teams.sort(compareTeams),
    ...summariseCounts(found.counts),
    trend: dailyTrendOfCounts({ counts: found.trend, days: query.days, now }),
  };
}
