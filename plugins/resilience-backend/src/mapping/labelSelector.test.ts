import {
  labelsMatch,
  parseLabelSelector,
  requirementsOfSelectorObject,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it.each([
    ['app=web', [{ key: 'app', operator: 'In', values: ['web'] }]],
    ['app==web', [{ key: 'app', operator: 'In', values: ['web'] }]],
    ['app != web', [{ key: 'app', operator: 'NotIn', values: ['web'] }]],
    [
      'tier in (db, cache),env notin (dev)',
      [
        { key: 'tier', operator: 'In', values: ['db', 'cache'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
      ],
    ],
    [
      'app.kubernetes.io/name,!legacy',
      [
        { key: 'app.kubernetes.io/name', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    ],
    ['', []],
  ])('parses %j', (selector, expected) => {
    expect(parseLabelSelector(selector)).toEqual(expected);
  });

  it.each(['app=(x)', 'a b c', 'tier in db'])(
    'rejects %j with a message naming the part',
    selector => {
      expect(() => parseLabelSelector(selector)).toThrow(/Cannot read/);
    },
  );
});

describe('labelsMatch', () => {
  const labels = { app: 'web', tier: 'db' };
  it.each([
    ['app=web', true],
    ['app=api', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['tier in (db,cache)', true],
    ['tier notin (db)', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app=web,tier=cache', false],
    ['', true],
  ])('%j → %s', (selector, expected) => {
    expect(labelsMatch(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('treats missing labels as empty', () => {
    expect(labelsMatch(parseLabelSelector('app'), undefined)).toBe(false);
    expect(labelsMatch(parseLabelSelector('!app'), undefined)).toBe(true);
  });
});

describe('requirementsOfSelectorObject', () => {
  it('combines matchLabels and matchExpressions', () => {
    const requirements = requirementsOfSelectorObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['db'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(labelsMatch(requirements, { app: 'web', tier: 'db' })).toBe(true);
    expect(
      labelsMatch(requirements, { app: 'web', tier: 'db', legacy: '1' }),
    ).toBe(false);
    expect(labelsMatch(requirements, { app: 'web' })).toBe(false);
  });

  it('matches nothing for an unknown operator rather than everything', () => {
    const requirements = requirementsOfSelectorObject({
      matchExpressions: [{ key: 'app', operator: 'Like', values: ['web'] }],
    });
    expect(labelsMatch(requirements, { app: 'web' })).toBe(false);
  });
});
