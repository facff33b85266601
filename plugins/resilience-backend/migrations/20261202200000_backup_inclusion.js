/*
 * Backups found by index. Backups of one schedule share their selection (namespaces, resource
 * filters, label selectors) with its template, so each distinct selection of a cluster's
 * backups and schedules is judged once per collection against the live claims and the pods that
 * mount them, and the claims it includes are stored. "The newest completed backup that includes claim X" is then an indexed read:
 * the selections that include X, then the cluster's backups of those selections, newest first.
 *
 * - `resilience_backups.selection_key`, `resilience_schedules.selection_key`: the SHA-256 of the
 *   stored `selection` JSON.
 * - `resilience_backup_inclusion`: per cluster and selection, the claims it includes and, when
 *   it includes one only through a pod that mounts it, that pod.
 * - `resilience_backup_inclusion_status`: per cluster, the collection times of the inputs
 *   (backups, schedules, claims, pods) the stored inclusion was computed from, so that a reader can tell
 *   when it is behind them.
 */

// @ts-check

const { createHash } = require('node:crypto');

/** @param {string} selection */
const selectionKey = selection =>
  createHash('sha256').update(selection).digest('hex');

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('resilience_backups', table => {
    table
      .string('selection_key', 64)
      .nullable()
      .comment('SHA-256 of the selection JSON: the key of its included claims');
  });
  await knex.schema.alterTable('resilience_schedules', table => {
    table
      .string('selection_key', 64)
      .nullable()
      .comment("SHA-256 of the template's selection JSON");
    table.index(
      ['cluster', 'selection_key'],
      'resilience_schedules_selection_idx',
    );
  });
  // Rows stored before: one update per distinct selection, which backups of a schedule share.
  for (const name of ['resilience_backups', 'resilience_schedules']) {
    const selections = await knex(name).distinct('selection');
    for (const { selection } of selections) {
      await knex(name)
        .where({ selection })
        .update({ selection_key: selectionKey(selection) });
    }
  }
  const nullsLast = knex.client.dialect === 'postgresql' ? ' NULLS LAST' : '';
  await knex.raw(
    `CREATE INDEX resilience_backups_selection_ordered_idx
       ON resilience_backups (cluster, selection_key, ordered_at DESC${nullsLast}, name DESC)`,
  );
  // The newest completed backups of a selection.
  await knex.raw(
    `CREATE INDEX resilience_backups_selection_phase_ordered_idx
       ON resilience_backups (cluster, selection_key, phase, ordered_at DESC${nullsLast}, name DESC)`,
  );
  // Every read of backups now names the selections; the indexes by cluster and time alone only
  // tempted the planners (SQLite always, PostgreSQL before its statistics are gathered) to walk a
  // cluster's whole history by time and filter it.
  await knex.raw('DROP INDEX resilience_backups_phase_ordered_idx');
  await knex.raw('DROP INDEX resilience_backups_ordered_idx');

  await knex.schema.createTable('resilience_backup_inclusion', table => {
    table.comment(
      'The claims each distinct backup selection of a cluster includes',
    );
    table.string('cluster', 63).notNullable();
    table.string('selection_key', 64).notNullable();
    table
      .string('namespace', 253)
      .notNullable()
      .comment("The claim's namespace");
    table.string('name', 253).notNullable().comment("The claim's name");
    table
      .string('through_pod', 253)
      .nullable()
      .comment('The pod that brings the claim in, when its own labels do not');
    table.primary(['cluster', 'selection_key', 'namespace', 'name']);
    table.index(
      ['cluster', 'namespace', 'name'],
      'resilience_backup_inclusion_claim_idx',
    );
  });
  await knex.schema.createTable('resilience_backup_inclusion_status', table => {
    table.comment(
      'The inputs the stored backup inclusion of a cluster was computed from',
    );
    table.string('cluster', 63).primary();
    table.timestamp('backups_at', { useTz: true }).nullable();
    table.timestamp('schedules_at', { useTz: true }).nullable();
    table.timestamp('claims_at', { useTz: true }).nullable();
    table.timestamp('pods_at', { useTz: true }).nullable();
    table.timestamp('refreshed_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_backup_inclusion_status');
  await knex.schema.dropTable('resilience_backup_inclusion');
  await knex.schema.alterTable('resilience_schedules', table => {
    table.dropIndex([], 'resilience_schedules_selection_idx');
    table.dropColumn('selection_key');
  });
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
    table.dropIndex([], 'resilience_backups_selection_phase_ordered_idx');
    table.dropIndex([], 'resilience_backups_selection_ordered_idx');
    table.dropColumn('selection_key');
  });
};
