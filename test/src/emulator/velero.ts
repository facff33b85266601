/*
 * A simulation of Velero's restore controller inside the emulator: enough of it for the plugin's
 * restore tests to create a `velero.io/v1` Restore, follow it to its final phase and verify what
 * it restored, and for tests to make it go wrong the ways real restores do.
 *
 * What it does with a Restore, in any namespace, that has no `status.phase` (or `New`):
 * - `New` at once, then either `FailedValidation` (with `status.validationErrors` and
 *   `completionTimestamp`) or `InProgress` (with `startTimestamp`), as Velero validates:
 *   `spec.backupName` must name a Backup in the Restore's namespace whose phase is `Completed`
 *   or `PartiallyFailed` (Velero restores from both). `spec.scheduleName` is not simulated.
 * - After `restoreDelayMs` it restores and writes the final phase: `Completed`, or
 *   `PartiallyFailed` when any item failed, with `completionTimestamp`, `progress`
 *   (`totalItems`, `itemsRestored`: every item, including skipped and failed ones, as Velero
 *   counts them) and `warnings`/`errors` (omitted when 0, as Velero's `omitempty` does).
 *
 * What a Backup "holds" is a stand-in: the emulator keeps no backup contents, so a Backup holds
 * the PersistentVolumeClaims, Deployments and StatefulSets that exist *when the restore runs* in
 * its `spec.includedNamespaces` (absent, empty or `*`: every namespace) less
 * `spec.excludedNamespaces`, with the labels of `spec.labelSelector.matchLabels` when set. The
 * Restore's own `includedNamespaces`, `excludedNamespaces` and `labelSelector.matchLabels`
 * narrow that down. Other kinds are not restored.
 *
 * Restoring an item of source namespace S puts a copy (spec, labels and annotations; not the
 * uid, status or a claim's `volumeName`) in `spec.namespaceMapping[S]`, else in S, labelled
 * `velero.io/backup-name` and `velero.io/restore-name` as Velero labels what it restores. A
 * missing target namespace is created, with the source namespace's labels and those two. An item
 * that exists already is skipped with a warning (`existingResourcePolicy` absent or `none`) or
 * updated (`update`); one that cannot be created (a target namespace being terminated, for
 * example) is an error. Afterwards, as a storage provisioner and the workload controllers would,
 * restored claims go from `Pending` to `Bound` and restored Deployments and StatefulSets report
 * `spec.replicas` replicas ready and available, `readyDelayMs` after they were created.
 *
 * Restores loaded with a phase (fixtures of past restores) are left as they are.
 *
 * Annotations on a Restore (all optional; values are strings):
 *
 * | annotation | effect |
 * | --- | --- |
 * | `emulator.resilience.io/restore-outcome: "complete"` | the default (unless the `defaultOutcome` option says otherwise): as described above |
 * | `emulator.resilience.io/restore-outcome: "partially-fail"` | `PartiallyFailed` with one more error: the first claim restored is left `Pending` for ever (with no claim, the last item is not created) |
 * | `emulator.resilience.io/restore-outcome: "fail"` | `Failed` with `status.failureReason` and `completionTimestamp`; nothing is restored |
 * | `emulator.resilience.io/restore-outcome: "hang"` | stays `InProgress` for ever; nothing is restored |
 * | `emulator.resilience.io/failure-reason: "..."` | the `failureReason` of `fail` |
 * | `emulator.resilience.io/restore-delay-ms: "N"` | this Restore takes N ms from `InProgress` to its final phase, instead of `restoreDelayMs` |
 * | `emulator.resilience.io/pvc-bind: "never"` | restored claims stay `Pending` (workloads still become available) |
 *
 * An annotation with a value not listed makes the Restore `FailedValidation`, naming it.
 */
import { rfc3339 } from './certmanager';
import type { Cluster, ClusterEvent, KubeObject } from './cluster';
import { ResourceType } from './resources';
import { StatusError } from './status';

/** The annotations the Velero simulation reads on a Restore; see the module comment. */
export const VELERO_ANNOTATIONS = {
  restoreOutcome: 'emulator.resilience.io/restore-outcome',
  failureReason: 'emulator.resilience.io/failure-reason',
  restoreDelayMs: 'emulator.resilience.io/restore-delay-ms',
  pvcBind: 'emulator.resilience.io/pvc-bind',
} as const;

/** The labels Velero puts on every object it restores. */
export const RESTORE_LABELS = {
  backupName: 'velero.io/backup-name',
  restoreName: 'velero.io/restore-name',
} as const;

/** How a Restore ends; see the module comment. */
export type RestoreOutcome = 'complete' | 'partially-fail' | 'fail' | 'hang';

const OUTCOMES: RestoreOutcome[] = [
  'complete',
  'partially-fail',
  'fail',
  'hang',
];

/** Options of the simulated Velero. */
export interface VeleroRestoreOptions {
  /**
   * How long a Restore stays `InProgress` before it restores and ends; 200 ms by default, long
   * enough for a poller to see `InProgress`.
   */
  restoreDelayMs?: number;
  /**
   * From a restored object's creation to its claim being `Bound` or its workload available;
   * 100 ms by default, so that a verification sees `Pending` first.
   */
  readyDelayMs?: number;
  /** How Restores without `emulator.resilience.io/restore-outcome` end; `complete` by default. */
  defaultOutcome?: RestoreOutcome;
}

const GROUP = 'velero.io';

interface Selector {
  includedNamespaces?: string[];
  excludedNamespaces?: string[];
  labelSelector?: { matchLabels?: Record<string, string> };
}

type RestoreSpec = Selector & {
  backupName?: string;
  scheduleName?: string;
  namespaceMapping?: Record<string, string>;
  existingResourcePolicy?: string;
};

interface RestoreStatus {
  phase?: string;
  validationErrors?: string[];
  startTimestamp?: string;
  completionTimestamp?: string;
  failureReason?: string;
  warnings?: number;
  errors?: number;
  progress?: { totalItems?: number; itemsRestored?: number };
}

type Restore = KubeObject & { spec?: RestoreSpec; status?: RestoreStatus };

/**
 * The source namespaces a Restore takes from its Backup, in name order: those the Backup
 * includes (absent, empty or `*`: all) and does not exclude, narrowed the same way by the Restore.
 */
export function restoredNamespaces(options: {
  backup: Selector;
  restore: Selector;
  namespaces: string[];
}): string[] {
  const selects = (selector: Selector, namespace: string) => {
    const included = selector.includedNamespaces ?? [];
    return (
      (included.length === 0 ||
        included.includes('*') ||
        included.includes(namespace)) &&
      !(selector.excludedNamespaces ?? []).includes(namespace)
    );
  };
  return [...options.namespaces]
    .filter(n => selects(options.backup, n) && selects(options.restore, n))
    .sort();
}

/** Whether `labels` has every label of `matchLabels` (none: everything matches). */
export function matchesLabels(options: {
  labels: Record<string, string> | undefined;
  matchLabels: Record<string, string> | undefined;
}): boolean {
  return Object.entries(options.matchLabels ?? {}).every(
    ([name, value]) => options.labels?.[name] === value,
  );
}

/** The annotations of a Restore, parsed; `errors` names each one with a value not understood. */
export function restoreAnnotations(options: {
  annotations: Record<string, string> | undefined;
  defaultOutcome: RestoreOutcome;
  restoreDelayMs: number;
}): {
  outcome: RestoreOutcome;
  delayMs: number;
  bindNever: boolean;
  errors: string[];
} {
  const annotations = options.annotations ?? {};
  const errors: string[] = [];
  const outcomeText = annotations[VELERO_ANNOTATIONS.restoreOutcome];
  let outcome = options.defaultOutcome;
  if (outcomeText !== undefined) {
    if (OUTCOMES.includes(outcomeText as RestoreOutcome)) {
      outcome = outcomeText as RestoreOutcome;
    } else {
      errors.push(
        `${VELERO_ANNOTATIONS.restoreOutcome} must be one of ${OUTCOMES.join(
          ', ',
        )}, not "${outcomeText}"`,
      );
    }
  }
  const delayText = annotations[VELERO_ANNOTATIONS.restoreDelayMs];
  let delayMs = options.restoreDelayMs;
  if (delayText !== undefined) {
    const n = Number(delayText);
    if (delayText.trim() !== '' && Number.isFinite(n) && n >= 0) delayMs = n;
    else {
      errors.push(
        `${VELERO_ANNOTATIONS.restoreDelayMs} must be a number of milliseconds, not "${delayText}"`,
      );
    }
  }
  const bindText = annotations[VELERO_ANNOTATIONS.pvcBind];
  if (bindText !== undefined && bindText !== 'never') {
    errors.push(
      `${VELERO_ANNOTATIONS.pvcBind} can only be "never", not "${bindText}"`,
    );
  }
  return { outcome, delayMs, bindNever: bindText === 'never', errors };
}

/** The validation errors Velero reports for a Restore of `backup` (undefined: not found). */
export function validationErrors(options: {
  restore: { namespace: string; spec: RestoreSpec };
  backup: KubeObject | undefined;
}): string[] {
  const { spec, namespace } = options.restore;
  if (!spec.backupName) {
    return spec.scheduleName
      ? [
          'the emulator restores only from spec.backupName; spec.scheduleName is not simulated',
        ]
      : [
          'Either a backup or schedule must be specified as a source for the restore, but not both',
        ];
  }
  if (!options.backup) {
    return [
      `Error retrieving backup: backups.velero.io "${spec.backupName}" not found in namespace ${namespace}`,
    ];
  }
  const phase = (options.backup.status as { phase?: string } | undefined)
    ?.phase;
  if (phase !== 'Completed' && phase !== 'PartiallyFailed') {
    return [
      `Backup ${spec.backupName} is in phase ${
        phase ?? 'New'
      }; only a Completed or PartiallyFailed backup can be restored`,
    ];
  }
  return [];
}

/** Where one Restore is, as far as this controller is concerned. */
type State =
  | { kind: 'scheduled'; uid: string; timer: NodeJS.Timeout }
  | { kind: 'hung'; uid: string };

/** One object a Restore restores. */
interface Item {
  resource: ResourceType;
  source: KubeObject;
  target: string;
}

const STRIPPED_ANNOTATIONS = [
  'pv.kubernetes.io/bind-completed',
  'pv.kubernetes.io/bound-by-controller',
  'kubectl.kubernetes.io/last-applied-configuration',
];

/**
 * The simulated Velero restore controller of one emulated cluster. It reacts to the cluster's
 * changes from a queue drained after the change, never inside the cluster's call.
 */
export class VeleroRestoreController {
  private readonly queue = new Set<string>();
  private readonly states = new Map<string, State>();
  /** Timers that make restored objects ready. */
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters: Array<() => void> = [];
  private drainScheduled = false;
  private stopped = false;
  private readonly unwatch: () => void;

  private constructor(
    private readonly cluster: Cluster,
    private readonly options: Required<VeleroRestoreOptions>,
  ) {
    this.unwatch = cluster.watch(event => this.onEvent(event));
  }

  /** Starts the controller on a cluster and queues every Restore it already holds. */
  static start(options: {
    cluster: Cluster;
    velero?: VeleroRestoreOptions;
  }): VeleroRestoreController {
    const controller = new VeleroRestoreController(options.cluster, {
      restoreDelayMs: options.velero?.restoreDelayMs ?? 200,
      readyDelayMs: options.velero?.readyDelayMs ?? 100,
      defaultOutcome: options.velero?.defaultOutcome ?? 'complete',
    });
    const restores = controller.restores();
    if (restores) {
      for (const restore of options.cluster.list(restores, {}).items) {
        controller.enqueue(restore);
      }
    }
    return controller;
  }

  /** Stops reacting to changes and cancels everything scheduled. */
  stop() {
    this.stopped = true;
    this.unwatch();
    for (const state of this.states.values()) {
      if (state.kind === 'scheduled') clearTimeout(state.timer);
    }
    this.states.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.clear();
    this.notifyIfIdle();
  }

  /**
   * Resolves once nothing is queued or scheduled: every Restore that is going to end has ended
   * and every restored object that is going to be ready is. Hanging Restores and claims that
   * never bind do not count.
   */
  idle(): Promise<void> {
    return new Promise(done => {
      this.waiters.push(done);
      this.notifyIfIdle();
    });
  }

  private notifyIfIdle() {
    const busy =
      this.queue.size > 0 ||
      this.drainScheduled ||
      this.timers.size > 0 ||
      [...this.states.values()].some(s => s.kind === 'scheduled');
    if (busy && !this.stopped) return;
    for (const done of this.waiters.splice(0)) done();
  }

  private restores() {
    return this.cluster.resource(GROUP, 'v1', 'restores');
  }

  private resourceOf(plural: string) {
    return plural === 'persistentvolumeclaims'
      ? this.cluster.resource('', 'v1', plural)!
      : this.cluster.resource('apps', 'v1', plural)!;
  }

  private onEvent(event: ClusterEvent) {
    if (this.stopped || event.resource.kind !== 'Restore') return;
    if (event.type === 'DELETED') {
      const key = this.keyOf(event.object);
      const state = this.states.get(key);
      if (state?.uid === event.object.metadata.uid) {
        if (state?.kind === 'scheduled') clearTimeout(state.timer);
        this.states.delete(key);
        this.notifyIfIdle();
      }
      return;
    }
    this.enqueue(event.object);
  }

  private keyOf(object: KubeObject) {
    return `${object.metadata.namespace}/${object.metadata.name}`;
  }

  private enqueue(object: KubeObject) {
    if (this.stopped) return;
    this.queue.add(this.keyOf(object));
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      // Never from inside the cluster's call: a write there would nest inside another write.
      setImmediate(() => this.drain());
    }
  }

  private drain() {
    this.drainScheduled = false;
    const keys = [...this.queue];
    this.queue.clear();
    for (const key of keys) {
      try {
        this.reconcile(key);
      } catch (error) {
        // A controller logs and goes on; one broken object must not stop the others.
        console.error(`velero emulator: ${key}: ${(error as Error).message}`);
      }
    }
    this.notifyIfIdle();
  }

  private get(key: string): Restore | undefined {
    const [namespace, name] = key.split('/');
    try {
      return this.cluster.get(this.restores()!, namespace, name) as Restore;
    } catch {
      return undefined;
    }
  }

  private annotations(restore: Restore) {
    return restoreAnnotations({
      annotations: restore.metadata.annotations,
      defaultOutcome: this.options.defaultOutcome,
      restoreDelayMs: this.options.restoreDelayMs,
    });
  }

  private reconcile(key: string) {
    if (this.stopped) return;
    const restore = this.get(key);
    if (!restore) return;
    const phase = restore.status?.phase;
    if (!phase) {
      this.writeStatus(restore, { phase: 'New' });
      return;
    }
    if (phase !== 'New') return;

    const namespace = restore.metadata.namespace!;
    const spec = restore.spec ?? {};
    const parsed = this.annotations(restore);
    const errors = [
      ...validationErrors({
        restore: { namespace, spec },
        backup: this.backupOf(restore),
      }),
      ...parsed.errors,
    ];
    const now = rfc3339(new Date());
    if (errors.length > 0) {
      this.writeStatus(restore, {
        phase: 'FailedValidation',
        validationErrors: errors,
        completionTimestamp: now,
      });
      return;
    }
    this.writeStatus(restore, { phase: 'InProgress', startTimestamp: now });
    const uid = restore.metadata.uid!;
    if (parsed.outcome === 'hang') {
      this.states.set(key, { kind: 'hung', uid });
      return;
    }
    const timer = setTimeout(() => {
      this.states.delete(key);
      try {
        this.run(key, uid);
      } catch (error) {
        console.error(`velero emulator: ${key}: ${(error as Error).message}`);
      }
      this.notifyIfIdle();
    }, parsed.delayMs);
    this.states.set(key, { kind: 'scheduled', uid, timer });
  }

  private backupOf(restore: Restore): KubeObject | undefined {
    const backups = this.cluster.resource(GROUP, 'v1', 'backups');
    const name = restore.spec?.backupName;
    if (!backups || !name) return undefined;
    try {
      return this.cluster.get(backups, restore.metadata.namespace, name);
    } catch {
      return undefined;
    }
  }

  /** Writes the status `change` makes of the current one (Restores have no status subresource). */
  private writeStatus(restore: Restore, change: RestoreStatus) {
    const current = this.cluster.get(
      this.restores()!,
      restore.metadata.namespace,
      restore.metadata.name!,
    ) as Restore;
    this.cluster.update(
      this.restores()!,
      current.metadata.namespace,
      current.metadata.name!,
      {
        ...current,
        metadata: { ...current.metadata, resourceVersion: undefined },
        status: { ...(current.status ?? {}), ...change },
      },
    );
  }

  /** Restores (the delay is over) and writes the final phase. */
  private run(key: string, uid: string) {
    if (this.stopped) return;
    const restore = this.get(key);
    if (!restore || restore.metadata.uid !== uid) return;
    if (restore.status?.phase !== 'InProgress') return;
    const parsed = this.annotations(restore);
    const backup = this.backupOf(restore);
    const now = () => rfc3339(new Date());
    if (parsed.outcome === 'fail' || !backup) {
      this.writeStatus(restore, {
        phase: 'Failed',
        completionTimestamp: now(),
        failureReason: !backup
          ? `error getting backup: backups.velero.io "${restore.spec?.backupName}" not found`
          : restore.metadata.annotations?.[VELERO_ANNOTATIONS.failureReason] ??
            `error downloading backup: the emulator was told to fail this restore (${VELERO_ANNOTATIONS.restoreOutcome}: fail)`,
      });
      return;
    }

    const items = this.itemsOf(restore, backup);
    let warnings = 0;
    let errors = 0;
    const partially = parsed.outcome === 'partially-fail';
    const firstClaim = items.findIndex(
      i => i.resource.plural === 'persistentvolumeclaims',
    );
    const left = partially && firstClaim < 0 ? items.length - 1 : -1;
    if (partially) errors++;
    const labels = {
      [RESTORE_LABELS.backupName]: backup.metadata.name!,
      [RESTORE_LABELS.restoreName]: restore.metadata.name!,
    };
    const ensured = new Map<string, boolean>();
    items.forEach((item, index) => {
      if (index === left) return;
      if (!ensured.has(item.target)) {
        ensured.set(
          item.target,
          this.ensureNamespace({
            source: item.source.metadata.namespace!,
            target: item.target,
            labels,
          }),
        );
      }
      if (!ensured.get(item.target)) {
        errors++;
        return;
      }
      const outcome = this.restoreItem({
        item,
        labels,
        policy: restore.spec?.existingResourcePolicy,
        bind: !parsed.bindNever && !(partially && index === firstClaim),
      });
      if (outcome === 'skipped') warnings++;
      if (outcome === 'error') errors++;
    });
    this.writeStatus(restore, {
      phase: errors > 0 ? 'PartiallyFailed' : 'Completed',
      completionTimestamp: now(),
      progress: { totalItems: items.length, itemsRestored: items.length },
      ...(warnings > 0 ? { warnings } : {}),
      ...(errors > 0 ? { errors } : {}),
    });
  }

  /** The Backup's stand-in content (see the module comment), in kind, namespace and name order. */
  private itemsOf(restore: Restore, backup: KubeObject): Item[] {
    const backupSpec = (backup.spec ?? {}) as Selector;
    const spec = restore.spec ?? {};
    const namespaces = this.cluster
      .list(this.cluster.resource('', 'v1', 'namespaces')!, {})
      .items.filter(n => !n.metadata.deletionTimestamp)
      .map(n => n.metadata.name!);
    const sources = new Set(
      restoredNamespaces({ backup: backupSpec, restore: spec, namespaces }),
    );
    return ['persistentvolumeclaims', 'deployments', 'statefulsets'].flatMap(
      plural => {
        const resource = this.resourceOf(plural);
        return this.cluster
          .list(resource, {})
          .items.filter(
            o =>
              sources.has(o.metadata.namespace!) &&
              matchesLabels({
                labels: o.metadata.labels,
                matchLabels: backupSpec.labelSelector?.matchLabels,
              }) &&
              matchesLabels({
                labels: o.metadata.labels,
                matchLabels: spec.labelSelector?.matchLabels,
              }),
          )
          .sort((a, b) =>
            `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
              `${b.metadata.namespace}/${b.metadata.name}`,
              'en',
            ),
          )
          .map(source => ({
            resource,
            source,
            target:
              spec.namespaceMapping?.[source.metadata.namespace!] ??
              source.metadata.namespace!,
          }));
      },
    );
  }

  /**
   * Creates the target namespace when missing, as Velero does; false when items cannot go into
   * it (it is being terminated).
   */
  private ensureNamespace(options: {
    source: string;
    target: string;
    labels: Record<string, string>;
  }): boolean {
    const { source, target, labels } = options;
    const namespaces = this.cluster.resource('', 'v1', 'namespaces')!;
    let existing: KubeObject | undefined;
    try {
      existing = this.cluster.get(namespaces, undefined, target);
    } catch {
      existing = undefined;
    }
    if (existing) return !existing.metadata.deletionTimestamp;
    let sourceLabels: Record<string, string> = {};
    try {
      sourceLabels =
        this.cluster.get(namespaces, undefined, source).metadata.labels ?? {};
    } catch {
      // The source namespace is gone; the copy gets only Velero's labels.
    }
    try {
      this.cluster.create(namespaces, undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: target,
          labels: {
            ...sourceLabels,
            'kubernetes.io/metadata.name': target,
            ...labels,
          },
        },
      });
    } catch (error) {
      if (error instanceof StatusError) return false;
      throw error;
    }
    return true;
  }

  private restoreItem(options: {
    item: Item;
    labels: Record<string, string>;
    policy: string | undefined;
    bind: boolean;
  }): 'created' | 'updated' | 'skipped' | 'error' {
    const { item, labels } = options;
    const { resource, source, target } = item;
    const name = source.metadata.name!;
    const annotations = Object.fromEntries(
      Object.entries(source.metadata.annotations ?? {}).filter(
        ([k]) => !STRIPPED_ANNOTATIONS.includes(k),
      ),
    );
    const spec = structuredClone(source.spec ?? {}) as Record<string, unknown>;
    const claim = resource.plural === 'persistentvolumeclaims';
    if (claim) delete spec.volumeName;
    const copy: KubeObject = {
      apiVersion: source.apiVersion,
      kind: source.kind,
      metadata: {
        name,
        namespace: target,
        labels: { ...(source.metadata.labels ?? {}), ...labels },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec,
      ...(claim ? { status: { phase: 'Pending' } } : {}),
    };
    let existing: KubeObject | undefined;
    try {
      existing = this.cluster.get(resource, target, name);
    } catch {
      existing = undefined;
    }
    try {
      if (existing) {
        if (options.policy !== 'update') return 'skipped';
        this.cluster.update(resource, target, name, {
          ...existing,
          metadata: {
            ...existing.metadata,
            resourceVersion: undefined,
            labels: { ...(existing.metadata.labels ?? {}), ...labels },
          },
          spec: claim ? existing.spec : spec,
        });
        return 'updated';
      }
      const created = this.cluster.create(resource, target, copy, {
        keepStatus: true,
      });
      if (!claim || options.bind) this.scheduleReady(resource, created);
      return 'created';
    } catch (error) {
      if (error instanceof StatusError) return 'error';
      throw error;
    }
  }

  /** After `readyDelayMs`, binds a restored claim or makes a restored workload available. */
  private scheduleReady(resource: ResourceType, object: KubeObject) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        this.makeReady(resource, object);
      } catch (error) {
        console.error(
          `velero emulator: ${resource.kind} ${object.metadata.namespace}/${
            object.metadata.name
          }: ${(error as Error).message}`,
        );
      }
      this.notifyIfIdle();
    }, this.options.readyDelayMs);
    this.timers.add(timer);
  }

  private makeReady(resource: ResourceType, restored: KubeObject) {
    if (this.stopped) return;
    const namespace = restored.metadata.namespace;
    const name = restored.metadata.name!;
    let current: KubeObject;
    try {
      current = this.cluster.get(resource, namespace, name);
    } catch {
      return;
    }
    if (current.metadata.uid !== restored.metadata.uid) return;
    const spec = (current.spec ?? {}) as Record<string, unknown>;
    if (resource.plural === 'persistentvolumeclaims') {
      const volumeName = `pvc-${current.metadata.uid}`;
      current = this.cluster.update(resource, namespace, name, {
        ...current,
        metadata: { ...current.metadata, resourceVersion: undefined },
        spec: { ...spec, volumeName },
      });
      const requests = (spec.resources as { requests?: { storage?: string } })
        ?.requests;
      this.cluster.update(
        resource,
        namespace,
        name,
        {
          ...current,
          metadata: { ...current.metadata, resourceVersion: undefined },
          status: {
            phase: 'Bound',
            ...(spec.accessModes ? { accessModes: spec.accessModes } : {}),
            ...(requests?.storage
              ? { capacity: { storage: requests.storage } }
              : {}),
          },
        },
        { subresource: 'status' },
      );
      return;
    }
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const now = rfc3339(new Date());
    const status =
      resource.kind === 'Deployment'
        ? {
            observedGeneration: current.metadata.generation,
            replicas,
            updatedReplicas: replicas,
            readyReplicas: replicas,
            availableReplicas: replicas,
            conditions: [
              {
                type: 'Available',
                status: 'True',
                reason: 'MinimumReplicasAvailable',
                message: 'Deployment has minimum availability.',
                lastTransitionTime: now,
                lastUpdateTime: now,
              },
              {
                type: 'Progressing',
                status: 'True',
                reason: 'NewReplicaSetAvailable',
                message: `ReplicaSet "${name}" has successfully progressed.`,
                lastTransitionTime: now,
                lastUpdateTime: now,
              },
            ],
          }
        : {
            observedGeneration: current.metadata.generation,
            replicas,
            currentReplicas: replicas,
            updatedReplicas: replicas,
            readyReplicas: replicas,
            availableReplicas: replicas,
          };
    this.cluster.update(
      resource,
      namespace,
      name,
      {
        ...current,
        metadata: { ...current.metadata, resourceVersion: undefined },
        status,
      },
      { subresource: 'status' },
    );
  }
}
