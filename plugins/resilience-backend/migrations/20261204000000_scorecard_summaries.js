/*
 * Scorecard summaries: the counts by grade of each group's entities (itself or through the groups
 * below it) and of the organisation's, and their daily trend, written when a score or the
 * ownership map changes, so that a scorecard reads a few rows instead of counting its entities
 * per request. The entities of each group are stored flattened, for the pages of its scorecard.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_group_entities', table => {
    table.comment(
      'Each group with every owned entity it owns, itself or through the groups below it',
    );
    table
      .string('group_key', 510)
      .notNullable()
      .comment('The group, in lower case');
    table.string('entity_ref', 510).notNullable();
    table.primary(['group_key', 'entity_ref']);
    // The groups whose summaries change with a score.
    table.index(['entity_ref'], 'resilience_group_entities_entity_idx');
  });

  await knex.schema.createTable('resilience_scorecard_counts', table => {
    table.comment(
      'The counts by grade of the entities of each group, and of the organisation',
    );
    table
      .string('scope', 510)
      .notNullable()
      .comment('A group (in lower case), or * for the organisation');
    table
      .string('grade', 16)
      .notNullable()
      .comment('The grade; empty for the entities without a score');
    table.integer('entities').notNullable().comment('How many have the grade');
    table.integer('scored').notNullable().comment('How many have a score');
    table.double('total').notNullable().comment('The sum of their scores');
    table.primary(['scope', 'grade']);
  });

  await knex.schema.createTable('resilience_scorecard_trend', table => {
    table.comment(
      'The counts by grade of the daily points of the entities of each group, and of the organisation',
    );
    table
      .string('scope', 510)
      .notNullable()
      .comment('A group (in lower case), or * for the organisation');
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table
      .string('grade', 16)
      .notNullable()
      .comment('The grade; empty for the points without a score');
    table.integer('entities').notNullable().comment('How many have the grade');
    table.integer('scored').notNullable().comment('How many have a score');
    table.double('total').notNullable().comment('The sum of their scores');
    table.primary(['scope', 'day', 'grade']);
  });

  // The map is read again (its first scorecard waits for it), which writes all of the above.
  await knex('resilience_input_versions')
    .where({ scope: 'ownership-map' })
    .delete();
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_scorecard_trend');
  await knex.schema.dropTable('resilience_scorecard_counts');
  await knex.schema.dropTable('resilience_group_entities');
};
