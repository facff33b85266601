import { renderInTestApp } from '@backstage/test-utils';
import { EffectiveBackupPolicy } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { PolicyProblemsNotice } from './PolicyProblemsNotice';

const policy: EffectiveBackupPolicy = {
  tier: 'silver',
  rpoSeconds: 86400,
  retentionSeconds: 14 * 86400,
  recentBackups: 5,
  overriddenBy: [],
  problems: [],
};

describe('PolicyProblemsNotice', () => {
  it('warns about each problem of the annotations and says which values apply', async () => {
    await renderInTestApp(
      <PolicyProblemsNotice
        policy={{
          ...policy,
          problems: [
            'resilience.io/rpo "4 hours" is not a duration; write it as 4h or PT4H.',
            'resilience.io/tier "platinum" is not a configured tier (gold, silver, bronze).',
          ],
        }}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(
      "The entity's policy annotations cannot be used; the checks use the values of tier silver instead",
    );
    const items = within(alert).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(
      'resilience.io/rpo "4 hours" is not a duration; write it as 4h or PT4H.',
    );
  });

  it('shows nothing when the annotations are fine', async () => {
    await renderInTestApp(<PolicyProblemsNotice policy={policy} />);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
