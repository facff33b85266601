/*
 * Restore tests: a Velero Restore of one backup into throw-away namespaces, verified, timed and
 * cleaned up. One row per test with its current state, advanced by a scheduled task on any
 * replica that holds the test's lease, and one row per state it went through.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_restore_tests', table => {
    table.comment('Restore tests started from the portal');
    table.string('id', 36).primary().comment('Test id (a UUID)');
    table
      .string('entity_ref', 510)
      .notNullable()
      .comment('The catalog entity whose backup is tested');
    table
      .string('cluster', 63)
      .notNullable()
      .comment('Configured cluster name');
    table
      .string('backup_name', 253)
      .notNullable()
      .comment('The Velero Backup restored');
    table
      .string('state', 16)
      .notNullable()
      .comment(
        'pending, restoring, verifying, cleaning-up, succeeded, failed or cancelled',
      );
    table
      .string('outcome', 16)
      .nullable()
      .comment(
        'succeeded, failed or cancelled, once known (before clean-up ends)',
      );
    table
      .text('outcome_message')
      .nullable()
      .comment('Why the outcome is what it is');
    table
      .boolean('cancel_requested')
      .notNullable()
      .defaultTo(false)
      .comment('Somebody asked to cancel the test');
    table
      .text('namespace_mapping')
      .notNullable()
      .comment('JSON object: source namespace to test namespace');
    table
      .string('restore_name', 253)
      .notNullable()
      .comment("The Velero Restore's name (in Velero's namespace)");
    table
      .string('created_by', 510)
      .notNullable()
      .comment('The user who started it, as an entity reference');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When it was started');
    table
      .timestamp('restore_created_at', { useTz: true })
      .nullable()
      .comment(
        'When the Velero Restore was created: the start of the RTO and the timeout',
      );
    table
      .timestamp('finished_at', { useTz: true })
      .nullable()
      .comment('When clean-up was confirmed and the test ended');
    table
      .integer('rto_seconds')
      .nullable()
      .comment(
        'Restore creation to the end of verification, when it succeeded',
      );
    table
      .text('velero')
      .nullable()
      .comment(
        "JSON: the Restore's phase, warnings, errors and failure reason",
      );
    table
      .text('verification')
      .nullable()
      .comment('JSON: the restored claims and workloads, and their readiness');
    table
      .string('lease_owner', 64)
      .nullable()
      .comment('The replica advancing the test now');
    table
      .timestamp('lease_expires_at', { useTz: true })
      .nullable()
      .comment('Until when; another replica takes the test over after it');
    table.index(
      ['entity_ref', 'created_at'],
      'resilience_restore_tests_entity_idx',
    );
    table.index(['state'], 'resilience_restore_tests_state_idx');
    table.index(['cluster', 'state'], 'resilience_restore_tests_cluster_idx');
  });
  // At most one unfinished test per entity, also across replicas: a second insert fails on this
  // index and the API answers 409.
  await knex.raw(
    `CREATE UNIQUE INDEX resilience_restore_tests_one_running
       ON resilience_restore_tests (entity_ref)
       WHERE state NOT IN ('succeeded', 'failed', 'cancelled')`,
  );
  await knex.schema.createTable(
    'resilience_restore_test_transitions',
    table => {
      table.comment('Every state each restore test went through');
      table
        .string('test_id', 36)
        .notNullable()
        .references('id')
        .inTable('resilience_restore_tests')
        .onDelete('CASCADE')
        .comment('The restore test');
      table
        .integer('seq')
        .notNullable()
        .comment('Order of the transition within its test, from 0');
      table.string('state', 16).notNullable().comment('The state entered');
      table
        .timestamp('at', { useTz: true })
        .notNullable()
        .comment('When it was entered');
      table.text('message').notNullable().comment('What happened');
      table.primary(['test_id', 'seq']);
    },
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_restore_test_transitions');
  await knex.schema.dropTable('resilience_restore_tests');
};
