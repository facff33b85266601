import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import {
  createCa,
  createServingCertificate,
  KeyPair,
  sharedCertificates,
} from './certs';
import { CertManagerController, CertManagerOptions } from './certmanager';
import { Cluster, KubeObject, ListOptions } from './cluster';
import { VeleroRestoreController, VeleroRestoreOptions } from './velero';
import { BUILTIN_RESOURCES, loadCrds, ResourceType } from './resources';
import {
  Fault,
  ForbidRule,
  handle,
  RequestRecord,
  ServerState,
} from './server';

export type {
  CertManagerOptions,
  VeleroRestoreOptions,
  Fault,
  ForbidRule,
  RequestRecord,
  KubeObject,
  ListOptions,
};
export {
  EMULATOR_ANNOTATIONS,
  parseGoDuration,
  renewalTime,
} from './certmanager';
export type { GenerateTlsSpec } from './certmanager';
export { RESTORE_LABELS, VELERO_ANNOTATIONS } from './velero';
export type { RestoreOutcome } from './velero';
export { StatusError } from './status';

/** The real CRDs shipped with the repository (Velero, cert-manager, CSI snapshots). */
export const DEFAULT_CRD_DIR = resolve(__dirname, '../../k8s-crds');

export interface EmulatorOptions {
  /** Address to listen on; 127.0.0.1 by default. */
  host?: string;
  /** Port; 0 (any free port) by default. */
  port?: number;
  /** Folders of CRD manifests to install; the repository's test/k8s-crds by default. */
  crdDirs?: string[];
  /** A folder of multi-document YAML manifests to load at start. */
  manifestsDir?: string;
  /** Objects to load at start, after the manifests. */
  objects?: object[];
  forbid?: ForbidRule[];
  faults?: Fault[];
  /**
   * The simulated cert-manager (see `certmanager.ts` for what it does and the annotations that
   * make it fail): on by default; `false` turns it off, so that Certificates stay as loaded.
   */
  certManager?: CertManagerOptions | false;
  /**
   * The simulated Velero restore controller (see `velero.ts` for what it does and the
   * annotations that make a Restore fail or hang): on by default; `false` turns it off, so that
   * Restores stay as created.
   */
  velero?: VeleroRestoreOptions | false;
  /**
   * When set, deleting a Namespace makes it `Terminating` (with `metadata.deletionTimestamp`;
   * creates into it are refused with 403 Forbidden, another delete is 409 Conflict) for this many
   * milliseconds before it goes with everything in it, as on a real cluster. When absent, a
   * deleted Namespace and its content go at once.
   */
  namespaceFinalizeMs?: number;
  /** How many changes a watch can be replayed from (10,000 by default); older ones are `410`. */
  watchHistory?: number;
  /** How often a watch that asked for bookmarks gets one; 10 s by default. */
  bookmarkIntervalMs?: number;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `https://host:port` */
  readonly url: string;
  /** The CA that signed the serving certificate, PEM; a new one after `rotateCertificateAuthority`. */
  readonly caPem: string;
  /** The bearer token currently accepted. */
  readonly token: string;
  /** Every request received, oldest first; `status` is set once it has been answered. */
  readonly requests: RequestRecord[];
  /**
   * Calls `listener` each time a request has been answered, before the client can read the
   * answer: a test can change the cluster between two requests of a client, for example
   * rotate credentials after the first page of a list. Returns a function that removes it.
   */
  onResponse(listener: (request: RequestRecord) => void): () => void;
  /**
   * Calls `listener` each time a client opens a connection, before the TLS handshake: a test can
   * rotate the certificate or token after a client has read its credentials and before it uses
   * them. Returns a function that removes it.
   */
  onConnection(listener: () => void): () => void;
  /** A kubeconfig (YAML) with the CA data, the server and the current token. */
  kubeconfig(options?: { contextName?: string }): string;
  writeKubeconfig(
    path: string,
    options?: { contextName?: string },
  ): Promise<void>;
  /** Creates the object or, when it exists, replaces it (status included). */
  apply(object: object): KubeObject;
  get(ref: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }): KubeObject;
  list(
    ref: { apiVersion: string; kind: string },
    options?: ListOptions,
  ): { items: KubeObject[] };
  delete(ref: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }): KubeObject;
  forbid(rule: ForbidRule): void;
  clearForbid(): void;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Replaces the accepted token with a new one and returns it; the old one is refused from now. */
  rotateToken(): string;
  /**
   * Serves a new certificate (same CA) to new connections. A keep-alive connection opened before
   * answers one more request, with `Connection: close`, so that no client keeps the old
   * certificate beyond its next request.
   */
  rotateServingCertificate(): void;
  /**
   * Replaces the CA with a new one and serves a certificate it signed, as when a cluster's CA is
   * rotated; returns the new CA's PEM. Connections are handled as by `rotateServingCertificate`:
   * a client that still trusts only the old CA fails its next TLS handshake.
   */
  rotateCertificateAuthority(): string;
  /** Makes outstanding continue tokens expire, so the next page is a 410. */
  expireContinueTokens(): void;
  /**
   * Forgets the changes so far, as an etcd compaction does: a watch from an earlier
   * resourceVersion gets a `410 Expired` ERROR event.
   */
  compactWatchHistory(): void;
  /**
   * Resolves once the simulated cert-manager has nothing queued or scheduled: every issuance
   * that is going to finish has finished. At once when it is off.
   */
  certManagerIdle(): Promise<void>;
  /**
   * Resolves once the simulated Velero has nothing queued or scheduled: every Restore that is
   * going to end has ended, and its claims and workloads that are going to be ready are. At once
   * when it is off.
   */
  veleroIdle(): Promise<void>;
  close(): Promise<void>;
}

/** Reads every `*.yaml`/`*.yml` in a folder, in name order, as a list of documents. */
export function readManifests(
  dir: string,
): Array<{ file: string; index: number; object: KubeObject }> {
  const documents: Array<{ file: string; index: number; object: KubeObject }> =
    [];
  for (const file of readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f))
    .sort()) {
    yaml
      .loadAll(readFileSync(join(dir, file), 'utf8'))
      .forEach((doc, index) => {
        if (!doc) return;
        const object = doc as KubeObject & { items?: KubeObject[] };
        const objects = object.kind === 'List' ? object.items ?? [] : [object];
        for (const o of objects) documents.push({ file, index, object: o });
      });
  }
  return documents;
}

function resourceOf(
  cluster: Cluster,
  apiVersion: string | undefined,
  kind: string | undefined,
): ResourceType {
  const resource = cluster.resourceOf(apiVersion, kind);
  if (!resource) {
    throw new Error(
      `no resource serves ${kind} in ${apiVersion}; is its CRD installed?`,
    );
  }
  return resource;
}

/**
 * Loads an object with its status (and its uid, when the manifest has one), creating its
 * namespace first when that does not exist.
 */
function load(cluster: Cluster, object: KubeObject): KubeObject {
  const resource = resourceOf(cluster, object.apiVersion, object.kind);
  const namespaces = cluster.resource('', 'v1', 'namespaces')!;
  const ns = resource.namespaced
    ? object.metadata?.namespace ?? 'default'
    : undefined;
  if (ns !== undefined) {
    try {
      cluster.get(namespaces, undefined, ns);
    } catch {
      // Manifests often leave out the Namespace objects; a real `kubectl apply` would fail, but
      // for fixtures that would only be noise.
      cluster.create(namespaces, undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
    }
  }
  const name = object.metadata?.name ?? '';
  try {
    cluster.get(resource, ns, name);
  } catch {
    return cluster.create(resource, ns, object, {
      keepStatus: true,
      keepUid: true,
    });
  }
  const replaced = cluster.update(resource, ns, name, {
    ...object,
    metadata: { ...object.metadata, resourceVersion: undefined },
  });
  return object.status === undefined
    ? replaced
    : cluster.update(resource, ns, name, object, { subresource: 'status' });
}

/** Starts a Kubernetes API emulator over HTTPS. */
export async function startEmulator(
  options: EmulatorOptions = {},
): Promise<RunningEmulator> {
  const cluster = new Cluster(
    [...BUILTIN_RESOURCES, ...loadCrds(options.crdDirs ?? [DEFAULT_CRD_DIR])],
    {
      namespaceFinalizeMs: options.namespaceFinalizeMs,
      watchHistory: options.watchHistory,
    },
  );
  const namespaces = cluster.resource('', 'v1', 'namespaces')!;
  cluster.create(namespaces, undefined, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'default' },
  });

  if (options.manifestsDir) {
    for (const { file, index, object } of readManifests(options.manifestsDir)) {
      try {
        load(cluster, object);
      } catch (error) {
        throw new Error(
          `${file}, document ${index + 1} (${object.kind} ${
            object.metadata?.name
          }): ${(error as Error).message}`,
        );
      }
    }
  }
  (options.objects ?? []).forEach((object, index) => {
    try {
      load(cluster, object as KubeObject);
    } catch (error) {
      throw new Error(`objects[${index}]: ${(error as Error).message}`);
    }
  });

  const certManager =
    options.certManager === false
      ? undefined
      : CertManagerController.start({
          cluster,
          certManager: options.certManager,
        });
  const velero =
    options.velero === false
      ? undefined
      : VeleroRestoreController.start({ cluster, velero: options.velero });
  // Hand-made TLS Secrets get their certificates before anyone can read them; issuances of
  // Certificates go on in the background, as in a cluster that has just started.
  await certManager?.idle({ scheduled: false });

  let token = randomBytes(24).toString('hex');
  const shared = sharedCertificates();
  let ca = shared.ca;
  const listeners = new Set<(request: RequestRecord) => void>();
  const state: ServerState = {
    cluster,
    tokens: () => [token],
    forbidden: [...(options.forbid ?? [])],
    faults: [...(options.faults ?? [])],
    requests: [],
    onResponse: record => listeners.forEach(listener => listener(record)),
    bookmarkIntervalMs: options.bookmarkIntervalMs,
  };
  // A TLS connection keeps the certificate it was opened with for as long as it lives, so a
  // keep-alive client could reuse it long after a rotation and never notice. Each connection
  // remembers which certificate it was opened with; once that one is replaced, the connection
  // answers its next request with `Connection: close`, and the client's request after that opens
  // a new connection, which gets the new certificate. (Closing idle connections at the rotation
  // instead would race with a client about to reuse one, and fail its request at random.)
  let generation = 0;
  const openedAt = new WeakMap<object, number>();
  const server: Server = createServer(
    { key: shared.serving.keyPem, cert: shared.serving.certPem },
    (req, res) => {
      if (openedAt.get(req.socket) !== generation) {
        res.setHeader('Connection', 'close');
      }
      handle(state, req, res);
    },
  );
  server.on('secureConnection', socket => openedAt.set(socket, generation));
  const connectionListeners = new Set<() => void>();
  // Ahead of the TLS server's own listener, which picks the certificate for the connection.
  server.prependListener('connection', () =>
    connectionListeners.forEach(listener => listener()),
  );
  const serve = (serving: KeyPair) => {
    generation++;
    server.setSecureContext({ key: serving.keyPem, cert: serving.certPem });
  };
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((done, fail) => {
    server.once('error', error => {
      certManager?.stop();
      velero?.stop();
      cluster.stop();
      fail(error);
    });
    server.listen(options.port ?? 0, host, () => done());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const kubeconfig = (opts: { contextName?: string } = {}) => {
    const context = opts.contextName ?? 'emulator';
    return yaml.dump({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: context,
          cluster: {
            server: url,
            'certificate-authority-data': Buffer.from(ca.certPem).toString(
              'base64',
            ),
          },
        },
      ],
      users: [{ name: context, user: { token } }],
      contexts: [
        {
          name: context,
          context: { cluster: context, user: context, namespace: 'default' },
        },
      ],
      'current-context': context,
      preferences: {},
    });
  };
  const ref = (r: { apiVersion: string; kind: string }) =>
    resourceOf(cluster, r.apiVersion, r.kind);

  return {
    url,
    get caPem() {
      return ca.certPem;
    },
    get token() {
      return token;
    },
    requests: state.requests,
    onResponse: listener => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection: listener => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    kubeconfig,
    writeKubeconfig: (path, opts) =>
      writeFile(path, kubeconfig(opts), { mode: 0o600 }),
    apply: object => load(cluster, object as KubeObject),
    get: r => cluster.get(ref(r), r.namespace, r.name),
    list: (r, listOptions = {}) => cluster.list(ref(r), listOptions),
    delete: r => cluster.delete(ref(r), r.namespace, r.name),
    forbid: rule => state.forbidden.push(rule),
    clearForbid: () => state.forbidden.splice(0),
    injectFault: fault => state.faults.push({ ...fault }),
    clearFaults: () => state.faults.splice(0),
    rotateToken: () => {
      token = randomBytes(24).toString('hex');
      return token;
    },
    rotateServingCertificate: () => serve(createServingCertificate(ca)),
    rotateCertificateAuthority: () => {
      ca = createCa();
      serve(createServingCertificate(ca));
      return ca.certPem;
    },
    expireContinueTokens: () => cluster.expireContinueTokens(),
    compactWatchHistory: () => cluster.compactWatchHistory(),
    certManagerIdle: () => certManager?.idle() ?? Promise.resolve(),
    veleroIdle: () => velero?.idle() ?? Promise.resolve(),
    close: () =>
      new Promise<void>(done => {
        certManager?.stop();
        velero?.stop();
        cluster.stop();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
