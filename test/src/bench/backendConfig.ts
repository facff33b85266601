import { KubeCredentials } from './kube';
import { DatabaseId } from './options';
import { techInsightsConfig } from './techInsightsChecks';

/** The name of the emulated cluster in `resilience.clusters`. */
export const BENCH_CLUSTER = 'bench';

/** Long enough that the catalog does not process its entities again while the bench runs. */
const NOT_DURING_THE_BENCH = { hours: 12 };

/**
 * Runs only when triggered. Not a long initial delay instead: a task worker in its initial wait
 * does not see triggers.
 */
const ON_TRIGGER = {
  frequency: { trigger: 'manual' },
  timeout: { hours: 1 },
};

/**
 * The configuration of the benchmarked backend. Like `app-config.yaml` of the demo, except:
 *
 * - the collection and the scoring run only when triggered (or, for the watched sources, when
 *   the cluster changes, as by default): the bench starts the first
 *   collection (`POST /collection/bench/run`) once the catalog is complete, and that collection
 *   triggers the scoring as it ends; so each is timed once, the scoring covers every entity,
 *   and neither runs under load;
 * - the catalog does not process its entities again during the run (`processingInterval`):
 *   the baseline and the plugin's routes are measured against a catalog at rest;
 * - a static token for the bench, for every route of the catalog and the plugin.
 */
export function backendConfig(options: {
  port: number;
  database: DatabaseId;
  /** PostgreSQL: the server, and the prefix of the run's databases. */
  postgres?: { connectionString: string; prefix: string };
  token: string;
  catalogFile: string;
  kubeconfig: string;
  /** `resilience.sast.maxReportSize`: the SARIF bench's log is larger than the default. */
  maxReportSize?: number;
  /**
   * `resilience.collection.watch`, on by default as for a user; off for the collection bench,
   * whose requests are the collection's alone.
   */
  watch?: boolean;
  /**
   * The frontend that calls this backend from a browser (the tab bench): its origin is allowed
   * (CORS) and is the app's base URL, as in `app-config.yaml` of the demo.
   */
  frontendUrl?: string;
  /** The one tier's retention, in days, when the bench needs more backups in the window. */
  retentionDays?: number;
  /**
   * The comparison backend (comparisonBackend.ts): Tech Insights with the equivalent facts and
   * checks, and Backstage's Kubernetes plugin on the same cluster as the Resilience plugin.
   */
  comparison?: { kube: KubeCredentials };
}): Record<string, unknown> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const database =
    options.database === 'sqlite'
      ? { client: 'better-sqlite3', connection: ':memory:' }
      : {
          client: 'pg',
          connection: options.postgres!.connectionString,
          prefix: options.postgres!.prefix,
        };
  return {
    app: { baseUrl: options.frontendUrl ?? baseUrl },
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port: options.port },
      ...(options.frontendUrl
        ? {
            cors: {
              origin: options.frontendUrl,
              methods: ['GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'DELETE'],
              credentials: true,
            },
          }
        : {}),
      database,
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: options.token, subject: 'resilience-bench' },
            accessRestrictions: [
              { plugin: 'catalog' },
              { plugin: 'resilience' },
              ...(options.comparison
                ? [{ plugin: 'tech-insights' }, { plugin: 'kubernetes' }]
                : []),
            ],
          },
        ],
      },
    },
    auth: {
      // A user token for the one route that takes no service: starting a collection.
      providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
    },
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'Location'] }],
      locations: [{ type: 'file', target: options.catalogFile }],
      processingInterval: NOT_DURING_THE_BENCH,
    },
    ...(options.comparison ? comparisonConfig(options.comparison.kube) : {}),
    resilience: {
      clusters: [{ name: BENCH_CLUSTER, kubeconfig: options.kubeconfig }],
      collection: {
        schedule: ON_TRIGGER,
        ...(options.watch === false ? { watch: false } : {}),
      },
      scoring: { schedule: ON_TRIGGER },
      ...(options.maxReportSize
        ? { sast: { maxReportSize: options.maxReportSize } }
        : {}),
      ...(options.retentionDays
        ? {
            policies: {
              tiers: {
                standard: {
                  rpo: { hours: 24 },
                  retention: { days: options.retentionDays },
                },
              },
            },
          }
        : {}),
    },
  };
}

/**
 * `techInsights` and `kubernetes` of the comparison backend: the Kubernetes plugin reads the
 * emulated cluster with the kubeconfig's server, CA and token, as the Resilience plugin does.
 */
function comparisonConfig(kube: KubeCredentials): Record<string, unknown> {
  return {
    techInsights: techInsightsConfig(),
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: BENCH_CLUSTER,
              url: kube.server,
              authProvider: 'serviceAccount',
              serviceAccountToken: kube.token,
              caData: kube.ca.toString('base64'),
            },
          ],
        },
      ],
    },
  };
}
