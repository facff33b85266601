/*
 * Finer input versions: a listing that stores different facts changes the versions of only the
 * namespaces, kubernetes-id values and shared facts whose facts differ, so that only the entities
 * that read those are evaluated again. The digest of each part of the latest listing of each
 * source is kept to tell which parts differ; a stored result keeps the scopes it found while it
 * was evaluated (the namespaces of an entity mapped by its kubernetes-id).
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_fact_partitions', table => {
    table.comment(
      'The digest of each part of the latest listing of each source of each cluster',
    );
    table.string('cluster', 255).notNullable();
    table.string('source', 64).notNullable();
    table
      .string('part_key', 520)
      .notNullable()
      .comment(
        'namespace:<ns>, kubernetes-id:<id>, selection:<key>, backup:<name> or shared',
      );
    table
      .string('digest', 64)
      .notNullable()
      .comment("SHA-256 of the part's facts");
    table.primary(['cluster', 'source', 'part_key']);
  });
  await knex.schema.alterTable('resilience_entity_results', table => {
    table
      .text('dependencies')
      .nullable()
      .comment(
        'JSON list of the input scopes found while evaluating, besides those of the entity',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('resilience_entity_results', table => {
    table.dropColumn('dependencies');
  });
  await knex.schema.dropTable('resilience_fact_partitions');
};
