import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EntityReadCache } from './entityReadCache';

const ref = { kind: 'Component', namespace: 'default', name: 'payments' };
const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
});

/** A catalog that answers per caller, counts its reads, and can be made to fail. */
function fakeCatalog() {
  const reads: string[] = [];
  let failing = false;
  let version = 1;
  const catalog = {
    async getEntityByRef(
      r: CompoundEntityRef,
      options: { credentials: BackstageCredentials },
    ) {
      const principal = options.credentials.principal as {
        userEntityRef?: string;
        subject?: string;
      };
      const caller = principal.userEntityRef ?? principal.subject ?? 'none';
      reads.push(caller);
      await Promise.resolve();
      if (failing) throw new Error('catalog unavailable');
      // Bob may not read it.
      if (caller === 'user:default/bob') return undefined;
      return entity(`${r.name}-v${version}`);
    },
  } as unknown as CatalogService;
  return {
    catalog,
    reads,
    fail: (value: boolean) => {
      failing = value;
    },
    change: () => {
      version++;
    },
  };
}

describe('EntityReadCache', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');
  const ci = mockCredentials.service('plugin:ci');

  it("keeps each caller's own answer for its lifetime, then asks again", async () => {
    const fake = fakeCatalog();
    let now = 1_000;
    const cache = new EntityReadCache({
      catalog: fake.catalog,
      ttlMs: 5_000,
      clock: () => now,
    });
    expect((await cache.getEntityByRef(ref, alice))?.metadata.name).toBe(
      'payments-v1',
    );
    expect(await cache.getEntityByRef(ref, bob)).toBeUndefined();
    fake.change();
    now += 4_999;
    // Alice still gets what the catalog gave her, Bob still nothing: neither gets the other's.
    expect((await cache.getEntityByRef(ref, alice))?.metadata.name).toBe(
      'payments-v1',
    );
    expect(
      await cache.getEntityByRef(
        { kind: 'component', namespace: 'Default', name: 'PAYMENTS' },
        bob,
      ),
    ).toBeUndefined();
    expect((await cache.getEntityByRef(ref, ci))?.metadata.name).toBe(
      'payments-v2',
    );
    expect(fake.reads).toEqual([
      'user:default/alice',
      'user:default/bob',
      'plugin:ci',
    ]);
    now += 1;
    expect((await cache.getEntityByRef(ref, alice))?.metadata.name).toBe(
      'payments-v2',
    );
    expect(fake.reads).toHaveLength(4);
  });

  it('shares one catalog read between concurrent requests, and keeps no failure', async () => {
    const fake = fakeCatalog();
    const cache = new EntityReadCache({ catalog: fake.catalog, ttlMs: 5_000 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => cache.getEntityByRef(ref, alice)),
    );
    expect(new Set(answers.map(a => a?.metadata.name))).toEqual(
      new Set(['payments-v1']),
    );
    expect(fake.reads).toHaveLength(1);

    fake.fail(true);
    await expect(cache.getEntityByRef(ref, bob)).rejects.toThrow(
      'catalog unavailable',
    );
    fake.fail(false);
    expect(await cache.getEntityByRef(ref, bob)).toBeUndefined();
    expect(fake.reads).toEqual([
      'user:default/alice',
      'user:default/bob',
      'user:default/bob',
    ]);
  });

  it('asks the catalog every time with a lifetime of 0, and for a caller it cannot name', async () => {
    const fake = fakeCatalog();
    const off = new EntityReadCache({ catalog: fake.catalog, ttlMs: 0 });
    await off.getEntityByRef(ref, alice);
    await off.getEntityByRef(ref, alice);
    const on = new EntityReadCache({ catalog: fake.catalog, ttlMs: 5_000 });
    await on.getEntityByRef(ref, mockCredentials.none());
    await on.getEntityByRef(ref, mockCredentials.none());
    expect(fake.reads).toHaveLength(4);
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const fake = fakeCatalog();
    const cache = new EntityReadCache({
      catalog: fake.catalog,
      ttlMs: 60_000,
      maxEntries: 2,
    });
    const users = ['a', 'b', 'c'].map(n =>
      mockCredentials.user(`user:default/${n}`),
    );
    for (const user of users) await cache.getEntityByRef(ref, user);
    await cache.getEntityByRef(ref, users[2]);
    await cache.getEntityByRef(ref, users[1]);
    expect(fake.reads).toHaveLength(3);
    await cache.getEntityByRef(ref, users[0]);
    expect(fake.reads).toHaveLength(4);
  });
});
