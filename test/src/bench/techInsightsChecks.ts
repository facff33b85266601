/*
 * The checks of the side-by-side comparison, as Tech Insights holds them: the values the
 * Resilience plugin measures against a threshold, as facts and JSON rules with the same
 * thresholds (the retriever that stores the facts is in techInsights.ts).
 */
/** The id of the retriever, its scheduled task and its facts. */
export const RESILIENCE_FACTS = 'resilienceBenchFacts';

/**
 * The checks of the plugin that measure a value against a threshold, as Tech Insights facts and
 * JSON rules. The thresholds are those of the plugin's built-in `standard` tier; the bench checks
 * that the measured entity is held to these before it measures anything.
 */
export const EQUIVALENT_CHECKS = [
  {
    checkId: 'backup.rpo',
    fact: 'backupRpoSeconds',
    bound: 'at-most',
    threshold: 24 * 3600,
  },
  {
    checkId: 'backup.retention',
    fact: 'backupRetentionSeconds',
    bound: 'at-least',
    threshold: 7 * 86_400,
  },
  {
    checkId: 'certificate.expiry',
    fact: 'certificateExpirySeconds',
    bound: 'at-least',
    threshold: 28 * 86_400,
  },
  {
    checkId: 'certificate.lifetime',
    fact: 'certificateLifetimeSeconds',
    bound: 'at-most',
    threshold: 90 * 86_400,
  },
] as const;

/** The id of the Tech Insights check of a plugin check. */
export const techInsightsCheckId = (checkId: string) =>
  `resilience-${checkId.replace(/\W/g, '-')}`;

/** `techInsights` of the comparison backend's config: the retriever, run when triggered, and the checks. */
export function techInsightsConfig(): Record<string, unknown> {
  return {
    factRetrievers: {
      [RESILIENCE_FACTS]: {
        // 1 January only: the bench triggers it, once the plugin has scored every entity.
        cadence: '0 0 1 1 *',
        timeout: { minutes: 30 },
        lifecycle: { maxItems: 1 },
      },
    },
    factChecker: {
      checks: Object.fromEntries(
        EQUIVALENT_CHECKS.map(check => [
          techInsightsCheckId(check.checkId),
          {
            type: 'json-rules-engine',
            name: check.checkId,
            description: `${check.fact} ${check.bound} ${check.threshold}, as the plugin's ${check.checkId}`,
            factIds: [RESILIENCE_FACTS],
            rule: {
              conditions: {
                all: [
                  {
                    fact: check.fact,
                    operator:
                      check.bound === 'at-most'
                        ? 'lessThanInclusive'
                        : 'greaterThanInclusive',
                    value: check.threshold,
                  },
                ],
              },
            },
          },
        ]),
      ),
    },
  };
}

export type ScoreBody = {
  pillars: Array<{ checks: Array<{ id: string; value?: number }> }>;
};

/** The facts of one score: the value of each equivalent check that measured one. */
export function factsOfScore(score: ScoreBody): Record<string, number> {
  const checks = score.pillars.flatMap(p => p.checks);
  const facts: Record<string, number> = {};
  for (const { checkId, fact } of EQUIVALENT_CHECKS) {
    const value = checks.find(c => c.id === checkId)?.value;
    if (value !== undefined) facts[fact] = value;
  }
  return facts;
}
