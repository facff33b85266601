import { LoggerService } from '@backstage/backend-plugin-api';
import { CollectionSource } from '@resilience-for-backstage/plugin-resilience-common';
import {
  ClusterClient,
  CustomResource,
  KubernetesObject,
} from '../kubernetes/ClusterClient';
import { KubernetesRequestError } from '../kubernetes/errors';

/**
 * The sources watched between two collections, with the resource each is listed from (the same
 * namespace and label selector as the collection's list): those whose changes turn a verdict on
 * their own (a backup completing or failing, with the snapshots, uploads and file-system backups
 * that are the evidence of its data; a schedule paused; a storage location becoming unavailable;
 * a restore ending; a certificate renewed or failing). The others (claims, volumes, pods,
 * namespaces, ingresses, issuers, TLS Secrets) change with deployments and are collected on the
 * schedule only.
 */
export function watchedResources(
  veleroNamespace: string,
): Partial<Record<CollectionSource, CustomResource>> {
  const velero = (plural: string): CustomResource => ({
    group: 'velero.io',
    version: 'v1',
    plural,
    namespace: veleroNamespace,
  });
  return {
    'velero-backups': velero('backups'),
    'velero-schedules': velero('schedules'),
    'velero-restores': velero('restores'),
    'backup-storage-locations': velero('backupstoragelocations'),
    'pod-volume-backups': velero('podvolumebackups'),
    'data-uploads': { ...velero('datauploads'), version: 'v2alpha1' },
    // Only those Velero made, as the collection lists them.
    'volume-snapshot-contents': {
      group: 'snapshot.storage.k8s.io',
      version: 'v1',
      plural: 'volumesnapshotcontents',
      labelSelector: 'velero.io/backup-name',
    },
    'volume-snapshots': {
      group: 'snapshot.storage.k8s.io',
      version: 'v1',
      plural: 'volumesnapshots',
      labelSelector: 'velero.io/backup-name',
    },
    certificates: {
      group: 'cert-manager.io',
      version: 'v1',
      plural: 'certificates',
    },
  };
}

/** An object a watch saw added, modified or deleted. */
export interface WatchedChange {
  source: CollectionSource;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubernetesObject;
}

/** What changed since the last `onChange`. */
export interface WatchedChanges {
  /** The last change seen of each object, in the order they were first seen. */
  changes: WatchedChange[];
  /**
   * The sources whose changes may have been missed (the server had forgotten the watch's
   * resourceVersion): they must be listed. Their changes are not in `changes`.
   */
  relist: CollectionSource[];
}

export interface ClusterWatcherOptions {
  client: ClusterClient;
  resources: Partial<Record<CollectionSource, CustomResource>>;
  logger: LoggerService;
  /**
   * Stores what changed, after `debounceMs` of quiet. Never called twice at once; changes seen
   * meanwhile go to the next call.
   */
  onChange: (changed: WatchedChanges) => Promise<void>;
  /** How long changes are gathered before `onChange`; 1 second by default. */
  debounceMs?: number;
  /** The first wait after a failed watch, doubled per failure up to `maxBackoffMs`; 1 s. */
  initialBackoffMs?: number;
  /** The longest wait between two attempts; 5 minutes by default. */
  maxBackoffMs?: number;
  /** How long the server keeps one watch open; a random 5 to 10 minutes by default. */
  timeoutSeconds?: () => number;
  random?: () => number;
}

/** A watch that ends sooner than this without an error counts as a failure, for the backoff. */
const SHORTEST_HEALTHY_WATCH_MS = 1_000;

/**
 * Watches some resources of one cluster, as an informer does without its cache: it lists once
 * for the current resourceVersion, watches from there with bookmarks, and resumes from the last
 * resourceVersion seen when the watch ends. Each change (an object added, modified or deleted) is
 * handed to `onChange` with the object as the watch sent it, to be stored as one fact: a change
 * costs the same however many objects the source has. The listings on the schedule stay the
 * truth, as an informer's re-list does. When the server has forgotten the resourceVersion
 * (`410 Gone`), changes may have been missed: the source is to be listed, and the watch starts
 * from a new list. Failures are retried with exponential backoff and jitter; the periodic collection
 * goes on regardless, as the safety net.
 */
export class ClusterWatcher {
  readonly #options: Required<
    Omit<ClusterWatcherOptions, 'timeoutSeconds' | 'random'>
  > &
    Pick<ClusterWatcherOptions, 'timeoutSeconds' | 'random'>;
  /** The sources to list. */
  readonly #relist = new Set<CollectionSource>();
  /** The last change of each object, by source and uid. */
  readonly #changes = new Map<CollectionSource, Map<string, WatchedChange>>();
  readonly #running: Promise<void>[] = [];
  readonly #stops = new Set<() => void>();
  #stopped = false;
  #timer?: NodeJS.Timeout;
  #flushing?: Promise<void>;
  readonly #wakers = new Set<() => void>();

  constructor(options: ClusterWatcherOptions) {
    this.#options = {
      debounceMs: 1_000,
      initialBackoffMs: 1_000,
      maxBackoffMs: 300_000,
      ...options,
    };
  }

  /** Starts one watch per resource. */
  start(): void {
    for (const [source, resource] of Object.entries(this.#options.resources)) {
      this.#running.push(
        this.#follow(source as CollectionSource, resource as CustomResource),
      );
    }
  }

  /** Ends the watches and waits for them, and for a collection under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const stop of this.#stops) stop();
    for (const wake of this.#wakers) wake();
    await Promise.all(this.#running);
    await this.#flushing;
  }

  #random() {
    return (this.#options.random ?? Math.random)();
  }

  #timeoutSeconds() {
    return (
      this.#options.timeoutSeconds?.() ?? 300 + Math.floor(this.#random() * 300)
    );
  }

  /** Waits `ms`, or less when stopped. */
  async #sleep(ms: number) {
    if (this.#stopped) return;
    await new Promise<void>(done => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        done();
      };
      timer = setTimeout(wake, ms);
      this.#wakers.add(wake);
    });
  }

  #pendingCount() {
    let count = this.#relist.size;
    for (const changes of this.#changes.values()) count += changes.size;
    return count;
  }

  #markRelist(source: CollectionSource) {
    this.#relist.add(source);
    // The listing has every change of the source.
    this.#changes.delete(source);
    this.#wakeFlush();
  }

  #markChanged(change: WatchedChange) {
    if (this.#relist.has(change.source)) return;
    const { metadata } = change.object;
    const key =
      metadata?.uid ?? `${metadata?.namespace ?? ''}/${metadata?.name ?? ''}`;
    let changes = this.#changes.get(change.source);
    if (!changes) {
      changes = new Map();
      this.#changes.set(change.source, changes);
    }
    // The object's place is where it was first seen; what it is, its last change.
    changes.set(key, change);
    this.#wakeFlush();
  }

  #wakeFlush() {
    if (this.#timer || this.#flushing || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushing = this.#flush().finally(() => {
        this.#flushing = undefined;
        // Changes seen during the last call's very end.
        if (this.#pendingCount() > 0 && !this.#stopped) this.#wakeFlush();
      });
    }, this.#options.debounceMs);
  }

  async #flush() {
    while (this.#pendingCount() > 0 && !this.#stopped) {
      const relist = [...this.#relist];
      const changes = [...this.#changes.values()].flatMap(c => [...c.values()]);
      this.#relist.clear();
      this.#changes.clear();
      try {
        await this.#options.onChange({ changes, relist });
      } catch (error) {
        const sources = [
          ...new Set([...relist, ...changes.map(c => c.source)]),
        ];
        this.#options.logger.warn(
          `Could not store the changes of ${sources.join(', ')} in cluster ${
            this.#options.client.name
          }: ${(error as Error).message}; collected on the schedule`,
        );
      }
    }
  }

  /**
   * One watch from `resourceVersion`, until it ends: the last resourceVersion it saw, whether the
   * server had forgotten the one it started from (410), and what failed, if anything.
   */
  async #watchOnce(
    source: CollectionSource,
    resource: CustomResource,
    from: string,
  ): Promise<{ resourceVersion: string; expired: boolean; failure?: Error }> {
    const seen = { resourceVersion: from, expired: false } as {
      resourceVersion: string;
      expired: boolean;
      failure?: Error;
    };
    const stopping = {
      asked: false,
      stop: undefined as (() => void) | undefined,
    };
    const stop = () => {
      stopping.asked = true;
      stopping.stop?.();
    };
    const watch = await this.#options.client.watchCustomObjects(resource, {
      resourceVersion: from,
      timeoutSeconds: this.#timeoutSeconds(),
      onEvent: ({ type, object }) => {
        if (type === 'ERROR') {
          const status = object as { code?: number; message?: string };
          if (status.code === 410) seen.expired = true;
          else {
            seen.failure = new Error(
              `the watch sent an error: ${status.message ?? 'no message'}`,
            );
          }
          stop();
          return;
        }
        const version = object?.metadata?.resourceVersion;
        if (version) seen.resourceVersion = version;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
          this.#markChanged({ source, type, object });
        }
      },
    });
    stopping.stop = watch.stop;
    this.#stops.add(watch.stop);
    if (stopping.asked || this.#stopped) watch.stop();
    const ended = await watch.ended;
    this.#stops.delete(watch.stop);
    return {
      ...seen,
      failure: seen.failure ?? (seen.expired ? undefined : ended),
    };
  }

  async #follow(source: CollectionSource, resource: CustomResource) {
    const { client, logger, initialBackoffMs, maxBackoffMs } = this.#options;
    let resourceVersion: string | undefined;
    let failures = 0;
    while (!this.#stopped) {
      let failure: Error | undefined;
      const startedAt = Date.now();
      try {
        resourceVersion ??= await client.currentResourceVersion(resource);
        const watched = await this.#watchOnce(
          source,
          resource,
          resourceVersion,
        );
        resourceVersion = watched.resourceVersion;
        if (this.#stopped) return;
        if (watched.expired) {
          // The server forgot where this watch was: what changed meanwhile is collected, and
          // the next watch starts from a new list.
          logger.info(
            `The watch of ${source} in cluster ${client.name} is too old to resume (410 Gone); collecting it again`,
          );
          resourceVersion = undefined;
          this.#markRelist(source);
          failures = 0;
          continue;
        }
        failure = watched.failure;
        if (!failure && Date.now() - startedAt < SHORTEST_HEALTHY_WATCH_MS) {
          failure = new Error('the server ended the watch at once');
        }
      } catch (error) {
        failure = error as Error;
      }
      if (!failure) {
        failures = 0;
        continue;
      }
      failures += 1;
      const reason =
        failure instanceof KubernetesRequestError ? failure.reason : undefined;
      const forbidden = reason === 'forbidden';
      if (reason === 'not-installed') {
        // The collection reports it per source; asked again now and then, should it come.
        if (failures === 1) {
          logger.info(
            `Not watching ${source} in cluster ${client.name}: ${failure.message}`,
          );
        }
        await this.#sleep(maxBackoffMs);
        continue;
      }
      const message = `Could not watch ${source} in cluster ${client.name}${
        forbidden
          ? ' (grant the service account "watch" on it, or set resilience.collection.watch to false)'
          : ''
      }: ${failure.message}; collected on the schedule meanwhile`;
      if (failures === 1) logger.warn(message);
      else logger.debug(message);
      // Full jitter over the exponential delay, so that replicas and resources do not retry in step.
      const ceiling = Math.min(
        maxBackoffMs,
        initialBackoffMs * 2 ** Math.min(failures - 1, 20),
      );
      await this.#sleep(ceiling / 2 + (this.#random() * ceiling) / 2);
    }
  }
}
