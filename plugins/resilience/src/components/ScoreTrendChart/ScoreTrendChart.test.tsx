import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { ScoreTrendChart } from './ScoreTrendChart';

describe('ScoreTrendChart', () => {
  it('draws a line per run of scored days and a dot for a day alone, described in words', async () => {
    await renderInTestApp(
      <ScoreTrendChart
        label="Score trend"
        what="the score"
        points={[
          { date: '2026-11-20', score: 50 },
          { date: '2026-11-21', score: 60 },
          { date: '2026-11-22', score: null },
          { date: '2026-11-23', score: 80 },
        ]}
      />,
    );
    const chart = screen.getByRole('img', { name: 'Score trend' });
    expect(chart).toHaveAccessibleDescription(
      'From 2026-11-20 to 2026-11-23, the score went from 50 to 80; lowest 50, highest 80.',
    );
    expect(chart.querySelectorAll('path')).toHaveLength(1);
    expect(chart.querySelectorAll('circle')).toHaveLength(1);
    expect(within(chart).getByText('100')).toBeInTheDocument();
    expect(within(chart).getByText('11-21')).toBeInTheDocument();
  });

  it('draws no chart of nothing, and says so', async () => {
    await renderInTestApp(
      <ScoreTrendChart label="Score trend" what="the score" points={[]} />,
    );
    expect(
      screen.queryByRole('img', { name: 'Score trend' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('No trend yet: no day has the score.'),
    ).toBeInTheDocument();
  });
});
