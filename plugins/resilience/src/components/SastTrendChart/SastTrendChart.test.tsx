import { renderInTestApp } from '@backstage/test-utils';
import { SastTrendPoint } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { SastTrendChart } from './SastTrendChart';

function day(date: string, critical: number, high: number, medium: number) {
  return { date, open: { critical, high, medium, low: 0, none: 0 } };
}

// Thirty days: two high findings throughout, a critical one for the last ten days.
const trend: SastTrendPoint[] = Array.from({ length: 30 }, (_, i) => {
  const date = new Date(Date.parse('2026-10-27T00:00:00Z') + i * 86400000)
    .toISOString()
    .slice(0, 10);
  return day(date, i >= 20 ? 1 : 0, 2, i < 5 ? 3 : 0);
});

describe('SastTrendChart', () => {
  it('describes the trend for those who cannot see the chart', async () => {
    await renderInTestApp(<SastTrendChart trend={trend} branch="main" />);
    expect(
      screen.getByRole('img', { name: 'Open findings trend' }),
    ).toHaveAccessibleDescription(
      'Over the last 30 days (2026-10-27 to 2026-11-25), open findings went from 5 to 3. ' +
        'Critical and high went from 2 to 3. Open now: 1 critical, 2 high.',
    );
    expect(
      screen.getByText(
        'Findings open on main at the end of each day, stacked by severity.',
      ),
    ).toBeInTheDocument();
  });

  it('stacks a band per severity with findings, critical first, with dates on the axis and a legend', async () => {
    await renderInTestApp(<SastTrendChart trend={trend} branch="main" />);
    const chart = screen.getByRole('img', { name: 'Open findings trend' });
    expect(
      Array.from(chart.querySelectorAll('g > title')).map(t => t.textContent),
    ).toEqual([
      'Critical: 1 open now, at most 1',
      'High: 2 open now, at most 2',
      'Medium: 0 open now, at most 3',
    ]);
    expect(within(chart).getByText('11-05')).toBeInTheDocument();
    expect(within(chart).getByText('5')).toBeInTheDocument();
    const legend = within(screen.getByRole('list', { name: 'Legend' }));
    expect(legend.getAllByRole('listitem').map(i => i.textContent)).toEqual([
      'Critical',
      'High',
      'Medium',
    ]);
  });

  it('draws a flat chart and says so when nothing was open', async () => {
    await renderInTestApp(
      <SastTrendChart
        trend={[day('2026-11-24', 0, 0, 0), day('2026-11-25', 0, 0, 0)]}
        branch="main"
      />,
    );
    expect(
      screen.getByRole('img', { name: 'Open findings trend' }),
    ).toHaveAccessibleDescription(
      'No finding was open in the last 2 days (2026-11-24 to 2026-11-25).',
    );
    expect(
      screen.queryByRole('list', { name: 'Legend' }),
    ).not.toBeInTheDocument();
  });
});
