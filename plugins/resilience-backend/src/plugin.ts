import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  CollectionSource,
  resiliencePermissions,
} from '@resilience-for-backstage/plugin-resilience-common';
import { ClusterCollector } from './collectors/ClusterCollector';
import { ClusterWatcher, watchedResources } from './collectors/ClusterWatcher';
import { DatabaseResilienceStore } from './database/DatabaseResilienceStore';
import { clusterScope } from './database/ResilienceStore';
import { CertificateRenewer } from './certificates/CertificateRenewer';
import { ClusterClient } from './kubernetes/ClusterClient';
import { readClusterConfigs } from './kubernetes/config';
import {
  assertExcludedChecksKnown,
  readDuration,
  readPolicyConfig,
} from './scoring/policy';
import { CheckRegistry } from './scoring/scorecard';
import { readScoringConfig } from './scoring/scoringConfig';
import { OwnershipMapKeeper } from './service/ownershipMap';
import { DEFAULT_RESULT_MAX_AGE_MS, ScoreKeeper } from './service/scoreKeeper';
import { resilienceChecksExtensionPoint } from '@resilience-for-backstage/plugin-resilience-node';
import { createRouter } from './service/router';
import { readRestoreTestConfig } from './restore-tests/config';
import { RestoreTestRunner } from './restore-tests/RestoreTestRunner';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

/** What is collected again after a certificate renewal, so that the new one shows at once. */
const CERTIFICATE_SOURCES: CollectionSource[] = [
  'certificates',
  'certificate-requests',
  'tls-secrets',
];

/** One scheduled task per cluster, so that each can run, and be triggered, on its own. */
const collectionTaskId = (cluster: string) => `resilience-collect-${cluster}`;

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 15 },
};

/**
 * `resilience.entityCache.ttl`: how long the read routes keep the catalog's answer for one
 * caller and entity; 5 seconds when absent, 0 to ask the catalog for every request.
 */
export function readEntityCacheTtl(config: Config): number {
  const key = 'resilience.entityCache.ttl';
  if (!config.has(key)) return 5_000;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new Error(
      `${key} is not a duration: ${
        (error as Error).message
      }; give one such as { seconds: 5 }, or { seconds: 0 } to turn the cache off`,
    );
  }
  if (!(ms >= 0) || ms > 3_600_000) {
    throw new Error(
      `${key} must be from 0 to 1 hour, such as { seconds: 5 }; 0 turns the cache off`,
    );
  }
  return ms;
}

function readCollectionConfig(config: Config) {
  const collection = config.getOptionalConfig('resilience.collection');
  const schedule = collection?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        collection.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  const pageSize = collection?.getOptionalNumber('pageSize') ?? 500;
  const retention = config.has('resilience.history.retention')
    ? readDurationFromConfig(config, { key: 'resilience.history.retention' })
    : { days: 365 };
  const historyRetentionMs = durationToMilliseconds(retention);
  if (!(historyRetentionMs > 0)) {
    throw new Error(
      'resilience.history.retention must be a positive duration, for example { days: 365 }',
    );
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10000) {
    throw new Error(
      `resilience.collection.pageSize must be a whole number from 1 to 10000, not ${pageSize}`,
    );
  }
  const watch = collection?.getOptionalBoolean('watch') ?? true;
  return { schedule, pageSize, historyRetentionMs, watch };
}

/** The id of the scheduled task that advances restore tests. */
const RESTORE_TESTS_TASK_ID = 'resilience-restore-tests';

/** The id of the scheduled task that recomputes every entity's score. */
const SCORES_TASK_ID = 'resilience-scores';

/** Evaluates again the stored results whose verdicts changed with the clock. */
const DUE_RESULTS_TASK_ID = 'resilience-results-due';

/** The id of the scheduled task that reads what each group owns from the catalog. */
const OWNERSHIP_TASK_ID = 'resilience-ownership-map';

/** Every 5 minutes: a team's new entity shows on its scorecard within that. */
const DEFAULT_OWNERSHIP_SCHEDULE = {
  frequency: { minutes: 5 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
};

/** Every 6 hours, so that a daily point is kept even when nothing triggers a recomputation. */
const DEFAULT_SCORES_SCHEDULE = {
  frequency: { hours: 6 },
  timeout: { hours: 1 },
  initialDelay: { seconds: 30 },
};

/** `resilience.certificateRenewal`: how long a renewal may take and how often it is followed. */
function readRenewalConfig(config: Config) {
  const renewal = config.getOptionalConfig('resilience.certificateRenewal');
  const path = 'resilience.certificateRenewal';
  return {
    timeoutMs: renewal
      ? readDuration(renewal, 'timeout', path, 5 * 60_000)
      : 5 * 60_000,
    followIntervalMs: renewal
      ? readDuration(renewal, 'followInterval', path, 5_000)
      : 5_000,
  };
}

/** 50 MB: a large CodeQL report of a monorepo, with room to spare. */
const DEFAULT_MAX_REPORT_SIZE = 50 * 1024 * 1024;

/** `resilience.sast`: how SARIF uploads are read. */
function readSastConfig(config: Config) {
  const key = 'resilience.sast.maxReportSize';
  const maxReportSize =
    config.getOptionalNumber(key) ?? DEFAULT_MAX_REPORT_SIZE;
  if (!Number.isInteger(maxReportSize) || maxReportSize < 1) {
    throw new Error(
      `${key} must be a positive whole number of bytes, for example 52428800 for 50 MB, not ${maxReportSize}`,
    );
  }
  const branchesKey = 'resilience.sast.defaultBranches';
  const defaultBranches = config.getOptionalStringArray(branchesKey) ?? [
    'main',
    'master',
    'default',
  ];
  if (defaultBranches.length === 0 || defaultBranches.some(b => !b.trim())) {
    throw new Error(
      `${branchesKey} must name at least one branch, for example [main]; an upload whose branch is not known is stored as "default"`,
    );
  }
  return { maxReportSize, defaultBranches };
}

/**
 * The Resilience backend plugin: collects backup facts from every configured Kubernetes cluster
 * on a schedule, stores them, and serves them per catalog entity.
 *
 * @public
 */
export const resiliencePlugin = createBackendPlugin({
  pluginId: 'resilience',
  register(env) {
    // Checks added by other modules, registered before init runs.
    const registry = new CheckRegistry();
    env.registerExtensionPoint(resilienceChecksExtensionPoint, {
      addChecks(...checks) {
        checks.forEach(check => registry.add(check));
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        catalog: catalogServiceRef,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        catalog,
        permissions,
        permissionsRegistry,
        auditor,
        auth,
        lifecycle,
      }) {
        permissionsRegistry.addPermissions(resiliencePermissions);
        const clusters = readClusterConfigs(config, {
          onSkipped: message => logger.warn(message),
        });
        const { schedule, pageSize, historyRetentionMs, watch } =
          readCollectionConfig(config);
        const policies = readPolicyConfig(config);
        const renewal = readRenewalConfig(config);
        const sast = readSastConfig(config);
        const scoring = readScoringConfig(config);
        assertExcludedChecksKnown(policies, registry.ids());
        const scoresSchedule = config.has('resilience.scoring.schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              config.getConfig('resilience.scoring.schedule'),
            )
          : DEFAULT_SCORES_SCHEDULE;
        const store = await DatabaseResilienceStore.create({ database });
        const ownership = new OwnershipMapKeeper({
          catalog,
          auth,
          store,
          logger,
        });
        const scoreKeeper = new ScoreKeeper({
          store,
          catalog,
          auth,
          logger,
          clusters: clusters.map(c => c.name),
          policies,
          sastDefaultBranches: sast.defaultBranches,
          registry,
          scoring,
          resultMaxAgeMs: config.has('resilience.scoring.resultMaxAge')
            ? readDuration(
                config.getConfig('resilience.scoring'),
                'resultMaxAge',
                'resilience.scoring',
              )
            : DEFAULT_RESULT_MAX_AGE_MS,
        });
        // A verdict that changes with the clock (an RPO passes, a certificate comes within its
        // threshold) is stored within a minute of the instant, for the team and organisation views;
        // the entity's own routes see it at once.
        await scheduler.scheduleTask({
          id: DUE_RESULTS_TASK_ID,
          frequency: { minutes: 1 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 45 },
          fn: async () => {
            await scoreKeeper.recomputeDue();
          },
        });
        // Every scored entity, on one replica at a time: at least daily (a point a day is kept
        // for the trends), and after each collection, whose facts may change any score.
        await scheduler.scheduleTask({
          id: SCORES_TASK_ID,
          ...scoresSchedule,
          fn: async () => {
            const { entityRefs } = await scoreKeeper.recomputeAll();
            // Entities the ownership map does not have yet (a large import the schedule has not
            // read) count in the scorecards at once, not at its next run.
            try {
              if (await ownership.refreshIfBehind(entityRefs)) {
                logger.info(
                  'Ownership map read again: the scores covered entities it did not have',
                );
              }
            } catch (error) {
              logger.warn(
                `Could not read the ownership map again: ${
                  (error as Error).message
                }`,
              );
            }
          },
        });
        // What each group owns, for the scorecards: the catalog publishes no changes of its
        // entities, so it is read again on a schedule. Scores do not change it.
        await scheduler.scheduleTask({
          id: OWNERSHIP_TASK_ID,
          ...(config.has('resilience.scorecards.ownershipSchedule')
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                config.getConfig('resilience.scorecards.ownershipSchedule'),
              )
            : DEFAULT_OWNERSHIP_SCHEDULE),
          fn: async () => {
            const mapped = await ownership.refresh();
            logger.debug(`Ownership map: ${mapped} owned entities`);
          },
        });
        const rescore = async () => {
          try {
            await scheduler.triggerTask(SCORES_TASK_ID);
          } catch (error) {
            // Already running: its next run picks the new facts up.
            logger.debug(
              `Scores not recomputed now: ${(error as Error).message}`,
            );
          }
        };

        if (clusters.length === 0) {
          logger.warn(
            'No clusters to collect from: configure resilience.clusters (or kubernetes.clusterLocatorMethods)',
          );
        }
        const clients = new Map<string, ClusterClient>();
        const collectors = new Map<string, ClusterCollector>();
        for (const cluster of clusters) {
          const clusterLogger = logger.child({ cluster: cluster.name });
          const client = ClusterClient.create({
            cluster,
            pageSize,
            logger: clusterLogger,
          });
          clients.set(cluster.name, client);
          const collector = ClusterCollector.create({
            client,
            veleroNamespace: cluster.veleroNamespace,
            store,
            logger: clusterLogger,
            historyRetentionMs,
          });
          collectors.set(cluster.name, collector);
          if (watch) {
            // Every replica watches; the first to store a change scores what it changed, the
            // others find it stored (nothing written, nothing scored).
            const scope = clusterScope(cluster.name);
            const version = async () =>
              (await store.getInputVersions([scope])).get(scope);
            const watcher = new ClusterWatcher({
              client,
              resources: watchedResources(cluster.veleroNamespace),
              logger: clusterLogger,
              onChange: async ({ changes, relist }) => {
                const before = await version();
                const since = new Date();
                await collector.applyChanges(changes);
                await collector.collectSources(relist);
                // Only the entities whose stored results read what changed.
                if ((await version()) !== before) {
                  await scoreKeeper.recomputeChanged(since);
                }
              },
            });
            lifecycle.addStartupHook(() => watcher.start());
            lifecycle.addShutdownHook(() => watcher.stop());
          }
          // One task per cluster: the scheduler runs each on one replica at a time and spreads
          // the tasks over the replicas.
          await scheduler.scheduleTask({
            id: collectionTaskId(cluster.name),
            ...schedule,
            fn: async () => {
              await collector.collect();
              await rescore();
            },
          });
        }

        const renewer = CertificateRenewer.create({
          store,
          clients,
          logger,
          auditor,
          timeoutMs: renewal.timeoutMs,
          // The renewed certificate shows at once, not at the cluster's next collection.
          onRenewed: async cluster => {
            await collectors.get(cluster)?.collectSources(CERTIFICATE_SOURCES);
          },
        });
        // Any replica follows the renewals in progress, one at a time, from the stored state.
        await scheduler.scheduleTask({
          id: 'resilience-follow-certificate-renewals',
          frequency: { milliseconds: renewal.followIntervalMs },
          timeout: { minutes: 1 },
          fn: () => renewer.advance(),
        });

        // Restore tests: any replica advances them, one step a pass, under a lease per test.
        const restoreTests = readRestoreTestConfig(
          config,
          clusters.map(c => c.name),
        );
        const runner = RestoreTestRunner.create({
          store,
          clusters: new Map(
            clusters
              .filter(c => !restoreTests.disabledClusters.includes(c.name))
              .map(c => [
                c.name,
                {
                  client: clients.get(c.name)!,
                  veleroNamespace: c.veleroNamespace,
                },
              ]),
          ),
          settings: {
            timeoutMs: restoreTests.timeoutMs,
            leaseMs: restoreTests.leaseMs,
            concurrency: restoreTests.concurrency,
          },
          owner: `${hostname()}-${randomUUID()}`,
          logger: logger.child({ task: RESTORE_TESTS_TASK_ID }),
          onFinished: async test => {
            const event = await auditor.createEvent({
              eventId: 'restore-test-outcome',
              severityLevel: 'medium',
              meta: {
                testId: test.id,
                entityRef: test.entityRef,
                cluster: test.cluster,
                backupName: test.backupName,
                createdBy: test.createdBy,
                outcome: test.outcome,
                rtoSeconds: test.rtoSeconds ?? null,
              },
            });
            if (test.outcome === 'succeeded') {
              await event.success();
            } else {
              await event.fail({
                error: new Error(test.outcomeMessage ?? String(test.outcome)),
              });
            }
            // The Recovery pillar changed.
            await rescore();
          },
        });
        await scheduler.scheduleTask({
          id: RESTORE_TESTS_TASK_ID,
          frequency: { milliseconds: restoreTests.followIntervalMs },
          timeout: { minutes: 5 },
          fn: () => runner.tick(),
        });
        // What a crash or a lost database row left behind, whatever the cause.
        await scheduler.scheduleTask({
          id: 'resilience-restore-test-sweep',
          frequency: { minutes: 10 },
          timeout: { minutes: 5 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            await runner.sweep();
          },
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            catalog,
            store,
            permissions,
            ownership,
            scheduler,
            clusters: clusters.map(c => c.name),
            policies,
            collectionTaskId,
            renewer,
            auditor,
            auth,
            sast,
            scoreKeeper,
            gradeBounds: scoring.gradeBounds,
            logger,
            restoreTests,
            restoreTestTaskId: RESTORE_TESTS_TASK_ID,
            entityCacheTtlMs: readEntityCacheTtl(config),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
