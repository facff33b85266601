import { expectedChanges, LARGE_SARIF_TOOL, largeSarif } from './sarif';

interface Result {
  ruleId: string;
  ruleIndex: number;
  partialFingerprints: { primaryLocationLineHash: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
}

const parse = (text: string) =>
  JSON.parse(text) as {
    version: string;
    runs: Array<{
      tool: { driver: { name: string; rules: Array<{ id: string }> } };
      results: Result[];
    }>;
  };

describe('largeSarif', () => {
  const options = { results: 2_000, bytes: 1_000_000 };

  it('writes a SARIF 2.1.0 log of that many results, about that large, the same every time', () => {
    const text = largeSarif(options);
    expect(Math.abs(text.length - options.bytes)).toBeLessThan(
      options.bytes * 0.01,
    );
    expect(largeSarif(options)).toBe(text);
    const log = parse(text);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const [run] = log.runs;
    expect(run.tool.driver.name).toBe(LARGE_SARIF_TOOL);
    expect(run.results).toHaveLength(options.results);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
    // One finding per result: no two share a fingerprint.
    const fingerprints = run.results.map(
      r => r.partialFingerprints.primaryLocationLineHash,
    );
    expect(new Set(fingerprints).size).toBe(options.results);
  });

  it('changes every n-th result of the next scan, and only those', () => {
    const before = parse(largeSarif(options)).runs[0].results;
    const after = parse(largeSarif({ ...options, changedEvery: 10 })).runs[0]
      .results;
    const fingerprints = (results: Result[]) =>
      new Set(results.map(r => r.partialFingerprints.primaryLocationLineHash));
    const [was, is] = [fingerprints(before), fingerprints(after)];
    const fixed = [...was].filter(f => !is.has(f)).length;
    const opened = [...is].filter(f => !was.has(f)).length;
    expect({ opened, fixed }).toEqual(
      expectedChanges({ which: 'changed', results: 2_000, changedEvery: 10 }),
    );
    expect(opened).toBe(200);
  });
});

describe('expectedChanges', () => {
  it('opens every finding first, nothing again, and the changed ones after', () => {
    const of = (which: 'first' | 'again' | 'changed') =>
      expectedChanges({ which, results: 200_000, changedEvery: 10 });
    expect(of('first')).toEqual({ opened: 200_000, fixed: 0 });
    expect(of('again')).toEqual({ opened: 0, fixed: 0 });
    expect(of('changed')).toEqual({ opened: 20_000, fixed: 20_000 });
  });
});
