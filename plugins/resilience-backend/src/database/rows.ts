/** Helpers for reading rows the same way on SQLite and PostgreSQL. */

import {
  Grade,
  PillarId,
} from '@resilience-for-backstage/plugin-resilience-common';

/** A row as knex returns it. */
export type Row = Record<string, unknown>;

/**
 * A timestamp column as a Date: PostgreSQL returns Dates, SQLite numbers or strings; undefined
 * for null or what is not a time.
 */
export function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const date =
    value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A unique index refused the row: PostgreSQL's 23505, SQLite's SQLITE_CONSTRAINT_UNIQUE. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    (typeof e?.message === 'string' &&
      e.message.includes('UNIQUE constraint failed'))
  );
}

/** The column of each pillar's score; a new pillar needs a column (and a migration). */
export const PILLAR_COLUMNS: Record<PillarId, string> = {
  backups: 'backups_score',
  recovery: 'recovery_score',
  certificates: 'certificates_score',
  'code-security': 'code_security_score',
};

/** A score's columns (of the latest scores or of a daily point) as a score. */
export function scoreFromRow(row: Row) {
  const number = (v: unknown) =>
    v === null || v === undefined ? null : Number(v);
  const pillars = Object.fromEntries(
    Object.entries(PILLAR_COLUMNS).map(([pillar, column]) => [
      pillar,
      number(row[column]),
    ]),
  ) as Record<PillarId, number | null>;
  return {
    entityRef: String(row.entity_ref),
    score: number(row.score),
    grade: (row.grade ?? null) as Grade | null,
    pillars,
  };
}

/** The day (UTC) of a time, as `YYYY-MM-DD`: the key of a daily score point. */
export function dayOf(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/** Values per `IN (...)` list: well under SQLite's and PostgreSQL's limits on bound variables. */
const IN_CHUNK = 500;

export function chunks<T>(values: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) {
    result.push(values.slice(i, i + IN_CHUNK));
  }
  return result;
}
