/** The collection bench's pure parts: which lists a collector read, and how to page them. */

/** One answered request, as the emulator's `--requests-log` writes it. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status?: number;
}

/** A list the collector read: its path and query without `continue`. */
export interface ListRequest {
  path: string;
  query: string;
}

/** What the floor (`floor.ts`) measured in one run. */
export interface FloorResult {
  elapsedMs: number;
  pages: number;
  items: number;
  bytes: number;
  /** The floor process's resident set before its first request. */
  rssBeforeBytes: number;
  /** Its peak resident set (`VmHWM`) at the end. */
  peakRssBytes: number;
}

/** The lines of a requests log; a partly written last line is left out. */
export function parseRequestsLog(text: string): LoggedRequest[] {
  const requests: LoggedRequest[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      requests.push(JSON.parse(line) as LoggedRequest);
    } catch {
      // Being written as it was read.
    }
  }
  return requests;
}

const isListPage = (r: LoggedRequest) =>
  r.method === 'GET' && new URLSearchParams(r.query).has('limit');

/**
 * The lists among `requests` (GETs with `limit`, answered 200), once each in the order they were
 * first read, without their `continue`: what the floor reads again from the first page.
 */
export function listsOf(requests: LoggedRequest[]): ListRequest[] {
  const seen = new Set<string>();
  const lists: ListRequest[] = [];
  for (const r of requests) {
    if (!isListPage(r) || r.status !== 200) continue;
    const params = new URLSearchParams(r.query);
    params.delete('continue');
    const query = params.toString();
    const key = `${r.path}?${query}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lists.push({ path: r.path, query });
  }
  return lists;
}

/** The requests of a collection: in all, list pages among them, and any not answered 2xx. */
export function countRequests(requests: LoggedRequest[]): {
  total: number;
  listPages: number;
  failed: number;
} {
  return {
    total: requests.length,
    listPages: requests.filter(isListPage).length,
    failed: requests.filter(
      r => r.status === undefined || r.status < 200 || r.status >= 300,
    ).length,
  };
}

/** The query of the page after one that gave `continueToken`; undefined after the last page. */
export function nextPage(
  query: string,
  continueToken: string | undefined,
): string | undefined {
  if (!continueToken) return undefined;
  const params = new URLSearchParams(query);
  params.set('continue', continueToken);
  return params.toString();
}
