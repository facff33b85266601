import { KubernetesMapping } from '@resilience-for-backstage/plugin-resilience-common';
import {
  CertificateFact,
  IngressFact,
  IssuerFact,
  TlsSecretFact,
} from '../database/types';
import { objectMatcher } from './entityMapping';

/**
 * One TLS certificate an entity depends on: a cert-manager Certificate with the Secret it
 * writes, a TLS Secret no Certificate manages (`certificate` absent), or a Secret an Ingress of
 * the entity serves that neither exists nor is to be written by a Certificate (both absent).
 */
export interface EntityCertificate {
  cluster: string;
  namespace: string;
  /** The Secret: the Certificate's `spec.secretName`, or the Secret's own name. */
  secretName: string;
  certificate?: CertificateFact;
  secret?: TlsSecretFact;
  /** The Issuer or ClusterIssuer of the Certificate's `issuerRef`, when it is collected. */
  issuer?: IssuerFact;
  /** The entity's Ingresses that serve the Secret. */
  ingresses: IngressFact[];
}

const key = (cluster: string, namespace: string, name: string) =>
  JSON.stringify([cluster, namespace, name]);

/**
 * The Issuer (same namespace) or ClusterIssuer a Certificate's `issuerRef` names. An issuerRef of
 * another group is an external issuer, which is not collected.
 */
function issuerOf(
  certificate: CertificateFact,
  issuers: IssuerFact[],
): IssuerFact | undefined {
  const { kind, name, group } = certificate.issuerRef;
  if (group && group !== 'cert-manager.io') {
    return undefined;
  }
  return issuers.find(
    i =>
      i.cluster === certificate.cluster &&
      i.kind === kind &&
      i.name === name &&
      (kind === 'ClusterIssuer' || i.namespace === certificate.namespace),
  );
}

/**
 * The certificates of an entity, from the facts of its clusters.
 *
 * The entity's Certificates, TLS Secrets and Ingresses are those its mapping selects (its
 * Kubernetes id label or label selector, and its namespace annotation), as for every other
 * object. To these come the Secrets the entity's Ingresses serve (`spec.tls[].secretName`, in the
 * Ingress's namespace), which cert-manager and hand-made Secrets rarely label. A Certificate and
 * its Secret are joined by `spec.secretName` both ways: a selected Secret brings its Certificate,
 * and a selected Certificate its Secret. Each Secret appears once, ordered by cluster, namespace
 * and name; when several Certificates name one Secret, each is an item.
 *
 * @throws InputError when the mapping's label selector cannot be parsed.
 */
export function certificatesOfEntity(options: {
  mapping: KubernetesMapping;
  certificates: CertificateFact[];
  secrets: TlsSecretFact[];
  ingresses: IngressFact[];
  issuers: IssuerFact[];
}): EntityCertificate[] {
  return joinCertificates({
    ...options,
    matches: objectMatcher(options.mapping),
  });
}

/**
 * Every certificate whose Secret lives in one of the namespaces: each Certificate and each TLS
 * Secret there, and each Secret an Ingress there serves, joined as {@link certificatesOfEntity}
 * joins them.
 */
export function certificatesInNamespaces(options: {
  namespaces: Array<{ cluster: string; namespace: string }>;
  certificates: CertificateFact[];
  secrets: TlsSecretFact[];
  ingresses: IngressFact[];
  issuers: IssuerFact[];
}): EntityCertificate[] {
  const wanted = new Set(
    options.namespaces.map(n => JSON.stringify([n.cluster, n.namespace])),
  );
  return joinCertificates({
    ...options,
    matches: o => wanted.has(JSON.stringify([o.cluster, o.namespace])),
  });
}

function joinCertificates(options: {
  matches: (object: {
    cluster: string;
    namespace: string;
    labels: Record<string, string>;
  }) => boolean;
  certificates: CertificateFact[];
  secrets: TlsSecretFact[];
  ingresses: IngressFact[];
  issuers: IssuerFact[];
}): EntityCertificate[] {
  const { matches } = options;
  const entityIngresses = options.ingresses.filter(matches);

  const secretsByKey = new Map(
    options.secrets.map(s => [key(s.cluster, s.namespace, s.name), s]),
  );
  const ingressesByKey = new Map<string, IngressFact[]>();
  for (const ingress of entityIngresses) {
    const names = new Set(
      ingress.tls.flatMap(t => (t.secretName ? [t.secretName] : [])),
    );
    for (const name of names) {
      const k = key(ingress.cluster, ingress.namespace, name);
      ingressesByKey.set(k, [...(ingressesByKey.get(k) ?? []), ingress]);
    }
  }

  // The Secrets of the entity: selected ones, served ones, and those of selected Certificates.
  const secretKeys = new Set<string>([
    ...options.secrets
      .filter(matches)
      .map(s => key(s.cluster, s.namespace, s.name)),
    ...ingressesByKey.keys(),
  ]);
  const certificates = options.certificates.filter(
    c =>
      matches(c) ||
      (c.secretName !== '' &&
        secretKeys.has(key(c.cluster, c.namespace, c.secretName))),
  );

  const items: EntityCertificate[] = [];
  const covered = new Set<string>();
  for (const certificate of certificates) {
    const { cluster, namespace, secretName } = certificate;
    const k = key(cluster, namespace, secretName);
    covered.add(k);
    items.push({
      cluster,
      namespace,
      secretName,
      certificate,
      secret: secretName ? secretsByKey.get(k) : undefined,
      issuer: issuerOf(certificate, options.issuers),
      ingresses: ingressesByKey.get(k) ?? [],
    });
  }
  for (const k of secretKeys) {
    if (covered.has(k)) {
      continue;
    }
    const [cluster, namespace, secretName] = JSON.parse(k) as string[];
    items.push({
      cluster,
      namespace,
      secretName,
      secret: secretsByKey.get(k),
      ingresses: ingressesByKey.get(k) ?? [],
    });
  }
  const order = (item: EntityCertificate) => [
    item.cluster,
    item.namespace,
    item.certificate?.name ?? item.secretName,
  ];
  return items.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    for (let i = 0; i < x.length; i++) {
      if (x[i] !== y[i]) {
        return x[i] < y[i] ? -1 : 1;
      }
    }
    return 0;
  });
}
