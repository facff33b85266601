import { Entity } from '@backstage/catalog-model';
import { entityDefaultBranches } from './defaultBranches';

const entity = (annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', annotations },
});

describe('entityDefaultBranches', () => {
  it.each<[Record<string, string>, string[]]>([
    [{}, ['main', 'master']],
    [{ 'resilience.io/sast-default-branch': 'develop' }, ['develop']],
    [{ 'resilience.io/sast-default-branch': ' release/2.x ' }, ['release/2.x']],
    // Blank is no choice: the configured branches count, not none.
    [{ 'resilience.io/sast-default-branch': '  ' }, ['main', 'master']],
  ])('for %j counts %j', (annotations, branches) => {
    expect(
      entityDefaultBranches(entity(annotations), ['main', 'master']),
    ).toEqual(branches);
  });
});
