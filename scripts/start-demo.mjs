// Starts the demo portal: a generated demo cluster served by the Kubernetes API emulator, the
// Backstage backend (catalog, guest sign-in, Resilience plugin on embedded SQLite) and the
// frontend dev app at http://localhost:3000. Once the backend answers, the generated SAST
// history (.demo/manifests/sarif/plan.json) is uploaded through the real API with an external
// access token made for this run, as a CI pipeline would; .demo/sarif-uploaded then holds the
// time the last upload finished. Ctrl-C stops everything.
//
// Options: --no-frontend (backend and emulator only), --emulator-port N (default 16443).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const withFrontend = !args.includes('--no-frontend');
const portIndex = args.indexOf('--emulator-port');
const emulatorPort = portIndex >= 0 ? args[portIndex + 1] : '16443';

// A server left running on one of the demo's ports (an earlier demo still stopping) would be
// answered instead of this one: refuse to start rather than show somebody else's data.
const inUse = port =>
  new Promise(done => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
for (const port of [emulatorPort, '7007', ...(withFrontend ? ['3000'] : [])]) {
  if (await inUse(port)) {
    console.error(
      `[demo] port ${port} is already in use (is another demo still running?); stop that first`,
    );
    process.exit(1);
  }
}

const demoDir = join(root, '.demo');
const manifestsDir = join(demoDir, 'manifests');
const kubeconfig = join(demoDir, 'kubeconfig');
const sarifDir = join(manifestsDir, 'sarif');
const uploadedMarker = join(demoDir, 'sarif-uploaded');
const backend = 'http://localhost:7007';
// The demo CI's external access token (app-config.yaml): new for every run, known to nobody else.
const ciToken = randomBytes(24).toString('base64url');
rmSync(demoDir, { recursive: true, force: true });
mkdirSync(manifestsDir, { recursive: true });

const children = [];
let stopping = false;

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.exitCode === null) {
      // Each child leads its own process group, so its own children (webpack, node) stop too.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    }
  }
  setTimeout(() => process.exit(code), 3000).unref();
}

function run(name, command, commandArgs, env = {}) {
  const child = spawn(command, commandArgs, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  children.push(child);
  child.on('exit', code => {
    if (!stopping) {
      console.error(
        `[demo] ${name} exited with code ${code}; stopping the demo`,
      );
      stopAll(code || 1);
    }
  });
  return child;
}

function runToEnd(name, command, commandArgs) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
    child.on('exit', code =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`${name} failed with code ${code}`)),
    );
  });
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

console.log('[demo] generating the demo cluster');
await runToEnd('generator', 'yarn', ['generate', '--out', manifestsDir]);

console.log(
  `[demo] starting the Kubernetes API emulator on port ${emulatorPort}`,
);
run('emulator', 'yarn', [
  'emulator',
  '--manifests',
  manifestsDir,
  '--port',
  emulatorPort,
  '--kubeconfig',
  kubeconfig,
]);
for (let i = 0; !existsSync(kubeconfig); i++) {
  if (i > 600 || stopping)
    throw new Error('the emulator did not write its kubeconfig');
  await sleep(100);
}

console.log('[demo] starting the backend on http://localhost:7007');
run(
  'backend',
  'yarn',
  ['workspace', '@resilience-for-backstage/plugin-resilience-backend', 'start'],
  {
    RESILIENCE_DEMO_KUBECONFIG: kubeconfig,
    RESILIENCE_DEMO_CI_TOKEN: ciToken,
  },
);
if (withFrontend) {
  console.log('[demo] starting the frontend on http://localhost:3000');
  run(
    'frontend',
    'yarn',
    ['workspace', '@resilience-for-backstage/plugin-resilience', 'start'],
    {
      BROWSER: 'none',
    },
  );
}

/** Polls the backend's health route until it answers. */
async function waitForBackend() {
  for (let i = 0; i < 600; i++) {
    if (stopping) throw new Error('the demo is stopping');
    try {
      if ((await fetch(`${backend}/api/resilience/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error('the backend did not answer within 5 minutes');
}

/**
 * Uploads the SAST history in the plan's order, as CI would: gzipped SARIF, with the entity,
 * branch, commit and scan time as query parameters. The catalog reads catalog-info.yaml shortly
 * after the backend starts: until then an entity is not found (404), which is retried for a while.
 */
async function uploadSastHistory() {
  const { uploads } = JSON.parse(
    readFileSync(join(sarifDir, 'plan.json'), 'utf8'),
  );
  const catalogDeadline = Date.now() + 180_000;
  for (const upload of uploads) {
    const query = new URLSearchParams({
      entityRef: upload.entityRef,
      branch: upload.branch,
      commit: upload.commit,
      scannedAt: upload.scannedAt,
    });
    const body = gzipSync(readFileSync(join(sarifDir, upload.file)));
    for (let waited = false; ; waited = true) {
      if (stopping) throw new Error('the demo is stopping');
      const res = await fetch(
        `${backend}/api/resilience/sast/reports?${query}`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${ciToken}`,
            'Content-Type': 'application/sarif+json',
            'Content-Encoding': 'gzip',
          },
          body,
        },
      ).catch(error => {
        throw new Error(`uploading ${upload.file}: ${error.message}`);
      });
      const text = await res.text();
      if (res.status === 404 && Date.now() < catalogDeadline) {
        if (!waited)
          console.log(
            `[demo] waiting for the catalog to have ${upload.entityRef}`,
          );
        await sleep(1000);
        continue;
      }
      if (res.status !== 201) {
        throw new Error(
          `uploading ${upload.file} for ${upload.entityRef} failed with ${res.status} ${res.statusText}: ${text}`,
        );
      }
      const [report] = JSON.parse(text).reports;
      const counts = Object.entries(report.findings)
        .filter(([, n]) => n > 0)
        .map(([severity, n]) => `${n} ${severity}`);
      console.log(
        `[demo] uploaded ${upload.file}: ${upload.tool} on ${
          upload.branch
        } at ${upload.scannedAt} for ${upload.entityRef} (${
          counts.join(', ') || 'no findings'
        }${report.suppressed ? `, ${report.suppressed} suppressed` : ''})`,
      );
      break;
    }
  }
  return uploads.length;
}

try {
  await waitForBackend();
  const uploaded = await uploadSastHistory();
  writeFileSync(uploadedMarker, `${new Date().toISOString()}\n`);
  console.log(`[demo] uploaded the SAST history: ${uploaded} SARIF reports`);
} catch (error) {
  if (!stopping) {
    console.error(`[demo] ${error.message}; stopping the demo`);
    stopAll(1);
  }
}
