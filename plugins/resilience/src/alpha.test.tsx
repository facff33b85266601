import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { resilienceApi, resilienceEntityContent } from './alpha';
import { resilienceApiRef } from './api';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', annotations },
});

describe('the plugin for the new frontend system', () => {
  it('is the resilience plugin, with the API and the entity content', () => {
    expect(plugin.pluginId).toBe('resilience');
    // The extensions are registered under their ids, and are the ones tested below.
    expect(
      createExtensionTester(
        plugin.getExtension('entity-content:resilience'),
      ).get(coreExtensionData.routePath),
    ).toBe('resilience');
    expect(plugin.getExtension('api:resilience')).toBeDefined();
  });

  it('mounts the Resilience tab at /resilience, only on entities mapped to Kubernetes', () => {
    const tester = createExtensionTester(resilienceEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('resilience');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Resilience',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity({ 'backstage.io/kubernetes-id': 'ledger' }))).toBe(
      true,
    );
    expect(
      filter(
        entity({ 'backstage.io/kubernetes-label-selector': 'app=ledger' }),
      ),
    ).toBe(true);
    expect(filter(entity({}))).toBe(false);
  });

  it('provides the Resilience API', () => {
    const factory = createExtensionTester(resilienceApi).get(
      (
        require('@backstage/frontend-plugin-api') as typeof import('@backstage/frontend-plugin-api')
      ).ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(resilienceApiRef.id);
  });
});
