import { benchRoutes, comparisonRoutes, scorecardRoutes } from './routes';

const routes = new Map(
  benchRoutes({ entity: 'svc-1-2', team: 'team-1', servicesPerTeam: 3 }).map(
    r => [r.id, r],
  ),
);
const problem = (id: string, body: unknown) =>
  routes.get(id as never)!.problem(body);

describe('benchRoutes', () => {
  it('starts with the catalog baseline, then the Resilience routes of the entity and its team', () => {
    expect([...routes.values()].map(r => r.path)).toEqual([
      '/api/catalog/entities/by-name/component/default/svc-1-2',
      '/api/resilience/entities/component/default/svc-1-2',
      '/api/resilience/entities/component/default/svc-1-2/score',
      '/api/resilience/groups/default/team-1/scorecard',
    ]);
  });

  it('accepts only bodies with the data of a collected and scored entity', () => {
    expect(
      problem('catalog', { metadata: { name: 'svc-1-2' } }),
    ).toBeUndefined();
    expect(problem('catalog', { metadata: { name: 'other' } })).toBe(
      'not the entity svc-1-2',
    );
    expect(problem('entity', { pvcs: [{}], backups: [{}] })).toBeUndefined();
    expect(problem('entity', { pvcs: [], backups: [{}] })).toBe('no PVCs');
    expect(problem('entity', { pvcs: [{}], backups: [] })).toBe('no backups');
    expect(problem('score', { score: 72 })).toBeUndefined();
    expect(problem('score', { score: null })).toBe('no score');
    const items = [{ score: 1 }, { score: 2 }, { score: 3 }];
    expect(problem('team-scorecard', { total: 3, items })).toBeUndefined();
    expect(problem('team-scorecard', { total: 2, items })).toBe(
      '2 entities, not 3',
    );
    expect(
      problem('team-scorecard', {
        total: 3,
        items: [...items, { score: null }],
      }),
    ).toBe('entities without a score');
  });
});

describe('scorecardRoutes', () => {
  const scaled = new Map(
    scorecardRoutes({
      entity: 'svc-0-0',
      team: 'team-0',
      teamServices: 2,
      teams: 3,
    }).map(r => [r.id, r]),
  );

  it('loads the large team and the organisation beside the catalog baseline', () => {
    expect([...scaled.values()].map(r => r.path)).toEqual([
      '/api/catalog/entities/by-name/component/default/svc-0-0',
      '/api/resilience/groups/default/team-0/scorecard',
      '/api/resilience/scorecard',
    ]);
  });

  it('accepts only the organisation with every team ranked', () => {
    const organisation = scaled.get('organisation-scorecard')!;
    expect(organisation.problem({ teams: [{}, {}, {}] })).toBeUndefined();
    expect(organisation.problem({ teams: [{}] })).toBe('1 teams, not 3');
    expect(scaled.get('team-scorecard')!.problem({ total: 3, items: [] })).toBe(
      '3 entities, not 2',
    );
  });
});

describe('comparisonRoutes', () => {
  const compared = new Map(
    comparisonRoutes({ entity: 'svc-0-0', checks: ['a', 'b'] }).map(r => [
      r.id,
      r,
    ]),
  );
  const body = (id: string) => compared.get(id as never)!.body;
  const check = (id: string, value: unknown) =>
    compared.get(id as never)!.problem(value);

  it('loads the catalog baseline, the plugin, Tech Insights and the Kubernetes plugin for one entity', () => {
    expect(
      [...compared.values()].map(
        r => `${r.body === undefined ? 'GET' : 'POST'} ${r.path}`,
      ),
    ).toEqual([
      'GET /api/catalog/entities/by-name/component/default/svc-0-0',
      'GET /api/resilience/entities/component/default/svc-0-0',
      'GET /api/resilience/entities/component/default/svc-0-0/score',
      'POST /api/tech-insights/checks/run/default/component/svc-0-0',
      'POST /api/kubernetes/resources/custom/query',
    ]);
    expect(body('tech-insights-checks')).toEqual({ checks: ['a', 'b'] });
    expect(body('kubernetes-custom-resources')).toMatchObject({
      entityRef: 'component:default/svc-0-0',
      customResources: [
        { group: 'velero.io', apiVersion: 'v1', plural: 'backups' },
        { group: 'cert-manager.io', apiVersion: 'v1', plural: 'certificates' },
      ],
    });
  });

  it('accepts only a result for every check, and a cluster that lists backups and certificates', () => {
    const results = [
      { check: { id: 'a' }, result: true },
      { check: { id: 'b' }, result: false },
    ];
    expect(check('tech-insights-checks', results)).toBeUndefined();
    expect(check('tech-insights-checks', results.slice(1))).toBe(
      '1 check results, not 2',
    );
    expect(
      check('tech-insights-checks', [results[0], { check: { id: 'b' } }]),
    ).toBe('a check without a result');
    const cluster = (backups: number, certificates: number, errors = []) => ({
      items: [
        {
          errors,
          resources: [
            { resources: Array(backups).fill({}) },
            { resources: Array(certificates).fill({}) },
          ],
        },
      ],
    });
    expect(
      check('kubernetes-custom-resources', cluster(30, 1)),
    ).toBeUndefined();
    expect(check('kubernetes-custom-resources', cluster(0, 1))).toBe(
      'no backups',
    );
    expect(check('kubernetes-custom-resources', cluster(30, 0))).toBe(
      'no certificates',
    );
    expect(check('kubernetes-custom-resources', { items: [] })).toBe(
      'no cluster',
    );
    expect(
      check('kubernetes-custom-resources', cluster(30, 1, ['x'] as never)),
    ).toBe('errors: ["x"]');
  });
});
