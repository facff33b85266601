/*
 * node floor.ts --kubeconfig FILE --lists FILE
 *
 * The floor of a collection: reads the same list pages the collector read, with a plain HTTPS
 * GET and JSON.parse and nothing else, and prints what it took as one line of JSON. Each list
 * (a path and its query, the collector's page size included) is paged with `continue` until
 * the server has no more, one request at a time as the collector does; the items of a list are
 * kept until its last page, as a collector that stores a resource at a time keeps them. Runs in a
 * process of its own, so that its peak resident set is its own.
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { FloorResult, ListRequest, nextPage } from './collection';
import { kubeRequest, readKubeconfig } from './kube';

function option(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) throw new Error(`--${name} is required`);
  return value;
}

const kib = (field: string) => {
  const status = readFileSync('/proc/self/status', 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
};

async function main() {
  const credentials = readKubeconfig(option('kubeconfig'));
  const lists = JSON.parse(
    readFileSync(option('lists'), 'utf8'),
  ) as ListRequest[];
  const agent = new Agent({
    ca: credentials.ca,
    keepAlive: true,
    maxSockets: 1,
  });
  const get = async (path: string, query: string) => {
    const { status, text } = await kubeRequest(credentials, {
      path: `${path}${query ? `?${query}` : ''}`,
      agent,
    });
    if (status !== 200) {
      throw new Error(`GET ${path} answered ${status}: ${text.slice(0, 300)}`);
    }
    return { text };
  };

  const rssBeforeBytes = kib('VmRSS');
  const started = performance.now();
  let pages = 0;
  let items = 0;
  let bytes = 0;
  for (const list of lists) {
    const kept: unknown[][] = [];
    let query: string | undefined = list.query;
    while (query !== undefined) {
      const { text } = await get(list.path, query);
      const page = JSON.parse(text) as {
        items: unknown[];
        metadata?: { continue?: string };
      };
      pages++;
      bytes += Buffer.byteLength(text);
      items += page.items.length;
      kept.push(page.items);
      query = nextPage(list.query, page.metadata?.continue);
    }
    kept.length = 0;
  }
  const result: FloorResult = {
    elapsedMs: performance.now() - started,
    pages,
    items,
    bytes,
    rssBeforeBytes,
    peakRssBytes: kib('VmHWM'),
  };
  agent.destroy();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch(error => {
  console.error(`floor: ${(error as Error).message}`);
  process.exit(1);
});
