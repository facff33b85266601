import { LoggerService } from '@backstage/backend-plugin-api';
import {
  FINAL_RESTORE_TEST_STATES,
  RestoreTestVerification,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceStore,
  RestoreTestUpdate,
  StoredRestoreTest,
} from '../database/ResilienceStore';
import { ClusterClient, KubernetesObject } from '../kubernetes/ClusterClient';
import { KubernetesRequestError } from '../kubernetes/errors';
import {
  namespaceManifest,
  RESTORE_TEST_ID_LABEL,
  restoreManifest,
} from './manifests';
import {
  nextRestoreTestStep,
  RestoreTestAction,
  RestoreTestObservation,
  RestoreTestStep,
  stepOnActionError,
  VeleroRestoreStatus,
} from './stateMachine';

/** How restore tests are run. */
export interface RestoreTestSettings {
  /** How long the restore and its verification may take together. */
  timeoutMs: number;
  /** How long a replica holds a test between two steps before another may take it over. */
  leaseMs: number;
  /** How many tests of one cluster may restore, verify or clean up at once; others wait. */
  concurrency: number;
}

/** A cluster restore tests run in. */
export interface RestoreTestCluster {
  client: ClusterClient;
  veleroNamespace: string;
}

const RESTORES = { group: 'velero.io', version: 'v1', plural: 'restores' };

/** At most this many tests are advanced by one replica in one pass. */
const TESTS_PER_PASS = 20;

const isReason = (error: unknown, reason: KubernetesRequestError['reason']) =>
  error instanceof KubernetesRequestError && error.reason === reason;

const count = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** What the state machine reads of a Velero Restore as the API server returned it. */
export function veleroRestoreStatus(
  restore: KubernetesObject,
): VeleroRestoreStatus {
  const status = (restore.status ?? {}) as Record<string, unknown>;
  const progress = (status.progress ?? {}) as Record<string, unknown>;
  return {
    phase: typeof status.phase === 'string' ? status.phase : undefined,
    // Velero leaves zero counts out.
    warnings: count(status.warnings) ?? 0,
    errors: count(status.errors) ?? 0,
    failureReason:
      typeof status.failureReason === 'string'
        ? status.failureReason
        : undefined,
    validationErrors: Array.isArray(status.validationErrors)
      ? status.validationErrors.map(String)
      : undefined,
    itemsRestored: count(progress.itemsRestored),
  };
}

/**
 * Advances restore tests, one step each per pass, from the state stored in the database and what
 * the cluster shows: any replica can run it, since each test is held by one replica at a time
 * (a lease in the database) and every step is decided again from the stored state and the
 * cluster, so a replica that takes over after a crash goes on where the other stopped. Creating
 * is idempotent (an object that exists with the test's id label is the test's own), and deleting
 * touches only what carries that label.
 */
export class RestoreTestRunner {
  private constructor(
    private readonly options: {
      store: ResilienceStore;
      clusters: Map<string, RestoreTestCluster>;
      settings: RestoreTestSettings;
      /** This replica, as lease owner. */
      owner: string;
      logger: LoggerService;
      /** Told of every test that ended, once. */
      onFinished?: (test: StoredRestoreTest) => Promise<void>;
    },
  ) {}

  static create(options: RestoreTestRunner['options']): RestoreTestRunner {
    return new RestoreTestRunner(options);
  }

  /** One pass: claims the tests this replica may advance, and advances each by one step. */
  async tick(now = new Date()): Promise<void> {
    const { store, owner, settings, logger } = this.options;
    const claimed = await store.claimRestoreTests({
      owner,
      now,
      leaseMs: settings.leaseMs,
      limit: TESTS_PER_PASS,
    });
    for (const test of claimed) {
      try {
        await this.advance(test, now);
      } catch (error) {
        // The next pass tries again from the stored state (a lease lost to another replica ends
        // here too: that replica goes on).
        logger.warn(
          `Restore test ${test.id} of ${test.entityRef} could not advance: ${
            (error as Error).message
          }`,
        );
      }
    }
  }

  /**
   * Deletes what restore tests left behind: namespaces and Velero Restores labelled with a test
   * id whose test is over, or unknown to the database (a database restored from an old backup,
   * say) and older than twice the timeout: another portal sharing the cluster may have a test in
   * flight that this database does not know. What belongs to a test in flight is its own to
   * clean up. Returns how many objects it deleted.
   */
  async sweep(now = new Date()): Promise<number> {
    const { store, logger, settings } = this.options;
    let deleted = 0;
    const leftover = async (object: KubernetesObject) => {
      const id = object.metadata?.labels?.[RESTORE_TEST_ID_LABEL];
      if (!id) return false;
      const test = await store.getRestoreTest(id);
      if (test) return FINAL_RESTORE_TEST_STATES.includes(test.state);
      const created = Date.parse(object.metadata?.creationTimestamp ?? '');
      return (
        Number.isFinite(created) &&
        now.getTime() - created > 2 * settings.timeoutMs
      );
    };
    for (const [name, cluster] of this.options.clusters) {
      try {
        const { client, veleroNamespace } = cluster;
        const restores = await client.listCustomObjects({
          ...RESTORES,
          namespace: veleroNamespace,
          labelSelector: RESTORE_TEST_ID_LABEL,
        });
        for (const restore of restores) {
          if (await leftover(restore)) {
            await this.ignoringGone(() =>
              client.deleteCustomObject({
                ...RESTORES,
                namespace: veleroNamespace,
                name: restore.metadata!.name!,
              }),
            );
            deleted += 1;
          }
        }
        const namespaces = await client.listNamespaces({
          labelSelector: RESTORE_TEST_ID_LABEL,
        });
        for (const namespace of namespaces) {
          if (
            namespace.status?.phase !== 'Terminating' &&
            // V1Namespace's metadata dates are Dates; the helper reads strings.
            (await leftover({
              metadata: {
                labels: namespace.metadata?.labels,
                creationTimestamp: namespace.metadata?.creationTimestamp
                  ? new Date(namespace.metadata.creationTimestamp).toISOString()
                  : undefined,
              },
            }))
          ) {
            await this.ignoringGone(() =>
              client.deleteNamespace(namespace.metadata!.name!),
            );
            deleted += 1;
          }
        }
      } catch (error) {
        logger.warn(
          `Could not sweep the leftovers of restore tests in cluster ${name}: ${
            (error as Error).message
          }`,
        );
      }
    }
    if (deleted > 0) {
      logger.info(`Deleted ${deleted} leftover(s) of restore tests`);
    }
    return deleted;
  }

  private async advance(test: StoredRestoreTest, now: Date): Promise<void> {
    const { store, owner, settings } = this.options;
    const cluster = this.options.clusters.get(test.cluster);
    if (!cluster) {
      throw new Error(`cluster "${test.cluster}" is not configured`);
    }
    if (test.state === 'pending' && !test.cancelRequested) {
      const active = await store.countRestoreTests({
        cluster: test.cluster,
        states: ['restoring', 'verifying', 'cleaning-up'],
      });
      if (active >= settings.concurrency) {
        // Queued: the cluster runs as many tests as it may; this one waits for a slot.
        return;
      }
    }
    const observation = await this.observe(test, cluster);
    let step: RestoreTestStep = nextRestoreTestStep({
      test,
      observation,
      now,
      timeoutMs: settings.timeoutMs,
    });
    let restoreCreatedAt: Date | undefined;
    for (const action of step.actions) {
      try {
        restoreCreatedAt =
          (await this.act(test, action, cluster, now)) ?? restoreCreatedAt;
      } catch (error) {
        step = stepOnActionError({
          test,
          action,
          error: (error as Error).message,
        });
        break;
      }
    }
    const update: RestoreTestUpdate = {
      state: step.state,
      outcome: step.outcome,
      message: step.message,
      restoreCreatedAt,
      rtoSeconds: step.rtoSeconds,
      velero: step.velero,
      verification: step.verification,
    };
    if (step.state === 'cleaning-up' && step.outcome && !test.outcome) {
      update.outcomeMessage = step.message;
    }
    await store.advanceRestoreTest({
      id: test.id,
      owner,
      now,
      leaseMs: settings.leaseMs,
      update,
    });
    if (FINAL_RESTORE_TEST_STATES.includes(step.state)) {
      const finished = await store.getRestoreTest(test.id);
      if (finished) await this.options.onFinished?.(finished);
    }
  }

  /** What the cluster shows of the test, for its current state. */
  private async observe(
    test: StoredRestoreTest,
    cluster: RestoreTestCluster,
  ): Promise<RestoreTestObservation> {
    const { client } = cluster;
    const targets = Object.values(test.namespaceMapping);
    switch (test.state) {
      case 'pending': {
        const existingNamespaces: string[] = [];
        for (const name of targets) {
          const existing = await this.namespaceOf(client, name);
          // The test's own (a replica died after creating it) is not "existing".
          if (existing !== undefined && existing !== test.id) {
            existingNamespaces.push(name);
          }
        }
        return { state: 'pending', existingNamespaces };
      }
      case 'restoring': {
        const restore = await this.restoreOf(test, cluster);
        return {
          state: 'restoring',
          restore: restore && veleroRestoreStatus(restore),
        };
      }
      case 'verifying':
        return {
          state: 'verifying',
          verification: await this.verification(client, targets),
        };
      case 'cleaning-up': {
        const restore = await this.restoreOf(test, cluster);
        const left = await client.listNamespaces({
          labelSelector: `${RESTORE_TEST_ID_LABEL}=${test.id}`,
        });
        return {
          state: 'cleaning-up',
          restoreExists: restore !== undefined,
          namespacesLeft: left.map(n => n.metadata!.name!).sort(),
        };
      }
      default:
        throw new Error(`a ${test.state} test has nothing to observe`);
    }
  }

  /** The test id label of a namespace, '' when it has none, undefined when it does not exist. */
  private async namespaceOf(
    client: ClusterClient,
    name: string,
  ): Promise<string | undefined> {
    try {
      const namespace = await client.getNamespace(name);
      return namespace.metadata?.labels?.[RESTORE_TEST_ID_LABEL] ?? '';
    } catch (error) {
      if (isReason(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** The test's Restore, when it exists and is the test's own. */
  private async restoreOf(
    test: StoredRestoreTest,
    cluster: RestoreTestCluster,
  ): Promise<KubernetesObject | undefined> {
    try {
      const restore = await cluster.client.getCustomObject({
        ...RESTORES,
        namespace: cluster.veleroNamespace,
        name: test.restoreName,
      });
      return restore.metadata?.labels?.[RESTORE_TEST_ID_LABEL] === test.id
        ? restore
        : undefined;
    } catch (error) {
      if (isReason(error, 'not-found')) return undefined;
      throw error;
    }
  }

  private async verification(
    client: ClusterClient,
    namespaces: string[],
  ): Promise<RestoreTestVerification> {
    const verification: RestoreTestVerification = { pvcs: [], workloads: [] };
    for (const namespace of namespaces) {
      for (const pvc of await client.listNamespacedPersistentVolumeClaims(
        namespace,
      )) {
        verification.pvcs.push({
          namespace,
          name: pvc.metadata?.name ?? '',
          phase: pvc.status?.phase ?? 'Unknown',
        });
      }
      const workloads = [
        ...(await client.listDeployments(namespace)).map(w => ({
          kind: 'Deployment' as const,
          w,
        })),
        ...(await client.listStatefulSets(namespace)).map(w => ({
          kind: 'StatefulSet' as const,
          w,
        })),
      ];
      for (const { kind, w } of workloads) {
        verification.workloads.push({
          kind,
          namespace,
          name: w.metadata?.name ?? '',
          replicas: w.spec?.replicas ?? 1,
          available: w.status?.availableReplicas ?? 0,
        });
      }
    }
    return verification;
  }

  /**
   * Carries out one action; returns when the Restore was created, for `create-restore`.
   * Idempotent: what exists with the test's id label is the test's own.
   */
  private async act(
    test: StoredRestoreTest,
    action: RestoreTestAction,
    cluster: RestoreTestCluster,
    now: Date,
  ): Promise<Date | undefined> {
    const { client, veleroNamespace } = cluster;
    switch (action.type) {
      case 'create-namespaces':
        for (const name of action.namespaces) {
          const existing = await this.namespaceOf(client, name);
          if (existing === test.id) continue;
          if (existing !== undefined) {
            throw new Error(
              `namespace ${name} exists and is not this test's; it was left alone`,
            );
          }
          await client.createNamespace(
            namespaceManifest({
              name,
              testId: test.id,
              entityRef: test.entityRef,
            }),
          );
        }
        return undefined;
      case 'create-restore': {
        const own = await this.restoreOf(test, cluster);
        if (own) {
          return new Date(own.metadata?.creationTimestamp ?? now);
        }
        await client.createCustomObject({
          ...RESTORES,
          namespace: veleroNamespace,
          body: restoreManifest({
            name: test.restoreName,
            veleroNamespace,
            testId: test.id,
            entityRef: test.entityRef,
            backupName: test.backupName,
            namespaceMapping: test.namespaceMapping,
          }),
        });
        return now;
      }
      case 'delete-restore':
        if (await this.restoreOf(test, cluster)) {
          await this.ignoringGone(() =>
            client.deleteCustomObject({
              ...RESTORES,
              namespace: veleroNamespace,
              name: test.restoreName,
            }),
          );
        }
        return undefined;
      case 'delete-namespaces':
        for (const name of action.namespaces) {
          // Only what the test created: a namespace without its id label is never deleted.
          if ((await this.namespaceOf(client, name)) === test.id) {
            await this.ignoringGone(() => client.deleteNamespace(name));
          }
        }
        return undefined;
      default:
        throw new Error(`unknown action ${(action as { type: string }).type}`);
    }
  }

  /** A delete of what is gone, or is being deleted already, has done its job. */
  private async ignoringGone(remove: () => Promise<void>): Promise<void> {
    try {
      await remove();
    } catch (error) {
      if (!isReason(error, 'not-found') && !isReason(error, 'conflict')) {
        throw error;
      }
    }
  }
}
