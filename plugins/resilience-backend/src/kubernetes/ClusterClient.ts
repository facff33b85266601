import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  NetworkingV1Api,
  V1Ingress,
  V1Namespace,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Secret,
} from '@kubernetes/client-node';
import { ClusterConfig } from './config';
import { KubernetesRequestError } from './errors';
import { listAllPages } from './paging';

/** A custom resource collection, for example Velero's `backups` in `velero.io/v1`. */
export interface CustomResource {
  group: string;
  version: string;
  plural: string;
  /** Lists in this namespace only; in every namespace when absent. */
  namespace?: string;
  /** Lists only the objects this label selector selects. */
  labelSelector?: string;
}

/** The parts of a custom object every collector reads; the rest is kept as the server sent it. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
  };
  spec?: unknown;
  status?: unknown;
}

const TLS_SECRET_TYPE = 'kubernetes.io/tls';

/**
 * A TLS Secret with its data reduced to `tls.crt`, or nothing for another type (should a server
 * ignore the field selector). The private key is dropped here, before any other code sees it.
 */
function withCertificateOnly(secret: V1Secret): V1Secret[] {
  if (secret.type !== TLS_SECRET_TYPE) {
    return [];
  }
  const certificate = secret.data?.['tls.crt'];
  const { data: _data, stringData: _stringData, ...rest } = secret;
  return [
    {
      ...rest,
      data: certificate === undefined ? {} : { 'tls.crt': certificate },
    },
  ];
}

/**
 * Reads one cluster through `@kubernetes/client-node`, always with paged lists.
 *
 * Credentials are built from their sources before every collection run and rebuilt only when a
 * token, CA or kubeconfig file has changed: in-cluster service-account tokens and CAs are rotated
 * by the kubelet, and collection must follow a rotation without a restart.
 */
export class ClusterClient {
  private cached?: { fingerprint: string; kubeConfig: KubeConfig };

  private constructor(
    private readonly cluster: ClusterConfig,
    private readonly pageSize: number,
  ) {}

  static create(options: {
    cluster: ClusterConfig;
    pageSize?: number;
  }): ClusterClient {
    return new ClusterClient(options.cluster, options.pageSize ?? 500);
  }

  get name(): string {
    return this.cluster.name;
  }

  /** Lists a custom resource in one namespace or in every namespace. */
  async listCustomObjects(
    resource: CustomResource,
  ): Promise<KubernetesObject[]> {
    const what = `list ${resource.plural}.${resource.group}/${
      resource.version
    }${resource.namespace ? ` in namespace ${resource.namespace}` : ''}`;
    try {
      const api = (await this.kubeConfig()).makeApiClient(CustomObjectsApi);
      return await listAllPages<KubernetesObject>({
        fetchPage: async continueToken => {
          const page = {
            group: resource.group,
            version: resource.version,
            plural: resource.plural,
            limit: this.pageSize,
            _continue: continueToken,
            labelSelector: resource.labelSelector,
          };
          const body = resource.namespace
            ? await api.listNamespacedCustomObject({
                ...page,
                namespace: resource.namespace,
              })
            : await api.listClusterCustomObject(page);
          return {
            items: (body?.items ?? []) as KubernetesObject[],
            continueToken: body?.metadata?.continue,
          };
        },
        isExpired,
      });
    } catch (error) {
      throw KubernetesRequestError.from(error, what);
    }
  }

  /** Lists PersistentVolumeClaims in every namespace. */
  async listPersistentVolumeClaims(): Promise<V1PersistentVolumeClaim[]> {
    try {
      const api = (await this.kubeConfig()).makeApiClient(CoreV1Api);
      return await listAllPages<V1PersistentVolumeClaim>({
        fetchPage: async continueToken => {
          const list = await api.listPersistentVolumeClaimForAllNamespaces({
            limit: this.pageSize,
            _continue: continueToken,
          });
          return {
            items: list.items,
            continueToken: list.metadata?._continue,
          };
        },
        isExpired,
      });
    } catch (error) {
      throw KubernetesRequestError.from(
        error,
        'list persistentvolumeclaims/v1',
      );
    }
  }

  /** Lists PersistentVolumes. */
  async listPersistentVolumes(): Promise<V1PersistentVolume[]> {
    try {
      const api = (await this.kubeConfig()).makeApiClient(CoreV1Api);
      return await listAllPages<V1PersistentVolume>({
        fetchPage: async continueToken => {
          const list = await api.listPersistentVolume({
            limit: this.pageSize,
            _continue: continueToken,
          });
          return { items: list.items, continueToken: list.metadata?._continue };
        },
        isExpired,
      });
    } catch (error) {
      throw KubernetesRequestError.from(error, 'list persistentvolumes/v1');
    }
  }

  /** Lists Pods in every namespace. */
  async listPods(): Promise<V1Pod[]> {
    try {
      const api = (await this.kubeConfig()).makeApiClient(CoreV1Api);
      return await listAllPages<V1Pod>({
        fetchPage: async continueToken => {
          const list = await api.listPodForAllNamespaces({
            limit: this.pageSize,
            _continue: continueToken,
          });
          return { items: list.items, continueToken: list.metadata?._continue };
        },
        isExpired,
      });
    } catch (error) {
      throw KubernetesRequestError.from(error, 'list pods/v1');
    }
  }

  /** Lists Namespaces. */
  async listNamespaces(): Promise<V1Namespace[]> {
    try {
      const api = (await this.kubeConfig()).makeApiClient(CoreV1Api);
      return await listAllPages<V1Namespace>({
        fetchPage: async continueToken => {
          const list = await api.listNamespace({
            limit: this.pageSize,
            _continue: continueToken,
          });
          return { items: list.items, continueToken: list.metadata?._continue };
        },
        isExpired,
      });
    } catch (error) {
      throw KubernetesRequestError.from(error, 'list namespaces/v1');
    }
  }

  /**
   * Lists the Secrets of type `kubernetes.io/tls` in every namespace. The type is a field
   * selector, so the API server never sends other Secrets. Of each Secret's data only `tls.crt`
   * is kept, page by page as it arrives: `tls.key` goes no further than this method.
   */
  async listTlsSecrets(): Promise<V1Secret[]> {
    try {
      const api = (await this.kubeConfig()).makeApiClient(CoreV1Api);
      return await listAllPages<V1Secret>({
        fetchPage: async continueToken => {
          const list = await api.listSecretForAllNamespaces({
            fieldSelector: `type=${TLS_SECRET_TYPE}`,
            limit: this.pageSize,
            _continue: continueToken,
          });
          return {
            items: list.items.flatMap(withCertificateOnly),
            continueToken: list.metadata?._continue,
          };
        },
        isExpired,
      });
    } catch (error) {
      throw KubernetesRequestError.from(
        error,
        `list secrets/v1 of type ${TLS_SECRET_TYPE}`,
      );
    }
  }

  /** Lists Ingresses (networking.k8s.io/v1) in every namespace. */
  async listIngresses(): Promise<V1Ingress[]> {
    try {
      const api = (await this.kubeConfig()).makeApiClient(NetworkingV1Api);
      return await listAllPages<V1Ingress>({
        fetchPage: async continueToken => {
          const list = await api.listIngressForAllNamespaces({
            limit: this.pageSize,
            _continue: continueToken,
          });
          return { items: list.items, continueToken: list.metadata?._continue };
        },
        isExpired,
      });
    } catch (error) {
      throw KubernetesRequestError.from(
        error,
        'list ingresses.networking.k8s.io/v1',
      );
    }
  }

  private async kubeConfig(): Promise<KubeConfig> {
    const cluster = this.cluster;
    let material: Record<string, string | boolean | undefined>;
    try {
      material =
        cluster.type === 'kubeconfig'
          ? {
              kubeconfig: await readFile(cluster.kubeconfigPath, 'utf8'),
              context: cluster.context,
            }
          : {
              url: cluster.url,
              token:
                cluster.token ??
                (cluster.tokenFile
                  ? (await readFile(cluster.tokenFile, 'utf8')).trim()
                  : undefined),
              // client-node, like kubeconfig, takes the CA as base64-encoded PEM.
              caData:
                cluster.caData ??
                (cluster.caFile
                  ? (await readFile(cluster.caFile)).toString('base64')
                  : undefined),
              skipTLSVerify: cluster.skipTLSVerify,
            };
    } catch (error) {
      throw KubernetesRequestError.from(
        error,
        `read the credentials of cluster "${cluster.name}"`,
      );
    }
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(material))
      .digest('hex');
    if (this.cached?.fingerprint === fingerprint) {
      return this.cached.kubeConfig;
    }

    const kubeConfig = new KubeConfig();
    if (cluster.type === 'kubeconfig') {
      kubeConfig.loadFromString(material.kubeconfig as string);
      if (cluster.context) {
        if (!kubeConfig.getContextObject(cluster.context)) {
          throw KubernetesRequestError.from(
            new Error(
              `context "${cluster.context}" is not in ${cluster.kubeconfigPath}`,
            ),
            `configure cluster "${cluster.name}"`,
          );
        }
        kubeConfig.setCurrentContext(cluster.context);
      }
    } else {
      kubeConfig.loadFromOptions({
        clusters: [
          {
            name: cluster.name,
            server: material.url,
            caData: material.caData,
            skipTLSVerify: material.skipTLSVerify,
          },
        ],
        users: [{ name: cluster.name, token: material.token }],
        contexts: [
          { name: cluster.name, cluster: cluster.name, user: cluster.name },
        ],
        currentContext: cluster.name,
      });
    }
    this.cached = { fingerprint, kubeConfig };
    return kubeConfig;
  }
}

function isExpired(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 410
  );
}
