import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * How the plugin reaches one Kubernetes cluster, parsed once at start-up.
 *
 * Either `kubeconfig` (a file, with an optional context) or `url` with a token and a CA, each given
 * as a value or as a file. Files are re-read when they change, so that rotated in-cluster
 * credentials are picked up without a restart.
 */
export type ClusterConfig = {
  name: string;
  /** The namespace Velero is installed in; `velero` unless configured. */
  veleroNamespace: string;
} & (
  | {
      type: 'kubeconfig';
      kubeconfigPath: string;
      context?: string;
    }
  | {
      type: 'url';
      url: string;
      token?: string;
      tokenFile?: string;
      caData?: string;
      caFile?: string;
      skipTLSVerify: boolean;
    }
);

const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function readCluster(cluster: Config, key: string): ClusterConfig {
  const name = cluster.getString('name');
  if (!CLUSTER_NAME.test(name) || name.length > 63) {
    throw new InputError(
      `${key}.name "${name}" must be a lowercase DNS label (letters, digits and '-', at most 63 characters)`,
    );
  }
  const veleroNamespace =
    cluster.getOptionalString('veleroNamespace') ?? 'velero';
  const kubeconfigPath = cluster.getOptionalString('kubeconfig');
  const url = cluster.getOptionalString('url');

  if (kubeconfigPath !== undefined && url !== undefined) {
    throw new InputError(
      `${key} sets both "kubeconfig" and "url"; set one of them`,
    );
  }
  if (kubeconfigPath !== undefined) {
    return {
      type: 'kubeconfig',
      name,
      veleroNamespace,
      kubeconfigPath,
      context: cluster.getOptionalString('context'),
    };
  }
  if (url === undefined) {
    throw new InputError(
      `${key} (cluster "${name}") needs either "url" (with "token" or "tokenFile") or "kubeconfig"`,
    );
  }
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new Error('not http(s)');
    }
  } catch {
    throw new InputError(
      `${key}.url "${url}" is not an http(s) URL of a Kubernetes API server`,
    );
  }
  // Accept the Kubernetes plugin's key name too, so that its cluster entries can be reused as they are.
  const token =
    cluster.getOptionalString('token') ??
    cluster.getOptionalString('serviceAccountToken');
  const tokenFile = cluster.getOptionalString('tokenFile');
  if (token !== undefined && tokenFile !== undefined) {
    throw new InputError(
      `${key} sets both "token" and "tokenFile"; set one of them`,
    );
  }
  if (token === undefined && tokenFile === undefined) {
    throw new InputError(
      `${key} (cluster "${name}") needs "token" or "tokenFile" with a service-account token`,
    );
  }
  const caData = cluster.getOptionalString('caData');
  const caFile = cluster.getOptionalString('caFile');
  if (caData !== undefined && caFile !== undefined) {
    throw new InputError(
      `${key} sets both "caData" and "caFile"; set one of them`,
    );
  }
  return {
    type: 'url',
    name,
    veleroNamespace,
    url: url.replace(/\/+$/, ''),
    token,
    tokenFile,
    caData,
    caFile,
    skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
  };
}

/**
 * Reads the clusters to collect from: `resilience.clusters`, or, when that key is absent, the
 * Kubernetes plugin's `kubernetes.clusterLocatorMethods` entries of type `config`, so that nobody
 * has to configure a cluster twice.
 *
 * @throws InputError naming the offending key when the configuration is invalid.
 */
export function readClusterConfigs(
  config: Config,
  options?: { onSkipped?: (message: string) => void },
): ClusterConfig[] {
  let clusters: ClusterConfig[];
  if (config.has('resilience.clusters')) {
    clusters = config
      .getConfigArray('resilience.clusters')
      .map((c, i) => readCluster(c, `resilience.clusters[${i}]`));
  } else {
    clusters = [];
    const methods =
      config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
    methods.forEach((method, m) => {
      if (method.getOptionalString('type') !== 'config') {
        return;
      }
      (method.getOptionalConfigArray('clusters') ?? []).forEach((c, i) => {
        const authProvider = c.getOptionalString('authProvider');
        if (authProvider !== undefined && authProvider !== 'serviceAccount') {
          // Only service-account tokens are supported; the Kubernetes plugin's other providers
          // act on behalf of the signed-in user, which a background collector is not.
          options?.onSkipped?.(
            `Kubernetes cluster "${c.getOptionalString(
              'name',
            )}" uses authProvider "${authProvider}"; ` +
              'the Resilience plugin collects only with service-account tokens, so it is skipped. ' +
              'Configure it under resilience.clusters to collect from it.',
          );
          return;
        }
        clusters.push(
          readCluster(
            c,
            `kubernetes.clusterLocatorMethods[${m}].clusters[${i}]`,
          ),
        );
      });
    });
  }
  const seen = new Set<string>();
  for (const cluster of clusters) {
    if (seen.has(cluster.name)) {
      throw new InputError(
        `Cluster name "${cluster.name}" appears more than once; cluster names must be unique`,
      );
    }
    seen.add(cluster.name);
  }
  return clusters;
}
