import { CertificateRenewal } from '@resilience-for-backstage/plugin-resilience-common';
import { StoredCertificateRenewal } from '../database/ResilienceStore';

/** A stored renewal as the API returns it. */
export function renewalSummary(
  renewal: StoredCertificateRenewal,
): CertificateRenewal {
  return {
    id: renewal.id,
    cluster: renewal.cluster,
    namespace: renewal.namespace,
    name: renewal.name,
    entityRef: renewal.entityRef,
    state: renewal.state,
    requestedBy: renewal.requestedBy,
    requestedAt: renewal.requestedAt.toISOString(),
    finishedAt: renewal.finishedAt?.toISOString(),
    previousRevision: renewal.previousRevision,
    revision: renewal.revision,
    notAfter: renewal.notAfter?.toISOString(),
    message: renewal.message,
  };
}
