import { listAllPages } from './paging';

const expired = Object.assign(new Error('Expired'), { code: 410 });

describe('listAllPages', () => {
  it('follows continue tokens until the last page', async () => {
    const tokens: Array<string | undefined> = [];
    const items = await listAllPages({
      fetchPage: async token => {
        tokens.push(token);
        const page = token ? Number(token) : 0;
        return {
          items: [page * 2, page * 2 + 1],
          continueToken: page < 2 ? String(page + 1) : '',
        };
      },
      isExpired: e => e === expired,
    });
    expect(items).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tokens).toEqual([undefined, '1', '2']);
  });

  it('restarts from the first page when a continue token expires', async () => {
    let calls = 0;
    const items = await listAllPages({
      fetchPage: async token => {
        calls++;
        if (calls === 2) throw expired;
        return token
          ? { items: ['b'] }
          : { items: ['a'], continueToken: 'next' };
      },
      isExpired: e => e === expired,
    });
    expect(items).toEqual(['a', 'b']);
    expect(calls).toBe(4);
  });

  it('gives up after the allowed restarts', async () => {
    await expect(
      listAllPages({
        fetchPage: async token => {
          if (token) throw expired;
          return { items: ['a'], continueToken: 'next' };
        },
        isExpired: e => e === expired,
        maxRestarts: 1,
      }),
    ).rejects.toBe(expired);
  });

  it('does not retry other errors, nor an error on the first page', async () => {
    const boom = new Error('boom');
    let calls = 0;
    await expect(
      listAllPages({
        fetchPage: async () => {
          calls++;
          throw boom;
        },
        isExpired: () => true,
      }),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
  });
});
