import { TestDatabases } from '@backstage/backend-test-utils';
import {
  clusterStatusScope,
  entityScope,
  EvaluatedEntityResult,
} from './ResilienceStore';
import { DatabaseResilienceStore } from './DatabaseResilienceStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const t0 = new Date('2026-12-02T12:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function result(
  entityRef: string,
  scopes: string[],
  computedAt: Date,
): EvaluatedEntityResult {
  return {
    entityRef,
    inputs: 'digest',
    view: '{}',
    score: '{}',
    tier: 'standard',
    storable: true,
    computedAt,
    expiresAt: at(600),
    dependencies: [],
    scopes,
  };
}

describe.each(databases.eachSupportedId())(
  'entities found by the inputs of their stored results, on %s',
  databaseId => {
    it('finds the entities that read a scope changed since, paged, with the scopes of the result kept', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseResilienceStore.create({
        database: { getClient: async () => knex, migrations: { skip: false } },
      });
      const refs = ['component:default/a', 'component:default/b'];
      const others = Array.from(
        { length: 5 },
        (_, i) => `component:default/c${i}`,
      );
      await store.saveEntityResults([
        result(refs[0], [entityScope(refs[0])], at(0)),
        result(
          refs[1],
          [entityScope(refs[1]), clusterStatusScope('prod')],
          at(0),
        ),
        ...others.map(ref =>
          result(ref, [entityScope(ref), clusterStatusScope('prod')], at(0)),
        ),
      ]);
      const changedSince = async (since: Date) => {
        const found: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.listEntitiesWithChangedInputs({
            since,
            after,
            limit: 2,
          });
          if (page.length === 0) return found;
          expect(page.length).toBeLessThanOrEqual(2);
          found.push(...page);
          after = page[page.length - 1];
        }
      };
      expect(await changedSince(at(1))).toEqual([]);

      // An upload about a: its own scope.
      await store.ingestSastReports({
        entityRef: refs[0],
        runs: [],
        uploadedBy: 'user:default/ci',
        uploadedAt: at(1),
      });
      expect(await changedSince(at(1))).toEqual([refs[0]]);
      // A source failing: every entity that reads the sources' states, a page at a time.
      await store.recordFailure({
        cluster: 'prod',
        source: 'pods',
        state: 'error',
        message: 'the API server timed out',
        attemptedAt: at(2),
      });
      expect(await changedSince(at(2))).toEqual([refs[1], ...others].sort());
      expect(await changedSince(at(1))).toEqual([...refs, ...others].sort());

      // b evaluated again, now reading its own scope alone: the states no longer find it.
      await store.saveEntityResults([
        result(refs[1], [entityScope(refs[1])], at(3)),
      ]);
      expect(await changedSince(at(2))).toEqual(others);
      // A result saved late (evaluated before the one stored) changes neither it nor its scopes.
      await store.saveEntityResults([
        result(
          refs[1],
          [entityScope(refs[1]), clusterStatusScope('prod')],
          at(2.5),
        ),
      ]);
      expect(await changedSince(at(2))).toEqual(others);
      const [stored] = await store.getEntityResults([refs[1]]);
      expect(stored.computedAt).toEqual(at(3));
    });
  },
);
