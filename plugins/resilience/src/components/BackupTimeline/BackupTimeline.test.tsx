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

async function renderTimeline(items: BackupSummary[], rpoHours = 24) {
  return renderInTestApp(
    <BackupTimeline
      backups={items}
      policy={{ ...policy, rpoSeconds: rpoHours * 3600 }}
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
        // From the start of the backup of the 22nd, 02:00, not its completion at 02:04.
        'The newest completed backup started 3 d 10 h ago: over the RPO of 24 h now.',
    );
  });

  it('says for each backup its phase, start and completion, errors and warnings, and the time since the previous completed one started', async () => {
    await renderTimeline(backups);
    const partial = screen.getByText(
      /^daily-payments-20261124020000: PartiallyFailed/,
    );
    expect(partial.tagName.toLowerCase()).toBe('title');
    expect(partial).toHaveTextContent(
      'daily-payments-20261124020000: PartiallyFailed started 2026-11-24 02:00 UTC, completed 2026-11-24 02:10 UTC 3 errors, 1 warning 2 d since the previous completed backup started, over the RPO schedule daily-payments · location default · cluster prod',
    );
    expect(
      screen.getByText(/^daily-payments-20261123020000: Failed/),
    ).toHaveTextContent('1 error, 0 warnings');
    expect(
      screen.getByText(/^daily-payments-20261122020000: Completed/),
    ).toHaveTextContent(
      '2 d since the previous completed backup started, over the RPO',
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
    // Daily at 02:00, done by 02:04: the data is 24 h 4 min old when the next one completes.
    await renderTimeline(
      [daily(25, 'Completed', '02:04'), daily(24, 'Completed', '02:04')],
      25,
    );
    expect(
      screen.getByText(
        '2 backups in the last 30 d: 2 Completed. Since the first completed backup, the RPO of 25 h was always met.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^daily-payments-20261125020000: Completed/),
    ).toHaveTextContent(
      '24 h 4 min since the previous completed backup started schedule',
    );
    const legend = within(screen.getByRole('list', { name: 'Legend' }));
    expect(legend.getByText('Failed (0)')).toBeInTheDocument();
    expect(legend.queryByText('Over the RPO')).not.toBeInTheDocument();
  });

  const sixHourDailies = [
    daily(25, 'Completed', '08:00'),
    daily(24, 'Completed', '08:00'),
  ];

  it('counts from the start: daily backups that take 6 h miss an RPO of 26 h', async () => {
    await renderTimeline(sixHourDailies, 26);
    expect(
      screen.getByRole('img', { name: 'Backup timeline of the last 30 d' }),
    ).toHaveAccessibleDescription(
      '2 backups in the last 30 d: 2 Completed. Between completed backups, the RPO of 26 h was missed once: the newest restore point grew 30 h old.',
    );
    expect(
      screen.getByText(/^daily-payments-20261125020000: Completed/),
    ).toHaveTextContent(
      'started 2026-11-25 02:00 UTC, completed 2026-11-25 08:00 UTC 0 errors, 0 warnings 30 h since the previous completed backup started, over the RPO',
    );
    const legend = within(screen.getByRole('list', { name: 'Legend' }));
    expect(legend.getByText('Over the RPO')).toBeInTheDocument();
  });

  it('draws each restore point already 6 h old when it appears, never back to zero', async () => {
    await renderTimeline(sixHourDailies, 26);
    const chart = screen.getByRole('img', {
      name: 'Backup timeline of the last 30 d',
    });
    const line = Array.from(chart.querySelectorAll('path')).find(p =>
      /-age-/.test(p.getAttribute('class') ?? ''),
    )!;
    // Every y of the line, from `x,y` pairs and vertical moves.
    const ys = Array.from(
      line.getAttribute('d')!.matchAll(/,([\d.]+)|V([\d.]+)/g),
      m => Number(m[1] ?? m[2]),
    );
    // Two ramps: up from where the first appeared, down to where the second appeared, up to now.
    expect(ys).toHaveLength(5);
    // The plot's bottom, age zero: the chart's height (240) minus the bottom margin (28).
    expect(Math.max(...ys)).toBeLessThan(240 - 28);
    // Both appear at the same height (6 h old), and the first drops to that height.
    expect(ys[2]).toBeCloseTo(ys[0]);
    expect(ys[3]).toBeCloseTo(ys[0]);
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
