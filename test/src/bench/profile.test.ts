import { CpuProfile, packageOf, selfTimes } from './profile';

describe('bench:profile', () => {
  it('names the package of a script', () => {
    expect(packageOf('file:///r/node_modules/knex/lib/client.js')).toBe('knex');
    expect(
      packageOf('file:///r/node_modules/@backstage/errors/dist/index.js'),
    ).toBe('@backstage/errors');
    expect(
      packageOf('file:///r/plugins/resilience-backend/src/service/router.ts'),
    ).toBe('plugins/resilience-backend');
    expect(packageOf('node:internal/streams/readable')).toBe('node');
    expect(packageOf('')).toBe('(native or idle)');
  });

  it('adds each sample’s time to its function and package, largest first', () => {
    const frame = (functionName: string, url: string) => ({
      functionName,
      url,
      lineNumber: 9,
    });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('parse', 'file:///r/node_modules/a/i.js') },
        { id: 3, callFrame: frame('', 'file:///r/node_modules/a/j.js') },
        {
          id: 4,
          callFrame: frame('view', 'file:///r/plugins/p/src/v.ts'),
        },
      ],
      samples: [2, 4, 3, 2, 1],
      timeDeltas: [1000, 3000, 500, 1500, 4000],
    };
    const times = selfTimes(profile);
    expect(times.totalMs).toBe(10);
    expect(times.packages.map(p => [p.name, p.ms])).toEqual([
      ['(native or idle)', 4],
      ['a', 3],
      ['plugins/p', 3],
    ]);
    expect(times.functions.map(f => [f.name, f.ms, f.share])).toEqual([
      ['(root)', 4, 0.4],
      ['view plugins/p/src/v.ts:10', 3, 0.3],
      ['parse node_modules/a/i.js:10', 2.5, 0.25],
      ['(anonymous) node_modules/a/j.js:10', 0.5, 0.05],
    ]);
  });
});
