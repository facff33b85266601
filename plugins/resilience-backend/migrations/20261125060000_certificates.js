/*
 * Certificates and what serves them:
 *
 * - cert-manager Certificates and CertificateRequests, and the TLS Secrets they write (and those
 *   no Certificate manages). These keep their history like backups: a certificate that vanished
 *   says when it stopped being renewed.
 * - Issuers and ClusterIssuers, their name and readiness only, and Ingresses, the Secrets each
 *   serves. They have no history value, so their rows are removed when the objects disappear.
 *
 * No column holds a Secret's data: of a TLS Secret only the parsed certificates of `tls.crt` are
 * stored, never `tls.key`.
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
 * The columns of an Issuer or a ClusterIssuer: its readiness only.
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 */
function issuerColumns(table) {
  factColumns(table, { history: false });
  table
    .string('ready', 16)
    .nullable()
    .comment(
      'Status of the Ready condition: True, False or Unknown; null when absent',
    );
  table
    .string('ready_reason', 253)
    .nullable()
    .comment('Reason of the Ready condition');
  table
    .text('ready_message')
    .nullable()
    .comment('Message of the Ready condition');
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_certificates', table => {
    table.comment(
      'cert-manager Certificates (cert-manager.io/v1), with history',
    );
    factColumns(table, { history: true });
    table.text('labels').notNullable().comment('JSON of metadata.labels');
    table
      .string('secret_name', 253)
      .notNullable()
      .comment('spec.secretName, the Secret the key pair is written to');
    table.text('dns_names').notNullable().comment('JSON list of spec.dnsNames');
    table.text('common_name').nullable().comment('spec.commonName');
    table
      .string('issuer_kind', 253)
      .notNullable()
      .comment('spec.issuerRef.kind; Issuer when unset');
    table
      .string('issuer_name', 253)
      .notNullable()
      .comment('spec.issuerRef.name');
    table
      .string('issuer_group', 253)
      .nullable()
      .comment('spec.issuerRef.group; null when unset (cert-manager.io)');
    table
      .bigInteger('duration_ms')
      .nullable()
      .comment('spec.duration in milliseconds; null when unset');
    table
      .bigInteger('renew_before_ms')
      .nullable()
      .comment('spec.renewBefore in milliseconds');
    table
      .integer('renew_before_percentage')
      .nullable()
      .comment('spec.renewBeforePercentage');
    table
      .string('rotation_policy', 32)
      .nullable()
      .comment('spec.privateKey.rotationPolicy: Never or Always');
    table
      .string('private_key_algorithm', 32)
      .nullable()
      .comment('spec.privateKey.algorithm: RSA, ECDSA or Ed25519');
    table
      .integer('private_key_size')
      .nullable()
      .comment('spec.privateKey.size');
    table
      .text('conditions')
      .notNullable()
      .comment('JSON list of status.conditions');
    table
      .timestamp('not_before', { useTz: true })
      .nullable()
      .comment('status.notBefore');
    table
      .timestamp('not_after', { useTz: true })
      .nullable()
      .comment('status.notAfter');
    table
      .timestamp('renewal_time', { useTz: true })
      .nullable()
      .comment('status.renewalTime');
    table.integer('revision').nullable().comment('status.revision');
    table
      .integer('failed_issuance_attempts')
      .nullable()
      .comment('status.failedIssuanceAttempts');
    table
      .timestamp('last_failure_time', { useTz: true })
      .nullable()
      .comment('status.lastFailureTime');
    table.index(
      ['cluster', 'namespace'],
      'resilience_certificates_namespace_idx',
    );
  });

  await knex.schema.createTable('resilience_certificate_requests', table => {
    table.comment(
      'cert-manager CertificateRequests: each issuance attempt, with history',
    );
    factColumns(table, { history: true });
    table
      .string('certificate_name', 253)
      .nullable()
      .comment('The Certificate of its controller owner reference');
    table
      .integer('revision')
      .nullable()
      .comment('Annotation cert-manager.io/certificate-revision');
    table
      .timestamp('created_at', { useTz: true })
      .nullable()
      .comment('metadata.creationTimestamp');
    table
      .text('conditions')
      .notNullable()
      .comment('JSON list of status.conditions');
    table
      .timestamp('failure_time', { useTz: true })
      .nullable()
      .comment('status.failureTime');
    table.index(
      ['cluster', 'namespace', 'certificate_name'],
      'resilience_certificate_requests_certificate_idx',
    );
  });

  await knex.schema.createTable('resilience_issuers', table => {
    table.comment(
      'cert-manager Issuers, name and readiness; removed when gone',
    );
    issuerColumns(table);
  });

  await knex.schema.createTable('resilience_cluster_issuers', table => {
    table.comment(
      'cert-manager ClusterIssuers, name and readiness; removed when gone',
    );
    issuerColumns(table);
  });

  await knex.schema.createTable('resilience_tls_secrets', table => {
    table.comment(
      'Secrets of type kubernetes.io/tls: the parsed tls.crt only, never tls.key; with history',
    );
    factColumns(table, { history: true });
    table.text('labels').notNullable().comment('JSON of metadata.labels');
    table
      .string('certificate_name', 253)
      .nullable()
      .comment('Annotation cert-manager.io/certificate-name');
    table
      .string('issuer_name', 253)
      .nullable()
      .comment('Annotation cert-manager.io/issuer-name');
    table
      .string('issuer_kind', 253)
      .nullable()
      .comment('Annotation cert-manager.io/issuer-kind');
    table
      .text('chain')
      .notNullable()
      .comment(
        'JSON list of the certificates of tls.crt as parsed (subject, validity, key, fingerprint), leaf first',
      );
    table
      .text('parse_error')
      .nullable()
      .comment('Why tls.crt could not be parsed; null when it could');
    table.index(
      ['cluster', 'namespace'],
      'resilience_tls_secrets_namespace_idx',
    );
  });

  await knex.schema.createTable('resilience_ingresses', table => {
    table.comment(
      'Ingresses (networking.k8s.io/v1), the TLS Secrets they serve; removed when gone',
    );
    factColumns(table, { history: false });
    table.text('labels').notNullable().comment('JSON of metadata.labels');
    table
      .text('tls')
      .notNullable()
      .comment('JSON list of spec.tls: each secretName with its hosts');
    table.index(['cluster', 'namespace'], 'resilience_ingresses_namespace_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_ingresses');
  await knex.schema.dropTable('resilience_tls_secrets');
  await knex.schema.dropTable('resilience_cluster_issuers');
  await knex.schema.dropTable('resilience_issuers');
  await knex.schema.dropTable('resilience_certificate_requests');
  await knex.schema.dropTable('resilience_certificates');
};
