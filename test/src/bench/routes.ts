/** A route the bench loads, for one service entity and its team. */
export interface Route {
  id:
    | 'catalog'
    | 'entity'
    | 'score'
    | 'team-scorecard'
    | 'organisation-scorecard'
    | 'tech-insights-checks'
    | 'kubernetes-custom-resources';
  title: string;
  /** What the route is for, in the report. */
  description: string;
  path: string;
  /** POST with this JSON body; GET when absent. */
  body?: unknown;
  /**
   * Why a body is not what the route should answer for a collected and scored entity, if it is
   * not: load on a route that answers nothing measures nothing.
   */
  problem: (body: unknown) => string | undefined;
}

const sizeOf = (value: unknown) => (Array.isArray(value) ? value.length : 0);

/** The catalog's own read of the entity: the baseline every route is compared with. */
function catalogRoute(entity: string): Route {
  return {
    id: 'catalog',
    title: 'Catalog entity (baseline)',
    description:
      "the catalog's own read of the entity, which every Resilience route does too",
    path: `/api/catalog/entities/by-name/component/default/${entity}`,
    problem: body =>
      (body as { metadata?: { name?: string } }).metadata?.name === entity
        ? undefined
        : `not the entity ${entity}`,
  };
}

/** The plugin's view of the entity, which must list its claims and backups. */
function entityViewRoute(entity: string): Route {
  return {
    id: 'entity',
    title: 'Resilience entity view',
    description: "the Resilience tab's view of the entity",
    path: `/api/resilience/entities/component/default/${entity}`,
    problem: body => {
      const view = body as { pvcs?: unknown; backups?: unknown };
      if (sizeOf(view.pvcs) === 0) return 'no PVCs';
      if (sizeOf(view.backups) === 0) return 'no backups';
      return undefined;
    },
  };
}

/** The entity's score, which must be a number. */
function scoreRoute(entity: string): Route {
  return {
    id: 'score',
    title: 'Entity score',
    description: "the entity's score, pillars and 90-day history",
    path: `/api/resilience/entities/component/default/${entity}/score`,
    problem: body =>
      typeof (body as { score?: unknown }).score === 'number'
        ? undefined
        : 'no score',
  };
}

/** The first page of a team's scorecard, which must count `services` scored entities. */
function teamScorecardRoute(team: string, services: number): Route {
  return {
    id: 'team-scorecard',
    title: 'Team scorecard',
    description: `the first page of the scorecard of ${team}, which owns ${services} entities`,
    path: `/api/resilience/groups/default/${team}/scorecard`,
    problem: body => {
      const card = body as {
        total?: number;
        items?: Array<{ score: number | null }>;
      };
      if (card.total !== services) {
        return `${card.total} entities, not ${services}`;
      }
      return card.items?.every(i => i.score !== null)
        ? undefined
        : 'entities without a score';
    },
  };
}

/** The routes measured, the catalog's baseline first. */
export function benchRoutes(options: {
  entity: string;
  team: string;
  servicesPerTeam: number;
}): Route[] {
  const { entity, team } = options;
  return [
    catalogRoute(entity),
    entityViewRoute(entity),
    scoreRoute(entity),
    teamScorecardRoute(team, options.servicesPerTeam),
  ];
}

/**
 * The routes of the scorecards at scale: the catalog's baseline, the scorecard of the large
 * team, and the organisation's, which must rank every team.
 */
export function scorecardRoutes(options: {
  entity: string;
  team: string;
  teamServices: number;
  teams: number;
}): Route[] {
  return [
    catalogRoute(options.entity),
    teamScorecardRoute(options.team, options.teamServices),
    {
      id: 'organisation-scorecard',
      title: 'Organisation scorecard',
      description: `the organisation's scorecard, which ranks its ${options.teams} teams`,
      path: '/api/resilience/scorecard',
      problem: body => {
        const card = body as { teams?: unknown[] };
        return sizeOf(card.teams) === options.teams
          ? undefined
          : `${sizeOf(card.teams)} teams, not ${options.teams}`;
      },
    },
  ];
}

/**
 * The routes of the side-by-side comparison over a large catalog: the catalog's baseline, the
 * plugin's entity view and score, Tech Insights running the equivalent checks on the facts the
 * plugin measured (techInsights.ts), and the Kubernetes plugin's custom-resource query of the
 * entity's Velero Backups and cert-manager Certificates on the same cluster.
 */
export function comparisonRoutes(options: {
  entity: string;
  /** The Tech Insights checks to run. */
  checks: string[];
}): Route[] {
  const { entity, checks } = options;
  return [
    catalogRoute(entity),
    entityViewRoute(entity),
    scoreRoute(entity),
    {
      id: 'tech-insights-checks',
      title: 'Tech Insights, the equivalent checks',
      description: `Tech Insights running its ${checks.length} JSON-rule checks of the plugin's thresholds for the entity`,
      path: `/api/tech-insights/checks/run/default/component/${entity}`,
      body: { checks },
      problem: body => {
        const results = body as Array<{
          check?: { id: string };
          result?: unknown;
        }>;
        if (!Array.isArray(results) || results.length !== checks.length) {
          return `${sizeOf(results)} check results, not ${checks.length}`;
        }
        return results.every(r => typeof r.result === 'boolean')
          ? undefined
          : 'a check without a result';
      },
    },
    {
      id: 'kubernetes-custom-resources',
      title: "Kubernetes plugin, the entity's backups and certificates",
      description:
        "the Kubernetes plugin's custom-resource query of the entity's Velero Backups and cert-manager Certificates (label `backstage.io/kubernetes-id`) on the same emulated cluster",
      path: '/api/kubernetes/resources/custom/query',
      body: {
        entityRef: `component:default/${entity}`,
        auth: {},
        customResources: [
          { group: 'velero.io', apiVersion: 'v1', plural: 'backups' },
          {
            group: 'cert-manager.io',
            apiVersion: 'v1',
            plural: 'certificates',
          },
        ],
      },
      problem: body => {
        const cluster = (
          body as {
            items?: Array<{
              errors: unknown[];
              resources: Array<{ resources: unknown[] }>;
            }>;
          }
        ).items?.[0];
        if (!cluster) return 'no cluster';
        if (cluster.errors.length > 0) {
          return `errors: ${JSON.stringify(cluster.errors)}`;
        }
        const [backups, certificates] = cluster.resources.map(r =>
          sizeOf(r.resources),
        );
        if (!backups) return 'no backups';
        if (!certificates) return 'no certificates';
        return undefined;
      },
    },
  ];
}
