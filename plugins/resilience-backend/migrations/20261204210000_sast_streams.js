/*
 * The latest applied report of each entity, tool, category and branch: every finding open in
 * it was seen in that report, so an upload that leaves a finding open as it was writes nothing
 * for it (until now each upload moved every open finding's last_seen_at and last_report_id to
 * itself, 200,000 rows for a report of 200,000 results). A finding's own last_seen_at and
 * last_report_id are then those of the report that last wrote it, and once it is no longer open
 * those of the last report that held it. Filled from the open findings, which all hold the
 * latest applied report of their stream.
 */

// @ts-check

const KEY = ['entity_ref', 'tool_name', 'category', 'branch'];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resilience_sast_streams', table => {
    table.comment(
      'The latest applied SAST report of each entity, tool, category and branch',
    );
    table.string('entity_ref', 510).notNullable();
    table.string('tool_name', 255).notNullable();
    table.text('category').notNullable();
    table.text('branch').notNullable();
    table
      .string('last_report_id', 36)
      .notNullable()
      .comment('The latest applied report: every open finding was seen in it');
    table
      .timestamp('last_scanned_at', { useTz: true })
      .notNullable()
      .comment('Its scan time');
    table.primary(KEY);
  });
  const open = await knex('resilience_sast_findings')
    .whereNull('fixed_at')
    .select(...KEY, 'last_report_id', 'last_seen_at')
    .orderBy('last_seen_at', 'desc');
  /** @type {Map<string, Record<string, unknown>>} */
  const latest = new Map();
  for (const row of open) {
    const key = JSON.stringify(KEY.map(column => row[column]));
    if (!latest.has(key)) {
      latest.set(key, {
        ...Object.fromEntries(KEY.map(column => [column, row[column]])),
        last_report_id: row.last_report_id,
        last_scanned_at: row.last_seen_at,
      });
    }
  }
  const rows = [...latest.values()];
  for (let i = 0; i < rows.length; i += 100) {
    await knex('resilience_sast_streams').insert(rows.slice(i, i + 100));
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Back to every open finding holding its stream's latest report.
  const streams = await knex('resilience_sast_streams').select();
  for (const stream of streams) {
    await knex('resilience_sast_findings')
      .where(Object.fromEntries(KEY.map(column => [column, stream[column]])))
      .whereNull('fixed_at')
      .update({
        last_report_id: stream.last_report_id,
        last_seen_at: stream.last_scanned_at,
      });
  }
  await knex.schema.dropTable('resilience_sast_streams');
};
