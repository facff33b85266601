/*
 * Scorecards: the latest score of each entity, and one point per entity and day (UTC) for its
 * trend and those of its teams. Only the score, the grade and the pillars' scores are kept, not
 * the checks behind them.
 */

// @ts-check

/**
 * The columns a score and a daily point share.
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 */
function scoreColumns(table) {
  table
    .integer('score')
    .nullable()
    .comment(
      'The weighted mean of the pillars, 0 to 100; null when no pillar has a score',
    );
  table
    .string('grade', 1)
    .nullable()
    .comment('A to F, the grade of score; null when there is no score');
  table
    .integer('backups_score')
    .nullable()
    .comment(
      'The Backups pillar, 0 to 100; null when none of its checks was scored',
    );
  table
    .integer('recovery_score')
    .nullable()
    .comment(
      'The Recovery pillar, 0 to 100; null when none of its checks was scored',
    );
  table
    .integer('certificates_score')
    .nullable()
    .comment(
      'The Certificates pillar, 0 to 100; null when none of its checks was scored',
    );
  table
    .integer('code_security_score')
    .nullable()
    .comment(
      'The Code security pillar, 0 to 100; null when none of its checks was scored',
    );
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_entity_scores', table => {
    table.comment('The latest score of each catalog entity');
    table
      .string('entity_ref', 510)
      .primary()
      .comment('The catalog entity the score is about');
    scoreColumns(table);
    table
      .timestamp('computed_at', { useTz: true })
      .notNullable()
      .comment('When the score was computed');
  });

  await knex.schema.createTable('resilience_entity_score_history', table => {
    // No apostrophe in a table comment: knex does not escape it for PostgreSQL.
    table.comment(
      'One point per entity and day: the latest score of the entity that day',
    );
    table
      .string('entity_ref', 510)
      .notNullable()
      .comment('The catalog entity the point is about');
    // A string, not a date: it compares and sorts the same on SQLite and PostgreSQL, and comes
    // back as written, with no time zone to shift it.
    table
      .string('day', 10)
      .notNullable()
      .comment('The day of the point, YYYY-MM-DD (UTC)');
    scoreColumns(table);
    table
      .timestamp('computed_at', { useTz: true })
      .notNullable()
      .comment(
        'When the score of the point was computed: the latest of its day',
      );
    table.unique(['entity_ref', 'day'], {
      indexName: 'resilience_entity_score_history_identity',
    });
    // The trends of a team or of the organisation: many entities from one day on; also what a
    // purge of old days reads.
    table.index(
      ['day', 'entity_ref'],
      'resilience_entity_score_history_day_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_entity_score_history');
  await knex.schema.dropTable('resilience_entity_scores');
};
