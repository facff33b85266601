/*
 * SAST results uploaded as SARIF: one row per uploaded run (a report), and the history of every
 * finding of an entity, keyed by tool, category, branch and fingerprint, with when it was first
 * seen, last seen and fixed. "Which findings were open at time T" is answered from the findings
 * alone, so that a backup can later be marked known-good as of its time.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_sast_reports', table => {
    table.comment('SAST reports: one row per run of an uploaded SARIF log');
    table.string('id', 36).primary().comment('Report id (a UUID)');
    table
      .string('entity_ref', 510)
      .notNullable()
      .comment('The catalog entity the report is about');
    table
      .string('tool_name', 255)
      .notNullable()
      .comment("The run's tool.driver.name");
    table
      .string('tool_version', 255)
      .nullable()
      .comment("The run's tool.driver.semanticVersion or version");
    table
      .text('category')
      .notNullable()
      .comment(
        "automationDetails.id up to its last '/' (GitHub's category); empty when absent",
      );
    table
      .text('branch')
      .notNullable()
      .comment(
        'The branch scanned: the upload parameter, the SARIF, or "default"',
      );
    table
      .string('commit', 255)
      .nullable()
      .comment('The commit scanned, when known');
    table
      .text('repository_uri')
      .nullable()
      .comment('versionControlProvenance[0].repositoryUri, when present');
    table
      .timestamp('scanned_at', { useTz: true })
      .notNullable()
      .comment(
        'When the scan ran: the upload parameter, the run start, or the upload time',
      );
    table
      .timestamp('uploaded_at', { useTz: true })
      .notNullable()
      .comment('When the report was uploaded');
    table
      .string('uploaded_by', 510)
      .notNullable()
      .comment('Who uploaded it: a user or service principal');
    table
      .boolean('applied')
      .notNullable()
      .comment(
        'Whether it changed the open findings; false when uploaded after a newer scan of the same tool, category and branch',
      );
    table
      .integer('critical_count')
      .notNullable()
      .comment(
        'Findings of severity critical the report holds, not counting accepted suppressions',
      );
    table
      .integer('high_count')
      .notNullable()
      .comment('Findings of severity high, not counting accepted suppressions');
    table
      .integer('medium_count')
      .notNullable()
      .comment(
        'Findings of severity medium, not counting accepted suppressions',
      );
    table
      .integer('low_count')
      .notNullable()
      .comment('Findings of severity low, not counting accepted suppressions');
    table
      .integer('none_count')
      .notNullable()
      .comment('Findings of severity none, not counting accepted suppressions');
    table
      .integer('suppressed_count')
      .notNullable()
      .comment('Findings the report holds with an accepted suppression');
    table
      .integer('opened_count')
      .notNullable()
      .comment('Findings this report opened or reopened');
    table
      .integer('fixed_count')
      .notNullable()
      .comment(
        'Open findings this report closed: no longer reported, or suppressed',
      );
    table.index(
      ['entity_ref', 'scanned_at'],
      'resilience_sast_reports_entity_idx',
    );
  });

  await knex.schema.createTable('resilience_sast_findings', table => {
    table.comment(
      'SAST findings of each entity, tool, category and branch, with their history',
    );
    table.increments('id').comment('Row id');
    table
      .string('entity_ref', 510)
      .notNullable()
      .comment('The catalog entity the finding is about');
    table
      .string('tool_name', 255)
      .notNullable()
      .comment('The tool that reported it');
    table
      .text('category')
      .notNullable()
      .comment("The report's category; empty when absent");
    table.text('branch').notNullable().comment('The branch it was found on');
    table
      .text('fingerprint')
      .notNullable()
      .comment('Identity across uploads, prefixed with where it came from');
    table.text('rule_id').notNullable().comment('The rule that found it');
    table
      .text('rule_name')
      .nullable()
      .comment("The rule's short description or name, when known");
    table
      .string('severity', 16)
      .notNullable()
      .comment('critical, high, medium, low or none, as last reported');
    table
      .text('message')
      .notNullable()
      .comment('The message, as last reported');
    table
      .text('path')
      .nullable()
      .comment('The file, relative to the repository root, as last reported');
    table.integer('start_line').nullable().comment('First line, 1-based');
    table.integer('start_column').nullable().comment('First column, 1-based');
    table.integer('end_line').nullable().comment('Last line, 1-based');
    table
      .string('suppression', 16)
      .nullable()
      .comment(
        'accepted or under-review, as last reported; null when not suppressed',
      );
    table
      .timestamp('first_seen_at', { useTz: true })
      .notNullable()
      .comment('Scan time of the first report that held it');
    table
      .timestamp('last_seen_at', { useTz: true })
      .notNullable()
      .comment('Scan time of the latest report that held it');
    table
      .timestamp('fixed_at', { useTz: true })
      .nullable()
      .comment(
        'Scan time of the report that no longer held it, or suppressed it as accepted; null while open',
      );
    table
      .string('first_report_id', 36)
      .notNullable()
      .comment('The report that first held it');
    table
      .string('last_report_id', 36)
      .notNullable()
      .comment('The latest report that held it');
    table.unique(
      ['entity_ref', 'tool_name', 'category', 'branch', 'fingerprint'],
      { indexName: 'resilience_sast_findings_identity' },
    );
    // "Open at time T": first_seen_at <= T and (fixed_at is null or fixed_at > T).
    table.index(
      ['entity_ref', 'first_seen_at', 'fixed_at'],
      'resilience_sast_findings_open_at_idx',
    );
  });
  // The open findings of an entity: what the entity page and every upload read.
  await knex.raw(
    `CREATE INDEX resilience_sast_findings_open_idx
       ON resilience_sast_findings (entity_ref, branch)
       WHERE fixed_at IS NULL`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_sast_findings');
  await knex.schema.dropTable('resilience_sast_reports');
};
