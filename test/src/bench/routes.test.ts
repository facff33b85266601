import { benchRoutes, scorecardRoutes } from './routes';

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
