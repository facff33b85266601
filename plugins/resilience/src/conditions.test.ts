import { Entity } from '@backstage/catalog-model';
import { isResilienceAvailable } from './conditions';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', annotations },
});

describe('isResilienceAvailable', () => {
  it('is true for an entity that names its Kubernetes objects by either annotation', () => {
    expect(
      isResilienceAvailable(entity({ 'backstage.io/kubernetes-id': 'ledger' })),
    ).toBe(true);
    expect(
      isResilienceAvailable(
        entity({ 'backstage.io/kubernetes-label-selector': 'app=ledger' }),
      ),
    ).toBe(true);
  });

  it('is false without them, or with an empty one', () => {
    expect(isResilienceAvailable(entity())).toBe(false);
    expect(
      isResilienceAvailable(entity({ 'backstage.io/kubernetes-id': '' })),
    ).toBe(false);
  });
});
