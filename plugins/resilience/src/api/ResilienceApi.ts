import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  CertificateRenewalResponse,
  EntityResilienceResponse,
} from '@resilience-for-backstage/plugin-resilience-common';

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
}

/**
 * The API reference of {@link ResilienceApi}.
 *
 * @public
 */
export const resilienceApiRef = createApiRef<ResilienceApi>({
  id: 'plugin.resilience.service',
});
