import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  V1Deployment,
  V1Ingress,
  V1Namespace,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Secret,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { ClusterConfig } from './config';
import { KubernetesRequestError, staleCredentialsReason } from './errors';
import { listAllPages, ListPage } from './paging';

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

/** One custom object, for example a cert-manager `Certificate`. */
export interface CustomObjectRef {
  group: string;
  version: string;
  plural: string;
  /** The object's namespace; absent for a cluster-scoped resource. */
  namespace?: string;
  name: string;
}

/** The parts of a custom object every collector reads; the rest is kept as the server sent it. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    /** Opaque: compare for equality, or send back in a patch as a precondition. */
    resourceVersion?: string;
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
 * Credentials are read from their sources before every request and rebuilt only when a token, CA
 * or kubeconfig file has changed: in-cluster service-account tokens and CAs are rotated by the
 * kubelet, and collection must follow a rotation without a restart. A request refused because the
 * credentials went stale (HTTP 401, or a server certificate the trusted CA does not verify) is
 * retried once, and only when the credentials read again have changed since it was sent: the file
 * may have been rewritten between the read and the request. A paged list retries only the page
 * that failed and goes on from there.
 */
export class ClusterClient {
  private cached?: { fingerprint: string; kubeConfig: KubeConfig };

  private constructor(
    private readonly cluster: ClusterConfig,
    private readonly pageSize: number,
    private readonly logger?: LoggerService,
  ) {}

  static create(options: {
    cluster: ClusterConfig;
    pageSize?: number;
    /** Told at info level when the credentials change. */
    logger?: LoggerService;
  }): ClusterClient {
    return new ClusterClient(
      options.cluster,
      options.pageSize ?? 500,
      options.logger,
    );
  }

  get name(): string {
    return this.cluster.name;
  }

  /** Lists a custom resource in one namespace or in every namespace. */
  async listCustomObjects(
    resource: CustomResource,
  ): Promise<KubernetesObject[]> {
    return this.list<KubernetesObject>(
      `list ${resource.plural}.${resource.group}/${resource.version}${
        resource.namespace ? ` in namespace ${resource.namespace}` : ''
      }`,
      async (kubeConfig, continueToken) => {
        const api = kubeConfig.makeApiClient(CustomObjectsApi);
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
    );
  }

  /**
   * The resourceVersion a list of the resource answers with now: where a watch that must miss
   * nothing after the current state starts. Asks for one object only.
   */
  async currentResourceVersion(resource: CustomResource): Promise<string> {
    return this.request(
      `list ${resource.plural}.${resource.group}/${resource.version}`,
      async kubeConfig => {
        const api = kubeConfig.makeApiClient(CustomObjectsApi);
        const page = {
          group: resource.group,
          version: resource.version,
          plural: resource.plural,
          limit: 1,
          labelSelector: resource.labelSelector,
        };
        const body = resource.namespace
          ? await api.listNamespacedCustomObject({
              ...page,
              namespace: resource.namespace,
            })
          : await api.listClusterCustomObject(page);
        const version = body?.metadata?.resourceVersion;
        if (typeof version !== 'string' || version === '') {
          throw new Error('the list has no metadata.resourceVersion');
        }
        return version;
      },
    );
  }

  /**
   * Watches a custom resource from `resourceVersion` (with bookmarks), calling `onEvent` for
   * each event the server sends, `ERROR` included, until the server ends the watch (after
   * `timeoutSeconds`), the connection fails, or `stop` is called. Resolves once the server has
   * accepted the watch; `ended` resolves (never rejects) with the failure, or `undefined` for an
   * orderly end.
   */
  async watchCustomObjects(
    resource: CustomResource,
    options: {
      resourceVersion: string;
      timeoutSeconds: number;
      onEvent: (event: { type: string; object: KubernetesObject }) => void;
    },
  ): Promise<{ ended: Promise<Error | undefined>; stop: () => void }> {
    const what = `watch ${resource.plural}.${resource.group}/${resource.version}`;
    const { kubeConfig } = await this.credentials();
    const path = `/apis/${resource.group}/${resource.version}${
      resource.namespace ? `/namespaces/${resource.namespace}` : ''
    }/${resource.plural}`;
    let settle: (error: Error | undefined) => void = () => {};
    const ended = new Promise<Error | undefined>(done => {
      settle = done;
    });
    const controller = await new Watch(kubeConfig).watch(
      path,
      {
        allowWatchBookmarks: true,
        resourceVersion: options.resourceVersion,
        timeoutSeconds: options.timeoutSeconds,
        labelSelector: resource.labelSelector,
      },
      (type: string, object: KubernetesObject) =>
        options.onEvent({ type, object }),
      (error: unknown) =>
        settle(
          error
            ? KubernetesRequestError.from(withStatusCode(error), what)
            : undefined,
        ),
    );
    return { ended, stop: () => controller.abort() };
  }

  /**
   * Reads one custom object.
   *
   * @throws KubernetesRequestError with reason `not-found` when the object does not exist, and
   * `not-installed` when its resource is not served.
   */
  async getCustomObject(ref: CustomObjectRef): Promise<KubernetesObject> {
    return this.request(`get ${describeObject(ref)}`, async kubeConfig => {
      const api = kubeConfig.makeApiClient(CustomObjectsApi);
      const { namespace, ...rest } = ref;
      return (
        namespace
          ? await api.getNamespacedCustomObject({ ...rest, namespace })
          : await api.getClusterCustomObject(rest)
      ) as KubernetesObject;
    });
  }

  /**
   * Changes the status of a custom object with a JSON merge patch to its `/status` subresource, and
   * returns the object as changed. A `metadata.resourceVersion` in the patch is a precondition.
   *
   * @throws KubernetesRequestError with reason `not-found` when the object does not exist, and
   * `conflict` when the precondition failed.
   */
  async patchCustomObjectStatus(
    options: CustomObjectRef & { patch: Record<string, unknown> },
  ): Promise<KubernetesObject> {
    const { patch, namespace, ...ref } = options;
    // A request refused for stale credentials was not applied, so retrying the patch is safe.
    return this.request(
      `patch the status of ${describeObject(options)}`,
      async kubeConfig => {
        const api = kubeConfig.makeApiClient(CustomObjectsApi);
        const mergePatch = setHeaderOptions(
          'Content-Type',
          PatchStrategy.MergePatch,
        );
        return (
          namespace
            ? await api.patchNamespacedCustomObjectStatus(
                { ...ref, namespace, body: patch },
                mergePatch,
              )
            : await api.patchClusterCustomObjectStatus(
                { ...ref, body: patch },
                mergePatch,
              )
        ) as KubernetesObject;
      },
    );
  }

  /**
   * Creates a custom object (a Velero Restore, say) and returns it as stored.
   *
   * @throws KubernetesRequestError with reason `conflict` when it exists already.
   */
  async createCustomObject(
    options: Omit<CustomObjectRef, 'name'> & { body: KubernetesObject },
  ): Promise<KubernetesObject> {
    const { body, namespace, ...resource } = options;
    const what = `create ${describeObject({
      ...options,
      name: body.metadata?.name ?? '',
    })}`;
    // A request refused for stale credentials was not applied, so sending it again is safe.
    return this.request(what, async kubeConfig => {
      const api = kubeConfig.makeApiClient(CustomObjectsApi);
      return (
        namespace
          ? await api.createNamespacedCustomObject({
              ...resource,
              namespace,
              body,
            })
          : await api.createClusterCustomObject({ ...resource, body })
      ) as KubernetesObject;
    });
  }

  /**
   * Deletes a custom object.
   *
   * @throws KubernetesRequestError with reason `not-found` when it does not exist.
   */
  async deleteCustomObject(ref: CustomObjectRef): Promise<void> {
    await this.request(`delete ${describeObject(ref)}`, async kubeConfig => {
      const api = kubeConfig.makeApiClient(CustomObjectsApi);
      const { namespace, ...rest } = ref;
      return namespace
        ? await api.deleteNamespacedCustomObject({ ...rest, namespace })
        : await api.deleteClusterCustomObject(rest);
    });
  }

  /**
   * Creates a Namespace.
   *
   * @throws KubernetesRequestError with reason `conflict` when it exists already: a caller that
   * needs a fresh namespace learns that it is not.
   */
  async createNamespace(body: V1Namespace): Promise<V1Namespace> {
    return this.request(
      `create namespace ${body.metadata?.name}`,
      async kubeConfig =>
        kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body }),
    );
  }

  /**
   * Reads a Namespace.
   *
   * @throws KubernetesRequestError with reason `not-found` when it does not exist.
   */
  async getNamespace(name: string): Promise<V1Namespace> {
    return this.request(`get namespace ${name}`, async kubeConfig =>
      kubeConfig.makeApiClient(CoreV1Api).readNamespace({ name }),
    );
  }

  /**
   * Deletes a Namespace and, once the API server has finalised it, everything in it.
   *
   * @throws KubernetesRequestError with reason `not-found` when it does not exist, and
   * `conflict` while it is being deleted already.
   */
  async deleteNamespace(name: string): Promise<void> {
    await this.request(`delete namespace ${name}`, async kubeConfig =>
      kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name }),
    );
  }

  /** Lists the PersistentVolumeClaims of one namespace. */
  async listNamespacedPersistentVolumeClaims(
    namespace: string,
  ): Promise<V1PersistentVolumeClaim[]> {
    return this.list(
      `list persistentvolumeclaims/v1 in namespace ${namespace}`,
      async (kubeConfig, continueToken) => {
        const list = await kubeConfig
          .makeApiClient(CoreV1Api)
          .listNamespacedPersistentVolumeClaim({
            namespace,
            limit: this.pageSize,
            _continue: continueToken,
          });
        return { items: list.items, continueToken: list.metadata?._continue };
      },
    );
  }

  /** Lists the Deployments of one namespace. */
  async listDeployments(namespace: string): Promise<V1Deployment[]> {
    return this.list(
      `list deployments.apps/v1 in namespace ${namespace}`,
      async (kubeConfig, continueToken) => {
        const list = await kubeConfig
          .makeApiClient(AppsV1Api)
          .listNamespacedDeployment({
            namespace,
            limit: this.pageSize,
            _continue: continueToken,
          });
        return { items: list.items, continueToken: list.metadata?._continue };
      },
    );
  }

  /** Lists the StatefulSets of one namespace. */
  async listStatefulSets(namespace: string): Promise<V1StatefulSet[]> {
    return this.list(
      `list statefulsets.apps/v1 in namespace ${namespace}`,
      async (kubeConfig, continueToken) => {
        const list = await kubeConfig
          .makeApiClient(AppsV1Api)
          .listNamespacedStatefulSet({
            namespace,
            limit: this.pageSize,
            _continue: continueToken,
          });
        return { items: list.items, continueToken: list.metadata?._continue };
      },
    );
  }

  /** Lists PersistentVolumeClaims in every namespace. */
  async listPersistentVolumeClaims(): Promise<V1PersistentVolumeClaim[]> {
    return this.list(
      'list persistentvolumeclaims/v1',
      async (kubeConfig, continueToken) => {
        const list = await kubeConfig
          .makeApiClient(CoreV1Api)
          .listPersistentVolumeClaimForAllNamespaces({
            limit: this.pageSize,
            _continue: continueToken,
          });
        return { items: list.items, continueToken: list.metadata?._continue };
      },
    );
  }

  /** Lists PersistentVolumes. */
  async listPersistentVolumes(): Promise<V1PersistentVolume[]> {
    return this.list(
      'list persistentvolumes/v1',
      async (kubeConfig, continueToken) => {
        const list = await kubeConfig
          .makeApiClient(CoreV1Api)
          .listPersistentVolume({
            limit: this.pageSize,
            _continue: continueToken,
          });
        return { items: list.items, continueToken: list.metadata?._continue };
      },
    );
  }

  /** Lists Pods in every namespace. */
  async listPods(): Promise<V1Pod[]> {
    return this.list('list pods/v1', async (kubeConfig, continueToken) => {
      const list = await kubeConfig
        .makeApiClient(CoreV1Api)
        .listPodForAllNamespaces({
          limit: this.pageSize,
          _continue: continueToken,
        });
      return { items: list.items, continueToken: list.metadata?._continue };
    });
  }

  /** Lists Namespaces, all of them or those a label selector selects. */
  async listNamespaces(
    options: { labelSelector?: string } = {},
  ): Promise<V1Namespace[]> {
    return this.list(
      `list namespaces/v1${
        options.labelSelector ? ` labelled ${options.labelSelector}` : ''
      }`,
      async (kubeConfig, continueToken) => {
        const list = await kubeConfig.makeApiClient(CoreV1Api).listNamespace({
          limit: this.pageSize,
          _continue: continueToken,
          labelSelector: options.labelSelector,
        });
        return { items: list.items, continueToken: list.metadata?._continue };
      },
    );
  }

  /** Lists every page, each page through `send`, and types what still fails. */
  private async list<T>(
    what: string,
    fetchPage: (
      kubeConfig: KubeConfig,
      continueToken: string | undefined,
    ) => Promise<ListPage<T>>,
  ): Promise<T[]> {
    try {
      return await listAllPages<T>({
        fetchPage: continueToken =>
          this.send(kubeConfig => fetchPage(kubeConfig, continueToken)),
        isExpired,
      });
    } catch (error) {
      throw KubernetesRequestError.from(error, what);
    }
  }

  /** Sends one request through `send`, and types what still fails. */
  private async request<T>(
    what: string,
    call: (kubeConfig: KubeConfig) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.send(call);
    } catch (error) {
      throw KubernetesRequestError.from(error, what);
    }
  }

  /**
   * Sends one request with the current credentials and, when it is refused for stale credentials,
   * once more with the credentials read again, if they have changed. Never more than twice: a
   * token or CA that is still wrong after a re-read will not be right on a third try.
   */
  private async send<T>(
    call: (kubeConfig: KubeConfig) => Promise<T>,
  ): Promise<T> {
    const used = await this.credentials();
    if (used.changed) {
      this.logger?.info(
        `The credentials of cluster ${this.cluster.name} changed; using the new ones`,
      );
    }
    try {
      return await call(used.kubeConfig);
    } catch (error) {
      const reason = staleCredentialsReason(error);
      if (!reason) {
        throw error;
      }
      const fresh = await this.credentials();
      if (fresh.fingerprint === used.fingerprint) {
        throw error;
      }
      this.logger?.info(
        `A request to cluster ${this.cluster.name} failed (${reason}) and its credentials changed since it was sent; retrying it once with the new ones`,
      );
      return await call(fresh.kubeConfig);
    }
  }

  /**
   * Lists the Secrets of type `kubernetes.io/tls` in every namespace. The type is a field
   * selector, so the API server never sends other Secrets. Of each Secret's data only `tls.crt`
   * is kept, page by page as it arrives: `tls.key` goes no further than this method.
   */
  async listTlsSecrets(): Promise<V1Secret[]> {
    return this.list(
      `list secrets/v1 of type ${TLS_SECRET_TYPE}`,
      async (kubeConfig, continueToken) => {
        const list = await kubeConfig
          .makeApiClient(CoreV1Api)
          .listSecretForAllNamespaces({
            fieldSelector: `type=${TLS_SECRET_TYPE}`,
            limit: this.pageSize,
            _continue: continueToken,
          });
        return {
          items: list.items.flatMap(withCertificateOnly),
          continueToken: list.metadata?._continue,
        };
      },
    );
  }

  /** Lists Ingresses (networking.k8s.io/v1) in every namespace. */
  async listIngresses(): Promise<V1Ingress[]> {
    return this.list(
      'list ingresses.networking.k8s.io/v1',
      async (kubeConfig, continueToken) => {
        const list = await kubeConfig
          .makeApiClient(NetworkingV1Api)
          .listIngressForAllNamespaces({
            limit: this.pageSize,
            _continue: continueToken,
          });
        return { items: list.items, continueToken: list.metadata?._continue };
      },
    );
  }

  /**
   * Reads the credentials from their sources and builds a `KubeConfig` from them, or returns the
   * one built before when nothing changed; `changed` says that an earlier one was replaced.
   */
  private async credentials(): Promise<{
    kubeConfig: KubeConfig;
    fingerprint: string;
    changed: boolean;
  }> {
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
      return { ...this.cached, changed: false };
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
    const changed = this.cached !== undefined;
    this.cached = { fingerprint, kubeConfig };
    return { kubeConfig, fingerprint, changed };
  }
}

/** client-node's watch reports an HTTP failure as `statusCode`; the others as `code`. */
function withStatusCode(error: unknown): unknown {
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode !== 'number') return error;
  return Object.assign(new Error((error as Error).message), {
    code: statusCode,
  });
}

function describeObject(ref: CustomObjectRef): string {
  return `${ref.plural}.${ref.group}/${ref.version} "${ref.name}"${
    ref.namespace ? ` in namespace ${ref.namespace}` : ''
  }`;
}

function isExpired(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 410
  );
}
