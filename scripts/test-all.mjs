// Runs every test of the repository and ends with one line "N passed, N failed[, N skipped]":
//   1. the Jest suites of every package (backstage-cli repo test), which include the database
//      tests on SQLite and, when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set, on
//      PostgreSQL, and the tests of the emulator with the real kubectl and client-node;
//   2. the end-to-end test in headless Chromium against the demo portal (skip with --no-e2e).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const withE2e = !process.argv.includes('--no-e2e');
const reportDir = join(root, 'test-results');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

function run(command, args, env = {}) {
  return new Promise(done => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('exit', code => done(code ?? 1));
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };

// 1. Jest, with a JSON report to count from.
const jestReport = join(reportDir, 'jest.json');
const jestCode = await run(
  'yarn',
  ['backstage-cli', 'repo', 'test', '--json', `--outputFile=${jestReport}`],
  { CI: 'true' },
);
try {
  const report = JSON.parse(readFileSync(jestReport, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A suite that fails to run (a syntax error, a failing beforeAll) has no failed test: count it.
  totals.failed += report.testResults.filter(
    suite =>
      suite.status === 'failed' &&
      suite.assertionResults.every(a => a.status !== 'failed'),
  ).length;
} catch (error) {
  console.error(`[test] no Jest report (${error.message})`);
  totals.failed += 1;
}
if (jestCode !== 0 && totals.failed === 0) {
  console.error(`[test] Jest exited with code ${jestCode}`);
  totals.failed += 1;
}

// 2. The end-to-end test, which writes its own counts.
if (withE2e) {
  const e2eReport = join(reportDir, 'e2e.json');
  const e2eCode = await run('yarn', ['test:e2e', '--report', e2eReport]);
  try {
    const report = JSON.parse(readFileSync(e2eReport, 'utf8'));
    totals.passed += report.passed;
    totals.failed += report.failed;
    totals.skipped += report.skipped ?? 0;
  } catch (error) {
    console.error(`[test] no end-to-end report (${error.message})`);
    totals.failed += 1;
  }
  if (e2eCode !== 0 && totals.failed === 0) {
    totals.failed += 1;
  }
}

const line = `${totals.passed} passed, ${totals.failed} failed${
  totals.skipped ? `, ${totals.skipped} skipped` : ''
}`;
console.log(line);
process.exit(totals.failed > 0 ? 1 : 0);
