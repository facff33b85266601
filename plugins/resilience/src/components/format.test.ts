import {
  formatAge,
  formatDuration,
  formatTime,
  secondsBetween,
} from './format';

describe('formatAge', () => {
  it.each([
    [0, '0 s'],
    [59, '59 s'],
    [60, '1 min'],
    [3599, '59 min'],
    [3600, '1 h'],
    [47 * 3600, '47 h'],
    [2 * 86400, '2 d'],
    [30 * 86400 + 5, '30 d'],
  ])('%i s → %s', (seconds, text) => {
    expect(formatAge(seconds)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [90, '1 min 30 s'],
    [15 * 60, '15 min'],
    [3600, '1 h'],
    [5400, '1 h 30 min'],
    [24 * 3600, '24 h'],
    [24 * 3600 + 30 * 60 + 59, '24 h 30 min'],
    [26 * 3600, '26 h'],
    [2 * 86400, '2 d'],
    [2.5 * 86400, '2 d 12 h'],
    [30 * 86400 + 59 * 60, '30 d'],
    [-3 * 3600, '-3 h'],
  ])('%i s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatTime', () => {
  it('shows minutes in UTC', () => {
    expect(formatTime('2026-11-25T02:04:59Z')).toBe('2026-11-25 02:04 UTC');
  });
});

describe('secondsBetween', () => {
  it('counts forwards and backwards', () => {
    expect(secondsBetween('2026-11-25T02:00:00Z', '2026-11-25T03:00:30Z')).toBe(
      3630,
    );
    expect(secondsBetween('2026-11-25T03:00:00Z', '2026-11-25T02:00:00Z')).toBe(
      -3600,
    );
  });
});
