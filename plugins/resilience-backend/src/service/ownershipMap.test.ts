import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseResilienceStore } from '../database/DatabaseResilienceStore';
import { OwnershipMapKeeper } from './ownershipMap';
import { readTeamScorecardQuery } from './scorecardQuery';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: parent
    ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
    : [],
});

const component = (name: string, owner: string, title?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', title },
  spec: { type: 'service', owner, lifecycle: 'production' },
  // Written in another case than the group's reference: the catalog compares without it.
  relations: [
    { type: 'ownedBy', targetRef: `group:default/${owner.toUpperCase()}` },
  ],
});

describe.each(databases.eachSupportedId())(
  'the stored ownership map, on %s',
  databaseId => {
    async function setUp() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseResilienceStore.create({
        database: { getClient: async () => knex, migrations: { skip: false } },
      });
      const keeper = (entities: Entity[]) =>
        new OwnershipMapKeeper({
          catalog: catalogServiceMock({ entities }),
          auth: mockServices.auth(),
          store,
          logger: mockServices.logger.mock(),
        });
      const team = async (name: string) =>
        store.queryTeamScorecard({
          groupKey: `group:default/${name}`,
          query: readTeamScorecardQuery({ sort: 'name' }),
          since: new Date('2026-01-01T00:00:00Z'),
        });
      return { store, keeper, team };
    }

    const groups = [
      group('org'),
      group('payments', 'org'),
      group('shop', 'org'),
    ];

    it('maps each entity to its owners and the groups above them, and follows the catalog when read again', async () => {
      const { store, keeper, team } = await setUp();
      expect(await store.ownershipMapRefreshedAt()).toBeUndefined();
      const first = keeper([
        ...groups,
        component('ledger', 'payments', 'The Ledger'),
        component('cart', 'shop'),
      ]);
      await first.ready();
      expect(await store.ownershipMapRefreshedAt()).toBeInstanceOf(Date);
      expect(
        (await team('org')).items.map(i => [i.entityRef, i.title]),
      ).toEqual([
        ['component:default/cart', undefined],
        ['component:default/ledger', 'The Ledger'],
      ]);
      expect((await team('payments')).total).toBe(1);
      expect(await store.teamGroupRefs('group:default/org')).toEqual(
        expect.arrayContaining([
          'group:default/org',
          'group:default/payments',
          'group:default/shop',
        ]),
      );

      // The ledger moves to the shop; the cart is deleted.
      await keeper([...groups, component('ledger', 'shop')]).refresh();
      expect((await team('payments')).total).toBe(0);
      expect((await team('shop')).items.map(i => i.entityRef)).toEqual([
        'component:default/ledger',
      ]);
      expect((await team('org')).total).toBe(1);
    });

    it('reads the catalog again when scores cover entities the map lacks, and only then', async () => {
      const { keeper, team } = await setUp();
      // Read while the catalog still held part of an import.
      await keeper([...groups, component('ledger', 'payments')]).refresh();
      const entities = [
        ...groups,
        component('ledger', 'payments'),
        component('cart', 'shop'),
      ];
      const later = keeper(entities);
      const refresh = jest.spyOn(later, 'refresh');
      const scored = ['component:default/ledger', 'component:default/cart'];
      expect(await later.refreshIfBehind(scored)).toBe(true);
      expect((await team('org')).total).toBe(2);
      expect(await later.refreshIfBehind(scored)).toBe(false);
      expect(await later.refreshIfBehind([scored[0], scored[0]])).toBe(false);
      expect(await later.refreshIfBehind([])).toBe(false);
      expect(refresh).toHaveBeenCalledTimes(1);
    });

    it('reads the first map when scores come before any, even of no new entity', async () => {
      const { store, keeper } = await setUp();
      const mapped = keeper([...groups, component('ledger', 'payments')]);
      expect(await mapped.refreshIfBehind(['component:default/ledger'])).toBe(
        true,
      );
      expect(await store.ownershipMapRefreshedAt()).toBeInstanceOf(Date);
    });

    it('reads the catalog once for requests that wait together for the first map, and not again', async () => {
      const { keeper } = await setUp();
      const mapped = keeper([...groups, component('ledger', 'payments')]);
      const refresh = jest.spyOn(mapped, 'refresh');
      await Promise.all([mapped.ready(), mapped.ready(), mapped.ready()]);
      await mapped.ready();
      expect(refresh).toHaveBeenCalledTimes(1);
    });
  },
);
