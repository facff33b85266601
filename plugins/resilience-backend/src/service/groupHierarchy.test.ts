import { Entity } from '@backstage/catalog-model';
import { descendants, groupChildren } from './groupHierarchy';

function group(
  name: string,
  relations: { parentOf?: string[]; childOf?: string[] } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    relations: [
      ...(relations.parentOf ?? []).map(n => ({
        type: 'parentOf',
        targetRef: `group:default/${n}`,
      })),
      ...(relations.childOf ?? []).map(n => ({
        type: 'childOf',
        targetRef: `group:default/${n}`,
      })),
    ],
  };
}

const below = (root: string, groups: Entity[]) =>
  descendants(`group:default/${root}`, groupChildren(groups)).map(r =>
    r.replace('group:default/', ''),
  );

describe('groupChildren and descendants', () => {
  it.each([
    [
      'both sides of each relation',
      [
        group('org', { parentOf: ['a'] }),
        group('a', { childOf: ['org'], parentOf: ['b'] }),
        group('b', { childOf: ['a'] }),
      ],
      ['org', 'a', 'b'],
    ],
    [
      'one side only: the parent names the child, or the child the parent',
      [
        group('org', { parentOf: ['a'] }),
        group('a'),
        group('b', { childOf: ['org'] }),
      ],
      ['org', 'a', 'b'],
    ],
    [
      'a cycle, each group once',
      [group('org', { parentOf: ['a'] }), group('a', { parentOf: ['org'] })],
      ['org', 'a'],
    ],
    [
      'a group its own parent',
      [group('org', { parentOf: ['org'], childOf: ['org'] })],
      ['org'],
    ],
    [
      'a child the caller may not read: not among the groups, nor what is below it',
      [
        group('org', { parentOf: ['hidden'] }),
        group('c', { childOf: ['hidden'] }),
      ],
      ['org'],
    ],
    [
      'references in another case',
      [
        group('org', { parentOf: ['A'] }),
        { ...group('a'), metadata: { name: 'A', namespace: 'default' } },
      ],
      ['org', 'a'],
    ],
  ])('%s', (_name, groups, expected) => {
    expect(below('org', groups)).toEqual(expected);
  });
});
