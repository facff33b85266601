import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleSize, summariseLongTasks } from './tab';

describe('the tab bench', () => {
  it('counts long tasks, their time beyond 50 ms each, and the longest', () => {
    expect(summariseLongTasks([60, 120, 51])).toEqual({
      longTasks: 3,
      blockingMs: 10 + 70 + 1,
      longestTaskMs: 120,
    });
    expect(summariseLongTasks([])).toEqual({
      longTasks: 0,
      blockingMs: 0,
      longestTaskMs: 0,
    });
  });

  it("sums a build's JavaScript files in every folder, raw and gzipped, and nothing else", () => {
    const dist = mkdtempSync(join(tmpdir(), 'bundle-'));
    try {
      const a = 'export const a = 1;\n'.repeat(100);
      const b = 'export default function b() { return 2; }\n';
      writeFileSync(join(dist, 'index.esm.js'), a);
      mkdirSync(join(dist, 'components'));
      writeFileSync(join(dist, 'components', 'b.esm.js'), b);
      writeFileSync(join(dist, 'index.esm.js.map'), 'x'.repeat(5000));
      writeFileSync(join(dist, 'index.d.ts'), 'export {};');
      expect(bundleSize(dist)).toEqual({
        files: 2,
        bytes: a.length + b.length,
        gzipBytes:
          gzipSync(a, { level: 9 }).length + gzipSync(b, { level: 9 }).length,
      });
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
