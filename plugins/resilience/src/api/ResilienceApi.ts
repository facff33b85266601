import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  CertificateRenewalResponse,
  CreateRestoreTestRequest,
  EntityIncidentResponse,
  EntityResilienceResponse,
  EntityRestoreTestsResponse,
  EntitySastResponse,
  EntityScoreResponse,
  Grade,
  OrganisationScorecardResponse,
  PillarId,
  RestoreTestSummary,
  SastSeverity,
  TeamScorecardResponse,
} from '@resilience-for-backstage/plugin-resilience-common';

/**
 * What to read of an entity's SAST findings with {@link ResilienceApi.getEntitySast}; the
 * backend's defaults apply to what is left out.
 *
 * @public
 */
export interface EntitySastOptions {
  /** The branch; by default a default branch with a report, else the branch of the latest scan. */
  branch?: string;
  /** The first finding of the page (default 0). */
  offset?: number;
  /** The size of the page (default 50, at most 500). */
  limit?: number;
  /** Only findings of these severities in the page and its total; all when absent or empty. */
  severities?: SastSeverity[];
  /** How many days the trend covers (default 90, at most 365). */
  days?: number;
}

/**
 * What to read of an entity's score with {@link ResilienceApi.getEntityScore}.
 *
 * @public
 */
export interface EntityScoreOptions {
  /** How many days of history (default 90, at most 365). */
  days?: number;
}

/**
 * What a team's scorecard is sorted by: the score, the name, or the score of one pillar.
 *
 * @public
 */
export type ScorecardSort = 'score' | 'name' | PillarId;

/**
 * Which page of a team's scorecard to read with {@link ResilienceApi.getTeamScorecard}, in what
 * order and with which filters; the backend's defaults apply to what is left out.
 *
 * @public
 */
export interface TeamScorecardQuery {
  /** The first entity of the page (default 0). */
  offset?: number;
  /** The size of the page (default 25, at most 200). */
  limit?: number;
  /** What to sort by (default `score`). */
  sort?: ScorecardSort;
  /** `asc` (the default: worst first) or `desc`; entities without the score come last. */
  order?: 'asc' | 'desc';
  /** Only these grades in the page, `none` for no grade; all when absent or empty. */
  grades?: Array<Grade | 'none'>;
  /** Only entities with a score in this pillar. */
  pillar?: PillarId;
  /** How many days the trend covers (default 90, at most 365). */
  days?: number;
}

/**
 * What to read of the organisation's scorecard with
 * {@link ResilienceApi.getOrganisationScorecard}.
 *
 * @public
 */
export interface OrganisationScorecardOptions {
  /** How many days the trend covers (default 90, at most 365). */
  days?: number;
}

/**
 * Reads what the Resilience backend knows about catalog entities.
 *
 * @public
 */
export interface ResilienceApi {
  /**
   * The entity's backup checks and policy, its volumes and their last good backups, its backups,
   * schedules and storage locations, and the collection status.
   */
  getEntityResilience(
    entityRef: CompoundEntityRef,
  ): Promise<EntityResilienceResponse>;

  /**
   * Asks cert-manager to issue a certificate again now, the way `cmctl renew` does. Answers at
   * once with the renewal in progress; follow it with {@link ResilienceApi.getCertificateRenewal}.
   * Rejects with a `ResponseError` of status 409 when a renewal of the certificate is already in
   * progress, and 403 when the user may not renew the entity's certificates.
   */
  renewCertificate(options: {
    /** The catalog entity the certificate belongs to. */
    entityRef: CompoundEntityRef;
    cluster: string;
    /** The Certificate's namespace. */
    namespace: string;
    /** The Certificate's name. */
    name: string;
  }): Promise<CertificateRenewalResponse>;

  /** A renewal asked for with {@link ResilienceApi.renewCertificate}, and how far it got. */
  getCertificateRenewal(id: string): Promise<CertificateRenewalResponse>;

  /**
   * The entity's open SAST findings of one branch: their counts by severity, one page of them,
   * their trend, the rules with most findings, and how recently each tool scanned the branch.
   */
  getEntitySast(
    entityRef: CompoundEntityRef,
    options?: EntitySastOptions,
  ): Promise<EntitySastResponse>;

  /**
   * What to restore and what to rotate when the entity is compromised: its latest known-good
   * backup, the vulnerable backups since, and the certificates of its namespaces.
   */
  getEntityIncident(
    entityRef: CompoundEntityRef,
  ): Promise<EntityIncidentResponse>;

  /**
   * The entity's score: its grade, every pillar with its checks, and its daily history. Rejects
   * with a `ResponseError` of status 404 when the user may not read the entity.
   */
  getEntityScore(
    entityRef: CompoundEntityRef,
    options?: EntityScoreOptions,
  ): Promise<EntityScoreResponse>;

  /**
   * One page of the entities a group owns, directly or through the groups below it, with their
   * latest scores, and the grades, mean and daily trend of all of them. The group's kind is not
   * sent: only groups have scorecards.
   */
  getTeamScorecard(
    groupRef: CompoundEntityRef,
    query?: TeamScorecardQuery,
  ): Promise<TeamScorecardResponse>;

  /** Every team ranked by mean score, best first, and the organisation's grades and trend. */
  getOrganisationScorecard(
    options?: OrganisationScorecardOptions,
  ): Promise<OrganisationScorecardResponse>;

  /**
   * Starts a restore test of one of the entity's backups: by default the one
   * {@link ResilienceApi.getEntityRestoreTests} names as `defaultBackup`. Answers at once with
   * the test pending; follow it with {@link ResilienceApi.getRestoreTest}. Rejects with a
   * `ResponseError` of status 403 when the user may not run restore tests of the entity, 400 when
   * there is no backup to restore, restore tests are disabled in the cluster or the backup is
   * unknown, and 409 when a test of the entity is running or the last one started too recently.
   */
  createRestoreTest(
    request: CreateRestoreTestRequest,
  ): Promise<RestoreTestSummary>;

  /**
   * A restore test and how far it got. Rejects with a `ResponseError` of status 404 when the user
   * may not read its entity.
   */
  getRestoreTest(id: string): Promise<RestoreTestSummary>;

  /**
   * Cancels a restore test: what it created is cleaned up, and it ends `cancelled`. Rejects with a
   * `ResponseError` of status 409 when it is over or already cleaning up.
   */
  cancelRestoreTest(id: string): Promise<RestoreTestSummary>;

  /**
   * The entity's latest restore tests, newest first, the backups a new one may restore, the one it
   * restores by default, and how long earlier ones took.
   */
  getEntityRestoreTests(
    entityRef: CompoundEntityRef,
  ): Promise<EntityRestoreTestsResponse>;
}

/**
 * The API reference of {@link ResilienceApi}.
 *
 * @public
 */
export const resilienceApiRef = createApiRef<ResilienceApi>({
  id: 'plugin.resilience.service',
});
