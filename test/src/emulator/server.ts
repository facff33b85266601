import { IncomingMessage, ServerResponse } from 'node:http';
import { Cluster, ClusterEvent, KubeObject } from './cluster';
import { groupVersion, ResourceType } from './resources';
import { openApiDocument, openApiIndex } from './openapi';
import { jsonPatch, mergePatch } from './patch';
import { badRequest, StatusError } from './status';

/** A rule that makes the emulator answer 403, as RBAC would. */
export interface ForbidRule {
  /** `get`, `list`, `create`, `update`, `patch` or `delete`; every verb when absent. */
  verb?: string;
  /** API group, `''` for the core group. */
  group: string;
  /** Resource plural, for example `backups`. */
  resource: string;
  /** Only in this namespace; everywhere when absent. */
  namespace?: string;
}

/** A fault injected into requests whose path starts with `pathPrefix`. */
export interface Fault {
  pathPrefix: string;
  /** Answer with this HTTP status (a `Status` body, reason InternalError for 5xx). */
  status?: number;
  /** Wait this long before answering (or failing). */
  delayMs?: number;
  /** Close the connection without an answer. */
  reset?: boolean;
  /** Only for this many requests; for every one when absent. */
  times?: number;
  /** Lets this many matching requests through first, for example to fail the second page. */
  after?: number;
}

/** One request the emulator received, for tests that assert what a client asked. */
export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  /** The HTTP status answered; absent until answered, and for a connection closed unanswered. */
  status?: number;
}

export interface ServerState {
  cluster: Cluster;
  tokens: () => string[];
  forbidden: ForbidRule[];
  faults: Fault[];
  requests: RequestRecord[];
  /** Called once a request has been answered, with its record. */
  onResponse?: (request: RequestRecord) => void;
  /** How often a watch that asked for bookmarks gets one; 10 s when absent. */
  bookmarkIntervalMs?: number;
}

const SERVICE_ACCOUNT = 'system:serviceaccount:resilience:collector';
const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update'];

function send(res: ServerResponse, code: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 3 * 1024 * 1024)
      throw new StatusError(
        413,
        'RequestEntityTooLarge',
        'request entity too large',
      );
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(
      'the body of the request was in an unknown format - accepted media types include: application/json',
    );
  }
}

function resourceList(cluster: Cluster, group: string, version: string) {
  const resources = cluster.resources.filter(
    r => r.group === group && r.version === version,
  );
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: resources.flatMap(r => [
      {
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: [...VERBS, 'deletecollection', 'watch'].sort(),
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      },
      ...(r.statusSubresource
        ? [
            {
              name: `${r.plural}/status`,
              singularName: '',
              namespaced: r.namespaced,
              kind: r.kind,
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ]),
  };
}

function groups(cluster: Cluster) {
  const names = [
    ...new Set(cluster.resources.map(r => r.group).filter(Boolean)),
  ];
  return names.map(name => {
    const versions = [
      ...new Set(
        cluster.resources.filter(r => r.group === name).map(r => r.version),
      ),
    ];
    // Kubernetes prefers stable versions over beta over alpha; v1 before v2alpha1.
    const rank = (v: string) => {
      if (v.includes('alpha')) return 2;
      return v.includes('beta') ? 1 : 0;
    };
    versions.sort(
      (a, b) =>
        rank(a) - rank(b) || b.localeCompare(a, undefined, { numeric: true }),
    );
    const list = versions.map(version => ({
      groupVersion: `${name}/${version}`,
      version,
    }));
    return { name, versions: list, preferredVersion: list[0] };
  });
}

function verbOf(method: string, name: string | undefined): string {
  switch (method) {
    case 'GET':
      return name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      throw new StatusError(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
      );
  }
}

/** Handles one request; every failure is answered with a Kubernetes `Status`. */
export async function handle(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'https://emulator');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  const record: RequestRecord = {
    method,
    path,
    query: url.search.replace(/^\?/, ''),
  };
  state.requests.push(record);
  res.once('finish', () => {
    record.status = res.statusCode;
    state.onResponse?.(record);
  });
  try {
    for (const fault of state.faults) {
      if (!path.startsWith(fault.pathPrefix) || fault.times === 0) continue;
      if (fault.after) {
        fault.after--;
        continue;
      }
      if (fault.times !== undefined) fault.times--;
      if (fault.delayMs) await new Promise(r => setTimeout(r, fault.delayMs));
      if (fault.reset) {
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        throw new StatusError(
          fault.status,
          fault.status >= 500 ? 'InternalError' : 'BadRequest',
          `injected fault for ${path}`,
        );
      }
    }

    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    const authorization = req.headers.authorization ?? '';
    const token = authorization.startsWith('Bearer ')
      ? authorization.slice(7).trim()
      : '';
    if (!token || !state.tokens().includes(token)) {
      throw new StatusError(401, 'Unauthorized', 'Unauthorized');
    }

    const cluster = state.cluster;
    if (path === '/version') {
      send(res, 200, {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-resilience-emulator',
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.23',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
      return;
    }
    if (path === '/openapi/v3') {
      send(res, 200, openApiIndex(cluster));
      return;
    }
    if (path.startsWith('/openapi/v3/')) {
      const gv = path.replace(/^\/openapi\/v3\/(apis|api)\//, '');
      const document = openApiDocument(cluster, gv);
      if (!document)
        throw new StatusError(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      send(res, 200, document);
      return;
    }
    if (path === '/api') {
      send(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          { clientCIDR: '0.0.0.0/0', serverAddress: req.headers.host ?? '' },
        ],
      });
      return;
    }
    if (path === '/apis') {
      send(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups(cluster),
      });
      return;
    }

    const segments = path.split('/').filter(Boolean);
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === 'api' && segments[1] === 'v1') {
      [group, version, rest] = ['', 'v1', segments.slice(2)];
    } else if (segments[0] === 'apis' && segments.length >= 2) {
      const found = groups(cluster).find(g => g.name === segments[1]);
      if (segments.length === 2) {
        if (!found)
          throw new StatusError(
            404,
            'NotFound',
            'the server could not find the requested resource',
          );
        send(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...found });
        return;
      }
      [group, version, rest] = [segments[1], segments[2], segments.slice(3)];
    } else {
      throw new StatusError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    if (rest.length === 0) {
      if (
        !cluster.resources.some(r => r.group === group && r.version === version)
      ) {
        throw new StatusError(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      }
      send(res, 200, resourceList(cluster, group, version));
      return;
    }

    // /namespaces/{ns}/{plural}[/{name}[/status]] or /{plural}[/{name}[/status]]
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status') {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, subresource, ...extra] = rest;
    const resource = cluster.resource(group, version, plural);
    if (
      !resource ||
      extra.length > 0 ||
      (subresource && (subresource !== 'status' || !resource.statusSubresource))
    ) {
      throw new StatusError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    if (namespace && !resource.namespaced) {
      throw new StatusError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    if (!name && method !== 'GET' && method !== 'POST') {
      throw new StatusError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    }

    const watching =
      !name &&
      method === 'GET' &&
      ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    const verb = watching ? 'watch' : verbOf(method, name);
    const denied = state.forbidden.find(
      rule =>
        (!rule.verb || rule.verb === verb) &&
        rule.group === group &&
        rule.resource === plural &&
        (!rule.namespace || rule.namespace === namespace),
    );
    if (denied) {
      const qualified = group ? `${plural}.${group}` : plural;
      const where = namespace
        ? `in the namespace "${namespace}"`
        : 'at the cluster scope';
      throw new StatusError(
        403,
        'Forbidden',
        `${qualified}${
          name ? ` "${name}"` : ''
        } is forbidden: User "${SERVICE_ACCOUNT}" cannot ${verb} resource "${plural}" in API group "${group}" ${where}`,
        { ...(name ? { name } : {}), group, kind: plural },
      );
    }

    const strict = url.searchParams.get('fieldValidation') === 'Strict';
    const status = subresource === 'status' ? ('status' as const) : undefined;
    switch (verb) {
      case 'watch':
        serveWatch(state, res, resource, namespace, url.searchParams);
        return;
      case 'list': {
        const limit = url.searchParams.get('limit');
        send(
          res,
          200,
          cluster.list(resource, {
            namespace,
            labelSelector: url.searchParams.get('labelSelector') ?? undefined,
            fieldSelector: url.searchParams.get('fieldSelector') ?? undefined,
            limit: limit ? Number(limit) : undefined,
            continueToken: url.searchParams.get('continue') ?? undefined,
          }),
        );
        return;
      }
      case 'get':
        send(res, 200, cluster.get(resource, namespace, name));
        return;
      case 'create':
        send(
          res,
          201,
          cluster.create(
            resource,
            namespace,
            (await readBody(req)) as KubeObject,
            { strict },
          ),
        );
        return;
      case 'update':
        send(
          res,
          200,
          cluster.update(
            resource,
            namespace,
            name,
            (await readBody(req)) as KubeObject,
            { subresource: status, strict },
          ),
        );
        return;
      case 'patch': {
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
        const patch = await readBody(req);
        const current = cluster.get(resource, namespace, name);
        let next: unknown;
        if (type === 'application/json-patch+json') {
          next = jsonPatch(current, patch);
        } else if (
          type === 'application/merge-patch+json' ||
          type === 'application/strategic-merge-patch+json'
        ) {
          // Strategic merge differs from a merge patch only in how some built-in lists merge,
          // which nothing here relies on.
          next = mergePatch(current, patch);
        } else {
          throw new StatusError(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
          );
        }
        // The patched object keeps the resourceVersion it was read at, unless the patch sets one:
        // that one is a precondition, and a stale one is a 409 Conflict, as on a real server.
        const object = next as KubeObject;
        send(
          res,
          200,
          cluster.update(resource, namespace, name, object, {
            subresource: status,
            strict,
          }),
        );
        return;
      }
      case 'delete':
        send(res, 200, cluster.delete(resource, namespace, name));
        return;
      default:
        throw new StatusError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  } catch (error) {
    if (error instanceof StatusError) {
      send(res, error.code, error.toStatus());
    } else {
      send(
        res,
        500,
        new StatusError(
          500,
          'InternalError',
          `emulator error: ${(error as Error).message}`,
        ).toStatus(),
      );
    }
  }
}

/** The longest a watch lasts without `timeoutSeconds`: the API server's default request timeout. */
const WATCH_TIMEOUT_SECONDS = 1800;

/**
 * Streams a watch as the API server does: one JSON `{type, object}` per line, `ADDED` for every
 * selected object first when no resourceVersion (or `0`) is given, otherwise the changes after
 * it, then each change as it happens; `BOOKMARK`s (only the resourceVersion) when the client
 * asked for them; and, when the resourceVersion is older than the changes kept, one `ERROR`
 * event with a `410 Expired` Status (in a 200 answer, as the API server sends it). It ends after
 * `timeoutSeconds`, and when the client goes.
 */
function serveWatch(
  state: ServerState,
  res: ServerResponse,
  resource: ResourceType,
  namespace: string | undefined,
  params: URLSearchParams,
) {
  const { cluster } = state;
  const selected = cluster.selector(resource, {
    namespace,
    labelSelector: params.get('labelSelector') ?? undefined,
    fieldSelector: params.get('fieldSelector') ?? undefined,
  });
  const from = params.get('resourceVersion') ?? '';
  if (from !== '' && !/^\d+$/.test(from)) {
    throw badRequest(
      `resourceVersion: Invalid value: "${from}": must be a number`,
    );
  }
  const timeoutSeconds = Number(params.get('timeoutSeconds') ?? '');
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
  });
  // As the API server does: the client knows the watch is accepted before any event.
  res.flushHeaders();
  const write = (type: string, object: unknown) => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const changes: ClusterEvent[] = [];
  if (from === '' || from === '0') {
    for (const object of cluster.list(resource, { namespace }).items) {
      if (selected(object)) write('ADDED', object);
    }
  } else {
    try {
      changes.push(...cluster.changesSince(Number(from)).map(c => c.event));
    } catch (error) {
      if (!(error instanceof StatusError)) throw error;
      write('ERROR', error.toStatus());
      res.end();
      return;
    }
  }
  const relevant = (event: ClusterEvent) =>
    event.resource === resource && selected(event.object);
  for (const event of changes.filter(relevant)) write(event.type, event.object);
  const unwatch = cluster.watch(event => {
    if (relevant(event)) write(event.type, event.object);
  });
  const bookmarks =
    params.get('allowWatchBookmarks') === 'true'
      ? setInterval(
          () =>
            write('BOOKMARK', {
              kind: resource.kind,
              apiVersion: groupVersion(resource),
              metadata: {
                resourceVersion: String(cluster.currentResourceVersion),
              },
            }),
          state.bookmarkIntervalMs ?? 10_000,
        )
      : undefined;
  const ending: { timeout?: NodeJS.Timeout } = {};
  const stop = () => {
    unwatch();
    clearInterval(bookmarks);
    clearTimeout(ending.timeout);
  };
  ending.timeout = setTimeout(() => {
    stop();
    res.end();
  }, (timeoutSeconds > 0 ? timeoutSeconds : WATCH_TIMEOUT_SECONDS) * 1000);
  res.once('close', () => stop());
}
