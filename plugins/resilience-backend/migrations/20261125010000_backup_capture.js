/*
 * What a backup did with volume data: whether it was asked to snapshot volumes or to back them
 * up from the file system, and how many snapshots and item operations completed. Without these a
 * backup that only saved the PVC objects would pass for a recovery point of their data.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('resilience_backups', table => {
    table
      .boolean('snapshot_volumes')
      .nullable()
      .comment('spec.snapshotVolumes; null when unset (Velero then snapshots)');
    table
      .boolean('default_volumes_to_fs_backup')
      .nullable()
      .comment('spec.defaultVolumesToFsBackup; null when unset');
    table
      .integer('volume_snapshots_completed')
      .notNullable()
      .defaultTo(0)
      .comment('status.volumeSnapshotsCompleted (volume snapshotter plugins)');
    table
      .integer('csi_volume_snapshots_completed')
      .notNullable()
      .defaultTo(0)
      .comment('status.csiVolumeSnapshotsCompleted');
    table
      .integer('item_operations_completed')
      .notNullable()
      .defaultTo(0)
      .comment(
        'status.backupItemOperationsCompleted (CSI snapshots and data movement)',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('resilience_backups', table => {
    table.dropColumn('snapshot_volumes');
    table.dropColumn('default_volumes_to_fs_backup');
    table.dropColumn('volume_snapshots_completed');
    table.dropColumn('csi_volume_snapshots_completed');
    table.dropColumn('item_operations_completed');
  });
};
