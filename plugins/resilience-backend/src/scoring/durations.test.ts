import {
  formatDuration,
  parseGoDuration,
  parsePolicyDuration,
} from './durations';

const H = 3_600_000;
const D = 24 * H;

describe('parseGoDuration', () => {
  it.each([
    ['720h0m0s', 720 * H],
    ['1h30m', 1.5 * H],
    ['90s', 90_000],
    ['1.5h', 1.5 * H],
    ['0s', 0],
  ])('reads %s', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['', '7d', 'h', '1h 30m', 'forever', '-1h'])('refuses %p', text => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('parsePolicyDuration', () => {
  it.each([
    ['4h', 4 * H],
    ['30m', 0.5 * H],
    ['14d', 14 * D],
    ['1d12h', 36 * H],
    ['2w', 14 * D],
    ['720h0m0s', 720 * H],
    [' 24h ', 24 * H],
    ['PT4H', 4 * H],
    ['P14D', 14 * D],
    ['P1DT12H', 36 * H],
    ['P2W', 14 * D],
    ['pt30m', 0.5 * H],
  ])('reads %p', (text, ms) => {
    expect(parsePolicyDuration(text)).toEqual({ ms });
  });

  it.each([
    ['P1M', /months and years are not accepted/],
    ['P1Y', /months and years/],
    ['P', /ISO 8601/],
    ['PT', /ISO 8601/],
    ['4 hours', /not a duration; write it like 4h/],
    ['daily', /not a duration/],
    ['0h', /not a positive duration/],
    ['', /not a duration/],
  ])('explains why %p is refused', (text, message) => {
    const result = parsePolicyDuration(text);
    expect(result).toEqual({ error: expect.stringMatching(message) });
  });
});

describe('formatDuration', () => {
  it.each([
    [30_000, '30 s'],
    [45 * 60_000, '45 min'],
    [26 * H, '26 h'],
    [26 * H + 30 * 60_000, '26 h 30 min'],
    [3 * D + 4 * H, '3 d 4 h'],
    [14 * D, '14 d'],
  ])('writes %p ms as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
