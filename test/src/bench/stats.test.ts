import { median, ratio, RunResult, summarise } from './stats';

const run = (overrides: Partial<RunResult>): RunResult => ({
  requestsPerSecond: 100,
  p50: 10,
  p99: 50,
  ok: 1000,
  non2xx: 0,
  errors: 0,
  ...overrides,
});

describe('median', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[7, 7, 1], 7],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('leaves its input in order', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses no values', () => {
    expect(() => median([])).toThrow('no values');
  });
});

describe('summarise', () => {
  it('takes the median of each figure on its own, and sums the responses and failures', () => {
    expect(
      summarise([
        run({ requestsPerSecond: 90, p50: 12, p99: 40, non2xx: 1 }),
        run({ requestsPerSecond: 110, p50: 9, p99: 70, errors: 2 }),
        run({ requestsPerSecond: 100, p50: 10, p99: 50 }),
      ]),
    ).toEqual({
      requestsPerSecond: 100,
      p50: 10,
      p99: 50,
      ok: 3000,
      non2xx: 1,
      errors: 2,
    });
  });
});

describe('ratio', () => {
  it('divides by the baseline, and has none for a zero baseline', () => {
    expect(ratio(25, 100)).toBe(0.25);
    expect(ratio(1, 0)).toBeUndefined();
  });
});
