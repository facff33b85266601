/*
 * Per-volume evidence of file-system backups and what maps it to claims, and restores:
 *
 * - pods (the claims each pod volume mounts, Velero's file-system backup annotations, labels for
 *   label-selected backups) and namespaces. Both churn and have no history value, so their rows
 *   are removed when the objects disappear: these tables have no `deleted_at`.
 * - PodVolumeBackups, the record Velero keeps of each pod volume it backed up from the file
 *   system; VolumeSnapshots Velero made (it usually deletes them after the backup); Restores.
 *   These keep their history like backups.
 */

// @ts-check

/**
 * The identity and sighting columns of every fact table (as in the first migration, which cannot
 * be imported: migrations are frozen once released), with `deleted_at` only for tables whose rows
 * outlive their objects.
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {{ history: boolean }} options
 */
function factColumns(table, options) {
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
  if (options.history) {
    table
      .timestamp('deleted_at', { useTz: true })
      .nullable()
      .comment('First run without it; null while it exists');
  }
  table.primary(['cluster', 'uid']);
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_pods', table => {
    table.comment(
      'Pods of every cluster, as far as coverage needs them; removed when gone',
    );
    factColumns(table, { history: false });
    table.text('labels').notNullable().comment('JSON of metadata.labels');
    table.string('phase', 32).nullable().comment('status.phase');
    table
      .text('backup_volumes')
      .notNullable()
      .comment(
        'JSON list of the volumes of annotation backup.velero.io/backup-volumes',
      );
    table
      .text('backup_volumes_excludes')
      .notNullable()
      .comment(
        'JSON list of the volumes of annotation backup.velero.io/backup-volumes-excludes',
      );
    table
      .text('claims')
      .notNullable()
      .comment(
        'JSON object: pod volume name to the claimName of its persistentVolumeClaim',
      );
    table.index(['cluster', 'namespace'], 'resilience_pods_namespace_idx');
  });

  await knex.schema.createTable('resilience_namespaces', table => {
    table.comment('Namespaces of every cluster; removed when gone');
    factColumns(table, { history: false });
    table.text('labels').notNullable().comment('JSON of metadata.labels');
    table
      .string('phase', 32)
      .nullable()
      .comment('status.phase, Active or Terminating');
  });

  await knex.schema.createTable('resilience_pod_volume_backups', table => {
    table.comment(
      'PodVolumeBackups of Velero file-system backups, per-volume evidence',
    );
    factColumns(table, { history: true });
    table
      .string('backup_name', 253)
      .nullable()
      .comment('Label velero.io/backup-name');
    table
      .string('pod_namespace', 253)
      .nullable()
      .comment('spec.pod.namespace, also the namespace of the claim');
    table.string('pod_name', 253).nullable().comment('spec.pod.name');
    table.string('pod_uid', 64).nullable().comment('spec.pod.uid');
    table
      .string('volume', 253)
      .nullable()
      .comment('spec.volume, the pod volume');
    table
      .string('pvc_uid', 64)
      .nullable()
      .comment('Label velero.io/pvc-uid (or tag pvc-uid): the claim backed up');
    table
      .string('phase', 32)
      .nullable()
      .comment('status.phase; Completed when the data is stored');
    table.index(['cluster', 'backup_name'], 'resilience_pvbs_backup_idx');
  });

  await knex.schema.createTable('resilience_volume_snapshots', table => {
    table.comment(
      'VolumeSnapshots Velero made for a backup, while they still exist',
    );
    factColumns(table, { history: true });
    table
      .string('backup_name', 253)
      .nullable()
      .comment('Label velero.io/backup-name');
    table
      .string('source_pvc', 253)
      .nullable()
      .comment('spec.source.persistentVolumeClaimName');
    table.boolean('ready_to_use').nullable().comment('status.readyToUse');
    table
      .string('content_name', 253)
      .nullable()
      .comment('status.boundVolumeSnapshotContentName');
    table.index(
      ['cluster', 'backup_name'],
      'resilience_volume_snapshots_backup_idx',
    );
  });

  await knex.schema.createTable('resilience_restores', table => {
    table.comment(
      'Velero Restores (velero.io/v1) of every cluster, with history',
    );
    factColumns(table, { history: true });
    table.string('backup_name', 253).nullable().comment('spec.backupName');
    table
      .text('namespace_mapping')
      .notNullable()
      .comment('JSON of spec.namespaceMapping, source to target namespace');
    table
      .string('phase', 32)
      .notNullable()
      .comment('status.phase, New when unset');
    table
      .timestamp('started_at', { useTz: true })
      .nullable()
      .comment('status.startTimestamp');
    table
      .timestamp('completed_at', { useTz: true })
      .nullable()
      .comment('status.completionTimestamp');
    table.integer('errors').notNullable().defaultTo(0).comment('status.errors');
    table
      .integer('warnings')
      .notNullable()
      .defaultTo(0)
      .comment('status.warnings');
    table.text('failure_reason').nullable().comment('status.failureReason');
    table.index(['cluster', 'backup_name'], 'resilience_restores_backup_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_restores');
  await knex.schema.dropTable('resilience_volume_snapshots');
  await knex.schema.dropTable('resilience_pod_volume_backups');
  await knex.schema.dropTable('resilience_namespaces');
  await knex.schema.dropTable('resilience_pods');
};
