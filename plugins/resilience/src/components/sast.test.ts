import { SastFindingSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { findingLocation, severityCountsText, totalFindings } from './sast';

const counts = (critical: number, high: number, medium = 0, none = 0) => ({
  critical,
  high,
  medium,
  low: 0,
  none,
});

describe('severityCountsText', () => {
  it.each([
    [counts(1, 0, 3), '1 critical, 3 medium'],
    [counts(0, 2, 0, 4), '2 high, 4 without severity'],
    [counts(0, 0), 'none'],
  ])('%j → %s', (c, text) => {
    expect(severityCountsText(c)).toBe(text);
  });

  it('adds them all up', () => {
    expect(totalFindings(counts(1, 2, 3, 4))).toBe(10);
  });
});

describe('findingLocation', () => {
  const finding = (path?: string, startLine?: number) =>
    ({ path, startLine } as SastFindingSummary);
  it.each([
    [finding('src/db.js', 12), 'src/db.js:12'],
    [finding('Dockerfile'), 'Dockerfile'],
    [finding(undefined, 3), undefined],
  ])('%j → %s', (f, text) => {
    expect(findingLocation(f)).toBe(text);
  });
});
