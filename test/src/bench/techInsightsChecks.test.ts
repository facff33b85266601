import {
  EQUIVALENT_CHECKS,
  factsOfScore,
  RESILIENCE_FACTS,
  techInsightsCheckId,
  techInsightsConfig,
} from './techInsightsChecks';

describe('the equivalent checks', () => {
  const config = techInsightsConfig() as {
    factRetrievers: Record<string, { cadence: string }>;
    factChecker: {
      checks: Record<
        string,
        {
          factIds: string[];
          rule: {
            conditions: {
              all: Array<{ fact: string; operator: string; value: number }>;
            };
          };
        }
      >;
    };
  };

  it('holds each value against its threshold with the operator of its bound', () => {
    const checks = config.factChecker.checks;
    expect(Object.keys(checks)).toEqual([
      'resilience-backup-rpo',
      'resilience-backup-retention',
      'resilience-certificate-expiry',
      'resilience-certificate-lifetime',
    ]);
    expect(checks['resilience-backup-rpo'].rule.conditions.all).toEqual([
      { fact: 'backupRpoSeconds', operator: 'lessThanInclusive', value: 86400 },
    ]);
    expect(checks['resilience-certificate-expiry'].rule.conditions.all).toEqual(
      [
        {
          fact: 'certificateExpirySeconds',
          operator: 'greaterThanInclusive',
          value: 28 * 86400,
        },
      ],
    );
    for (const check of Object.values(checks)) {
      expect(check.factIds).toEqual([RESILIENCE_FACTS]);
    }
    // Run only when the bench triggers it.
    expect(config.factRetrievers[RESILIENCE_FACTS].cadence).toBe('0 0 1 1 *');
    expect(techInsightsCheckId('certificate.lifetime')).toBe(
      'resilience-certificate-lifetime',
    );
  });

  it("takes each check's value from a score, and leaves out what was not measured", () => {
    const score = {
      pillars: [
        {
          checks: [
            { id: 'backup.rpo', value: 3600 },
            { id: 'backup.retention' },
            { id: 'backup.schedule', value: 1 },
          ],
        },
        { checks: [{ id: 'certificate.expiry', value: 0 }] },
      ],
    };
    expect(factsOfScore(score)).toEqual({
      backupRpoSeconds: 3600,
      certificateExpirySeconds: 0,
    });
    expect(EQUIVALENT_CHECKS.map(c => c.checkId)).toHaveLength(4);
  });
});
