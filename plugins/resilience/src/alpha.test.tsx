import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import plugin, {
  resilienceApi,
  resilienceEntityContent,
  resilienceEntityScorecardCard,
  resiliencePage,
  resilienceTeamContent,
} from './alpha';
import { resilienceApiRef } from './api';

const entity = (
  annotations: Record<string, string>,
  kind = 'Component',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
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
    expect(
      plugin.getExtension('entity-card:resilience/scorecard'),
    ).toBeDefined();
    expect(
      createExtensionTester(
        plugin.getExtension('entity-content:resilience/team'),
      ).get(coreExtensionData.routePath),
    ).toBe('resilience');
    expect(
      createExtensionTester(plugin.getExtension('page:resilience')).get(
        coreExtensionData.routePath,
      ),
    ).toBe('/resilience');
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
    // Groups have the team tab at the same path instead.
    expect(
      filter(entity({ 'backstage.io/kubernetes-id': 'ledger' }, 'Group')),
    ).toBe(false);
  });

  it('shows the scorecard card only on entities mapped to Kubernetes', () => {
    const filter = createExtensionTester(resilienceEntityScorecardCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(entity({ 'backstage.io/kubernetes-id': 'ledger' }))).toBe(
      true,
    );
    expect(filter(entity({}))).toBe(false);
  });

  it("mounts the team's scorecard as the Resilience tab of groups only", () => {
    const tester = createExtensionTester(resilienceTeamContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('resilience');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Resilience',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity({}, 'Group'))).toBe(true);
    expect(filter(entity({ 'backstage.io/kubernetes-id': 'ledger' }))).toBe(
      false,
    );
  });

  it("mounts the organisation's page at /resilience", () => {
    expect(
      createExtensionTester(resiliencePage).get(coreExtensionData.routePath),
    ).toBe('/resilience');
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
