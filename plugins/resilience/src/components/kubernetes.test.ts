import { Entity } from '@backstage/catalog-model';
import { isMappedToKubernetes } from './kubernetes';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', annotations },
});

describe('isMappedToKubernetes', () => {
  it.each([
    ['no annotations at all', undefined, false],
    ['other annotations only', { 'resilience.io/tier': 'gold' }, false],
    ['an empty kubernetes-id', { 'backstage.io/kubernetes-id': '' }, false],
    ['a kubernetes-id', { 'backstage.io/kubernetes-id': 'ledger' }, true],
    [
      'a label selector',
      { 'backstage.io/kubernetes-label-selector': 'app=ledger' },
      true,
    ],
  ])('is %s → %s', (_, annotations, expected) => {
    expect(isMappedToKubernetes(entity(annotations))).toBe(expected);
  });
});
