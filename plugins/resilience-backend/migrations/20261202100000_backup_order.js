/*
 * Backups in Velero's order. Velero calls the backup with the latest `status.startTimestamp` the
 * most recent (its restore controller's `mostRecentCompletedBackup`), while backup sync recreates
 * every Backup from object storage with the sync time as `metadata.creationTimestamp`. Each row
 * keeps the time it is ordered by, its start, or its creation while it has not started, so that
 * "the newest backups of a cluster" is one indexed range read on SQLite and PostgreSQL alike.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('resilience_backups', table => {
    table
      .timestamp('ordered_at', { useTz: true })
      .nullable()
      .comment(
        'status.startTimestamp, else metadata.creationTimestamp: what backups are ordered by',
      );
  });
  await knex('resilience_backups').update({
    ordered_at: knex.raw('coalesce(started_at, created_at)'),
  });
  // The order of the queries, `ordered_at DESC NULLS LAST, name DESC`, so that PostgreSQL reads
  // the index forwards and stops after a page; SQLite sorts NULLs first in ascending order, so
  // its DESC already puts them last, and it has no NULLS clause in an index.
  const nullsLast = knex.client.dialect === 'postgresql' ? ' NULLS LAST' : '';
  await knex.raw(
    `CREATE INDEX resilience_backups_ordered_idx
       ON resilience_backups (cluster, ordered_at DESC${nullsLast}, name DESC)`,
  );
  await knex.raw(
    `CREATE INDEX resilience_backups_phase_ordered_idx
       ON resilience_backups (cluster, phase, ordered_at DESC${nullsLast}, name DESC)`,
  );
  await knex.schema.alterTable('resilience_backups', table => {
    table.dropIndex(
      ['cluster', 'created_at'],
      'resilience_backups_created_idx',
    );
    table.dropIndex(
      ['cluster', 'phase', 'completed_at'],
      'resilience_backups_completed_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('resilience_backups', table => {
    table.index(['cluster', 'created_at'], 'resilience_backups_created_idx');
    table.index(
      ['cluster', 'phase', 'completed_at'],
      'resilience_backups_completed_idx',
    );
    table.dropIndex([], 'resilience_backups_phase_ordered_idx');
    table.dropIndex([], 'resilience_backups_ordered_idx');
    table.dropColumn('ordered_at');
  });
};
