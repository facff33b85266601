/*
 * The periods during which each SAST finding was open. A finding that was fixed and later
 * reported again has two periods, so "which findings were open at time T" (the known-good mark
 * of a backup taken at T, the trend of open findings) no longer counts it as open while it was
 * fixed. A change of severity also starts a new period, so a count by severity at T is the one
 * reported then.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_sast_finding_spans', table => {
    table.comment(
      'Periods during which a SAST finding was open, with its severity then',
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
      .comment('The finding, as in resilience_sast_findings');
    table.text('rule_id').notNullable().comment('The rule that found it');
    table
      .string('severity', 16)
      .notNullable()
      .comment('critical, high, medium, low or none, during the period');
    table
      .timestamp('opened_at', { useTz: true })
      .notNullable()
      .comment('Scan time of the report that opened, reopened or re-rated it');
    table
      .timestamp('closed_at', { useTz: true })
      .nullable()
      .comment(
        'Scan time of the report that no longer held it, accepted it, or re-rated it; null while open',
      );
    table.index(
      ['entity_ref', 'branch', 'opened_at'],
      'resilience_sast_finding_spans_entity_idx',
    );
  });
  // The open period of each finding: what every upload reads and closes.
  await knex.raw(
    `CREATE INDEX resilience_sast_finding_spans_open_idx
       ON resilience_sast_finding_spans (entity_ref, tool_name, branch)
       WHERE closed_at IS NULL`,
  );
  // What was stored before: one period per finding, from its first sighting to its fix (a
  // finding accepted when first seen was never open).
  await knex.raw(
    `INSERT INTO resilience_sast_finding_spans
       (entity_ref, tool_name, category, branch, fingerprint, rule_id, severity, opened_at, closed_at)
     SELECT entity_ref, tool_name, category, branch, fingerprint, rule_id, severity, first_seen_at, fixed_at
       FROM resilience_sast_findings
      WHERE fixed_at IS NULL OR fixed_at > first_seen_at
      ORDER BY id`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resilience_sast_finding_spans');
};
