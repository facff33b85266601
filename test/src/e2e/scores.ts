/*
 * The score an entity should have, worked out from its checks as the README states the rule, with
 * nothing of the plugin's own code: each pillar is the mean of its checks (pass 1, warn 0.5,
 * fail 0; unknown and not applicable left out), the entity the mean of the pillars that have a
 * score (every weight 1 in the demo), graded by the default bounds 90, 80, 70, 60 and 50.
 */

/** A check as `GET /api/resilience/entities/...` returns it. */
export interface CheckLike {
  id: string;
  state: string;
}

/** What the entity endpoint returns, as far as scores need it. */
export interface EntityChecks {
  checks: CheckLike[];
  recoveryChecks: CheckLike[];
  certificateChecks: CheckLike[];
  codeSecurityChecks: CheckLike[];
}

export interface ExpectedScore {
  score: number | null;
  grade: string | null;
  pillars: Record<string, number | null>;
}

const VALUE: Record<string, number> = { pass: 1, warn: 0.5, fail: 0 };
const BOUNDS: Array<[string, number]> = [
  ['A', 90],
  ['B', 80],
  ['C', 70],
  ['D', 60],
  ['E', 50],
];

function pillar(checks: CheckLike[]): number | null {
  const scored = checks.filter(c => c.state in VALUE);
  if (scored.length === 0) return null;
  const sum = scored.reduce((total, c) => total + VALUE[c.state], 0);
  return Math.round((100 * sum) / scored.length);
}

/** The expected score of an entity with no checks but the built-in ones. */
export function expectedScore(entity: EntityChecks): ExpectedScore {
  const pillars: Record<string, number | null> = {
    backups: pillar(entity.checks),
    recovery: pillar(entity.recoveryChecks),
    certificates: pillar(entity.certificateChecks),
    'code-security': pillar(entity.codeSecurityChecks),
  };
  const present = Object.values(pillars).filter((p): p is number => p !== null);
  const score = present.length
    ? Math.round(present.reduce((a, b) => a + b, 0) / present.length)
    : null;
  const grade =
    score === null ? null : BOUNDS.find(([, min]) => score >= min)?.[0] ?? 'F';
  return { score, grade, pillars };
}

/** The mean of the scores that exist, to one decimal, as the scorecards round it. */
export function meanOf(scores: Array<number | null>): number | null {
  const present = scores.filter((s): s is number => s !== null);
  if (present.length === 0) return null;
  return (
    Math.round((10 * present.reduce((a, b) => a + b, 0)) / present.length) / 10
  );
}
