import { renderInTestApp } from '@backstage/test-utils';
import {
  BackupSummary,
  EffectiveBackupPolicy,
} from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { BackupTimeline } from './BackupTimeline';

const policy: EffectiveBackupPolicy = {
  tier: 'gold',
  rpoSeconds: 24 * 3600,
  retentionSeconds: 30 * 86400,
  recentBackups: 5,
  overriddenBy: [],
  problems: [],
};

function daily(
  day: number,
  phase: string,
  completed: string | undefined,
  counts: { errors?: number; warnings?: number } = {},
): BackupSummary {
  return {
    cluster: 'prod',
    namespace: 'velero',
    name: `daily-payments-202611${day}020000`,
    phase,
    scheduleName: 'daily-payments',
    storageLocation: 'default',
    startedAt: `2026-11-${day}T02:00:00Z`,
    completedAt: completed && `2026-11-${day}T${completed}:00Z`,
    ttlSeconds: 30 * 86400,
    errors: counts.errors ?? 0,
    warnings: counts.warnings ?? 0,
  };
}

// Newest first, as the API returns them. None completed on the 21st, nor after the 22nd.
const backups: BackupSummary[] = [
  daily(25, 'InProgress', undefined),
  daily(24, 'PartiallyFailed', '02:10', { errors: 3, warnings: 1 }),
  daily(23, 'Failed', '02:01', { errors: 1 }),
  daily(22, 'Completed', '02:04'),
  daily(20, 'Completed', '02:04'),
];

async function renderTimeline(items: BackupSummary[]) {
  return renderInTestApp(
    <BackupTimeline
      backups={items}
      policy={policy}
      generatedAt="2026-11-25T12:00:00Z"
    />,
  );
}

describe('BackupTimeline', () => {
  it('describes the chart: the phases and how far the RPO was missed', async () => {
    await renderTimeline(backups);
    const chart = screen.getByRole('img', {
      name: 'Backup timeline of the last 30 d',
    });
    expect(chart).toHaveAccessibleDescription(
      '5 backups in the last 30 d: 1 Failed, 1 PartiallyFailed, 1 In progress, 2 Completed. ' +
        'Between completed backups, the RPO of 24 h was missed once: the newest restore point grew 2 d old. ' +
        'The newest completed backup is 3 d 9 h old: over the RPO of 24 h now.',
    );
  });

  it('says for each backup its phase, time, errors and warnings, and the time since the previous completed one', async () => {
    await renderTimeline(backups);
    const partial = screen.getByText(
      /^daily-payments-20261124020000: PartiallyFailed/,
    );
    expect(partial.tagName.toLowerCase()).toBe('title');
    expect(partial).toHaveTextContent(
      'daily-payments-20261124020000: PartiallyFailed completed 2026-11-24 02:10 UTC 3 errors, 1 warning 2 d after the previous completed backup, over the RPO schedule daily-payments · location default · cluster prod',
    );
    expect(
      screen.getByText(/^daily-payments-20261123020000: Failed/),
    ).toHaveTextContent('1 error, 0 warnings');
    expect(
      screen.getByText(/^daily-payments-20261122020000: Completed/),
    ).toHaveTextContent(
      '2 d after the previous completed backup, over the RPO',
    );
    expect(
      screen.getByText(/^daily-payments-20261120020000: Completed/),
    ).toHaveTextContent('no completed backup before it in the window');
    expect(
      screen.getByText(/^daily-payments-20261125020000: InProgress/),
    ).toHaveTextContent('started 2026-11-25 02:00 UTC, not completed');
  });

  it('has a legend with the count of each phase and the RPO', async () => {
    await renderTimeline(backups);
    const legend = within(screen.getByRole('list', { name: 'Legend' }));
    expect(
      legend.getAllByRole('listitem').map(item => item.textContent),
    ).toEqual([
      'Completed (2)',
      'In progress (1)',
      'PartiallyFailed (1)',
      'Failed (1)',
      'RPO 24 h',
      'Age of the newest restore point',
      'Over the RPO',
    ]);
  });

  it('says when the RPO was always met', async () => {
    await renderTimeline([
      { ...daily(25, 'Completed', '02:04') },
      daily(24, 'Completed', '02:04'),
    ]);
    expect(
      screen.getByText(
        '2 backups in the last 30 d: 2 Completed. Since the first completed backup, the RPO of 24 h was always met.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^daily-payments-20261125020000: Completed/),
    ).toHaveTextContent('24 h after the previous completed backup schedule');
    const legend = within(screen.getByRole('list', { name: 'Legend' }));
    expect(legend.getByText('Failed (0)')).toBeInTheDocument();
    expect(legend.queryByText('Over the RPO')).not.toBeInTheDocument();
  });

  it('says when there are no backups in the window', async () => {
    await renderTimeline([]);
    expect(
      screen.getByText(
        "No backup of the entity's claims started in the last 30 d (the retention).",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });
  describe('security marks', () => {
    const marked: BackupSummary[] = [
      {
        ...daily(25, 'Completed', '02:04'),
        security: { mark: 'vulnerable', openCritical: 1, openHigh: 2 },
      },
      {
        ...daily(24, 'Completed', '02:04'),
        security: { mark: 'known-good', openCritical: 0, openHigh: 0 },
      },
      {
        ...daily(23, 'Failed', '02:01', { errors: 1 }),
        security: { mark: 'unknown', openCritical: 0, openHigh: 0 },
      },
      daily(22, 'Completed', '02:04'),
    ];

    it("says each mark in the backup's tooltip, with the open critical and high counts", async () => {
      await renderTimeline(marked);
      expect(
        screen.getByText(/^daily-payments-20261125020000: Completed/),
      ).toHaveTextContent(
        'vulnerable: 1 critical and 2 high findings were open when it started',
      );
      expect(
        screen.getByText(/^daily-payments-20261124020000: Completed/),
      ).toHaveTextContent(
        'known-good: no critical or high finding was open when it started',
      );
      expect(
        screen.getByText(/^daily-payments-20261123020000: Failed/),
      ).toHaveTextContent(
        'security unknown: no scan of the default branch before it started',
      );
      expect(
        screen.getByText(/^daily-payments-20261122020000: Completed/),
      ).not.toHaveTextContent(/known-good|vulnerable|unknown/);
    });

    it('draws a ring for each mark, distinct in shape: one, two, or dashed', async () => {
      await renderTimeline(marked);
      const chart = screen.getByRole('img', {
        name: 'Backup timeline of the last 30 d',
      });
      const group = (name: string) =>
        Array.from(chart.querySelectorAll('g > title')).find(t =>
          t.textContent!.startsWith(`${name}:`),
        )!.parentElement!;
      // The marker, then its rings, each named by its mark.
      const circles = (name: string) =>
        Array.from(group(name).querySelectorAll('circle')).map(
          c =>
            /known-good|vulnerable|unknown/.exec(
              c.closest('[class]')!.getAttribute('class')!,
            )?.[0] ?? 'marker',
        );
      expect(circles('daily-payments-20261125020000')).toEqual([
        'vulnerable',
        'vulnerable',
        'marker',
      ]);
      expect(circles('daily-payments-20261124020000')).toEqual([
        'known-good',
        'marker',
      ]);
      expect(circles('daily-payments-20261122020000')).toEqual(['marker']);
      // The failed marker is a square: its only circle is the dashed ring.
      expect(circles('daily-payments-20261123020000')).toEqual(['unknown']);
      expect(
        group('daily-payments-20261123020000').querySelector('rect'),
      ).not.toBeNull();
    });

    it('lists the marks in the legend and the summary', async () => {
      await renderTimeline(marked);
      const legend = within(screen.getByRole('list', { name: 'Legend' }));
      expect(
        legend
          .getAllByRole('listitem')
          .map(item => item.textContent)
          .slice(-3),
      ).toEqual(['Known-good (1)', 'Vulnerable (1)', 'Security unknown (1)']);
      expect(
        screen.getByRole('img', { name: 'Backup timeline of the last 30 d' }),
      ).toHaveAccessibleDescription(
        /Code security when they started: 1 known-good, 1 vulnerable \(critical or high findings open\), 1 unknown\.$/,
      );
    });

    it('leaves backups without marks as they were', async () => {
      await renderTimeline(backups);
      const legend = within(screen.getByRole('list', { name: 'Legend' }));
      expect(legend.queryByText(/Known-good/)).not.toBeInTheDocument();
      expect(
        screen.getByRole('img', { name: 'Backup timeline of the last 30 d' }),
      ).not.toHaveAccessibleDescription(/Code security/);
    });
  });
});
