import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  CreateRestoreTestRequest,
  EntityResilienceResponse,
  EntityRestoreTestsResponse,
  FINAL_RESTORE_TEST_STATES,
  newestBackupFirst,
  RestoreTestCandidate,
  RestoreTestSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import { randomUUID } from 'node:crypto';
import {
  ResilienceStore,
  StoredRestoreTest,
} from '../database/ResilienceStore';
import { RestoreTestConfig } from '../restore-tests/config';
import { shortId, testNamespaceMapping } from '../restore-tests/manifests';
import { formatDuration } from '../scoring/durations';
import { PolicyConfig, resolveRecoveryPolicy } from '../scoring/policy';

/** How many of an entity's tests its restore-test view lists. */
const LISTED = 20;

const iso = (date?: Date) => date?.toISOString();

/** The API's view of a stored test. */
export function restoreTestSummary(
  test: StoredRestoreTest,
): RestoreTestSummary {
  return {
    id: test.id,
    entityRef: test.entityRef,
    cluster: test.cluster,
    backupName: test.backupName,
    state: test.state,
    outcome: test.outcome,
    namespaceMapping: test.namespaceMapping,
    restoreName: test.restoreName,
    createdBy: test.createdBy,
    createdAt: test.createdAt.toISOString(),
    finishedAt: iso(test.finishedAt),
    rtoSeconds: test.rtoSeconds,
    velero: test.velero,
    verification: test.verification,
    transitions: test.transitions.map(t => ({
      state: t.state,
      at: t.at.toISOString(),
      message: t.message,
    })),
  };
}

/**
 * The backups a test may restore: the entity's `Completed` ones that still exist, newest first in
 * Velero's order (by start), so that the default is the backup Velero itself would call latest.
 */
export function restoreTestCandidates(
  response: EntityResilienceResponse,
): RestoreTestCandidate[] {
  return response.backups
    .filter(b => b.phase === 'Completed' && !b.deletedAt)
    .sort(newestBackupFirst)
    .map(b => ({
      cluster: b.cluster,
      backupName: b.name,
      startedAt: b.startedAt,
      completedAt: b.completedAt,
      mark: b.security?.mark,
    }));
}

/**
 * What a test restores by default: the latest backup marked known-good, which is the one an
 * incident would go back to; else the latest `Completed` one, saying so.
 */
export function defaultCandidate(
  candidates: RestoreTestCandidate[],
  cluster?: string,
): (RestoreTestCandidate & { reason: string }) | undefined {
  const inCluster = candidates.filter(c => !cluster || c.cluster === cluster);
  const knownGood = inCluster.find(c => c.mark === 'known-good');
  if (knownGood) {
    return {
      ...knownGood,
      reason:
        'The latest backup marked known-good: no critical or high finding was open when it was taken.',
    };
  }
  const latest = inCluster[0];
  return (
    latest && {
      ...latest,
      reason:
        'The latest completed backup: none is marked known-good, so this one is tested for restorability, not for a clean state.',
    }
  );
}

/** The median of numbers, or undefined for none. */
function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[mid]
    : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** An entity's restore tests and what a new one would restore. */
export async function entityRestoreTests(options: {
  entity: Entity;
  response: EntityResilienceResponse;
  store: ResilienceStore;
  policies: PolicyConfig;
  config: RestoreTestConfig;
}): Promise<EntityRestoreTestsResponse> {
  const { entity, response, store, config } = options;
  const items = await store.listRestoreTests({
    entityRef: response.entityRef,
    limit: LISTED,
  });
  const candidates = restoreTestCandidates(response).filter(
    c => !config.disabledClusters.includes(c.cluster),
  );
  const recovery = resolveRecoveryPolicy(entity, options.policies);
  return {
    entityRef: response.entityRef,
    items: items.map(restoreTestSummary),
    candidates,
    defaultBackup: defaultCandidate(candidates),
    expectedSeconds: median(
      items.flatMap(t =>
        t.state === 'succeeded' && t.rtoSeconds !== undefined
          ? [t.rtoSeconds]
          : [],
      ),
    ),
    rtoTargetSeconds:
      recovery.rtoKnown && recovery.policy.rtoMs !== undefined
        ? Math.round(recovery.policy.rtoMs / 1000)
        : undefined,
    disabledClusters: config.disabledClusters,
  };
}

/** Reads the body of `POST /restore-tests`. */
export function readCreateRestoreTestRequest(
  body: unknown,
): CreateRestoreTestRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError(
      'Send a JSON object such as {"entityRef": "component:default/ledger"}, with optional "cluster" and "backupName"',
    );
  }
  const { entityRef, cluster, backupName } = body as Record<string, unknown>;
  if (typeof entityRef !== 'string' || !entityRef.trim()) {
    throw new InputError(
      'entityRef is missing: name the entity whose backup to test, for example "component:default/ledger"',
    );
  }
  for (const [key, value] of Object.entries({ cluster, backupName })) {
    if (value !== undefined && (typeof value !== 'string' || !value.trim())) {
      throw new InputError(`${key} must be a non-empty string when given`);
    }
  }
  return {
    entityRef: entityRef.trim(),
    cluster: (cluster as string | undefined)?.trim(),
    backupName: (backupName as string | undefined)?.trim(),
  };
}

/**
 * Checks a request against the entity's backups, the configuration and the entity's other
 * tests, and stores the new test `pending`.
 *
 * @throws InputError for a backup that is not the entity's, a disabled cluster or nothing to
 * restore; ConflictError while another test of the entity runs or too soon after the last.
 */
export async function startRestoreTest(options: {
  entity: Entity;
  response: EntityResilienceResponse;
  request: CreateRestoreTestRequest;
  store: ResilienceStore;
  config: RestoreTestConfig;
  createdBy: string;
  now: Date;
}): Promise<StoredRestoreTest> {
  const { response, request, store, config, now } = options;
  const entityRef = stringifyEntityRef(options.entity);
  if (request.cluster && config.disabledClusters.includes(request.cluster)) {
    throw new InputError(
      `Restore tests are disabled in cluster ${request.cluster} (resilience.restoreTests.disabledClusters)`,
    );
  }
  const candidates = restoreTestCandidates(response).filter(
    c => !config.disabledClusters.includes(c.cluster),
  );
  const byDefault = defaultCandidate(candidates, request.cluster);
  const defaultWhy = (c: RestoreTestCandidate) =>
    `backup ${c.backupName}, by default (${
      c.mark === 'known-good' ? 'the latest known-good' : 'the latest completed'
    })`;
  let chosen: RestoreTestCandidate | undefined;
  let why: string;
  if (request.backupName) {
    chosen = candidates.find(
      c =>
        c.backupName === request.backupName &&
        (!request.cluster || c.cluster === request.cluster),
    );
    if (!chosen) {
      throw new InputError(
        `${request.backupName} is not a completed backup of ${entityRef}${
          request.cluster ? ` in cluster ${request.cluster}` : ''
        } that still exists; GET /entities/.../restore-tests lists the candidates`,
      );
    }
    // The form sends the default too: say so when it is the one.
    why =
      byDefault?.backupName === chosen.backupName &&
      byDefault.cluster === chosen.cluster
        ? defaultWhy(chosen)
        : `backup ${chosen.backupName}, chosen`;
  } else {
    const fallback = byDefault;
    if (!fallback) {
      throw new InputError(
        `${entityRef} has no completed backup to restore${
          request.cluster ? ` in cluster ${request.cluster}` : ''
        }${
          config.disabledClusters.length
            ? ` where restore tests are enabled`
            : ''
        }`,
      );
    }
    chosen = fallback;
    why = defaultWhy(chosen);
  }
  const sources = [
    ...new Set(
      response.pvcs
        .filter(p => p.cluster === chosen!.cluster)
        .map(p => p.namespace),
    ),
  ];
  if (sources.length === 0) {
    throw new InputError(
      `${entityRef} has no persistent volume claim in cluster ${chosen.cluster}: there is no data of it to restore`,
    );
  }
  const recent = await store.listRestoreTests({ entityRef, limit: 1 });
  const last = recent[0];
  if (last && !FINAL_RESTORE_TEST_STATES.includes(last.state)) {
    throw new ConflictError(
      `A restore test of ${entityRef} is running (${last.id}, ${last.state}); wait for it or cancel it`,
    );
  }
  if (last && now.getTime() - last.createdAt.getTime() < config.minIntervalMs) {
    const next = new Date(last.createdAt.getTime() + config.minIntervalMs);
    throw new ConflictError(
      `The last restore test of ${entityRef} started ${formatDuration(
        now.getTime() - last.createdAt.getTime(),
      )} ago; another may start at ${next.toISOString()} (resilience.restoreTests.minInterval is ${formatDuration(
        config.minIntervalMs,
      )})`,
    );
  }
  const id = randomUUID();
  const namespaceMapping = testNamespaceMapping({
    prefix: config.namespacePrefix,
    id,
    sources,
  });
  await store.createRestoreTest({
    id,
    entityRef,
    cluster: chosen.cluster,
    backupName: chosen.backupName,
    namespaceMapping,
    restoreName: `${config.namespacePrefix}${shortId(id)}`,
    createdBy: options.createdBy,
    createdAt: now,
    message: `Started by ${options.createdBy}: ${why}.`,
  });
  return (await store.getRestoreTest(id))!;
}
