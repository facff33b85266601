/*
 * First schema of the Resilience plugin: Velero backups and schedules, persistent volume claims,
 * and the collection status of every cluster and source.
 *
 * Facts are keyed by (cluster, uid): a name can be reused after deletion, a uid cannot. Objects
 * that disappear from a cluster get `deleted_at` instead of being deleted, so that the history of
 * backup points survives Velero's expiry.
 */

// @ts-check

/**
 * @param {import('knex').Knex.CreateTableBuilder} table
 */
function factColumns(table) {
  table.string('cluster', 63).notNullable().comment('Configured cluster name');
  table.string('uid', 64).notNullable().comment('metadata.uid of the object');
  table.string('namespace', 253).notNullable().comment('metadata.namespace');
  table.string('name', 253).notNullable().comment('metadata.name');
  table
    .timestamp('first_seen_at', { useTz: true })
    .notNullable()
    .comment('Collection run that first listed the object');
  table
    .timestamp('last_seen_at', { useTz: true })
    .notNullable()
    .comment('Latest successful collection run that listed the object');
  table
    .timestamp('deleted_at', { useTz: true })
    .nullable()
    .comment(
      'First successful collection run that no longer listed it; null while it exists',
    );
  table.primary(['cluster', 'uid']);
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_backups', table => {
    table.comment(
      'Velero Backups (velero.io/v1) of every cluster, with history',
    );
    factColumns(table);
    table
      .string('phase', 32)
      .notNullable()
      .comment('status.phase, New when unset');
    table
      .string('schedule_name', 253)
      .nullable()
      .comment('Label velero.io/schedule-name');
    table
      .string('storage_location', 253)
      .nullable()
      .comment('spec.storageLocation');
    table
      .text('selection')
      .notNullable()
      .comment('JSON of the namespace, resource and label filters of the spec');
    table
      .timestamp('started_at', { useTz: true })
      .nullable()
      .comment('status.startTimestamp');
    table
      .timestamp('completed_at', { useTz: true })
      .nullable()
      .comment('status.completionTimestamp');
    table
      .timestamp('expires_at', { useTz: true })
      .nullable()
      .comment('status.expiration');
    table.integer('errors').notNullable().defaultTo(0).comment('status.errors');
    table
      .integer('warnings')
      .notNullable()
      .defaultTo(0)
      .comment('status.warnings');
    table.index(
      ['cluster', 'phase', 'completed_at'],
      'resilience_backups_completed_idx',
    );
  });

  await knex.schema.createTable('resilience_schedules', table => {
    table.comment('Velero Schedules (velero.io/v1) of every cluster');
    factColumns(table);
    table
      .string('schedule', 255)
      .notNullable()
      .comment('spec.schedule, a cron expression');
    table
      .boolean('paused')
      .notNullable()
      .defaultTo(false)
      .comment('spec.paused');
    table.string('phase', 32).nullable().comment('status.phase');
    table
      .string('ttl', 64)
      .nullable()
      .comment('spec.template.ttl, a Go duration');
    table
      .text('selection')
      .notNullable()
      .comment('JSON of the filters of spec.template');
    table
      .timestamp('last_backup_at', { useTz: true })
      .nullable()
      .comment('status.lastBackup');
  });

  await knex.schema.createTable('resilience_pvcs', table => {
    table.comment('PersistentVolumeClaims of every cluster');
    factColumns(table);
    table.text('labels').notNullable().comment('JSON of metadata.labels');
    table
      .string('kubernetes_id', 253)
      .nullable()
      .comment(
        'Value of the backstage.io/kubernetes-id label, for direct look-up',
      );
    table.string('phase', 32).nullable().comment('status.phase');
    table
      .string('storage_class_name', 253)
      .nullable()
      .comment('spec.storageClassName');
    table
      .string('capacity', 64)
      .nullable()
      .comment('spec.resources.requests.storage');
    table.string('volume_name', 253).nullable().comment('spec.volumeName');
    table
      .timestamp('created_at', { useTz: true })
      .nullable()
      .comment('metadata.creationTimestamp');
    table.index(['kubernetes_id'], 'resilience_pvcs_kubernetes_id_idx');
    table.index(['cluster', 'namespace'], 'resilience_pvcs_namespace_idx');
  });

  await knex.schema.createTable('resilience_collection_status', table => {
    table.comment(
      'Outcome of the latest collection of each source in each cluster',
    );
    table
      .string('cluster', 63)
      .notNullable()
      .comment('Configured cluster name');
    table
      .string('source', 64)
      .notNullable()
      .comment('Collection source, e.g. velero-backups');
    table
      .string('state', 32)
      .notNullable()
      .comment('ok, not-installed, forbidden or error');
    table
      .text('message')
      .nullable()
      .comment('What went wrong, when state is not ok');
    table
      .timestamp('last_attempt_at', { useTz: true })
      .notNullable()
      .comment('When the latest attempt finished');
    table
      .timestamp('last_success_at', { useTz: true })
      .nullable()
      .comment('When the latest successful attempt finished');
    table
      .integer('item_count')
      .nullable()
      .comment('Objects listed by the latest success');
    table.primary(['cluster', 'source']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_collection_status');
  await knex.schema.dropTable('resilience_pvcs');
  await knex.schema.dropTable('resilience_schedules');
  await knex.schema.dropTable('resilience_backups');
};
