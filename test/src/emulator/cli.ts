/*
 * yarn emulator --manifests DIR [--port N] [--host H] --kubeconfig OUT [--requests-log FILE]
 *   [--wait-for-certificates]
 *
 * Serves the manifests in DIR over HTTPS like a Kubernetes API server and writes a kubeconfig
 * that kubectl and the plugin can use. With --requests-log, appends each answered request to
 * FILE as a line of JSON (`method`, `path`, `query`, `status`), so that another process can
 * count what a client asked. With --wait-for-certificates, the kubeconfig is written only once the
 * simulated cert-manager has issued every Certificate (it issues them in the background, a few
 * at a time), so that a client that starts then finds the cluster at rest. Runs until
 * interrupted.
 */
import { openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { startEmulator } from './index';

const usage =
  'usage: yarn emulator --manifests DIR [--port N] [--host H] --kubeconfig OUT [--requests-log FILE] [--wait-for-certificates]';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(usage);
    return;
  }
  const manifests = option('manifests');
  const kubeconfig = option('kubeconfig');
  const port = Number(option('port') ?? 0);
  if (!kubeconfig || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(usage);
    process.exit(2);
  }
  const emulator = await startEmulator({
    manifestsDir: manifests ? resolve(manifests) : undefined,
    port,
    host: option('host'),
  });
  const requestsLog = option('requests-log');
  if (requestsLog) {
    // Written at once, before the client reads the answer: a reader that has its answer finds
    // the request in the file.
    const out = openSync(resolve(requestsLog), 'a');
    emulator.onResponse(({ method, path, query, status }) => {
      writeSync(out, `${JSON.stringify({ method, path, query, status })}\n`);
    });
  }
  if (process.argv.includes('--wait-for-certificates')) {
    await emulator.certManagerIdle();
  }
  await emulator.writeKubeconfig(resolve(kubeconfig));
  console.log(
    `Kubernetes API emulator listening at ${
      emulator.url
    }; kubeconfig written to ${resolve(kubeconfig)}`,
  );
  const stop = async () => {
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  console.error(`emulator: ${error.message}`);
  process.exit(1);
});
