import { createHash } from 'node:crypto';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityResilienceResponse,
  EntityScore,
  PillarId,
  ScorePoint,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  clusterScope,
  clusterSharedScope,
  clusterStatusScope,
  entityScope,
  kubernetesIdScope,
  namespaceScope,
  ResilienceStore,
  EvaluatedEntityResult,
  StoredEntityResult,
  StoredEntityScore,
} from '../database/ResilienceStore';
import { FlipTimes } from '../scoring/flips';
import { kubernetesMappingOf } from '../mapping/entityMapping';
import { PolicyConfig, resolveScoringTier } from '../scoring/policy';
import { CheckRegistry, scoreEntity } from '../scoring/scorecard';
import { ScoringConfig } from '../scoring/scoringConfig';
import { collectionStatus, sourcesNeverCollected } from './collectionStatus';
import { evaluateEntity } from './entityEvaluation';
import { loadEntityFacts } from './entityFacts';
import { ensureBackupInclusion } from './backupInclusion';

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

/** A stored result as the routes serve it. */
export interface EntityResult {
  /** The entity view, as of `computedAt`, without the collection status (served live). */
  view: Omit<EntityResilienceResponse, 'collection'>;
  score: EntityScore;
  tier: string;
  /** False while a source the entity needs was never collected: shown, not kept in history. */
  storable: boolean;
  computedAt: Date;
}

/** JSON with object keys in order, so that equal values have equal digests. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');

/**
 * What of the catalog entity its evaluation reads: its kind, name, annotations, labels and
 * spec; not its relations or processing status.
 */
function entityDigest(entity: Entity): string {
  return sha256(
    canonicalJson({
      kind: entity.kind,
      namespace: entity.metadata.namespace,
      name: entity.metadata.name,
      annotations: entity.metadata.annotations ?? {},
      labels: entity.metadata.labels ?? {},
      spec: entity.spec ?? {},
    }),
  );
}

/** How long a stored result is served at most when nothing says it changed. */
export const DEFAULT_RESULT_MAX_AGE_MS = 10 * 60_000;

/** How many entities one replica evaluates at once. */
const EVALUATIONS_AT_ONCE = 4;

/**
 * Evaluates entities and keeps the results: the view, the score and the card read an entity's
 * stored result while the inputs it was evaluated from are unchanged (the entity, the
 * configuration, the versions of its clusters' facts and of its own records) and no verdict has
 * changed with the clock since; otherwise the entity is evaluated again and the result replaced.
 * The scores task evaluates every scored entity after each collection and keeps the latest score
 * (and a point a day) for the team and organisation views.
 */
export class ScoreKeeper {
  readonly #config: string;
  readonly #maxAgeMs: number;

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
      /** `resilience.scoring.resultMaxAge`. */
      resultMaxAgeMs?: number;
      /** The clock of the scheduled evaluations. */
      now?: () => Date;
    },
  ) {
    this.#config = sha256(
      canonicalJson({
        clusters: options.clusters,
        policies: options.policies,
        sastDefaultBranches: options.sastDefaultBranches,
        scoring: options.scoring,
        checks: options.registry.ids(),
      }),
    );
    this.#maxAgeMs = options.resultMaxAgeMs ?? DEFAULT_RESULT_MAX_AGE_MS;
  }

  /**
   * The input scopes of an entity known before it is evaluated: its own records, and in every
   * configured cluster (its claims and certificates may be in any) the facts its mapping reads.
   * For an entity that maps to no Kubernetes object, only the states of the sources; for one
   * mapped by a label selector, all of the cluster's facts; for one mapped to a namespace, that
   * namespace's; for one mapped by its kubernetes-id alone, which objects carry that id (the
   * namespaces they are in are its dependencies, found before it is evaluated); and for every
   * mapped one the states of the sources and the facts every entity reads.
   */
  #scopes(entity: Entity): string[] {
    const { clusters } = this.options;
    const own = entityScope(stringifyEntityRef(entity));
    const mapping = kubernetesMappingOf(entity);
    if (!mapping) return [...clusters.map(clusterStatusScope), own];
    const { labelSelector, namespace, kubernetesId } = mapping;
    if (labelSelector || kubernetesId === undefined) {
      return [...clusters.map(clusterScope), own];
    }
    return [
      ...clusters.flatMap(cluster => [
        clusterStatusScope(cluster),
        clusterSharedScope(cluster),
        namespace
          ? namespaceScope(cluster, namespace)
          : kubernetesIdScope(cluster, kubernetesId),
      ]),
      own,
    ];
  }

  /** The kubernetes-id by which alone an entity is mapped, whose namespaces it depends on. */
  static #mappedById(entity: Entity): string | undefined {
    const mapping = kubernetesMappingOf(entity);
    return mapping && !mapping.labelSelector && !mapping.namespace
      ? mapping.kubernetesId
      : undefined;
  }

  /** The digest of an entity's inputs, from versions read before its facts are. */
  #inputs(
    entity: Entity,
    versions: Map<string, string>,
    dependencies: string[],
  ): string {
    const versioned = (scopes: string[]) =>
      scopes.map(scope => [scope, versions.get(scope) ?? '']);
    return sha256(
      JSON.stringify([
        this.#config,
        entityDigest(entity),
        versioned(this.#scopes(entity)),
        versioned(dependencies),
      ]),
    );
  }

  /**
   * The namespaces that the entities mapped by a kubernetes-id alone depend on, by entity ref:
   * those where an object carrying the id is, found after the versions of the entities' scopes
   * were read (a change to those objects changes the id's version).
   */
  async #dependencies(entities: Entity[]): Promise<Map<string, string[]>> {
    const ids = new Map<string, string>();
    for (const entity of entities) {
      const id = ScoreKeeper.#mappedById(entity);
      if (id !== undefined) ids.set(stringifyEntityRef(entity), id);
    }
    const found = ids.size
      ? await this.options.store.listKubernetesIdNamespaces({
          clusters: this.options.clusters,
          kubernetesIds: [...new Set(ids.values())],
        })
      : [];
    const byId = new Map<string, string[]>();
    for (const row of found) {
      const list = byId.get(row.kubernetesId) ?? [];
      list.push(namespaceScope(row.cluster, row.namespace));
      byId.set(row.kubernetesId, list);
    }
    return new Map(
      [...ids].map(([ref, id]) => [ref, [...new Set(byId.get(id))].sort()]),
    );
  }

  static #isCurrent(
    stored: StoredEntityResult | undefined,
    inputs: string,
    now: Date,
  ): stored is StoredEntityResult {
    return (
      stored !== undefined &&
      stored.inputs === inputs &&
      stored.computedAt.getTime() <= now.getTime() &&
      now.getTime() < stored.expiresAt.getTime() &&
      (stored.nextFlipAt === undefined ||
        now.getTime() < stored.nextFlipAt.getTime())
    );
  }

  /** Whether the backup inclusion of a cluster was behind its listings and changed. */
  async #ensureBackupInclusion(now: Date): Promise<boolean> {
    const { store, clusters } = this.options;
    const status = await store.listCollectionStatus({ clusters });
    let changed = false;
    for (const cluster of clusters) {
      const claims = await ensureBackupInclusion({
        store,
        cluster,
        status,
        now,
      });
      changed ||= claims.length > 0;
    }
    return changed;
  }

  /** Evaluates one entity from stored facts, as of `now`. */
  async #evaluate(
    entity: Entity,
    now: Date,
    inputs: string,
    dependencies: string[],
  ): Promise<EvaluatedEntityResult> {
    const { store, clusters, policies, sastDefaultBranches } = this.options;
    const flips = new FlipTimes(now);
    const facts = await loadEntityFacts({
      entity,
      store,
      clusters,
      policies,
      sastDefaultBranches,
      now,
    });
    const { view, checks } = evaluateEntity(facts, {
      policies,
      sastDefaultBranches,
      now,
      flips,
    });
    const { tier, excludedChecks } = resolveScoringTier(entity, policies);
    // From the evaluation's checks, never from the shape of a response.
    const score = await scoreEntity({
      entity,
      checks,
      tier,
      excludedChecks,
      registry: this.options.registry,
      scoring: this.options.scoring,
      now,
    });
    const neverCollected = sourcesNeverCollected({
      mapping: view.kubernetes,
      collection: facts.collection,
    });
    return {
      entityRef: view.entityRef,
      inputs,
      view: JSON.stringify(view),
      score: JSON.stringify(score),
      tier,
      storable: neverCollected.length === 0,
      computedAt: now,
      nextFlipAt: flips.next(),
      expiresAt: new Date(now.getTime() + this.#maxAgeMs),
      dependencies,
      scopes: [...new Set([...this.#scopes(entity), ...dependencies])],
    };
  }

  /**
   * The stored results of entities, evaluating (and storing) those whose inputs changed or whose
   * verdicts changed with the clock since; `fresh` evaluates all of them.
   */
  async #results(
    entities: Entity[],
    now: Date,
    fresh = false,
  ): Promise<{
    results: Map<string, StoredEntityResult | Error>;
    evaluated: number;
  }> {
    const { store } = this.options;
    const refs = entities.map(e => stringifyEntityRef(e));
    const stored = new Map(
      fresh
        ? []
        : (await store.getEntityResults(refs)).map(r => [r.entityRef, r]),
    );
    // The versions before any fact: facts stored after them make the result stale, never the
    // reverse. Those of the dependencies a stored result was evaluated with tell if it is current.
    const versions = await store.getInputVersions([
      ...new Set([
        ...entities.flatMap(entity => this.#scopes(entity)),
        ...[...stored.values()].flatMap(r => r.dependencies),
      ]),
    ]);
    const results = new Map<string, StoredEntityResult | Error>();
    const evaluated: EvaluatedEntityResult[] = [];
    const due: number[] = [];
    for (const [i, entity] of entities.entries()) {
      const known = stored.get(refs[i]);
      const inputs =
        known && this.#inputs(entity, versions, known.dependencies);
      if (inputs && ScoreKeeper.#isCurrent(known, inputs, now)) {
        results.set(refs[i], known);
      } else {
        due.push(i);
      }
    }
    const dueEntities = due.map(i => entities[i]);
    // Evaluations read the backup inclusion, and refreshing it changes the versions of the
    // namespaces whose claims it changed: refreshed first, and then the versions read again.
    if (
      dueEntities.some(e => kubernetesMappingOf(e)) &&
      (await this.#ensureBackupInclusion(now))
    ) {
      for (const [scope, version] of await store.getInputVersions([
        ...new Set([
          ...versions.keys(),
          ...dueEntities.flatMap(entity => this.#scopes(entity)),
        ]),
      ])) {
        versions.set(scope, version);
      }
    }
    // The namespaces of those due, then their versions not read yet, before their facts.
    const dependencies = await this.#dependencies(dueEntities);
    const unread = [...new Set([...dependencies.values()].flat())].filter(
      scope => !versions.has(scope),
    );
    for (const [scope, version] of await store.getInputVersions(unread)) {
      versions.set(scope, version);
    }
    // A few at a time: an evaluation mostly waits for its queries, and on PostgreSQL the pool
    // answers several at once (better-sqlite3 runs them one after another all the same).
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const i = due[next++];
        const entity = entities[i];
        const found = dependencies.get(refs[i]) ?? [];
        try {
          const result = await this.#evaluate(
            entity,
            now,
            this.#inputs(entity, versions, found),
            found,
          );
          results.set(refs[i], result);
          evaluated.push(result);
        } catch (error) {
          results.set(refs[i], error as Error);
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(EVALUATIONS_AT_ONCE, due.length) }, worker),
    );
    await store.saveEntityResults(evaluated);
    return { results, evaluated: evaluated.length };
  }

  /** An entity's stored result, evaluated first when its inputs changed since. */
  async result(entity: Entity, now: Date): Promise<EntityResult> {
    const ref = stringifyEntityRef(entity);
    const result = (await this.#results([entity], now)).results.get(ref)!;
    if (result instanceof Error) throw result;
    return {
      view: JSON.parse(result.view),
      score: JSON.parse(result.score),
      tier: result.tier,
      storable: result.storable,
      computedAt: result.computedAt,
    };
  }

  /** What the Resilience tab shows: the stored view, with the collection status as it is now. */
  async view(entity: Entity, now: Date): Promise<EntityResilienceResponse> {
    const { view } = await this.result(entity, now);
    return {
      ...view,
      collection: await collectionStatus({
        store: this.options.store,
        clusters: this.options.clusters,
      }),
    };
  }

  /**
   * Evaluates and stores one entity now, with its score, for example after an upload about it;
   * the score is not stored while a source it needs was never collected. Whether it was stored.
   */
  async recompute(entity: Entity, now = new Date()): Promise<boolean> {
    const ref = stringifyEntityRef(entity);
    const result = (await this.#results([entity], now, true)).results.get(ref)!;
    if (result instanceof Error) throw result;
    if (!result.storable) return false;
    await this.options.store.saveEntityScores([
      storedScore(JSON.parse(result.score), now),
    ]);
    return true;
  }

  /**
   * Stores the score of every scored entity of the catalog, a page at a time, evaluating those
   * whose inputs changed. An entity whose score cannot be computed (an unreadable label selector,
   * say) is logged and skipped, one that needs a source never collected is waiting; the others
   * are stored, as of now (a stored result still current is the score now).
   */
  async recomputeAll(): Promise<{
    scored: number;
    failed: number;
    waiting: number;
    evaluated: number;
    /** The entities whose scores were stored. */
    entityRefs: string[];
  }> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    let cursor: string | undefined;
    let scored = 0;
    let failed = 0;
    let waiting = 0;
    let evaluated = 0;
    const entityRefs: string[] = [];
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
      const done = await this.#scoreEntities(page.items);
      scored += done.scored;
      failed += done.failed;
      waiting += done.waiting;
      evaluated += done.evaluated;
      entityRefs.push(...done.entityRefs);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    this.#logScored({ scored, failed, waiting, evaluated });
    return { scored, failed, waiting, evaluated, entityRefs };
  }

  /** Evaluates those of `entities` whose inputs changed, and stores the scores of all of them. */
  async #scoreEntities(entities: Entity[]) {
    const { logger, store } = this.options;
    const now = this.options.now?.() ?? new Date();
    const scores: StoredEntityScore[] = [];
    const evaluation = await this.#results(entities, now);
    let failed = 0;
    let waiting = 0;
    for (const [ref, result] of evaluation.results) {
      if (result instanceof Error) {
        failed += 1;
        logger.warn(`Could not score ${ref}: ${result.message}`);
        continue;
      }
      if (!result.storable) waiting += 1;
      else scores.push(storedScore(JSON.parse(result.score), now));
    }
    await store.saveEntityScores(scores);
    return {
      scored: scores.length,
      failed,
      waiting,
      evaluated: evaluation.evaluated,
      entityRefs: scores.map(s => s.entityRef),
    };
  }

  #logScored(counts: {
    scored: number;
    failed: number;
    waiting: number;
    evaluated: number;
    of?: string;
  }) {
    const { scored, failed, waiting, evaluated } = counts;
    this.options.logger.info(
      `Scored ${scored} entities (${evaluated} evaluated, the others unchanged${
        counts.of ? `; ${counts.of}` : ''
      })${failed ? `, ${failed} failed` : ''}${
        waiting
          ? `, ${waiting} not stored until their clusters are first collected`
          : ''
      }`,
    );
  }

  /**
   * Stores the scores of the entities whose stored results read an input changed at or after
   * `since` (a watched change just stored), found through the stored results without reading
   * the catalog's every entity. Entities never evaluated have no stored result: the next scoring
   * of every entity (`recomputeAll`) scores them.
   */
  async recomputeChanged(since: Date): Promise<{
    scored: number;
    failed: number;
    waiting: number;
    evaluated: number;
  }> {
    const { catalog, auth, store } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const counts = { scored: 0, failed: 0, waiting: 0, evaluated: 0 };
    let after: string | undefined;
    for (;;) {
      const refs = await store.listEntitiesWithChangedInputs({
        since,
        after,
        limit: PAGE_SIZE,
      });
      if (refs.length === 0) break;
      after = refs[refs.length - 1];
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: refs },
        { credentials },
      );
      // Gone from the catalog: the next scoring of every entity removes its score.
      const done = await this.#scoreEntities(
        items.filter(
          (e): e is Entity =>
            e !== undefined &&
            SCORED_KINDS.some(k => k.toLowerCase() === e.kind.toLowerCase()),
        ),
      );
      counts.scored += done.scored;
      counts.failed += done.failed;
      counts.waiting += done.waiting;
      counts.evaluated += done.evaluated;
    }
    this.#logScored({ ...counts, of: 'those whose inputs changed' });
    return counts;
  }

  /**
   * Evaluates again the entities whose stored results have a verdict that changed with the clock
   * (an RPO passed, a certificate came within its threshold), and stores their scores.
   */
  async recomputeDue(
    now = this.options.now?.() ?? new Date(),
  ): Promise<number> {
    const { store, catalog, auth, logger } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    let done = 0;
    for (;;) {
      const refs = await store.listEntityResultsDue({ now, limit: PAGE_SIZE });
      if (refs.length === 0) return done;
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: refs },
        { credentials },
      );
      const { results } = await this.#results(
        items.filter((e): e is Entity => e !== undefined),
        now,
      );
      const settled = new Set<string>();
      const scores: StoredEntityScore[] = [];
      for (const [ref, result] of results) {
        if (result instanceof Error) {
          logger.warn(`Could not score ${ref}: ${result.message}`);
          continue;
        }
        settled.add(ref);
        if (result.storable) {
          scores.push(storedScore(JSON.parse(result.score), now));
        }
      }
      await store.saveEntityScores(scores);
      // Gone from the catalog or failing: not served, and not due until evaluated again.
      await store.expireEntityResults({
        entityRefs: refs.filter(ref => !settled.has(ref)),
        at: now,
      });
      done += settled.size;
    }
  }
}
