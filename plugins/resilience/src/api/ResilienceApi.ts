import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  CertificateRenewalResponse,
  EntityIncidentResponse,
  EntityResilienceResponse,
  EntitySastResponse,
  SastSeverity,
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
}

/**
 * The API reference of {@link ResilienceApi}.
 *
 * @public
 */
export const resilienceApiRef = createApiRef<ResilienceApi>({
  id: 'plugin.resilience.service',
});
