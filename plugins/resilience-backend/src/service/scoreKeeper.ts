import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityScore,
  PillarId,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceStore,
  StoredEntityScore,
} from '../database/ResilienceStore';
import { PolicyConfig, resolveScoringTier } from '../scoring/policy';
import { CheckRegistry, scoreEntity } from '../scoring/scorecard';
import { ScoringConfig } from '../scoring/scoringConfig';
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

  /** The score of one entity now, with its tier. */
  async score(
    entity: Entity,
    now: Date,
  ): Promise<{ score: EntityScore; tier: string }> {
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
    return { score, tier };
  }

  /** Computes and stores the score of one entity, for example after an upload about it. */
  async recompute(entity: Entity, now = new Date()): Promise<void> {
    const { score } = await this.score(entity, now);
    await this.options.store.saveEntityScores([storedScore(score, now)]);
  }

  /**
   * Computes and stores the score of every scored entity of the catalog, a page at a time. An
   * entity whose score cannot be computed (an unreadable label selector, say) is logged and
   * skipped; the others are stored.
   */
  async recomputeAll(): Promise<{ scored: number; failed: number }> {
    const { catalog, auth, logger, store } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    let cursor: string | undefined;
    let scored = 0;
    let failed = 0;
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
          scores.push(storedScore((await this.score(entity, now)).score, now));
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
      `Scored ${scored} entities${failed ? `, ${failed} failed` : ''}`,
    );
    return { scored, failed };
  }
}
