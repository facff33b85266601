/*
 * Certificate renewals asked for from the portal: one row per request, followed until cert-manager
 * has issued a new revision and reports it Ready, or until it failed or timed out.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_certificate_renewals', table => {
    table.comment('Certificate renewals asked for from the portal');
    table.string('id', 36).primary().comment('Renewal id (a UUID)');
    table
      .string('cluster', 63)
      .notNullable()
      .comment('Configured cluster name');
    table
      .string('namespace', 253)
      .notNullable()
      .comment("The Certificate's namespace");
    table.string('name', 253).notNullable().comment("The Certificate's name");
    table
      .string('entity_ref', 510)
      .notNullable()
      .comment('The catalog entity the renewal was asked for on');
    table
      .string('requested_by', 510)
      .notNullable()
      .comment('The user who asked, as an entity reference');
    table
      .timestamp('requested_at', { useTz: true })
      .notNullable()
      .comment('When it was asked for');
    table
      .string('state', 16)
      .notNullable()
      .comment('in-progress, succeeded or failed');
    table
      .integer('previous_revision')
      .nullable()
      .comment('status.revision of the Certificate before the renewal');
    table
      .integer('revision')
      .nullable()
      .comment('status.revision of the new certificate, once Ready');
    table
      .timestamp('not_after', { useTz: true })
      .nullable()
      .comment('status.notAfter of the new certificate, once Ready');
    table
      .text('message')
      .notNullable()
      .comment('What is happening or what went wrong');
    table
      .timestamp('finished_at', { useTz: true })
      .nullable()
      .comment('When it succeeded or failed; null while in progress');
    table.index(
      ['cluster', 'namespace', 'name'],
      'resilience_renewals_cert_idx',
    );
    table.index(['state'], 'resilience_renewals_state_idx');
  });
  // At most one renewal in progress per Certificate, also across replicas: the second insert
  // fails on this index and the API answers 409.
  await knex.raw(
    `CREATE UNIQUE INDEX resilience_renewals_one_in_progress
       ON resilience_certificate_renewals (cluster, namespace, name)
       WHERE state = 'in-progress'`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_certificate_renewals');
};
