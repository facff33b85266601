import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { AxisLine, plotArea, XAxis, YAxis } from './Axes';

const plot = plotArea({
  width: 400,
  height: 200,
  margin: { top: 10, right: 20, bottom: 30, left: 40 },
});

describe('plotArea', () => {
  it('is the chart inside its margins', () => {
    expect(plot).toEqual({
      left: 40,
      right: 380,
      top: 10,
      bottom: 170,
      width: 340,
      height: 160,
    });
  });
});

describe('the axes', () => {
  it('draw a labelled grid line per y tick, x labels under the plot, and the bottom line', async () => {
    const { container } = await renderInTestApp(
      <svg>
        <YAxis
          plot={plot}
          ticks={[0, 5]}
          y={v => 170 - v * 10}
          label={v => `${v} s`}
        />
        <XAxis
          plot={plot}
          ticks={[1, 2]}
          x={t => 40 + t * 100}
          label={t => `day ${t}`}
        />
        <AxisLine plot={plot} />
      </svg>,
    );
    expect(screen.getByText('5 s')).toHaveAttribute('y', '120');
    expect(screen.getByText('day 2')).toHaveAttribute('y', '186');
    const lines = Array.from(container.querySelectorAll('line')).map(l =>
      ['x1', 'x2', 'y1', 'y2'].map(a => Number(l.getAttribute(a))),
    );
    expect(lines).toEqual([
      [40, 380, 170, 170],
      [40, 380, 120, 120],
      [40, 380, 170, 170],
    ]);
  });

  it('draw a vertical grid line per x tick when asked', async () => {
    const { container } = await renderInTestApp(
      <svg>
        <XAxis
          plot={plot}
          ticks={[1]}
          x={t => 40 + t * 100}
          label={String}
          grid
        />
      </svg>,
    );
    const line = container.querySelector('line')!;
    expect(['x1', 'x2', 'y1', 'y2'].map(a => line.getAttribute(a))).toEqual([
      '140',
      '140',
      '10',
      '170',
    ]);
    expect(screen.getByText('1')).toBeInTheDocument();
  });
});
