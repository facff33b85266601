/*
 * The ownership map: which scored entities each group owns, itself or through the groups below
 * it, as read from the catalog on a schedule. Team and organisation scorecards are queries over
 * it and the stored scores, not reads of the catalog per request.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_owned_entities', table => {
    table.comment('The scored catalog entities that have an owner');
    table
      .string('entity_ref', 510)
      .primary()
      .comment('The entity, as its scores are stored');
    table.string('kind', 255).notNullable().comment('Its kind');
    table.text('title').nullable().comment('metadata.title');
    table.text('type').nullable().comment('spec.type');
    table.text('owner').nullable().comment('spec.owner, as written');
    table
      .string('name_key', 510)
      .notNullable()
      .comment(
        'What a sort by name compares: the title, else the name, in lower case',
      );
  });
  await knex.schema.createTable('resilience_entity_owners', table => {
    table.comment('The owners of each owned entity (its ownedBy relations)');
    table.string('entity_ref', 510).notNullable();
    table
      .string('owner_key', 510)
      .notNullable()
      .comment('The owner, in lower case: the catalog compares references so');
    table.primary(['owner_key', 'entity_ref']);
  });
  await knex.schema.createTable('resilience_groups', table => {
    table.comment('The groups of the catalog');
    table
      .string('group_key', 510)
      .primary()
      .comment('The group, in lower case');
    table
      .string('group_ref', 510)
      .notNullable()
      .comment('The group, as written');
    table
      .text('title')
      .nullable()
      .comment('metadata.title, else spec.profile.displayName');
  });
  await knex.schema.createTable('resilience_group_members', table => {
    table.comment(
      'Each group with every group at or below it (parentOf and childOf, cycles ended)',
    );
    table.string('ancestor_key', 510).notNullable();
    table.string('group_key', 510).notNullable();
    table.primary(['ancestor_key', 'group_key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_group_members');
  await knex.schema.dropTable('resilience_groups');
  await knex.schema.dropTable('resilience_entity_owners');
  await knex.schema.dropTable('resilience_owned_entities');
};
