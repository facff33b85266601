import { ConflictError } from '@backstage/errors';
import {
  FINAL_RESTORE_TEST_STATES,
  RestoreTestOutcome,
  RestoreTestState,
  RestoreTestVeleroOutcome,
  RestoreTestVerification,
} from '@resilience-for-backstage/plugin-resilience-common';
import { Knex } from 'knex';
import { isUniqueViolation, Row, toDate } from './rows';

/** A restore test as stored; see the API's `RestoreTestSummary`. */
export interface StoredRestoreTest {
  id: string;
  entityRef: string;
  cluster: string;
  backupName: string;
  state: RestoreTestState;
  outcome?: RestoreTestOutcome;
  outcomeMessage?: string;
  cancelRequested: boolean;
  namespaceMapping: Record<string, string>;
  restoreName: string;
  createdBy: string;
  createdAt: Date;
  restoreCreatedAt?: Date;
  finishedAt?: Date;
  rtoSeconds?: number;
  velero?: RestoreTestVeleroOutcome;
  verification?: RestoreTestVerification;
  transitions: Array<{ state: RestoreTestState; at: Date; message: string }>;
}

/** What changes when a test advances; absent fields keep their stored value. */
export interface RestoreTestUpdate {
  state: RestoreTestState;
  outcome?: RestoreTestOutcome;
  outcomeMessage?: string;
  /** Stored as a transition when `state` differs from the stored one. */
  message?: string;
  restoreCreatedAt?: Date;
  rtoSeconds?: number;
  velero?: StoredRestoreTest['velero'];
  verification?: RestoreTestVerification;
}

const TESTS = 'resilience_restore_tests';
const TRANSITIONS = 'resilience_restore_test_transitions';

function json<T>(value: unknown): T | undefined {
  return typeof value === 'string' ? (JSON.parse(value) as T) : undefined;
}

function fromRow(
  row: Row,
  transitions: StoredRestoreTest['transitions'],
): StoredRestoreTest {
  const optional = <T>(value: T | null | undefined) =>
    value === null ? undefined : value;
  return {
    id: String(row.id),
    entityRef: String(row.entity_ref),
    cluster: String(row.cluster),
    backupName: String(row.backup_name),
    state: row.state as RestoreTestState,
    outcome: optional(row.outcome as RestoreTestOutcome | null),
    outcomeMessage: optional(row.outcome_message as string | null),
    cancelRequested: Boolean(row.cancel_requested),
    namespaceMapping: json<Record<string, string>>(row.namespace_mapping) ?? {},
    restoreName: String(row.restore_name),
    createdBy: String(row.created_by),
    createdAt: toDate(row.created_at)!,
    restoreCreatedAt: toDate(row.restore_created_at),
    finishedAt: toDate(row.finished_at),
    rtoSeconds:
      row.rto_seconds === null || row.rto_seconds === undefined
        ? undefined
        : Number(row.rto_seconds),
    velero: json(row.velero),
    verification: json(row.verification),
    transitions,
  };
}

async function withTransitions(
  db: Knex | Knex.Transaction,
  rows: Row[],
): Promise<StoredRestoreTest[]> {
  if (rows.length === 0) return [];
  const ids = rows.map(r => String(r.id));
  const transitions = await db(TRANSITIONS)
    .whereIn('test_id', ids)
    .orderBy(['test_id', 'seq']);
  const byTest = new Map<string, StoredRestoreTest['transitions']>();
  for (const t of transitions) {
    const list = byTest.get(t.test_id) ?? [];
    list.push({
      state: t.state as RestoreTestState,
      at: toDate(t.at)!,
      message: String(t.message),
    });
    byTest.set(t.test_id, list);
  }
  return rows.map(row => fromRow(row, byTest.get(String(row.id)) ?? []));
}

/** Stores a new test, `pending`, with its first transition. */
export async function createRestoreTest(
  db: Knex,
  test: Omit<
    StoredRestoreTest,
    'state' | 'cancelRequested' | 'transitions' | 'finishedAt'
  > & { message: string },
): Promise<void> {
  try {
    await insertRestoreTest(db, test);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        `A restore test of ${test.entityRef} is running already; wait for it or cancel it`,
      );
    }
    throw error;
  }
}

async function insertRestoreTest(
  db: Knex,
  test: Parameters<typeof createRestoreTest>[1],
): Promise<void> {
  await db.transaction(async trx => {
    await trx(TESTS).insert({
      id: test.id,
      entity_ref: test.entityRef,
      cluster: test.cluster,
      backup_name: test.backupName,
      state: 'pending',
      cancel_requested: false,
      namespace_mapping: JSON.stringify(test.namespaceMapping),
      restore_name: test.restoreName,
      created_by: test.createdBy,
      created_at: test.createdAt,
    });
    await trx(TRANSITIONS).insert({
      test_id: test.id,
      seq: 0,
      state: 'pending',
      at: test.createdAt,
      message: test.message,
    });
  });
}

export async function getRestoreTest(
  db: Knex,
  id: string,
): Promise<StoredRestoreTest | undefined> {
  const row = await db(TESTS).where({ id }).first();
  return row ? (await withTransitions(db, [row]))[0] : undefined;
}

/** The latest tests of an entity, newest first. */
export async function listRestoreTests(
  db: Knex,
  options: { entityRef: string; limit: number },
): Promise<StoredRestoreTest[]> {
  const rows = await db(TESTS)
    .where({ entity_ref: options.entityRef })
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(options.limit);
  return withTransitions(db, rows);
}

/** How many tests of a cluster are in the given states. */
export async function countRestoreTests(
  db: Knex,
  options: { cluster: string; states: RestoreTestState[] },
): Promise<number> {
  const row = await db(TESTS)
    .where({ cluster: options.cluster })
    .whereIn('state', options.states)
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

/**
 * Takes the lease of unfinished tests whose lease is free or has expired, oldest first: each
 * test is claimed by one replica at a time, and a replica that died mid-test loses its tests to
 * another when their lease expires. Each claim is one conditional update, so two replicas that
 * race for a test cannot both win it.
 */
export async function claimRestoreTests(
  db: Knex,
  options: { owner: string; now: Date; leaseMs: number; limit: number },
): Promise<StoredRestoreTest[]> {
  const { owner, now, leaseMs, limit } = options;
  const free = (q: Knex.QueryBuilder) =>
    q
      .whereNotIn('state', FINAL_RESTORE_TEST_STATES as RestoreTestState[])
      .andWhere(inner =>
        inner
          .whereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<', now)
          .orWhere('lease_owner', owner),
      );
  const candidates = await free(db(TESTS).select('id'))
    .orderBy('created_at')
    .limit(limit);
  const claimed: string[] = [];
  for (const { id } of candidates) {
    const updated = await free(db(TESTS).where({ id })).update({
      lease_owner: owner,
      lease_expires_at: new Date(now.getTime() + leaseMs),
    });
    if (updated === 1) claimed.push(String(id));
  }
  if (claimed.length === 0) return [];
  const rows = await db(TESTS).whereIn('id', claimed).orderBy('created_at');
  return withTransitions(db, rows);
}

/**
 * Stores a step of a test the caller holds the lease of, with a transition when the state
 * changes; a final state also ends the lease and sets `finished_at`.
 *
 * @throws ConflictError when the caller no longer holds the lease (another replica took the
 * test over): nothing is written, so no step is stored twice.
 */
export async function advanceRestoreTest(
  db: Knex,
  options: {
    id: string;
    owner: string;
    now: Date;
    leaseMs: number;
    update: RestoreTestUpdate;
  },
): Promise<void> {
  const { id, owner, now, leaseMs, update } = options;
  await db.transaction(async trx => {
    const current = await trx(TESTS)
      .where({ id, lease_owner: owner })
      .andWhere('lease_expires_at', '>=', now)
      .first();
    if (!current) {
      throw new ConflictError(
        `Restore test ${id} is no longer held by ${owner}; another replica advances it`,
      );
    }
    const final = FINAL_RESTORE_TEST_STATES.includes(update.state);
    const row: Row = {
      state: update.state,
      lease_expires_at: final ? null : new Date(now.getTime() + leaseMs),
      lease_owner: final ? null : owner,
    };
    if (final) row.finished_at = now;
    if (update.outcome !== undefined) row.outcome = update.outcome;
    if (update.outcomeMessage !== undefined) {
      row.outcome_message = update.outcomeMessage;
    }
    if (update.restoreCreatedAt !== undefined) {
      row.restore_created_at = update.restoreCreatedAt;
    }
    if (update.rtoSeconds !== undefined) row.rto_seconds = update.rtoSeconds;
    if (update.velero !== undefined) row.velero = JSON.stringify(update.velero);
    if (update.verification !== undefined) {
      row.verification = JSON.stringify(update.verification);
    }
    await trx(TESTS).where({ id }).update(row);
    if (update.state !== current.state) {
      const last = await trx(TRANSITIONS)
        .where({ test_id: id })
        .max({ seq: 'seq' })
        .first();
      await trx(TRANSITIONS).insert({
        test_id: id,
        seq: Number(last?.seq ?? -1) + 1,
        state: update.state,
        at: now,
        message: update.message ?? '',
      });
    }
  });
}

/**
 * Asks for a test to be cancelled; the replica that advances it acts on it at its next step.
 *
 * @returns false when the test is over (or in clean-up, whose outcome is already known).
 */
export async function requestRestoreTestCancel(
  db: Knex,
  id: string,
): Promise<boolean> {
  const updated = await db(TESTS)
    .where({ id })
    .whereIn('state', ['pending', 'restoring', 'verifying'])
    .update({ cancel_requested: true });
  return updated === 1;
}

/** When the entity's latest test was started, for its rate limit. */
export async function latestRestoreTestAt(
  db: Knex,
  entityRef: string,
): Promise<Date | undefined> {
  const row = await db(TESTS)
    .where({ entity_ref: entityRef })
    .max({ latest: 'created_at' })
    .first();
  return toDate(row?.latest);
}
