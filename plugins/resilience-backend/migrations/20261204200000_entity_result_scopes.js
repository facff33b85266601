/*
 * Which input scopes each stored entity result was evaluated from, indexed by scope, and when
 * each scope's version changed, indexed by time: the entities a change is about are then found
 * without reading the catalog, and only those are scored after a watched change. The results
 * stored before are a cache whose scopes are not known: removed, each entity is evaluated again
 * when it is next read or scored.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_entity_result_scopes', table => {
    table.comment(
      'The input scopes of each stored entity result (its own, its mapping reads, its dependencies)',
    );
    table.string('scope', 520).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.primary(['scope', 'entity_ref']);
    table.index(['entity_ref'], 'resilience_entity_result_scopes_entity_idx');
  });
  await knex.schema.alterTable('resilience_input_versions', table => {
    table.index(['changed_at'], 'resilience_input_versions_changed_at_idx');
  });
  await knex('resilience_entity_results').delete();
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('resilience_input_versions', table => {
    table.dropIndex(['changed_at'], 'resilience_input_versions_changed_at_idx');
  });
  await knex.schema.dropTable('resilience_entity_result_scopes');
};
