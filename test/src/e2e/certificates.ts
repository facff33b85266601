import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { X509Certificate } from 'node:crypto';

const DAY = 86_400_000;

/** The first certificate of a base64 PEM bundle (leaf first): node:crypto reads one at a time. */
function leafOf(base64: string): X509Certificate {
  const pem = Buffer.from(base64, 'base64').toString('utf8');
  return new X509Certificate(pem.split(/(?<=-----END CERTIFICATE-----)/)[0]);
}

/** A certificate row the Certificates section must show, computed from the cluster itself. */
export interface ExpectedCertificate {
  name: string;
  managedBy: 'cert-manager' | 'hand';
  /** Against the default thresholds: 28 days to warn, 14 to fail. */
  expiry: 'pass' | 'warn' | 'fail' | 'expired';
  revision?: number;
  /**
   * For a Certificate: whether its Secret holds the certificate its status reports (the same
   * `notAfter`, to the second); a stuck rotation otherwise.
   */
  inSync?: boolean;
}

interface CertificateObject {
  metadata: {
    namespace: string;
    name: string;
    labels?: Record<string, string>;
  };
  spec: { secretName: string };
  status?: { notAfter?: string; revision?: number };
}

function expiryOf(notAfter: Date, now: Date): ExpectedCertificate['expiry'] {
  const left = notAfter.getTime() - now.getTime();
  if (left <= 0) return 'expired';
  if (left < 14 * DAY) return 'fail';
  if (left < 28 * DAY) return 'warn';
  return 'pass';
}

/**
 * The certificates of an entity mapped by `backstage.io/kubernetes-id`, read with the real
 * client: its labelled Certificates (judged by `status.notAfter`), and its labelled TLS Secrets
 * that no Certificate writes (judged by their own certificate, parsed here with node:crypto).
 */
export async function expectedCertificates(options: {
  kubeconfigPath: string;
  kubernetesId: string;
  now: Date;
}): Promise<ExpectedCertificate[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(options.kubeconfigPath);
  const labelSelector = `backstage.io/kubernetes-id=${options.kubernetesId}`;
  const certificates = (
    await kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({
      group: 'cert-manager.io',
      version: 'v1',
      plural: 'certificates',
    })
  ).items as CertificateObject[];
  const written = new Set(
    certificates.map(c => `${c.metadata.namespace}/${c.spec.secretName}`),
  );
  const secrets = await kc.makeApiClient(CoreV1Api).listSecretForAllNamespaces({
    fieldSelector: 'type=kubernetes.io/tls',
    labelSelector,
  });
  const core = kc.makeApiClient(CoreV1Api);
  const secondOf = (date: string | Date) =>
    Math.floor(new Date(date).getTime() / 1000);
  const managed: ExpectedCertificate[] = [];
  for (const c of certificates.filter(
    o =>
      o.metadata.labels?.['backstage.io/kubernetes-id'] ===
      options.kubernetesId,
  )) {
    const secret = await core.readNamespacedSecret({
      namespace: c.metadata.namespace,
      name: c.spec.secretName,
    });
    managed.push({
      name: c.metadata.name,
      managedBy: 'cert-manager',
      expiry: expiryOf(new Date(c.status!.notAfter!), options.now),
      revision: c.status?.revision,
      inSync:
        secondOf(leafOf(secret.data!['tls.crt']).validTo) ===
        secondOf(c.status!.notAfter!),
    });
  }
  return [
    ...managed,
    ...secrets.items
      .filter(s => !written.has(`${s.metadata!.namespace}/${s.metadata!.name}`))
      .map(s => ({
        name: s.metadata!.name!,
        managedBy: 'hand' as const,
        expiry: expiryOf(
          new Date(leafOf(s.data!['tls.crt']).validTo),
          options.now,
        ),
      })),
  ];
}

/** The revision and serial a Certificate's Secret holds now. */
export async function certificateState(options: {
  kubeconfigPath: string;
  namespace: string;
  name: string;
}): Promise<{ revision?: number; serial: string }> {
  const kc = new KubeConfig();
  kc.loadFromFile(options.kubeconfigPath);
  const certificate = (await kc
    .makeApiClient(CustomObjectsApi)
    .getNamespacedCustomObject({
      group: 'cert-manager.io',
      version: 'v1',
      plural: 'certificates',
      namespace: options.namespace,
      name: options.name,
    })) as CertificateObject;
  const secret = await kc.makeApiClient(CoreV1Api).readNamespacedSecret({
    namespace: options.namespace,
    name: certificate.spec.secretName,
  });
  return {
    revision: certificate.status?.revision,
    serial: leafOf(secret.data!['tls.crt']).serialNumber,
  };
}
