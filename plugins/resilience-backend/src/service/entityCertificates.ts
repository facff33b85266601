import { FlipTimes } from '../scoring/flips';
import { Entity } from '@backstage/catalog-model';
import {
  CertificateRenewal,
  CertificateSummary,
  CheckResult,
  CollectionSource,
  EffectiveCertificatePolicy,
  KubernetesMapping,
  SourceCollectionStatus,
  X509Summary,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceStore,
  StoredCertificateRenewal,
} from '../database/ResilienceStore';
import { X509Fact } from '../database/types';
import {
  certificatesOfEntity,
  EntityCertificate,
} from '../mapping/certificateOwnership';
import { kubernetesMappingOf } from '../mapping/entityMapping';
import {
  certificateChecks,
  CertificateCheckContext,
  certificateOutcomes,
  CertificateSource,
  leafOf,
  scheduledRenewal,
  validityOf,
} from '../scoring/certificateChecks';
import { PolicyConfig, resolveCertificatePolicy } from '../scoring/policy';
import { collectionStatus } from './collectionStatus';

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

/** The certificate part of an entity's response. */
export interface EntityCertificates {
  certificates: CertificateSummary[];
  certificatePolicy: EffectiveCertificatePolicy;
  certificateChecks: CheckResult[];
}

function x509Summary(certificate: X509Fact): X509Summary {
  return {
    ...certificate,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
  };
}

/** Whether a certificate source of a cluster can be relied on: listed at least once. */
export function certificateSourceCollected(
  collection: SourceCollectionStatus[],
): (cluster: string, source: CertificateSource) => boolean {
  const statusOf = (cluster: string, source: CollectionSource) =>
    collection.find(s => s.cluster === cluster && s.source === source);
  return (cluster, source) => {
    const status = statusOf(cluster, source);
    // Without cert-manager's CRDs no Certificate manages anything: a finding, not an unknown.
    return (
      status?.lastSuccessAt !== undefined ||
      (source === 'certificates' && status?.state === 'not-installed')
    );
  };
}

/** The latest renewal of each of the certificates, as stored. */
export function loadRenewals(
  store: ResilienceStore,
  items: EntityCertificate[],
): Promise<StoredCertificateRenewal[]> {
  return store.listLatestCertificateRenewals({
    certificates: items.flatMap(o =>
      o.certificate
        ? [
            {
              cluster: o.cluster,
              namespace: o.namespace,
              name: o.certificate.name,
            },
          ]
        : [],
    ),
  });
}

/**
 * The certificates as the API shows them, each with its check outcomes and latest renewal (of
 * `renewals`); soonest end of validity first, and those with none (never issued, unreadable)
 * leading.
 */
export function summariseCertificates(options: {
  items: EntityCertificate[];
  renewals: StoredCertificateRenewal[];
  context: CertificateCheckContext;
}): CertificateSummary[] {
  const { items, renewals, context } = options;
  const certificates = items.map(item =>
    certificateSummary({
      item,
      outcomes: certificateOutcomes({ ...context, item }),
      secretsCollected: context.collected(item.cluster, 'tls-secrets'),
      lastRenewal: renewals.find(
        r =>
          r.cluster === item.cluster &&
          r.namespace === item.namespace &&
          r.name === item.certificate?.name,
      ),
      now: context.now,
    }),
  );
  certificates.sort(
    (a, b) =>
      (a.notAfter ? Date.parse(a.notAfter) : -Infinity) -
        (b.notAfter ? Date.parse(b.notAfter) : -Infinity) ||
      a.cluster.localeCompare(b.cluster) ||
      a.namespace.localeCompare(b.namespace) ||
      a.name.localeCompare(b.name),
  );
  return certificates;
}

/** `summariseCertificates` with the certificates' latest renewals read from the store. */
export async function certificateSummaries(options: {
  items: EntityCertificate[];
  store: ResilienceStore;
  context: CertificateCheckContext;
}): Promise<CertificateSummary[]> {
  return summariseCertificates({
    ...options,
    renewals: await loadRenewals(options.store, options.items),
  });
}

/** The certificates an entity's mapping selects, from the stored facts of its clusters. */
export async function ownedCertificates(options: {
  mapping: KubernetesMapping | null;
  store: ResilienceStore;
  clusters: string[];
}): Promise<EntityCertificate[]> {
  const { mapping, store, clusters } = options;
  if (!mapping) return [];
  // Every certificate of the entity is in a namespace where one of its own objects matches its
  // mapping (a Certificate, Secret or Ingress; Secrets and Ingresses name Secrets of their own
  // namespace), so only those namespaces are read. A label selector cannot be pushed down to the
  // database; the id label and the namespace annotation can.
  let namespaces: string[] | undefined;
  if (mapping.namespace) {
    namespaces = [mapping.namespace];
  } else if (!mapping.labelSelector && mapping.kubernetesId) {
    namespaces = await store.listCertificateNamespaces({
      clusters,
      kubernetesId: mapping.kubernetesId,
    });
  }
  const filter = { clusters, namespaces };
  return certificatesOfEntity({
    mapping,
    certificates: await store.listCertificates(filter),
    secrets: await store.listTlsSecrets(filter),
    ingresses: await store.listIngresses(filter),
    issuers: await store.listIssuers(filter),
  });
}

/** What an entity's certificate part reads: the certificates it owns and their latest renewals. */
export interface CertificateFacts {
  owned: EntityCertificate[];
  renewals: StoredCertificateRenewal[];
}

export async function loadCertificateFacts(options: {
  entity: Entity;
  store: ResilienceStore;
  clusters: string[];
}): Promise<CertificateFacts> {
  const { store, clusters } = options;
  const mapping = kubernetesMappingOf(options.entity);
  const owned = await ownedCertificates({ mapping, store, clusters });
  return { owned, renewals: await loadRenewals(store, owned) };
}

/**
 * The TLS certificates an entity depends on, with each one's check outcomes and the entity's
 * certificate checks.
 */
export function evaluateCertificates(options: {
  entity: Entity;
  facts: CertificateFacts;
  clusters: string[];
  policies: PolicyConfig;
  collection: SourceCollectionStatus[];
  now: Date;
  flips?: FlipTimes;
}): EntityCertificates {
  const { entity, facts, clusters, now } = options;
  const policy = resolveCertificatePolicy(entity, options.policies);
  const collected = certificateSourceCollected(options.collection);
  const context = { now, flips: options.flips, policy, collected };
  return {
    certificates: summariseCertificates({
      items: facts.owned,
      renewals: facts.renewals,
      context,
    }),
    certificatePolicy: policy.policy,
    certificateChecks: certificateChecks({
      ...context,
      items: facts.owned,
      clusters,
    }),
  };
}

function certificateSummary(options: {
  item: EntityCertificate;
  outcomes: CertificateSummary['checks'];
  secretsCollected: boolean;
  lastRenewal?: StoredCertificateRenewal;
  now: Date;
}): CertificateSummary {
  const { item, now } = options;
  const { certificate, secret, issuer } = item;
  const leaf = leafOf(secret);
  const validity = validityOf(item);
  const renewal = scheduledRenewal(item);
  const condition = (type: string) =>
    certificate?.conditions.find(c => c.type === type);
  const ready = condition('Ready');
  let secretProblem = secret?.parseError;
  if (!secret) {
    secretProblem = options.secretsCollected
      ? `The Secret ${item.namespace}/${item.secretName} does not exist`
      : 'The TLS Secrets of this cluster have not been collected yet';
  }
  return {
    cluster: item.cluster,
    namespace: item.namespace,
    name: certificate?.name ?? item.secretName,
    managedBy: certificate ? 'cert-manager' : 'hand',
    secretName: item.secretName,
    dnsNames: certificate?.dnsNames.length
      ? certificate.dnsNames
      : leaf?.dnsNames ?? [],
    issuer: certificate
      ? {
          kind: certificate.issuerRef.kind,
          name: certificate.issuerRef.name,
          ready:
            issuer?.ready === undefined ? undefined : issuer.ready === 'True',
        }
      : leaf && { kind: 'X.509', name: leaf.issuer },
    ready: ready && {
      status: ready.status,
      reason: ready.reason,
      message: ready.message,
    },
    notBefore: validity?.notBefore?.toISOString(),
    notAfter: validity?.notAfter.toISOString(),
    secondsLeft: validity
      ? Math.floor((validity.notAfter.getTime() - now.getTime()) / 1000)
      : undefined,
    renewalTime: renewal?.at.toISOString(),
    renewalTimeComputed: renewal?.computed ?? false,
    revision: certificate?.revision,
    failedIssuanceAttempts: certificate?.failedIssuanceAttempts,
    rotationPolicy: certificate?.rotationPolicy,
    lastRenewedAt: validity?.notBefore?.toISOString(),
    issuing: condition('Issuing')?.status === 'True',
    chain: secret && !secret.parseError ? secret.chain.map(x509Summary) : [],
    secretProblem,
    checks: options.outcomes,
    lastRenewal: options.lastRenewal && renewalSummary(options.lastRenewal),
  };
}

/**
 * The certificates of an entity, for finding the one a renewal is asked for; the same list the
 * entity's response holds.
 */
export async function entityCertificateSummaries(options: {
  entity: Entity;
  store: ResilienceStore;
  clusters: string[];
  policies: PolicyConfig;
  now: Date;
}): Promise<CertificateSummary[]> {
  const collection = await collectionStatus(options);
  const facts = await loadCertificateFacts(options);
  return evaluateCertificates({ ...options, facts, collection }).certificates;
}
