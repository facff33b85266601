import { StoredResponses } from './storedResponses';

describe('StoredResponses', () => {
  it('keeps an answer for its version, and computes it again for another', async () => {
    const responses = new StoredResponses();
    let calls = 0;
    const compute = jest.fn(async () => ({ n: ++calls }));
    expect(await responses.read('org', 'v1', compute)).toBe('{"n":1}');
    expect(await responses.read('org', 'v1', compute)).toBe('{"n":1}');
    expect(compute).toHaveBeenCalledTimes(1);
    expect(await responses.read('org', 'v2', compute)).toBe('{"n":2}');
    expect(await responses.read('team', 'v2', compute)).toBe('{"n":3}');
    // Nothing stored yet is a version too.
    expect(await responses.read('none', undefined, compute)).toBe('{"n":4}');
    expect(await responses.read('none', undefined, compute)).toBe('{"n":4}');
    expect(compute).toHaveBeenCalledTimes(4);
  });

  it('shares one computation between concurrent requests, and keeps no failure', async () => {
    const responses = new StoredResponses();
    let calls = 0;
    let fail = true;
    const compute = async () => {
      calls += 1;
      await new Promise(resolve => setTimeout(resolve, 5));
      if (fail) throw new Error('database down');
      return { ok: true };
    };
    const both = [
      responses.read('org', 'v1', compute),
      responses.read('org', 'v1', compute),
    ];
    await expect(both[0]).rejects.toThrow('database down');
    await expect(both[1]).rejects.toThrow('database down');
    expect(calls).toBe(1);
    fail = false;
    expect(await responses.read('org', 'v1', compute)).toBe('{"ok":true}');
    expect(calls).toBe(2);
  });

  it('drops the least recently used answers beyond its size', async () => {
    const responses = new StoredResponses({ maxEntries: 2 });
    let calls = 0;
    const compute = jest.fn(async () => ++calls);
    await responses.read('a', 'v', compute);
    await responses.read('b', 'v', compute);
    await responses.read('a', 'v', compute);
    await responses.read('c', 'v', compute);
    expect(compute).toHaveBeenCalledTimes(3);
    // a was used after b: b went.
    await responses.read('a', 'v', compute);
    expect(compute).toHaveBeenCalledTimes(3);
    await responses.read('b', 'v', compute);
    expect(compute).toHaveBeenCalledTimes(4);
  });
});
