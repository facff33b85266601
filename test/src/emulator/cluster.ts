import { randomUUID } from 'node:crypto';
import { compileFieldSelector, compileLabelSelector } from './labels';
import { groupVersion, ResourceType } from './resources';
import { validateAndPrune } from './schema';
import { badRequest, notFound, StatusError } from './status';

/** A stored Kubernetes object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** A change to a stored object, as a watch would report it. */
export interface ClusterEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  /** The object after the change (before it, for DELETED), as a GET would return it. */
  object: KubeObject;
  /** `status` when the change came through the status subresource. */
  subresource?: 'status';
}

/** A change as a watch replays it: the event and the resourceVersion the change made. */
export interface RecordedEvent {
  resourceVersion: number;
  event: ClusterEvent;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continueToken?: string;
}

const key = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;

/** `plural.group`, or `plural` for the core group, as messages name a resource. */
const qualified = (resource: ResourceType) =>
  resource.group ? `${resource.plural}.${resource.group}` : resource.plural;

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * The state of the emulated cluster: every object of every served resource, with the API
 * server's bookkeeping (uid, resourceVersion from one counter, creationTimestamp, generation)
 * and its rules (namespaces must exist, names are unique, custom objects match their schema).
 */
export class Cluster {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private resourceVersion = 1000;
  /** Continue tokens carry this; bumping it makes every outstanding token expire (410). */
  private continueEpoch = 0;
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  private readonly finalizers = new Set<NodeJS.Timeout>();
  private readonly namespaceFinalizeMs?: number;
  /** The latest changes, oldest first, for watches that start from a resourceVersion. */
  private readonly history: RecordedEvent[] = [];
  private readonly historySize: number;
  /** A watch from a resourceVersion below this is `410 Gone`: its changes are forgotten. */
  private oldestWatchable = 0;

  /**
   * `namespaceFinalizeMs`: when set, deleting a Namespace first makes it `Terminating` for that
   * long (see {@link Cluster.delete}); when absent, it goes at once with everything in it.
   * `watchHistory`: how many changes a watch can be replayed from (10,000 by default), as the
   * API server's watch cache keeps a window of them; older resourceVersions are `410 Gone`.
   */
  constructor(
    readonly resources: ResourceType[],
    options: { namespaceFinalizeMs?: number; watchHistory?: number } = {},
  ) {
    this.namespaceFinalizeMs = options.namespaceFinalizeMs;
    this.historySize = options.watchHistory ?? 10_000;
  }

  /** The resourceVersion of the latest change, which a list answers with. */
  get currentResourceVersion(): number {
    return this.resourceVersion;
  }

  /**
   * The changes after `resourceVersion`, oldest first.
   *
   * @throws StatusError 410 Expired when some of them are no longer kept, as the API server
   * answers a watch from a resourceVersion its watch cache has compacted away.
   */
  changesSince(resourceVersion: number): RecordedEvent[] {
    if (resourceVersion < this.oldestWatchable) {
      throw new StatusError(
        410,
        'Expired',
        `too old resource version: ${resourceVersion} (${this.resourceVersion})`,
      );
    }
    return this.history.filter(e => e.resourceVersion > resourceVersion);
  }

  /** Forgets every change so far, as after an etcd compaction: older watches are `410 Gone`. */
  compactWatchHistory() {
    this.history.splice(0);
    this.oldestWatchable = this.resourceVersion;
  }

  /** Cancels namespace terminations still under way; their namespaces stay as they are. */
  stop() {
    for (const timer of this.finalizers) clearTimeout(timer);
    this.finalizers.clear();
  }

  /** The resource served at `group/version` under `plural`. */
  resource(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.resources.find(
      r => r.group === group && r.version === version && r.plural === plural,
    );
  }

  /** The resource of an object's `apiVersion` and `kind`. */
  resourceOf(
    apiVersion: string | undefined,
    kind: string | undefined,
  ): ResourceType | undefined {
    return this.resources.find(
      r => groupVersion(r) === apiVersion && r.kind === kind,
    );
  }

  /**
   * Calls `listener` after every create, update (status included) and delete, synchronously, so
   * that an emulated controller sees every change; it must not write to the cluster from inside
   * the call. Returns a function that stops the calls.
   */
  watch(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Tells the listeners of a change just made, which the latest resourceVersion counts. */
  private emit(event: ClusterEvent) {
    this.history.push({ resourceVersion: this.resourceVersion, event });
    if (this.history.length > this.historySize) {
      const [forgotten] = this.history
        .splice(0, this.history.length - this.historySize)
        .slice(-1);
      this.oldestWatchable = forgotten.resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
  }

  /** Makes every continue token handed out so far expire, as after an etcd compaction. */
  expireContinueTokens() {
    this.continueEpoch++;
  }

  private bucket(resource: ResourceType) {
    const id = `${resource.group}/${resource.plural}`;
    let bucket = this.objects.get(id);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(id, bucket);
    }
    return bucket;
  }

  private nextVersion() {
    this.resourceVersion++;
    return String(this.resourceVersion);
  }

  private present(resource: ResourceType, object: KubeObject): KubeObject {
    return {
      ...structuredClone(object),
      apiVersion: groupVersion(resource),
      kind: resource.kind,
    };
  }

  /** An object as its deletion reports it: with the resourceVersion the deletion made. */
  private deleted(resource: ResourceType, object: KubeObject): KubeObject {
    const presented = this.present(resource, object);
    presented.metadata.resourceVersion = this.nextVersion();
    return presented;
  }

  private validate(
    resource: ResourceType,
    object: KubeObject,
    strict: boolean,
  ): KubeObject {
    const name = object.metadata.name ?? '';
    if (!resource.schema) return object;
    const { value, causes } = validateAndPrune(resource.schema, object, {
      strict,
    });
    if (causes.length > 0) {
      throw new StatusError(
        422,
        'Invalid',
        `${resource.kind}.${resource.group} "${name}" is invalid: ${causes
          .map(c => `${c.field}: ${c.message}`)
          .join(', ')}`,
        { name, group: resource.group, kind: resource.kind, causes },
      );
    }
    return value as KubeObject;
  }

  private namespaceOf(
    resource: ResourceType,
    object: KubeObject,
    namespace: string | undefined,
  ) {
    if (!resource.namespaced) return undefined;
    const ns = namespace ?? object.metadata?.namespace ?? 'default';
    if (object.metadata?.namespace && object.metadata.namespace !== ns) {
      throw badRequest(
        `the namespace of the provided object does not match the namespace sent on the request`,
      );
    }
    return ns;
  }

  get(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const object = this.bucket(resource).get(
      key(resource.namespaced ? namespace : undefined, name),
    );
    if (!object) throw notFound(resource.plural, name, resource.group);
    return this.present(resource, object);
  }

  /**
   * Creates an object. `keepStatus` is for loading manifests and for tests: over HTTP, like the
   * real server, `status` is ignored on create when the resource has a status subresource.
   * `keepUid` is for loading manifests too: objects of an existing cluster already have their
   * uid, and other objects name it (Velero labels a PodVolumeBackup with its claim's uid); over
   * HTTP the server always assigns a new one.
   */
  create(
    resource: ResourceType,
    namespace: string | undefined,
    body: KubeObject,
    options: { keepStatus?: boolean; keepUid?: boolean; strict?: boolean } = {},
  ): KubeObject {
    if (
      !body ||
      typeof body !== 'object' ||
      typeof body.metadata !== 'object' ||
      body.metadata === null
    ) {
      throw badRequest(
        'the body of the request must be an object with metadata',
      );
    }
    if (body.kind && body.kind !== resource.kind) {
      throw badRequest(
        `the API version in the data (${
          body.apiVersion
        }) does not match the expected API version (${groupVersion(resource)})`,
      );
    }
    const ns = this.namespaceOf(resource, body, namespace);
    const owner =
      ns === undefined
        ? undefined
        : this.bucket(this.resource('', 'v1', 'namespaces')!).get(
            key(undefined, ns),
          );
    if (ns !== undefined && !owner) {
      throw notFound('namespaces', ns, '');
    }
    const object = structuredClone(body);
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name = `${
        object.metadata.generateName
      }${randomUUID().slice(0, 5)}`;
    }
    const name = object.metadata.name;
    if (owner?.metadata.deletionTimestamp) {
      // What the NamespaceLifecycle admission plugin answers.
      const message = `unable to create new content in namespace ${ns} because it is being terminated`;
      throw new StatusError(
        403,
        'Forbidden',
        `${qualified(resource)} "${name ?? ''}" is forbidden: ${message}`,
        {
          name: name ?? '',
          group: resource.group || undefined,
          kind: resource.plural,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
    if (!name) {
      throw new StatusError(
        422,
        'Invalid',
        `${resource.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
      );
    }
    const bucket = this.bucket(resource);
    if (bucket.has(key(ns, name))) {
      throw new StatusError(
        409,
        'AlreadyExists',
        `${qualified(resource)} "${name}" already exists`,
        { name, group: resource.group || undefined, kind: resource.plural },
      );
    }
    if (resource.statusSubresource && !options.keepStatus) delete object.status;
    const validated = this.validate(resource, object, Boolean(options.strict));
    validated.metadata = {
      ...object.metadata,
      ...(ns !== undefined ? { namespace: ns } : {}),
      uid:
        options.keepUid && typeof object.metadata.uid === 'string'
          ? object.metadata.uid
          : randomUUID(),
      resourceVersion: this.nextVersion(),
      generation: 1,
      creationTimestamp: object.metadata.creationTimestamp ?? now(),
    };
    if (!resource.namespaced) delete validated.metadata.namespace;
    bucket.set(key(ns, name), validated);
    const created = this.present(resource, validated);
    this.emit({ type: 'ADDED', resource, object: created });
    return created;
  }

  /**
   * Replaces an object (PUT). On the main resource `status` is kept as stored; on `/status` only
   * `status` changes. A stale `metadata.resourceVersion` is a 409 Conflict.
   */
  update(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options: { subresource?: 'status'; strict?: boolean } = {},
  ): KubeObject {
    const bucket = this.bucket(resource);
    const ns = resource.namespaced ? namespace : undefined;
    const current = bucket.get(key(ns, name));
    if (!current) throw notFound(resource.plural, name, resource.group);
    if (body?.metadata?.name && body.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const sent = body?.metadata?.resourceVersion;
    if (sent && sent !== current.metadata.resourceVersion) {
      throw new StatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resource.plural}${
          resource.group ? `.${resource.group}` : ''
        } "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: resource.group || undefined, kind: resource.plural },
      );
    }
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = {
        ...structuredClone(current),
        status: structuredClone(body.status),
      };
    } else {
      next = structuredClone(body);
      if (resource.statusSubresource) {
        if (current.status === undefined) delete next.status;
        else next.status = structuredClone(current.status);
      }
    }
    const validated = this.validate(resource, next, Boolean(options.strict));
    const specChanged =
      JSON.stringify(validated.spec) !== JSON.stringify(current.spec);
    validated.metadata = {
      ...(options.subresource === 'status' ? current.metadata : next.metadata),
      name,
      ...(ns !== undefined ? { namespace: ns } : {}),
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      // Only the API server sets it, on delete; no update can clear it.
      ...(current.metadata.deletionTimestamp
        ? { deletionTimestamp: current.metadata.deletionTimestamp }
        : {}),
      generation: (current.metadata.generation ?? 1) + (specChanged ? 1 : 0),
      resourceVersion: this.nextVersion(),
    };
    bucket.set(key(ns, name), validated);
    const updated = this.present(resource, validated);
    this.emit({
      type: 'MODIFIED',
      resource,
      object: updated,
      subresource: options.subresource,
    });
    return updated;
  }

  /**
   * Deletes an object. A Namespace takes everything in it along; with `namespaceFinalizeMs` set
   * it does so as the API server and the namespace controller do: the first delete sets
   * `metadata.deletionTimestamp` and `status.phase: Terminating` and answers with the namespace,
   * creates into it are refused (403, as the NamespaceLifecycle admission plugin does), another
   * delete is a 409 Conflict, and after `namespaceFinalizeMs` it is removed with its content.
   */
  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const bucket = this.bucket(resource);
    const ns = resource.namespaced ? namespace : undefined;
    const object = bucket.get(key(ns, name));
    if (!object) throw notFound(resource.plural, name, resource.group);
    if (
      resource.kind === 'Namespace' &&
      this.namespaceFinalizeMs !== undefined
    ) {
      return this.terminate(resource, object, this.namespaceFinalizeMs);
    }
    bucket.delete(key(ns, name));
    if (resource.kind === 'Namespace') this.purge(name);
    const deleted = this.deleted(resource, object);
    this.emit({ type: 'DELETED', resource, object: deleted });
    return deleted;
  }

  private terminate(
    resource: ResourceType,
    namespace: KubeObject,
    finalizeMs: number,
  ): KubeObject {
    const name = namespace.metadata.name!;
    if (namespace.metadata.deletionTimestamp) {
      throw new StatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on namespaces "${name}": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.`,
        { name, kind: 'namespaces' },
      );
    }
    const terminating: KubeObject = {
      ...structuredClone(namespace),
      metadata: {
        ...structuredClone(namespace.metadata),
        deletionTimestamp: now(),
        resourceVersion: this.nextVersion(),
      },
      status: {
        ...((namespace.status as object | undefined) ?? {}),
        phase: 'Terminating',
      },
    };
    this.bucket(resource).set(key(undefined, name), terminating);
    const presented = this.present(resource, terminating);
    this.emit({ type: 'MODIFIED', resource, object: presented });
    const timer = setTimeout(() => {
      this.finalizers.delete(timer);
      const current = this.bucket(resource).get(key(undefined, name));
      if (current?.metadata.uid !== namespace.metadata.uid) return;
      this.purge(name);
      this.bucket(resource).delete(key(undefined, name));
      this.emit({
        type: 'DELETED',
        resource,
        object: this.deleted(resource, current!),
      });
    }, finalizeMs);
    this.finalizers.add(timer);
    return presented;
  }

  /** Removes everything in a namespace, telling listeners of each object. */
  private purge(namespace: string) {
    for (const other of this.resources.filter(r => r.namespaced)) {
      const objects = this.bucket(other);
      for (const [k, o] of objects) {
        if (o.metadata.namespace !== namespace) continue;
        objects.delete(k);
        this.emit({
          type: 'DELETED',
          resource: other,
          object: this.deleted(other, o),
        });
      }
    }
  }

  /**
   * Whether an object of `resource` is in the namespace and matches the label and field
   * selectors of `options`, as a list or a watch selects it.
   */
  selector(
    resource: ResourceType,
    options: Pick<ListOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>,
  ): (object: KubeObject) => boolean {
    const labels = options.labelSelector
      ? compileLabelSelector(options.labelSelector)
      : undefined;
    const fields = options.fieldSelector
      ? compileFieldSelector(options.fieldSelector, [
          'metadata.name',
          'metadata.namespace',
          ...resource.selectableFields,
        ])
      : undefined;
    return o =>
      (!resource.namespaced ||
        !options.namespace ||
        o.metadata.namespace === options.namespace) &&
      (!labels || labels(o.metadata.labels ?? {})) &&
      (!fields || fields(o));
  }

  /** Lists with label and field selectors and `limit`/`continue` paging, in name order. */
  list(resource: ResourceType, options: ListOptions) {
    const selected = this.selector(resource, options);
    let after = '';
    if (options.continueToken) {
      let token: { e: number; k: string };
      try {
        token = JSON.parse(
          Buffer.from(options.continueToken, 'base64url').toString('utf8'),
        );
      } catch {
        throw badRequest(
          'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
        );
      }
      if (token.e !== this.continueEpoch) {
        throw new StatusError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      after = token.k;
    }
    const matching = [...this.bucket(resource).entries()]
      .filter(([, o]) => selected(o))
      .sort(([a], [b]) => a.localeCompare(b, 'en'))
      .filter(([k]) => k > after);
    const limit =
      options.limit && options.limit > 0 ? options.limit : matching.length;
    const page = matching.slice(0, limit);
    const remaining = matching.length - page.length;
    const metadata: Record<string, unknown> = {
      resourceVersion: String(this.resourceVersion),
    };
    if (remaining > 0) {
      metadata.continue = Buffer.from(
        JSON.stringify({ e: this.continueEpoch, k: page[page.length - 1][0] }),
      ).toString('base64url');
      metadata.remainingItemCount = remaining;
    }
    return {
      kind: `${resource.kind}List`,
      apiVersion: groupVersion(resource),
      metadata,
      items: page.map(([, o]) => this.present(resource, o)),
    };
  }
}
