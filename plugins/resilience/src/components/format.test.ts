import { formatAge, formatTime } from './format';

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

describe('formatTime', () => {
  it('shows minutes in UTC', () => {
    expect(formatTime('2026-11-25T02:04:59Z')).toBe('2026-11-25 02:04 UTC');
  });
});
