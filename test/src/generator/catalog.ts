import { scaledServices, ScaleOptions } from './generate';

/** A catalog entity as written to a catalog file. */
export interface CatalogEntity {
  apiVersion: 'backstage.io/v1alpha1';
  kind: 'Component' | 'Group';
  metadata: {
    name: string;
    description?: string;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

/**
 * The catalog of a synthetic cluster (`generateDemoCluster` with the same `scale`): one Group
 * per team, and one Component per service owned by its team's group and mapped to its objects
 * by `backstage.io/kubernetes-id`, the label the generator puts on each service's workload,
 * pods and claims. The names are those of the cluster, so the two go together.
 */
export function generateScaleCatalog(scale: ScaleOptions): CatalogEntity[] {
  const { services } = scaledServices(scale);
  const teams = [...new Set(services.map(s => s.team))];
  const groups: CatalogEntity[] = teams.map(team => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: team,
      description: `Synthetic team owning ${
        services.filter(s => s.team === team).length
      } services`,
    },
    spec: { type: 'team', children: [] },
  }));
  const components: CatalogEntity[] = services.map(service => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: service.name,
      description: `Synthetic service in namespace ${service.namespace}`,
      annotations: { 'backstage.io/kubernetes-id': service.name },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/${service.team}`,
    },
  }));
  return [...groups, ...components];
}
