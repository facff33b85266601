/**
 * Real scanner output, produced here on small fixture code: what uploads will actually look like,
 * rather than what we think SARIF looks like.
 */
import { execFile } from 'child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { ESLint } from 'eslint';
import { normaliseSarif } from './normaliseSarif';
import { validateSarif } from './validateSarif';
import { NormalisedRun } from './types';

// The formatter is CommonJS without types: `format(results, data)` returns the SARIF text.
const formatSarif: (
  results: ESLint.LintResult[],
  data: { rulesMeta: ESLint.LintResultData['rulesMeta'] },
) => string = require('@microsoft/eslint-formatter-sarif');

jest.setTimeout(20_000);

const checkouts: string[] = [];

/** A fresh directory holding the given files, removed after the tests. */
async function checkout(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sarif-scan-'));
  checkouts.push(root);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

afterAll(async () => {
  await Promise.all(
    checkouts.map(root => rm(root, { recursive: true, force: true })),
  );
});

/** Validates and normalises a tool's SARIF text, as the upload route will. */
function ingest(sarif: string, repositoryRoot?: string): NormalisedRun {
  const document: unknown = JSON.parse(sarif);
  validateSarif(document);
  const { runs } = normaliseSarif({ document, repositoryRoot });
  expect(runs).toHaveLength(1);
  return runs[0];
}

describe('ESLint with the SARIF formatter', () => {
  const files = {
    'src/run.js': [
      'const input = process.argv[2];',
      'module.exports = eval(input);',
      '',
    ].join('\n'),
    'src/util.js': [
      'function helper() {',
      '  const unused = 1;',
      '  return 2;',
      '}',
      'module.exports = { helper };',
      '',
    ].join('\n'),
    'src/clean.js': 'module.exports = 1;\n',
  };

  async function scan(root: string): Promise<string> {
    const eslint = new ESLint({
      cwd: root,
      useEslintrc: false,
      overrideConfig: {
        env: { node: true },
        parserOptions: { ecmaVersion: 2022 },
        rules: { 'no-eval': 'error', 'no-unused-vars': 'warn' },
      },
    });
    const results = await eslint.lintFiles(['src/**/*.js']);
    return formatSarif(results, {
      rulesMeta: eslint.getRulesMetaForResults(results),
    });
  }

  it('gives findings with rules, paths relative to the checkout and levels as severities', async () => {
    const root = await checkout(files);
    const sarif = await scan(root);
    // ESLint's formatter writes absolute file URIs: without the root they cannot be relative.
    expect(sarif).toContain('file://');

    const run = ingest(sarif, root);
    expect(run).toMatchObject({ toolName: 'ESLint', category: '' });
    expect(run.toolVersion).toBe(ESLint.version);
    expect(
      run.findings
        .map(
          ({ ruleId, ruleName, path, startLine, startColumn, severity }) => ({
            ruleId,
            ruleName,
            path,
            startLine,
            startColumn,
            severity,
          }),
        )
        .sort((a, b) => a.path!.localeCompare(b.path!)),
    ).toEqual([
      {
        ruleId: 'no-eval',
        ruleName: 'Disallow the use of `eval()`',
        path: 'src/run.js',
        startLine: 2,
        startColumn: 18,
        severity: 'high',
      },
      {
        ruleId: 'no-unused-vars',
        ruleName: 'Disallow unused variables',
        path: 'src/util.js',
        startLine: 2,
        startColumn: 9,
        severity: 'medium',
      },
    ]);
    expect(run.findings.map(f => f.message)).toContain('eval can be harmful.');
  });

  it('gives the same fingerprints on a rescan and in another checkout of the same code', async () => {
    const first = await checkout(files);
    const second = await checkout(files);
    const fingerprints = async (root: string) =>
      ingest(await scan(root), root)
        .findings.map(f => f.fingerprint)
        .sort();

    const once = await fingerprints(first);
    expect(once).toHaveLength(2);
    expect(once.every(f => f.startsWith('hash:'))).toBe(true);
    expect(await fingerprints(first)).toEqual(once);
    expect(await fingerprints(second)).toEqual(once);
  });
});

describe('secretlint with the SARIF formatter', () => {
  // Assembled at run time so that this file does not itself look like a leaked key to secret
  // scanners; the value is AWS's documentation example with its last letter changed, since
  // secretlint ignores the exact example.
  const fakeSecretKey = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEZ'].join(
    '/',
  );
  const files = {
    'deploy/config.env': [
      'REGION=eu-west-1',
      `AWS_SECRET_ACCESS_KEY=${fakeSecretKey}`,
      '',
    ].join('\n'),
    'src/clean.js': 'module.exports = 1;\n',
    '.secretlintrc.json': JSON.stringify({
      rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }],
    }),
  };
  const bin = join(
    dirname(require.resolve('secretlint/package.json')),
    'bin',
    'secretlint.js',
  );

  /** secretlint is ESM-only, so it runs as its CLI; it exits 1 when it finds secrets. */
  function scan(root: string): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [bin, '--format', '@secretlint/secretlint-formatter-sarif', '**/*'],
        { cwd: root, timeout: 15_000 },
        (error, stdout, stderr) => {
          if (error && error.code !== 1) {
            reject(new Error(`secretlint failed: ${stderr || error.message}`));
          } else {
            resolve(stdout);
          }
        },
      );
    });
  }

  it('gives one high finding for the key, in the file that holds it, without the key', async () => {
    const root = await checkout(files);
    const sarif = await scan(root);
    const run = ingest(sarif, root);

    expect(run.toolName).toBe('secretlint');
    expect(run.findings).toEqual([
      expect.objectContaining({
        ruleId:
          '@secretlint/secretlint-rule-preset-recommend > @secretlint/secretlint-rule-aws',
        path: 'deploy/config.env',
        startLine: 2,
        startColumn: 1,
        severity: 'high',
      }),
    ]);
    expect(run.findings[0].message).toMatch(/AWS Secret Access Key/);
    expect(run.findings[0].message).not.toContain(fakeSecretKey);
    expect(JSON.stringify(run)).not.toContain(fakeSecretKey);

    const again = ingest(await scan(root), root);
    expect(again.findings.map(f => f.fingerprint)).toEqual(
      run.findings.map(f => f.fingerprint),
    );
  });

  it('gives no findings for a checkout without secrets', async () => {
    const root = await checkout({
      'src/clean.js': files['src/clean.js'],
      '.secretlintrc.json': files['.secretlintrc.json'],
    });
    expect(ingest(await scan(root), root).findings).toEqual([]);
  });
});
