/*
 * Stored entity results: what the entity view, the score and the card show, evaluated when the
 * inputs change instead of per request. An input's version changes with its content: a cluster's
 * with any of its listings (or a source's state), an entity's with its SAST uploads, restore tests
 * and certificate renewals. A result is served while the versions it was evaluated from are
 * current and the clock has not reached the next instant one of its verdicts changes.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_input_versions', table => {
    table.comment('The current version of each input of the stored results');
    table
      .string('scope', 520)
      .primary()
      .comment('cluster:<name> or entity:<entity ref>');
    table
      .string('version', 64)
      .notNullable()
      .comment('Changes, to a new random value, whenever the input does');
    table
      .timestamp('changed_at', { useTz: true })
      .notNullable()
      .comment('When it last changed');
  });

  await knex.schema.createTable('resilience_entity_results', table => {
    table.comment('The latest evaluation of each catalog entity');
    table
      .string('entity_ref', 510)
      .primary()
      .comment('The catalog entity the result is about');
    table
      .string('inputs', 64)
      .notNullable()
      .comment(
        'Digest of the entity, the configuration and the versions of the inputs evaluated',
      );
    table
      .text('view')
      .notNullable()
      .comment('The entity view as JSON, without the live collection status');
    table.text('score').notNullable().comment('The entity score as JSON');
    table.string('tier', 255).notNullable().comment('The scoring tier');
    table
      .boolean('storable')
      .notNullable()
      .comment('False while a source the entity needs was never collected');
    table
      .timestamp('computed_at', { useTz: true })
      .notNullable()
      .comment('The time the result was evaluated at');
    table
      .timestamp('next_flip_at', { useTz: true })
      .nullable()
      .comment('The next instant a verdict changes with the clock, if any');
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment(
        'The longest the result is served without being evaluated again',
      );
    table.index(['next_flip_at'], 'resilience_entity_results_flip_idx');
  });

  await knex.schema.alterTable('resilience_collection_status', table => {
    table
      .string('content_hash', 64)
      .nullable()
      .comment('SHA-256 of the facts of the latest successful listing');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('resilience_collection_status', table => {
    table.dropColumn('content_hash');
  });
  await knex.schema.dropTable('resilience_entity_results');
  await knex.schema.dropTable('resilience_input_versions');
};
