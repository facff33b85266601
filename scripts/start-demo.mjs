// Starts the demo portal: a generated demo cluster served by the Kubernetes API emulator, the
// Backstage backend (catalog, guest sign-in, Resilience plugin on embedded SQLite) and the
// frontend dev app at http://localhost:3000. Ctrl-C stops everything.
//
// Options: --no-frontend (backend and emulator only), --emulator-port N (default 16443).
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
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
