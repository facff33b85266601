import { TestDatabases } from '@backstage/backend-test-utils';
import { inJsonList } from './jsonList';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('inJsonList, on %s', databaseId => {
  it('matches the values of a list longer than any IN list of bound values, and no others', async () => {
    const knex = await databases.init(databaseId);
    await knex.schema.createTable('things', table => {
      table.increments('id');
      table.string('name').notNullable();
    });
    const names = Array.from({ length: 3_000 }, (_, i) => `it's "${i}" ☃`);
    for (let i = 0; i < names.length; i += 500) {
      await knex('things').insert(
        names.slice(i, i + 500).map(name => ({ name })),
      );
    }
    const wanted = names.filter((_, i) => i % 3 === 0);
    const byName = await knex('things')
      .where(inJsonList(knex, 'name', wanted))
      .select('name');
    expect(byName.map(r => r.name).sort()).toEqual([...wanted].sort());

    const ids = (await knex('things').select('id')).map(r => Number(r.id));
    const some = ids.filter(id => id % 2 === 0);
    const updated = await knex('things')
      .where(inJsonList(knex, 'id', some))
      .update({ name: 'even' });
    expect(updated).toBe(some.length);
    expect(
      await knex('things').whereNot({ name: 'even' }).count({ n: '*' }),
    ).toEqual([{ n: databaseId === 'POSTGRES_15' ? '1500' : 1500 }]);
  });
});
