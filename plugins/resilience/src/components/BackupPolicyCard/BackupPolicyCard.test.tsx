import { renderInTestApp } from '@backstage/test-utils';
import { EffectiveBackupPolicy } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { BackupPolicyCard } from './BackupPolicyCard';

const policy: EffectiveBackupPolicy = {
  tier: 'gold',
  rpoSeconds: 4 * 3600,
  retentionSeconds: 30 * 86400,
  recentBackups: 5,
  overriddenBy: ['resilience.io/rpo'],
  problems: [],
};

/** The value and source shown for a term of the policy's description list. */
function valueOf(term: string) {
  return within(screen.getByText(term).nextElementSibling as HTMLElement);
}

describe('BackupPolicyCard', () => {
  it('shows the tier, RPO, retention and recent backups, and which annotation set each', async () => {
    await renderInTestApp(<BackupPolicyCard policy={policy} />);
    expect(valueOf('Tier').getByText('gold')).toBeInTheDocument();
    expect(valueOf('RPO').getByText('4 h')).toBeInTheDocument();
    expect(
      valueOf('RPO').getByText('set by resilience.io/rpo'),
    ).toBeInTheDocument();
    expect(valueOf('Retention').getByText('30 d')).toBeInTheDocument();
    expect(
      valueOf('Retention').getByText('from tier gold'),
    ).toBeInTheDocument();
    expect(
      valueOf('Recent backups').getByText('the last 5 finished must not fail'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        "Overridden by the entity's annotations: resilience.io/rpo.",
      ),
    ).toBeInTheDocument();
  });

  it('says when the tier applies unchanged', async () => {
    await renderInTestApp(
      <BackupPolicyCard
        policy={{
          ...policy,
          tier: 'bronze',
          rpoSeconds: 86400,
          overriddenBy: [],
        }}
      />,
    );
    expect(valueOf('RPO').getByText('24 h')).toBeInTheDocument();
    expect(valueOf('RPO').getByText('from tier bronze')).toBeInTheDocument();
    expect(
      screen.getByText("No annotation overrides the tier's values."),
    ).toBeInTheDocument();
  });
});
