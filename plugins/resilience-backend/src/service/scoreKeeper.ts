import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityScore,
  PillarId,
  ScorePoint,
  SourceCollectionStatus,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceStore,
  StoredEntityScore,
} from '../database/ResilienceStore';
import { PolicyConfig, resolveScoringTier } from '../scoring/policy';
import { CheckRegistry, scoreEntity } from '../scoring/scorecard';
import { ScoringConfig } from '../scoring/scoringConfig';
import { sourcesNeverCollected } from './collectionStatus';
import { entityResilience } from './entityResilience';

/** The kinds of entities that are scored: those that run or hold something. */
export const SCORED_KINDS = ['Component', 'Resource'];

/** Entities read from the catalog per page, and scores saved per transaction. */
const PAGE_SIZE = 200;

/** The summary of a score that is stored for the team and organisation views. */
export function storedScore(score: EntityScore, at: Date): StoredEntityScore {
  return {
    entityRef: score.entityRef,
    score: score.score,
    grade: score.grade,
    pillars: Object.fromEntries(
      score.pillars.map(p => [p.pillar, p.score]),
    ) as Record<PillarId, number | null>,
    computedAt: at,
  };
}

/**
 * An entity's daily points with today's (UTC) being the score just computed, which is that
 * day's latest computation; the stored point of today may be older. A score that may not be
 * stored (a source never collected) leaves the stored points as they are.
 */
export function historyWithCurrent(options: {
  history: ScorePoint[];
  score: EntityScore;
  at: Date;
  storable: boolean;
}): ScorePoint[] {
  const { history, score, at } = options;
  if (!options.storable) return history;
  const stored = storedScore(score, at);
  const today: ScorePoint = {
    date: at.toISOString().slice(0, 10),
    score: stored.score,
    grade: stored.grade,
    pillars: stored.pillars,
  };
  return [...history.filter(p => p.date < today.date), today];
}

/**
 * Computes the scores of entities from stored facts, and keeps the latest of each (and a point a
 * day) in the database for the team and organisation views.
 */
export class ScoreKeeper {
  constructor(
    private readonly options: {
      store: ResilienceStore;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      clusters: string[];
      policies: PolicyConfig;
      sastDefaultBranches: string[];
      registry: CheckRegistry;
      scoring: ScoringConfig;
    },
  ) {}

  /**
   * The score of one entity now, with its tier, and the sources it needs that were never
   * collected: while there are any, the score is shown but not stored.
   */
  async score(
    entity: Entity,
    now: Date,
  ): Promise<{
    score: EntityScore;
    tier: string;
    neverCollected: SourceCollectionStatus[];
  }> {
    const { store, clusters, policies, sastDefaultBranches } = this.options;
    const response = await entityResilience({
      entity,
      store,
      clusters,
      policies,
      sastDefaultBranches,
      now,
    });
    const { tier, excludedChecks } = resolveScoringTier(entity, policies);
    const score = await scoreEntity({
      entity,
      response,
      tier,
      excludedChecks,
      registry: this.options.registry,
      scoring: this.options.scoring,
      now,
    });
    const neverCollected = sourcesNeverCollected({
      mapping: response.kubernetes,
      collection: response.collection,
    });
    return { score, tier, neverCollected };
  }

  /**
   * Computes and stores the score of one entity, for example after an upload about it; nothing
   * is stored while a source it needs was never collected. Whether it was stored.
   */
  async recompute(entity: Entity, now = new Date()): Promise<boolean> {
    const { score, neverCollected } = await this.score(entity, now);
    if (neverCollected.length > 0) return false;
    await this.options.store.saveEntityScores([storedScore(score, now)]);
    return true;
  }

  /**
   * Computes and stores the score of every scored entity of the catalog, a page at a time. An
   * entity whose score cannot be computed (an unreadable label selector, say) is logged and
   * skipped, one that needs a source never collected is waiting; the others are stored.
   */
  async recomputeAll(): Promise<{
    scored: number;
    failed: number;
    waiting: number;
  }> {
    const { catalog, auth, logger, store } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    let cursor: string | undefined;
    let scored = 0;
    let failed = 0;
    let waiting = 0;
    do {
      const page = await catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : {
              filter: { kind: SCORED_KINDS },
              limit: PAGE_SIZE,
              orderFields: { field: 'metadata.name', order: 'asc' },
            },
        { credentials },
      );
      const now = new Date();
      const scores: StoredEntityScore[] = [];
      for (const entity of page.items) {
        try {
          const { score, neverCollected } = await this.score(entity, now);
          if (neverCollected.length > 0) waiting += 1;
          else scores.push(storedScore(score, now));
        } catch (error) {
          failed += 1;
          logger.warn(
            `Could not score ${stringifyEntityRef(entity)}: ${
              (error as Error).message
            }`,
          );
        }
      }
      await store.saveEntityScores(scores);
      scored += scores.length;
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    logger.info(
      `Scored ${scored} entities${failed ? `, ${failed} failed` : ''}${
        waiting
          ? `, ${waiting} not stored until their clusters are first collected`
          : ''
      }`,
    );
    return { scored, failed, waiting };
  }
}
