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
 * pods and claims. The names are those of the cluster, so the two go together. With
 * `catalogOnlyServices`, that many more Components (`app-<n>`, owned by the teams in turn) that
 * map to nothing: services that run on no collected cluster, as most of a large catalog does.
 */
export function generateScaleCatalog(
  scale: ScaleOptions,
  options: { catalogOnlyServices?: number } = {},
): CatalogEntity[] {
  const { services } = scaledServices(scale);
  const teams = [...new Set(services.map(s => s.team))];
  // Round robin over the teams: `app-<n>` of team-<n mod teams>.
  const catalogOnly = Array.from(
    { length: options.catalogOnlyServices ?? 0 },
    (_, n) => ({ name: `app-${n}`, team: teams[n % teams.length] }),
  );
  const owned = (team: string) =>
    services.filter(s => s.team === team).length +
    catalogOnly.filter(s => s.team === team).length;
  const groups: CatalogEntity[] = teams.map(team => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: team,
      description: `Synthetic team owning ${owned(team)} services`,
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
  const others: CatalogEntity[] = catalogOnly.map(service => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: service.name,
      description: 'Synthetic service that runs on no collected cluster',
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/${service.team}`,
    },
  }));
  return [...groups, ...components, ...others];
}
