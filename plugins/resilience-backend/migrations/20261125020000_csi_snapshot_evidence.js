/*
 * Per-volume evidence of CSI snapshots: PersistentVolumes (to know each claim's CSI volume
 * handle) and the VolumeSnapshotContents Velero keeps after a backup, labelled with the backup's
 * name and naming the snapshotted volume's handle. Together they say which backup captured which
 * claim, instead of guessing from backup-level counts.
 */

// @ts-check

/**
 * Columns of every fact table (the same as in the first migration, which cannot be imported:
 * migrations are frozen once released).
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 */
function factColumns(table) {
  table.string('cluster', 63).notNullable().comment('Configured cluster name');
  table.string('uid', 64).notNullable().comment('metadata.uid of the object');
  table
    .string('namespace', 253)
    .notNullable()
    .comment("metadata.namespace; '' when cluster-scoped");
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
  table.primary(['cluster', 'uid']);
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_pvs', table => {
    table.comment(
      'PersistentVolumes of every cluster, for the CSI volume handle of each claim',
    );
    factColumns(table);
    table.string('csi_driver', 253).nullable().comment('spec.csi.driver');
    table
      .string('volume_handle', 1024)
      .nullable()
      .comment('spec.csi.volumeHandle');
    table
      .string('claim_namespace', 253)
      .nullable()
      .comment('spec.claimRef.namespace');
    table.string('claim_name', 253).nullable().comment('spec.claimRef.name');
    table.index(['cluster', 'name'], 'resilience_pvs_name_idx');
  });
  await knex.schema.createTable(
    'resilience_volume_snapshot_contents',
    table => {
      table.comment(
        'VolumeSnapshotContents that Velero made, the per-volume evidence of CSI snapshots',
      );
      factColumns(table);
      table
        .string('backup_name', 253)
        .nullable()
        .comment('Label velero.io/backup-name');
      table
        .string('volume_handle', 1024)
        .nullable()
        .comment('spec.source.volumeHandle');
      table
        .string('snapshot_namespace', 253)
        .nullable()
        .comment('spec.volumeSnapshotRef.namespace');
      table
        .string('snapshot_name', 253)
        .nullable()
        .comment('spec.volumeSnapshotRef.name');
      table.boolean('ready_to_use').nullable().comment('status.readyToUse');
      table.index(['cluster', 'backup_name'], 'resilience_vsc_backup_idx');
    },
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_volume_snapshot_contents');
  await knex.schema.dropTable('resilience_pvs');
};
