import { largestCronInterval, nextCronRun } from './cron';

const minutes = 60_000;
const hours = 60 * minutes;
const days = 24 * hours;

describe('largestCronInterval', () => {
  it.each([
    ['0 2 * * *', 24 * hours],
    ['0 * * * *', 1 * hours],
    ['*/15 * * * *', 15 * minutes],
    ['5/20 * * * *', 20 * minutes],
    // The largest gap is the one into the next hour.
    ['0,10 * * * *', 50 * minutes],
    ['0 2,14 * * *', 12 * hours],
    ['0 2,4 * * *', 22 * hours],
    ['0 0-6/2 * * *', 18 * hours],
    ['30 1 * * 1-5', 72 * hours],
    ['30 1 * * MON-FRI', 72 * hours],
    ['0 12 * * 0', 7 * days],
    ['0 0 1 * *', 31 * days],
    ['0 0 31 * *', 61 * days],
    ['0 0 * JAN *', 336 * days],
    ['0 0 29 2 *', 1461 * days],
    ['0 3 ? * *', 24 * hours],
    // Both day fields restricted: runs on the 1st OR on Sundays, so never more than a week apart.
    ['0 0 1 * 0', 7 * days],
    ['@daily', 24 * hours],
    ['@hourly', 1 * hours],
    ['@weekly', 7 * days],
    ['@every 6h', 6 * hours],
    ['@every 1h30m', 90 * minutes],
    ['CRON_TZ=Europe/Berlin 0 2 * * *', 24 * hours],
    ['TZ=UTC 0 */6 * * *', 6 * hours],
  ])('%s → %d ms', (expression, expected) => {
    expect(largestCronInterval(expression)).toBe(expected);
  });

  it.each([
    ['0 2 * *', /has 4 fields/],
    ['61 * * * *', /minute 61, outside 0-59/],
    ['0 0 30 2 *', /never runs/],
    ['0 0 * * 7', /outside 0-6/],
    ['0 5-2 * * *', /ends before it starts/],
    ['*/0 * * * *', /bad step/],
    ['@fortnightly', /not a cron descriptor/],
    ['@every 0s', /interval of zero/],
    ['@every often', /not a duration/],
    ['every day', /fields/],
  ])('refuses %j, saying why', (expression, message) => {
    expect(() => largestCronInterval(expression)).toThrow(message);
    // Asked again (now from what it remembers), the same answer.
    expect(() => largestCronInterval(expression)).toThrow(message);
  });

  it('answers the same when asked again for an expression it remembers', () => {
    const first = largestCronInterval('0 3 * * 1-5');
    expect(first).toBe(3 * 24 * 3_600_000);
    expect(largestCronInterval('0 3 * * 1-5')).toBe(first);
  });
});

describe('nextCronRun', () => {
  it.each([
    ['0 2 * * *', '2026-11-25T01:59:00Z', '2026-11-25T02:00:00.000Z'],
    // A run exactly at `after` is not the next one.
    ['0 2 * * *', '2026-11-25T02:00:00Z', '2026-11-26T02:00:00.000Z'],
    ['*/15 * * * *', '2026-11-25T10:07:30Z', '2026-11-25T10:15:00.000Z'],
    ['30 1 * * 1-5', '2026-11-27T02:00:00Z', '2026-11-30T01:30:00.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['@hourly', '2026-11-25T23:30:00Z', '2026-11-26T00:00:00.000Z'],
    // Berlin is UTC+1 in winter and UTC+2 in summer.
    [
      'CRON_TZ=Europe/Berlin 0 2 * * *',
      '2026-11-25T12:00:00Z',
      '2026-11-26T01:00:00.000Z',
    ],
    [
      'CRON_TZ=Europe/Berlin 0 2 * * *',
      '2026-07-01T12:00:00Z',
      '2026-07-02T00:00:00.000Z',
    ],
    ['@every 6h', '2026-11-25T03:00:00Z', '2026-11-25T09:00:00.000Z'],
  ])('%s after %s → %s', (expression, after, expected) => {
    expect(nextCronRun(expression, new Date(after)).toISOString()).toBe(
      expected,
    );
  });

  it('says which time zone is unknown', () => {
    expect(() =>
      nextCronRun('CRON_TZ=Mars/Olympus 0 2 * * *', new Date()),
    ).toThrow(/time zone "Mars\/Olympus", which is unknown/);
  });
});
