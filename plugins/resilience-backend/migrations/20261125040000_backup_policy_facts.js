/*
 * Facts the backup checks need: each backup's TTL and creation time (a failed backup may never
 * start), what a Schedule's backups capture and where they go, and Velero's storage locations.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('resilience_backups', table => {
    table
      .timestamp('created_at', { useTz: true })
      .nullable()
      .comment('metadata.creationTimestamp');
    table
      .bigInteger('ttl_ms')
      .nullable()
      .comment('spec.ttl, or status.expiration minus the start, in ms');
    table.index(['cluster', 'created_at'], 'resilience_backups_created_idx');
  });
  await knex.schema.alterTable('resilience_schedules', table => {
    table
      .string('storage_location', 253)
      .nullable()
      .comment('spec.template.storageLocation; the default location if null');
    table
      .boolean('snapshot_volumes')
      .nullable()
      .comment('spec.template.snapshotVolumes; null when unset');
    table
      .boolean('default_volumes_to_fs_backup')
      .nullable()
      .comment('spec.template.defaultVolumesToFsBackup; null when unset');
  });
  await knex.schema.createTable('resilience_storage_locations', table => {
    table.comment('Velero BackupStorageLocations');
    table
      .string('cluster', 63)
      .notNullable()
      .comment('Configured cluster name');
    table.string('uid', 64).notNullable().comment('metadata.uid of the object');
    table
      .string('namespace', 253)
      .notNullable()
      .comment("metadata.namespace (Velero's)");
    table.string('name', 253).notNullable().comment('metadata.name');
    table
      .timestamp('first_seen_at', { useTz: true })
      .notNullable()
      .comment('First run that listed it');
    table
      .timestamp('last_seen_at', { useTz: true })
      .notNullable()
      .comment('Latest run that listed it');
    table
      .timestamp('deleted_at', { useTz: true })
      .nullable()
      .comment('First run without it; null while it exists');
    table
      .string('phase', 32)
      .nullable()
      .comment('status.phase: Available or Unavailable');
    table
      .boolean('is_default')
      .notNullable()
      .defaultTo(false)
      .comment('spec.default');
    table.string('provider', 253).nullable().comment('spec.provider');
    table.string('bucket', 253).nullable().comment('spec.objectStorage.bucket');
    table
      .string('access_mode', 32)
      .nullable()
      .comment('spec.accessMode: ReadWrite or ReadOnly');
    table
      .timestamp('last_validated_at', { useTz: true })
      .nullable()
      .comment('status.lastValidationTime');
    table.text('message').nullable().comment('status.message');
    table.primary(['cluster', 'uid']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_storage_locations');
  await knex.schema.alterTable('resilience_schedules', table => {
    table.dropColumn('storage_location');
    table.dropColumn('snapshot_volumes');
    table.dropColumn('default_volumes_to_fs_backup');
  });
  await knex.schema.alterTable('resilience_backups', table => {
    table.dropIndex([], 'resilience_backups_created_idx');
    table.dropColumn('created_at');
    table.dropColumn('ttl_ms');
  });
};
