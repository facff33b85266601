/*
 * A simulation of cert-manager's controllers inside the emulator: enough of them for the
 * plugin to see Issuers, Certificates, CertificateRequests and TLS Secrets as a real cluster
 * has them, for the portal to renew a certificate, and for tests and the demo to show what goes
 * wrong in practice.
 *
 * What it does:
 * - Issuers and ClusterIssuers get `Ready=True` (with the reason and message of their type).
 * - A Certificate that was never issued gets `Issuing=True` (reason DoesNotExist) and, after
 *   `issueDelayMs`, is issued: a CertificateRequest `<name>-<revision>`, a key pair and a
 *   certificate signed by a CA of its issuer (one per issuer, made on first use; a SelfSigned
 *   issuer's certificates sign themselves), written to the Secret `spec.secretName`, and the
 *   status cert-manager writes (Ready, notBefore, notAfter, renewalTime, revision).
 * - `Issuing=True` set by anyone else (reason ManuallyTriggered: what `cmctl renew` and the
 *   portal write to the status subresource) re-issues the same way, keeping the private key
 *   when `spec.privateKey.rotationPolicy` is `Never`.
 * - Certificates are not renewed at their renewal time: the emulator shows states, and a clock
 *   that moves on its own would change them under the tests.
 *
 * Annotations that make things go wrong (all optional; values are strings):
 *
 * | on | annotation | effect |
 * | --- | --- | --- |
 * | Issuer, ClusterIssuer | `emulator.resilience.io/ready: "false"` | `Ready=False`; Certificates of this issuer wait, `Issuing=True`, until it is ready |
 * | Issuer, ClusterIssuer | `emulator.resilience.io/ready-message: "..."` | the message of that `Ready=False` |
 * | Certificate | `emulator.resilience.io/fail-issuance: "true"` | every issuance fails: `Issuing=False` reason Failed, `failedIssuanceAttempts` + 1, `lastFailureTime`; `Ready` stays as it was (`False` when never issued) |
 * | Certificate | `emulator.resilience.io/fail-issuance: "renewals"` | the first issuance succeeds, every later one fails |
 * | Certificate | `emulator.resilience.io/failure-message: "..."` | the message of the failed CertificateRequest |
 * | Certificate | `emulator.resilience.io/hang-issuance: "true"` or `"renewals"` | issuance never finishes: `Issuing=True` for ever, the CertificateRequest pending |
 * | Certificate | `emulator.resilience.io/issued-days-ago: "N"` | the first issuance is backdated: `notBefore` N days (decimals allowed) before now, so it expires N days sooner; later ones are not |
 * | Certificate | `emulator.resilience.io/weak-material: "true"` | every issuance makes an RSA 1024 key and a SHA-1 signature |
 * | Certificate | `emulator.resilience.io/stuck-rotation: "true"` | every issuance but the first updates the status (and makes a CertificateRequest) but leaves the Secret as it was, so the Secret's `notAfter` differs from `status.notAfter` |
 * | Secret | `emulator.resilience.io/generate-tls: '{"dnsNames":[...],...}'` | see {@link GenerateTlsSpec}: a TLS Secret made by hand gets real PEM content when it has no `tls.crt` |
 *
 * The `"renewals"` faults and `stuck-rotation` act on re-issuance only; so that a freshly loaded
 * cluster shows them at once, the controller starts a renewal (`Issuing=True`, reason Renewing)
 * right after such a Certificate's first issuance.
 */
import { KubeObject } from './cluster';
import type { Cluster, ClusterEvent } from './cluster';
import { ResourceType } from './resources';
import {
  CertificateAuthority,
  createCertificateAuthority,
  createCsr,
  generateKeyPair,
  importKeyPair,
  issueLeaf,
  KeyPair,
  KeySpec,
} from './x509';

/** The annotations the simulation reads; see the module comment for their effect. */
export const EMULATOR_ANNOTATIONS = {
  ready: 'emulator.resilience.io/ready',
  readyMessage: 'emulator.resilience.io/ready-message',
  failIssuance: 'emulator.resilience.io/fail-issuance',
  failureMessage: 'emulator.resilience.io/failure-message',
  hangIssuance: 'emulator.resilience.io/hang-issuance',
  issuedDaysAgo: 'emulator.resilience.io/issued-days-ago',
  weakMaterial: 'emulator.resilience.io/weak-material',
  stuckRotation: 'emulator.resilience.io/stuck-rotation',
  generateTls: 'emulator.resilience.io/generate-tls',
} as const;

/** Options of the simulated cert-manager. */
export interface CertManagerOptions {
  /**
   * How long an issuance takes, from `Issuing=True` to the new certificate; 300 ms by default,
   * long enough for a progress display to see `Issuing`.
   */
  issueDelayMs?: number;
}

/**
 * The value of `emulator.resilience.io/generate-tls` on a Secret of type `kubernetes.io/tls`:
 * what certificate to make for it, signed by a CA of its own ("made by hand").
 */
export interface GenerateTlsSpec {
  /** The subject alternative names. */
  dnsNames: string[];
  /** The subject's common name; the first DNS name by default. */
  commonName?: string;
  /** Days from `notBefore` to `notAfter`; 365 by default. */
  validityDays?: number;
  /** Days between `notBefore` and now; 0 by default. */
  issuedDaysAgo?: number;
  /** The CA's common name; `hand-made-ca` by default. */
  issuer?: string;
  /** `RSA` (2048 bits, the default) or `ECDSA` (P-256). */
  keyAlgorithm?: string;
}

const DAY = 86_400_000;
const GROUP = 'cert-manager.io';

/** A status condition as cert-manager writes it. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** Seconds-precision RFC 3339, as the API server writes times. */
export const rfc3339 = (date: Date) =>
  date.toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Milliseconds of a Go duration such as `2160h`, `720h0m0s` or `1h30m`; undefined when the text
 * is not one.
 */
export function parseGoDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const units: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1_000,
    ms: 1,
    us: 0.001,
    µs: 0.001,
    ns: 0.000001,
  };
  const part = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const match = part.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * units[match[2]];
    at = part.lastIndex;
  }
  return Math.round(total);
}

/**
 * When cert-manager renews a certificate: `renewBefore` before `notAfter` when set and shorter
 * than the lifetime, else `renewBeforePercentage` of the lifetime before it, else a third of the
 * lifetime; at whole seconds.
 */
export function renewalTime(options: {
  notBefore: Date;
  notAfter: Date;
  renewBeforeMs?: number;
  renewBeforePercentage?: number;
}): Date {
  const lifetime = options.notAfter.getTime() - options.notBefore.getTime();
  let before = lifetime / 3;
  if (options.renewBeforeMs !== undefined && options.renewBeforeMs < lifetime) {
    before = options.renewBeforeMs;
  } else if (options.renewBeforePercentage !== undefined) {
    before = (lifetime * options.renewBeforePercentage) / 100;
  }
  const at = options.notAfter.getTime() - before;
  return new Date(Math.floor(at / 1000) * 1000);
}

/**
 * The conditions with `condition` set: its `lastTransitionTime` is kept when the status did not
 * change, as every Kubernetes controller does.
 */
export function setCondition(options: {
  conditions: Condition[] | undefined;
  condition: Condition;
  now: Date;
}): Condition[] {
  const conditions = options.conditions ?? [];
  const existing = conditions.find(c => c.type === options.condition.type);
  const next: Condition = {
    ...options.condition,
    lastTransitionTime:
      existing && existing.status === options.condition.status
        ? existing.lastTransitionTime
        : rfc3339(options.now),
  };
  return existing
    ? conditions.map(c => (c === existing ? next : c))
    : [...conditions, next];
}

/** How a fault annotation applies: to every issuance, to re-issuance only, or not at all. */
export function faultMode(
  value: string | undefined,
): 'always' | 'renewals' | undefined {
  if (value === undefined) return undefined;
  const text = value.trim().toLowerCase();
  if (text === 'renewals') return 'renewals';
  return text === 'true' || text === 'always' ? 'always' : undefined;
}

/** Parses `emulator.resilience.io/generate-tls`; throws with what is wrong. */
export function parseGenerateTls(value: string): GenerateTlsSpec {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(
      `${EMULATOR_ANNOTATIONS.generateTls} must be JSON such as {"dnsNames":["a.example.com"]}`,
    );
  }
  const spec = parsed as GenerateTlsSpec;
  if (
    !spec ||
    !Array.isArray(spec.dnsNames) ||
    spec.dnsNames.length === 0 ||
    !spec.dnsNames.every(n => typeof n === 'string')
  ) {
    throw new Error(
      `${EMULATOR_ANNOTATIONS.generateTls} needs "dnsNames", a list of at least one name`,
    );
  }
  for (const field of ['validityDays', 'issuedDaysAgo'] as const) {
    const n = spec[field];
    if (n !== undefined && !(typeof n === 'number' && n >= 0)) {
      throw new Error(
        `${EMULATOR_ANNOTATIONS.generateTls}: "${field}" must be a number of days`,
      );
    }
  }
  return spec;
}

interface CertificateSpec {
  secretName: string;
  commonName?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  duration?: string;
  renewBefore?: string;
  renewBeforePercentage?: number;
  issuerRef: { name: string; kind?: string; group?: string };
  privateKey?: KeySpec & { rotationPolicy?: string };
  secretTemplate?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  usages?: string[];
}

interface CertificateStatus {
  conditions?: Condition[];
  notBefore?: string;
  notAfter?: string;
  renewalTime?: string;
  revision?: number;
  failedIssuanceAttempts?: number;
  lastFailureTime?: string;
  [key: string]: unknown;
}

type Certificate = KubeObject & {
  spec: CertificateSpec;
  status?: CertificateStatus;
};

/** Where an issuance of one Certificate is. */
type State =
  | { kind: 'scheduled' }
  | { kind: 'hung' }
  | { kind: 'waiting-for-issuer'; issuer: string };

const conditionOf = (object: KubeObject, type: string) =>
  (
    (object.status as { conditions?: Condition[] } | undefined)?.conditions ??
    []
  ).find(c => c.type === type);

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * The simulated cert-manager controllers of one emulated cluster. It reacts to the cluster's
 * changes; work is queued and done asynchronously, so that loading a large cluster is not held
 * up by key generation.
 */
export class CertManagerController {
  private readonly queue = new Set<string>();
  private readonly states = new Map<string, State>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly cas = new Map<string, Promise<CertificateAuthority>>();
  private readonly waiters: Array<{ scheduled: boolean; done: () => void }> =
    [];
  /** Reconciles under way (quick, but hand-made Secrets make keys). */
  private running = 0;
  /** Issuances under way, started by their timers. */
  private issuing = 0;
  private drainScheduled = false;
  private stopped = false;
  private readonly unwatch: () => void;
  /** Issuances run a few at a time, so that hundreds of them leave the event loop free. */
  private slots = 4;
  private readonly slotWaiters: Array<() => void> = [];

  private constructor(
    private readonly cluster: Cluster,
    private readonly issueDelayMs: number,
  ) {
    this.unwatch = cluster.watch(event => this.onEvent(event));
  }

  /**
   * Starts the controllers on a cluster and queues every object it already holds, as a
   * controller's first list does.
   */
  static start(options: {
    cluster: Cluster;
    certManager?: CertManagerOptions;
  }): CertManagerController {
    const controller = new CertManagerController(
      options.cluster,
      options.certManager?.issueDelayMs ?? 300,
    );
    for (const resource of controller.watched()) {
      for (const object of options.cluster.list(resource, {}).items) {
        controller.enqueue(resource, object);
      }
    }
    return controller;
  }

  /** Stops reacting to changes and cancels scheduled issuances. */
  stop() {
    this.stopped = true;
    this.unwatch();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.clear();
    this.notifyIfIdle();
  }

  /**
   * Resolves once nothing is queued, running or scheduled: every issuance that is going to
   * finish has finished (hanging ones and those waiting for an issuer never will, and do not
   * count). With `scheduled: false`, issuances still waiting for their delay do not count
   * either: the emulator waits so before it serves, so that hand-made TLS Secrets are filled.
   */
  idle(options: { scheduled?: boolean } = {}): Promise<void> {
    return new Promise(done => {
      this.waiters.push({ scheduled: options.scheduled ?? true, done });
      this.notifyIfIdle();
    });
  }

  private notifyIfIdle() {
    const busy = this.queue.size > 0 || this.running > 0 || this.drainScheduled;
    const issuing = this.issuing > 0 || this.timers.size > 0;
    for (const waiter of [...this.waiters]) {
      if (this.stopped || (!busy && (!waiter.scheduled || !issuing))) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.done();
      }
    }
  }

  private watched(): ResourceType[] {
    return [
      this.cluster.resource(GROUP, 'v1', 'issuers'),
      this.cluster.resource(GROUP, 'v1', 'clusterissuers'),
      this.cluster.resource(GROUP, 'v1', 'certificates'),
      this.cluster.resource('', 'v1', 'secrets'),
    ].filter((r): r is ResourceType => r !== undefined);
  }

  private onEvent(event: ClusterEvent) {
    if (this.stopped || event.type === 'DELETED') {
      if (event.type === 'DELETED' && event.resource.kind === 'Certificate') {
        this.states.delete(this.keyOf('Certificate', event.object));
      }
      return;
    }
    if (
      ['Issuer', 'ClusterIssuer', 'Certificate'].includes(
        event.resource.kind,
      ) ||
      (event.resource.kind === 'Secret' &&
        event.object.metadata.annotations?.[EMULATOR_ANNOTATIONS.generateTls])
    ) {
      this.enqueue(event.resource, event.object);
    }
  }

  private keyOf(kind: string, object: KubeObject) {
    return `${kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
  }

  private enqueue(resource: ResourceType, object: KubeObject) {
    if (this.stopped) return;
    this.queue.add(this.keyOf(resource.kind, object));
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
      this.running++;
      this.reconcile(key)
        .catch(error => {
          // A controller logs and goes on; one broken object must not stop the others.
          console.error(`cert-manager emulator: ${key}: ${error.message}`);
        })
        .finally(() => {
          this.running--;
          this.notifyIfIdle();
        });
    }
    this.notifyIfIdle();
  }

  private async reconcile(key: string) {
    if (this.stopped) return;
    const [kind, namespace, ...rest] = key.split('/');
    const name = rest.join('/');
    const resource = this.watched().find(r => r.kind === kind);
    if (!resource) return;
    let object: KubeObject;
    try {
      object = this.cluster.get(resource, namespace || undefined, name);
    } catch {
      return;
    }
    if (kind === 'Issuer' || kind === 'ClusterIssuer') {
      this.reconcileIssuer(resource, object);
    } else if (kind === 'Certificate') {
      this.reconcileCertificate(resource, object as Certificate);
    } else if (kind === 'Secret') {
      await this.reconcileHandMadeSecret(resource, object);
    }
  }

  private reconcileIssuer(resource: ResourceType, issuer: KubeObject) {
    const annotations = issuer.metadata.annotations ?? {};
    const spec = (issuer.spec ?? {}) as Record<string, unknown>;
    const failing = annotations[EMULATOR_ANNOTATIONS.ready] === 'false';
    let condition: Condition;
    if (failing) {
      condition = {
        type: 'Ready',
        status: 'False',
        reason: 'ErrInitIssuer',
        message:
          annotations[EMULATOR_ANNOTATIONS.readyMessage] ??
          'Error initializing issuer: the emulator was told that this issuer is not ready',
      };
    } else if (spec.acme) {
      condition = {
        type: 'Ready',
        status: 'True',
        reason: 'ACMEAccountRegistered',
        message: 'The ACME account was registered with the ACME server',
      };
    } else if (spec.ca) {
      condition = {
        type: 'Ready',
        status: 'True',
        reason: 'KeyPairVerified',
        message: 'Signing CA verified',
      };
    } else {
      condition = { type: 'Ready', status: 'True', reason: 'IsReady' };
    }
    condition.observedGeneration = issuer.metadata.generation;
    const current = conditionOf(issuer, 'Ready');
    if (
      !current ||
      current.status !== condition.status ||
      current.reason !== condition.reason ||
      current.message !== condition.message ||
      current.observedGeneration !== condition.observedGeneration
    ) {
      const status = (issuer.status ?? {}) as { conditions?: Condition[] };
      this.cluster.update(
        resource,
        issuer.metadata.namespace,
        issuer.metadata.name!,
        {
          ...issuer,
          metadata: { ...issuer.metadata, resourceVersion: undefined },
          status: {
            ...status,
            conditions: setCondition({
              conditions: status.conditions,
              condition,
              now: new Date(),
            }),
          },
        },
        { subresource: 'status' },
      );
    }
    if (!failing) {
      const ref = `${issuer.kind}/${issuer.metadata.namespace ?? ''}/${
        issuer.metadata.name
      }`;
      const certificates = this.cluster.resource(GROUP, 'v1', 'certificates')!;
      for (const [key, state] of this.states) {
        if (state.kind === 'waiting-for-issuer' && state.issuer === ref) {
          this.states.delete(key);
          const [, ns, ...rest] = key.split('/');
          this.enqueue(certificates, {
            metadata: { namespace: ns, name: rest.join('/') },
          });
        }
      }
    }
  }

  private reconcileCertificate(
    resource: ResourceType,
    certificate: Certificate,
  ) {
    const key = this.keyOf('Certificate', certificate);
    const issuing = conditionOf(certificate, 'Issuing');
    if (issuing?.status === 'True') {
      const state = this.states.get(key);
      const hanging = faultMode(
        certificate.metadata.annotations?.[EMULATOR_ANNOTATIONS.hangIssuance],
      );
      if (state?.kind === 'scheduled' || state?.kind === 'waiting-for-issuer')
        return;
      if (state?.kind === 'hung' && hanging) return;
      this.schedule(key);
      return;
    }
    if (this.states.get(key)?.kind !== 'scheduled') this.states.delete(key);
    const status = certificate.status ?? {};
    const neverIssued =
      status.revision === undefined && !status.failedIssuanceAttempts;
    if (
      neverIssued ||
      (status.revision !== undefined && !this.secretOf(certificate))
    ) {
      const message = 'Issuing certificate as Secret does not exist';
      this.writeCertificateStatus(resource, certificate, current => {
        let conditions = setCondition({
          conditions: current.conditions,
          condition: {
            type: 'Issuing',
            status: 'True',
            reason: 'DoesNotExist',
            message,
            observedGeneration: certificate.metadata.generation,
          },
          now: new Date(),
        });
        if (!conditions.some(c => c.type === 'Ready')) {
          conditions = setCondition({
            conditions,
            condition: {
              type: 'Ready',
              status: 'False',
              reason: 'DoesNotExist',
              message,
              observedGeneration: certificate.metadata.generation,
            },
            now: new Date(),
          });
        }
        return { ...current, conditions };
      });
    }
  }

  private schedule(key: string) {
    this.states.set(key, { kind: 'scheduled' });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.issuing++;
      this.issue(key)
        .catch(error => {
          this.states.delete(key);
          console.error(`cert-manager emulator: ${key}: ${error.message}`);
        })
        .finally(() => {
          this.issuing--;
          this.notifyIfIdle();
        });
    }, this.issueDelayMs);
    this.timers.add(timer);
  }

  private secretOf(certificate: Certificate): KubeObject | undefined {
    try {
      return this.cluster.get(
        this.cluster.resource('', 'v1', 'secrets')!,
        certificate.metadata.namespace,
        certificate.spec.secretName,
      );
    } catch {
      return undefined;
    }
  }

  /** Reads the Certificate again and writes the status `change` makes of the current one. */
  private writeCertificateStatus(
    resource: ResourceType,
    certificate: Certificate,
    change: (status: CertificateStatus) => CertificateStatus,
  ) {
    const current = this.cluster.get(
      resource,
      certificate.metadata.namespace,
      certificate.metadata.name!,
    ) as Certificate;
    this.cluster.update(
      resource,
      current.metadata.namespace,
      current.metadata.name!,
      {
        ...current,
        metadata: { ...current.metadata, resourceVersion: undefined },
        status: change(current.status ?? {}),
      },
      { subresource: 'status' },
    );
  }

  private issuerOf(certificate: Certificate): {
    ref: string;
    issuer?: KubeObject;
  } {
    const kind = certificate.spec.issuerRef.kind ?? 'Issuer';
    const namespace =
      kind === 'ClusterIssuer' ? undefined : certificate.metadata.namespace;
    const resource = this.cluster.resource(
      GROUP,
      'v1',
      kind === 'ClusterIssuer' ? 'clusterissuers' : 'issuers',
    );
    const ref = `${kind}/${namespace ?? ''}/${certificate.spec.issuerRef.name}`;
    if (!resource) return { ref };
    try {
      return {
        ref,
        issuer: this.cluster.get(
          resource,
          namespace,
          certificate.spec.issuerRef.name,
        ),
      };
    } catch {
      return { ref };
    }
  }

  private ca(ref: string, commonName: string): Promise<CertificateAuthority> {
    let ca = this.cas.get(ref);
    if (!ca) {
      ca = createCertificateAuthority(commonName);
      this.cas.set(ref, ca);
    }
    return ca;
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    while (this.slots === 0) {
      await new Promise<void>(done => this.slotWaiters.push(done));
    }
    this.slots--;
    try {
      return await work();
    } finally {
      this.slots++;
      this.slotWaiters.shift()?.();
    }
  }

  private async issue(key: string) {
    if (this.stopped) return;
    const certificates = this.cluster.resource(GROUP, 'v1', 'certificates')!;
    const [, namespace, ...rest] = key.split('/');
    let certificate: Certificate;
    try {
      certificate = this.cluster.get(
        certificates,
        namespace,
        rest.join('/'),
      ) as Certificate;
    } catch {
      this.states.delete(key);
      return;
    }
    if (conditionOf(certificate, 'Issuing')?.status !== 'True') {
      this.states.delete(key);
      return;
    }
    const annotations = certificate.metadata.annotations ?? {};
    const status = certificate.status ?? {};
    const revision = (status.revision ?? 0) + 1;
    const applies = (mode: 'always' | 'renewals' | undefined) =>
      mode === 'always' || (mode === 'renewals' && revision > 1);

    const { ref, issuer } = this.issuerOf(certificate);
    const issuerReady =
      issuer && conditionOf(issuer, 'Ready')?.status === 'True';
    if (!issuerReady) {
      this.states.set(key, { kind: 'waiting-for-issuer', issuer: ref });
      const [kind] = ref.split('/');
      await this.writeRequest(certificate, revision, {
        ready: {
          type: 'Ready',
          status: 'False',
          reason: 'Pending',
          message: issuer
            ? `Referenced issuer does not have a Ready status condition`
            : `Referenced "${kind}" not found: ${kind.toLowerCase()}.${GROUP} "${
                certificate.spec.issuerRef.name
              }" not found`,
        },
      });
      return;
    }
    if (applies(faultMode(annotations[EMULATOR_ANNOTATIONS.hangIssuance]))) {
      this.states.set(key, { kind: 'hung' });
      await this.writeRequest(certificate, revision, {
        ready: {
          type: 'Ready',
          status: 'False',
          reason: 'Pending',
          message: `Waiting on certificate issuance from the issuer (held by ${EMULATOR_ANNOTATIONS.hangIssuance})`,
        },
      });
      return;
    }
    if (applies(faultMode(annotations[EMULATOR_ANNOTATIONS.failIssuance]))) {
      const reason =
        annotations[EMULATOR_ANNOTATIONS.failureMessage] ??
        `the issuer refused the request (${EMULATOR_ANNOTATIONS.failIssuance})`;
      const now = new Date();
      await this.writeRequest(certificate, revision, {
        ready: {
          type: 'Ready',
          status: 'False',
          reason: 'Failed',
          message: `Failed to sign certificate: ${reason}`,
        },
        failureTime: now,
      });
      this.states.delete(key);
      this.writeCertificateStatus(certificates, certificate, current => ({
        ...current,
        conditions: setCondition({
          conditions: current.conditions?.some(c => c.type === 'Ready')
            ? current.conditions
            : setCondition({
                conditions: current.conditions,
                condition: {
                  type: 'Ready',
                  status: 'False',
                  reason: 'DoesNotExist',
                  message: 'Issuing certificate as Secret does not exist',
                  observedGeneration: certificate.metadata.generation,
                },
                now,
              }),
          condition: {
            type: 'Issuing',
            status: 'False',
            reason: 'Failed',
            message: `The certificate request has failed to complete and will be retried: Failed to sign certificate: ${reason}`,
            observedGeneration: certificate.metadata.generation,
          },
          now,
        }),
        failedIssuanceAttempts: (current.failedIssuanceAttempts ?? 0) + 1,
        lastFailureTime: rfc3339(now),
      }));
      return;
    }

    await this.slot(() =>
      this.issueCertificate({ certificate, revision, ref, issuer: issuer! }),
    );
  }

  private async issueCertificate(options: {
    certificate: Certificate;
    revision: number;
    ref: string;
    issuer: KubeObject;
  }) {
    const { certificate, revision, ref, issuer } = options;
    const certificates = this.cluster.resource(GROUP, 'v1', 'certificates')!;
    const key = this.keyOf('Certificate', certificate);
    const annotations = certificate.metadata.annotations ?? {};
    const spec = certificate.spec;
    const weak = annotations[EMULATOR_ANNOTATIONS.weakMaterial] === 'true';
    const keySpec: KeySpec = weak
      ? { algorithm: 'RSA', size: 1024, encoding: spec.privateKey?.encoding }
      : spec.privateKey ?? {};
    const secret = this.secretOf(certificate);
    const existingKeyPem = (
      secret?.data as Record<string, string> | undefined
    )?.['tls.key'];
    let keys: KeyPair | undefined;
    if (spec.privateKey?.rotationPolicy === 'Never' && existingKeyPem) {
      try {
        keys = await importKeyPair(
          Buffer.from(existingKeyPem, 'base64').toString('utf8'),
          keySpec,
        );
      } catch {
        // An unreadable key is replaced, as cert-manager does.
        keys = undefined;
      }
    }
    keys ??= await generateKeyPair(keySpec);

    const now = new Date();
    const daysAgo =
      revision === 1
        ? Number(annotations[EMULATOR_ANNOTATIONS.issuedDaysAgo] ?? 0)
        : 0;
    const notBefore = new Date(
      Math.floor(
        (now.getTime() - (Number.isFinite(daysAgo) ? daysAgo : 0) * DAY) / 1000,
      ) * 1000,
    );
    const duration = parseGoDuration(spec.duration) ?? 2160 * 3_600_000;
    const notAfter = new Date(notBefore.getTime() + duration);
    const selfSigned = Boolean(
      (issuer.spec as Record<string, unknown>)?.selfSigned,
    );
    const ca = selfSigned
      ? undefined
      : await this.ca(ref, `${spec.issuerRef.name} (emulated ${issuer.kind})`);
    const leafPem = await issueLeaf({
      commonName: spec.commonName,
      dnsNames: spec.dnsNames,
      ipAddresses: spec.ipAddresses,
      uris: spec.uris,
      notBefore,
      notAfter,
      keys,
      ca,
      weakSignature: weak,
    });
    const caPem = ca?.certPem ?? leafPem;
    await this.writeRequest(certificate, revision, {
      keys,
      ready: {
        type: 'Ready',
        status: 'True',
        reason: 'Issued',
        message: 'Certificate fetched from issuer successfully',
      },
      certificatePem: leafPem,
      caPem,
    });

    if (this.stopped) return;
    const stuck =
      annotations[EMULATOR_ANNOTATIONS.stuckRotation] === 'true' &&
      revision > 1;
    if (!stuck || !this.secretOf(certificate)) {
      this.writeSecret({
        certificate,
        tlsCrt: ca ? `${leafPem}${ca.certPem}` : leafPem,
        tlsKey: keys.keyPem,
        caCrt: caPem,
      });
    }
    const renewsAtOnce =
      revision === 1 &&
      (faultMode(annotations[EMULATOR_ANNOTATIONS.failIssuance]) ===
        'renewals' ||
        faultMode(annotations[EMULATOR_ANNOTATIONS.hangIssuance]) ===
          'renewals' ||
        annotations[EMULATOR_ANNOTATIONS.stuckRotation] === 'true');
    const renewal = renewalTime({
      notBefore,
      notAfter,
      renewBeforeMs: parseGoDuration(spec.renewBefore),
      renewBeforePercentage: spec.renewBeforePercentage,
    });
    this.states.delete(key);
    this.writeCertificateStatus(certificates, certificate, current => {
      const {
        failedIssuanceAttempts: _attempts,
        lastFailureTime: _failure,
        ...rest
      } = current;
      let conditions = setCondition({
        conditions: (current.conditions ?? []).filter(
          c => c.type !== 'Issuing',
        ),
        condition: {
          type: 'Ready',
          status: 'True',
          reason: 'Ready',
          message: 'Certificate is up to date and has not expired',
          observedGeneration: certificate.metadata.generation,
        },
        now,
      });
      if (renewsAtOnce) {
        conditions = setCondition({
          conditions,
          condition: {
            type: 'Issuing',
            status: 'True',
            reason: 'Renewing',
            message:
              'Renewing certificate: the emulator renews at once to show the fault its annotations describe',
            observedGeneration: certificate.metadata.generation,
          },
          now,
        });
      }
      return {
        ...rest,
        conditions,
        notBefore: rfc3339(notBefore),
        notAfter: rfc3339(notAfter),
        renewalTime: rfc3339(renewal),
        revision,
      };
    });
  }

  /**
   * Creates the CertificateRequest `<certificate>-<revision>`, replacing one of that name (a
   * failed attempt at the same revision), as cert-manager deletes failed requests on retry.
   */
  private async writeRequest(
    certificate: Certificate,
    revision: number,
    outcome: {
      keys?: KeyPair;
      ready: Condition;
      failureTime?: Date;
      certificatePem?: string;
      caPem?: string;
    },
  ) {
    const resource = this.cluster.resource(GROUP, 'v1', 'certificaterequests');
    if (!resource) return;
    const spec = certificate.spec;
    const keys =
      outcome.keys ??
      (await generateKeyPair({ algorithm: 'ECDSA', size: 256 }));
    const csr = await createCsr({
      commonName: spec.commonName,
      dnsNames: spec.dnsNames,
      ipAddresses: spec.ipAddresses,
      uris: spec.uris,
      keys,
    });
    if (this.stopped) return;
    const namespace = certificate.metadata.namespace;
    const name = `${certificate.metadata.name}-${revision}`;
    try {
      this.cluster.delete(resource, namespace, name);
    } catch {
      // none yet
    }
    const now = new Date();
    const conditions = [
      {
        type: 'Approved',
        status: 'True' as const,
        reason: 'cert-manager.io',
        message: 'Certificate request has been approved by cert-manager.io',
      },
      outcome.ready,
    ].map(
      condition => setCondition({ conditions: undefined, condition, now })[0],
    );
    this.cluster.create(
      resource,
      namespace,
      {
        apiVersion: `${GROUP}/v1`,
        kind: 'CertificateRequest',
        metadata: {
          name,
          namespace,
          labels: { ...(certificate.metadata.labels ?? {}) },
          annotations: {
            'cert-manager.io/certificate-name': certificate.metadata.name!,
            'cert-manager.io/certificate-revision': String(revision),
            'cert-manager.io/private-key-secret-name': spec.secretName,
          },
          ownerReferences: [
            {
              apiVersion: `${GROUP}/v1`,
              kind: 'Certificate',
              name: certificate.metadata.name,
              uid: certificate.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          issuerRef: spec.issuerRef,
          request: b64(csr),
          ...(spec.duration ? { duration: spec.duration } : {}),
          usages: spec.usages ?? ['digital signature', 'key encipherment'],
        },
        status: {
          conditions,
          ...(outcome.certificatePem
            ? { certificate: b64(outcome.certificatePem) }
            : {}),
          ...(outcome.caPem ? { ca: b64(outcome.caPem) } : {}),
          ...(outcome.failureTime
            ? { failureTime: rfc3339(outcome.failureTime) }
            : {}),
        },
      },
      { keepStatus: true },
    );
  }

  private writeSecret(options: {
    certificate: Certificate;
    tlsCrt: string;
    tlsKey: string;
    caCrt: string;
  }) {
    const { certificate } = options;
    const secrets = this.cluster.resource('', 'v1', 'secrets')!;
    const spec = certificate.spec;
    const namespace = certificate.metadata.namespace;
    const existing = this.secretOf(certificate);
    const kind = spec.issuerRef.kind ?? 'Issuer';
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        ...(existing?.metadata ?? {}),
        name: spec.secretName,
        namespace,
        resourceVersion: undefined,
        labels: {
          ...(existing?.metadata.labels ?? {}),
          ...(spec.secretTemplate?.labels ?? {}),
          'controller.cert-manager.io/fao': 'true',
        },
        annotations: {
          ...(existing?.metadata.annotations ?? {}),
          ...(spec.secretTemplate?.annotations ?? {}),
          'cert-manager.io/alt-names': (spec.dnsNames ?? []).join(','),
          'cert-manager.io/certificate-name': certificate.metadata.name!,
          'cert-manager.io/common-name': spec.commonName ?? '',
          'cert-manager.io/ip-sans': (spec.ipAddresses ?? []).join(','),
          'cert-manager.io/issuer-group': spec.issuerRef.group ?? GROUP,
          'cert-manager.io/issuer-kind': kind,
          'cert-manager.io/issuer-name': spec.issuerRef.name,
          'cert-manager.io/uri-sans': (spec.uris ?? []).join(','),
        },
      },
      type: 'kubernetes.io/tls',
      data: {
        'ca.crt': b64(options.caCrt),
        'tls.crt': b64(options.tlsCrt),
        'tls.key': b64(options.tlsKey),
      },
    };
    if (existing) {
      this.cluster.update(secrets, namespace, spec.secretName, body);
    } else {
      this.cluster.create(secrets, namespace, body);
    }
  }

  /** Fills a hand-made TLS Secret that asks for it and has no certificate yet. */
  private async reconcileHandMadeSecret(
    resource: ResourceType,
    secret: KubeObject,
  ) {
    const value =
      secret.metadata.annotations?.[EMULATOR_ANNOTATIONS.generateTls];
    const data = (secret.data ?? {}) as Record<string, string>;
    if (!value || data['tls.crt']) return;
    const spec = parseGenerateTls(value);
    const keys = await generateKeyPair(
      (spec.keyAlgorithm ?? 'RSA').toUpperCase() === 'ECDSA'
        ? { algorithm: 'ECDSA', size: 256 }
        : { algorithm: 'RSA', size: 2048 },
    );
    const issuer = spec.issuer ?? 'hand-made-ca';
    const ca = await this.ca(`hand-made/${issuer}`, issuer);
    const notBefore = new Date(
      Math.floor((Date.now() - (spec.issuedDaysAgo ?? 0) * DAY) / 1000) * 1000,
    );
    const leafPem = await issueLeaf({
      commonName: spec.commonName ?? spec.dnsNames[0],
      dnsNames: spec.dnsNames,
      notBefore,
      notAfter: new Date(
        notBefore.getTime() + (spec.validityDays ?? 365) * DAY,
      ),
      keys,
      ca,
    });
    if (this.stopped) return;
    const current = this.cluster.get(
      resource,
      secret.metadata.namespace,
      secret.metadata.name!,
    );
    if (((current.data ?? {}) as Record<string, string>)['tls.crt']) return;
    this.cluster.update(
      resource,
      current.metadata.namespace,
      current.metadata.name!,
      {
        ...current,
        metadata: { ...current.metadata, resourceVersion: undefined },
        type: current.type ?? 'kubernetes.io/tls',
        data: {
          ...((current.data ?? {}) as Record<string, string>),
          'tls.crt': b64(`${leafPem}${ca.certPem}`),
          'tls.key': b64(keys.keyPem),
        },
      },
    );
  }
}
