/*
 * Per-volume evidence of snapshot data movement: with `snapshotMoveData` Velero uploads each CSI
 * snapshot to the backup storage and removes the snapshot objects, keeping a DataUpload
 * (velero.io/v2alpha1) per volume, labelled with the backup's name and naming the source claim.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_data_uploads', table => {
    table.comment(
      'DataUploads of Velero snapshot data movement, per-volume evidence',
    );
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
      .string('backup_name', 253)
      .nullable()
      .comment('Label velero.io/backup-name');
    table
      .string('source_namespace', 253)
      .nullable()
      .comment('spec.sourceNamespace');
    table.string('source_pvc', 253).nullable().comment('spec.sourcePVC');
    table
      .string('phase', 32)
      .nullable()
      .comment('status.phase; Completed when the data is stored');
    table.primary(['cluster', 'uid']);
    table.index(
      ['cluster', 'backup_name'],
      'resilience_data_uploads_backup_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_data_uploads');
};
