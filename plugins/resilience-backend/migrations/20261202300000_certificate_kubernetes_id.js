/*
 * Certificates, TLS Secrets and Ingresses by Kubernetes id, as claims already are: an entity
 * mapped by `backstage.io/kubernetes-id` finds the namespaces of its certificates through an
 * index instead of reading every certificate of every cluster.
 */

// @ts-check

const TABLES = [
  'resilience_certificates',
  'resilience_tls_secrets',
  'resilience_ingresses',
];

const LABEL = 'backstage.io/kubernetes-id';

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const name of TABLES) {
    await knex.schema.alterTable(name, table => {
      table.string('kubernetes_id', 253).nullable().comment(`Label ${LABEL}`);
      table.index(['cluster', 'kubernetes_id'], `${name}_kubernetes_id_idx`);
    });
    // Rows stored before: the label from their stored labels.
    const rows = await knex(name)
      .select('cluster', 'uid', 'labels')
      .where('labels', 'like', `%${LABEL}%`);
    for (const row of rows) {
      const id = JSON.parse(row.labels)[LABEL];
      if (typeof id === 'string') {
        await knex(name)
          .where({ cluster: row.cluster, uid: row.uid })
          .update({ kubernetes_id: id });
      }
    }
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const name of TABLES) {
    await knex.schema.alterTable(name, table => {
      table.dropIndex([], `${name}_kubernetes_id_idx`);
      table.dropColumn('kubernetes_id');
    });
  }
};
