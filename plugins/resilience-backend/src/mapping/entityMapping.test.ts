import { Entity } from '@backstage/catalog-model';
import { kubernetesMappingOf, objectMatcher } from './entityMapping';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'ledger', annotations },
    spec: {},
  };
}

describe('kubernetesMappingOf', () => {
  it('is null without either annotation', () => {
    expect(
      kubernetesMappingOf(entity({ 'backstage.io/kubernetes-namespace': 'x' })),
    ).toBeNull();
  });

  it('reads all three annotations', () => {
    expect(
      kubernetesMappingOf(
        entity({
          'backstage.io/kubernetes-id': 'ledger',
          'backstage.io/kubernetes-label-selector': 'app=ledger',
          'backstage.io/kubernetes-namespace': 'payments',
        }),
      ),
    ).toEqual({
      kubernetesId: 'ledger',
      labelSelector: 'app=ledger',
      namespace: 'payments',
    });
  });
});

describe('objectMatcher', () => {
  const ledgerPvc = {
    namespace: 'payments',
    labels: { 'backstage.io/kubernetes-id': 'ledger', app: 'ledger-db' },
  };

  it('matches on the kubernetes-id label', () => {
    const matches = objectMatcher({ kubernetesId: 'ledger' });
    expect(matches(ledgerPvc)).toBe(true);
    expect(
      matches({
        namespace: 'payments',
        labels: { 'backstage.io/kubernetes-id': 'other' },
      }),
    ).toBe(false);
  });

  it('prefers the label selector over the id, as the Kubernetes plugin does', () => {
    const matches = objectMatcher({
      kubernetesId: 'other',
      labelSelector: 'app=ledger-db',
    });
    expect(matches(ledgerPvc)).toBe(true);
  });

  it('restricts to the namespace annotation', () => {
    expect(
      objectMatcher({ kubernetesId: 'ledger', namespace: 'payments' })(
        ledgerPvc,
      ),
    ).toBe(true);
    expect(
      objectMatcher({ kubernetesId: 'ledger', namespace: 'search' })(ledgerPvc),
    ).toBe(false);
  });

  it('refuses a selector that would select everything', () => {
    expect(() => objectMatcher({ labelSelector: ' , ' })).toThrow(
      /selects everything/,
    );
  });
});
