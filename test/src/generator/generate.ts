import { createHash } from 'node:crypto';
import {
  DEMO_SCHEDULES,
  DEMO_SERVICES,
  DemoCertificateScenario,
  DemoSchedule,
  DemoService,
} from './demo';

/** A Kubernetes object as written to a manifest. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
  };
  [key: string]: unknown;
}

export interface GenerateOptions {
  /** The cluster's present; backups are generated up to it. Defaults to 2026-11-25T12:00:00Z. */
  now?: Date;
  /** Seed of the pseudo-random choices (phases, durations, item counts). */
  seed?: number;
  /**
   * Instead of the curated demo, a synthetic cluster of `teams` × `servicesPerTeam` services,
   * each in its own namespace with one PVC and a daily schedule, for load tests and benchmarks.
   */
  scale?: ScaleOptions;
}

/** The shape of a synthetic cluster: `teams` × `servicesPerTeam` services. */
export interface ScaleOptions {
  teams: number;
  servicesPerTeam: number;
  /** Services of the first team (`team-0`) instead of `servicesPerTeam`: one large team. */
  firstTeamServices?: number;
  /** Runs of each service's daily schedule, which snapshots its volumes: 30 by default. */
  days?: number;
  /** Claims of each service, `<name>-data` then `<name>-data-<n>`, mounted by both its pods: 1 by default. */
  claimsPerService?: number;
  /**
   * Certificates of each service: the one its Ingress names, then `<name>-<n>` (Secret
   * `<name>-<n>-tls`) that no Ingress names. 1 by default.
   */
  certificatesPerService?: number;
  /**
   * Runs of an hourly schedule of each service's namespace that backs up its objects only
   * (`snapshotVolumes: false`), as clusters do between daily volume backups: none by default.
   */
  hourlyRuns?: number;
}

/** mulberry32: small, fast and good enough to make fixtures vary reproducibly. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const stamp = (date: Date) => iso(date).replace(/[-:TZ]/g, '');
const hex = (random: () => number, length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

/** A short, stable hex digest, so that names derived from others need no random numbers. */
const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * A stable uid in the form the API server gives, for objects that others name by uid (Velero
 * labels each PodVolumeBackup with its claim's uid); the emulator keeps the uids of manifests.
 */
const uidOf = (what: string) => {
  const h = digest(what, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
};

const claimUid = (namespace: string, claim: string) =>
  uidOf(`PersistentVolumeClaim/${namespace}/${claim}`);

function labelsOf(service: DemoService): Record<string, string> {
  const labels: Record<string, string> = {
    'app.kubernetes.io/name': service.name,
    'app.kubernetes.io/part-of': service.team.replace(/^team-/, ''),
  };
  if (service.selection === 'kubernetes-id')
    labels['backstage.io/kubernetes-id'] = service.name;
  return labels;
}

/** The labels of a service's pods: the service's, and those only its pod template sets. */
function podLabelsOf(service: DemoService): Record<string, string> {
  return { ...labelsOf(service), ...service.podLabels };
}

/** Pod volumes of one pod of a service, each mounting one of its claims. */
function podVolumesOf(
  service: DemoService,
  ordinal: number,
): Array<{ volume: string; claim: string }> {
  return service.workload === 'StatefulSet'
    ? [{ volume: 'data', claim: service.pvcs[ordinal] }]
    : service.pvcs.map((claim, i) => ({ volume: `vol-${i}`, claim }));
}

/** Velero's opt-in annotation for the volumes of a service that relies on file-system backup. */
function podAnnotationsOf(
  service: DemoService,
): Record<string, string> | undefined {
  const names = podVolumesOf(service, 0).map(v => v.volume);
  return service.fileSystemBackup && names.length > 0
    ? { 'backup.velero.io/backup-volumes': names.join(',') }
    : undefined;
}

function workload(service: DemoService): ManifestObject {
  const labels = labelsOf(service);
  const podLabels = podLabelsOf(service);
  const annotations = podAnnotationsOf(service);
  const selector = { matchLabels: { 'app.kubernetes.io/name': service.name } };
  const container = {
    name: service.name,
    image: `registry.example.com/${service.name}:1.0.0`,
  };
  if (service.workload === 'StatefulSet') {
    return {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: service.name, namespace: service.namespace, labels },
      spec: {
        serviceName: service.name,
        replicas: service.pvcs.length,
        selector,
        template: {
          metadata: {
            labels: podLabels,
            ...(annotations ? { annotations } : {}),
          },
          spec: {
            containers: [
              {
                ...container,
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: '20Gi' } },
            },
          },
        ],
      },
      status: {
        replicas: service.pvcs.length,
        readyReplicas: service.pvcs.length,
      },
    };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.name, namespace: service.namespace, labels },
    spec: {
      replicas: 2,
      selector,
      template: {
        metadata: {
          labels: podLabels,
          ...(annotations ? { annotations } : {}),
        },
        spec: {
          containers: [
            {
              ...container,
              volumeMounts: service.pvcs.map((_, i) => ({
                name: `vol-${i}`,
                mountPath: `/vol/${i}`,
              })),
            },
          ],
          volumes: service.pvcs.map((claimName, i) => ({
            name: `vol-${i}`,
            persistentVolumeClaim: { claimName },
          })),
        },
      },
    },
    status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
  };
}

/** Where a claim is mounted: the pod Velero's file-system backup reads it through. */
interface Mount {
  pod: string;
  podUid: string;
  node: string;
  volume: string;
}

/**
 * The running pods of a service's workload, labelled like its pod template and mounting its
 * claims: a StatefulSet's pods `<name>-<ordinal>` each mount their own claim, a Deployment's two
 * pods mount every claim of the service.
 */
function pods(service: DemoService, created: Date): ManifestObject[] {
  const replicas = service.workload === 'StatefulSet' ? service.pvcs.length : 2;
  const annotations = podAnnotationsOf(service);
  const templateHash = digest(`${service.namespace}/${service.name}`, 10);
  return Array.from({ length: replicas }, (_, ordinal) => {
    const name =
      service.workload === 'StatefulSet'
        ? `${service.name}-${ordinal}`
        : `${service.name}-${templateHash}-${digest(
            `${service.name}/${ordinal}`,
            5,
          )}`;
    const mounts = podVolumesOf(service, ordinal);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: service.namespace,
        uid: uidOf(`Pod/${service.namespace}/${name}`),
        labels: podLabelsOf(service),
        ...(annotations ? { annotations } : {}),
        creationTimestamp: iso(created),
      },
      spec: {
        // Pods that share a ReadWriteOnce claim run on one node.
        nodeName:
          service.workload === 'Deployment' && service.pvcs.length > 0
            ? 'node-0'
            : `node-${ordinal % 3}`,
        containers: [
          {
            name: service.name,
            image: `registry.example.com/${service.name}:1.0.0`,
            volumeMounts: mounts.map(m => ({
              name: m.volume,
              mountPath: `/${m.volume}`,
            })),
          },
        ],
        volumes: mounts.map(m => ({
          name: m.volume,
          persistentVolumeClaim: { claimName: m.claim },
        })),
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        startTime: iso(created),
      },
    };
  });
}

function volumes(
  service: DemoService,
  random: () => number,
  created: Date,
): ManifestObject[] {
  return service.pvcs.flatMap(claim => {
    const size = service.workload === 'StatefulSet' ? '20Gi' : '5Gi';
    const pv = `pvc-${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${hex(
      random,
      4,
    )}-${hex(random, 12)}`;
    return [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: claim,
          namespace: service.namespace,
          uid: claimUid(service.namespace, claim),
          labels: labelsOf(service),
          creationTimestamp: iso(created),
        },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'gp3-csi',
          volumeName: pv,
          resources: { requests: { storage: size } },
        },
        status: {
          phase: 'Bound',
          accessModes: ['ReadWriteOnce'],
          capacity: { storage: size },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: pv, creationTimestamp: iso(created) },
        spec: {
          capacity: { storage: size },
          accessModes: ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: 'gp3-csi',
          csi: {
            driver: 'ebs.csi.aws.com',
            volumeHandle: `vol-0${hex(random, 16)}`,
            fsType: 'ext4',
          },
          claimRef: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            namespace: service.namespace,
            name: claim,
          },
        },
        status: { phase: 'Bound' },
      },
    ];
  });
}

/** The annotations of the emulator's simulated cert-manager (see the emulator's certmanager.ts). */
const EMULATOR = 'emulator.resilience.io';

/** The cluster's issuers: an ACME ClusterIssuer, an internal CA, and `fraud-ca` in `fraud`. */
function issuers(services: DemoService[]): ManifestObject[] {
  const objects: ManifestObject[] = [
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'letsencrypt-prod' },
      spec: {
        acme: {
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          email: 'platform-team@example.com',
          privateKeySecretRef: { name: 'letsencrypt-prod-account-key' },
          solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }],
        },
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'internal-ca' },
      spec: { ca: { secretName: 'internal-ca-key-pair' } },
    },
  ];
  const namespaced = new Map<string, string>();
  for (const service of services) {
    if (service.issuer?.kind === 'Issuer')
      namespaced.set(`${service.namespace}/${service.issuer.name}`, '');
  }
  for (const key of [...namespaced.keys()].sort()) {
    const [namespace, name] = key.split('/');
    objects.push({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name, namespace },
      spec: { ca: { secretName: `${name}-key-pair` } },
    });
  }
  return objects;
}

/** The Certificate fields and emulator annotations that make each scenario. */
const SCENARIOS: Record<
  DemoCertificateScenario,
  { spec?: Record<string, unknown>; annotations?: Record<string, string> }
> = {
  healthy: {},
  'expiring-soon': {
    spec: { renewBefore: '360h0m0s' },
    annotations: { [`${EMULATOR}/issued-days-ago`]: '70' },
  },
  'expiring-very-soon': {
    annotations: { [`${EMULATOR}/issued-days-ago`]: '82' },
  },
  'rotation-never': {
    spec: {
      privateKey: { algorithm: 'RSA', size: 2048, rotationPolicy: 'Never' },
    },
  },
  'failing-issuance': {
    annotations: {
      [`${EMULATOR}/fail-issuance`]: 'renewals',
      [`${EMULATOR}/failure-message`]:
        'Failed to finalize Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates already issued',
    },
  },
  'stuck-rotation': {
    annotations: {
      [`${EMULATOR}/stuck-rotation`]: 'true',
      [`${EMULATOR}/issued-days-ago`]: '40',
    },
  },
  'weak-key': { annotations: { [`${EMULATOR}/weak-material`]: 'true' } },
  'long-lived': { spec: { duration: '8760h0m0s' } },
};

function certificate(options: {
  service: DemoService;
  name: string;
  dnsNames: string[];
  issuerRef: { kind: string; name: string };
  scenario: DemoCertificateScenario;
  privateKey?: Record<string, unknown>;
}): ManifestObject {
  const { service, scenario } = options;
  const labels = labelsOf(service);
  const extra = SCENARIOS[scenario];
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: {
      name: options.name,
      namespace: service.namespace,
      labels,
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    spec: {
      secretName: `${options.name}-tls`,
      commonName: options.dnsNames[0],
      dnsNames: options.dnsNames,
      duration: '2160h0m0s',
      issuerRef: { group: 'cert-manager.io', ...options.issuerRef },
      privateKey: { rotationPolicy: 'Always', ...options.privateKey },
      // cert-manager copies these onto the Secret, so that it is found by the same selector.
      secretTemplate: { labels },
      ...extra.spec,
    },
  };
}

function ingress(options: {
  service: DemoService;
  name: string;
  host: string;
  secretName: string;
}): ManifestObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: options.name,
      namespace: options.service.namespace,
      labels: labelsOf(options.service),
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: [options.host], secretName: options.secretName }],
      rules: [
        {
          host: options.host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {
                  service: { name: options.service.name, port: { number: 80 } },
                },
              },
            ],
          },
        },
      ],
    },
  };
}

/**
 * A TLS Secret made by hand: no PEM here, the emulator generates it at load from the
 * annotation, so that the generator stays fast and its output the same for the same options.
 */
function handMadeTlsSecret(options: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  dnsNames: string[];
  issuedDaysAgo: number;
}): ManifestObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: options.labels,
      annotations: {
        [`${EMULATOR}/generate-tls`]: JSON.stringify({
          dnsNames: options.dnsNames,
          validityDays: 365,
          issuedDaysAgo: options.issuedDaysAgo,
          issuer: 'Example Corp Legacy CA',
        }),
      },
    },
    type: 'kubernetes.io/tls',
  };
}

/**
 * A service's certificates: its Ingress with the Certificate of its scenario; in the curated
 * demo also a healthy internal Certificate and, for `handMadeTls`, a second Ingress whose
 * Secret no Certificate manages. Scale mode keeps to one ECDSA Certificate, quick to issue.
 */
function certificates(
  service: DemoService,
  scale: boolean,
  extra = 0,
): ManifestObject[] {
  const host = `${service.name}.shop.example.com`;
  const objects: ManifestObject[] = [
    certificate({
      service,
      name: service.name,
      dnsNames: [host],
      issuerRef: scale
        ? { kind: 'ClusterIssuer', name: 'internal-ca' }
        : service.issuer ?? { kind: 'ClusterIssuer', name: 'letsencrypt-prod' },
      scenario: service.certificate,
      privateKey: scale ? { algorithm: 'ECDSA', size: 256 } : undefined,
    }),
    ingress({
      service,
      name: service.name,
      host,
      secretName: `${service.name}-tls`,
    }),
  ];
  for (let n = 1; n <= extra; n++) {
    objects.push(
      certificate({
        service,
        name: `${service.name}-${n}`,
        dnsNames: [`${service.name}-${n}.shop.example.com`],
        issuerRef: { kind: 'ClusterIssuer', name: 'internal-ca' },
        scenario: 'healthy',
        privateKey: { algorithm: 'ECDSA', size: 256 },
      }),
    );
  }
  if (scale) return objects;
  objects.push(
    certificate({
      service,
      name: `${service.name}-internal`,
      dnsNames: [
        `${service.name}.${service.namespace}.svc`,
        `${service.name}.${service.namespace}.svc.cluster.local`,
      ],
      issuerRef: { kind: 'ClusterIssuer', name: 'internal-ca' },
      scenario: 'healthy',
      privateKey: { algorithm: 'ECDSA', size: 256 },
    }),
  );
  if (service.handMadeTls) {
    const legacy = `${service.name}-legacy`;
    objects.push(
      handMadeTlsSecret({
        name: `${legacy}-tls`,
        namespace: service.namespace,
        labels: labelsOf(service),
        dnsNames: [`${legacy}.shop.example.com`],
        issuedDaysAgo: 200,
      }),
      ingress({
        service,
        name: legacy,
        host: `${legacy}.shop.example.com`,
        secretName: `${legacy}-tls`,
      }),
    );
  }
  return objects;
}

/** The TLS Secret and Ingress of a service the demo catalog does not know: no entity has them. */
const UNOWNED_TLS: ManifestObject[] = [
  handMadeTlsSecret({
    name: 'intranet-tls',
    namespace: 'intranet',
    labels: { 'app.kubernetes.io/name': 'intranet' },
    dnsNames: ['intranet.example.com'],
    issuedDaysAgo: 30,
  }),
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'intranet',
      namespace: 'intranet',
      labels: { 'app.kubernetes.io/name': 'intranet' },
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['intranet.example.com'], secretName: 'intranet-tls' }],
      rules: [{ host: 'intranet.example.com' }],
    },
  },
];

/** Parses the hours of a Go duration such as `720h0m0s`. */
const ttlHours = (ttl: string) => Number(/^(\d+)h/.exec(ttl)?.[1] ?? 0);

/**
 * The demo's one backup that leaves a volume out (as `backup.velero.io/backup-volumes-excludes`
 * on its pod would): its counts still say it snapshotted something, and only the missing
 * VolumeSnapshotContent shows that this claim's data is not in it.
 */
export const DEMO_EXCLUDED_VOLUME = {
  schedule: 'daily-payments',
  namespace: 'payments',
  claim: 'payments-api-uploads',
};

/** The VolumeSnapshotContent Velero's CSI plugin leaves for one volume of one backup. */
function snapshotContent(options: {
  backup: string;
  namespace: string;
  claim: string;
  volumeHandle: string;
  created: Date;
}): ManifestObject {
  const id = digest(
    `${options.backup}/${options.namespace}/${options.claim}`,
    16,
  );
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshotContent',
    metadata: {
      name: `snapcontent-${id}`,
      labels: { 'velero.io/backup-name': options.backup },
      creationTimestamp: iso(options.created),
    },
    spec: {
      deletionPolicy: 'Retain',
      driver: 'ebs.csi.aws.com',
      source: { volumeHandle: options.volumeHandle },
      volumeSnapshotClassName: 'csi-aws-vsc',
      volumeSnapshotRef: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        namespace: options.namespace,
        name: `velero-${options.claim}-${id.slice(0, 5)}`,
      },
    },
    status: {
      readyToUse: true,
      snapshotHandle: `snap-0${digest(id, 16)}`,
      creationTime: options.created.getTime() * 1_000_000,
    },
  };
}

/** The PodVolumeBackup Velero's file-system backup leaves for one pod volume of one backup. */
function podVolumeBackup(options: {
  backup: string;
  namespace: string;
  claim: string;
  mount: Mount;
  phase: 'Completed' | 'Failed' | 'InProgress';
  start: Date;
  minutes: number;
}): ManifestObject {
  const { backup, namespace, claim, mount, phase, start } = options;
  const id = digest(`${backup}/${namespace}/${claim}`, 16);
  const backupUid = uidOf(`Backup/velero/${backup}`);
  const pvcUid = claimUid(namespace, claim);
  const totalBytes = 1_000_000_000 + parseInt(id.slice(0, 6), 16) * 100;
  return {
    apiVersion: 'velero.io/v1',
    kind: 'PodVolumeBackup',
    metadata: {
      name: `${backup}-${id.slice(0, 5)}`,
      namespace: 'velero',
      labels: {
        'velero.io/backup-name': backup,
        'velero.io/backup-uid': backupUid,
        'velero.io/pvc-uid': pvcUid,
      },
      annotations: { 'velero.io/pvc-name': claim },
      creationTimestamp: iso(start),
    },
    spec: {
      backupStorageLocation: 'default',
      node: mount.node,
      pod: { kind: 'Pod', namespace, name: mount.pod, uid: mount.podUid },
      repoIdentifier: '',
      tags: {
        backup,
        'backup-uid': backupUid,
        ns: namespace,
        pod: mount.pod,
        'pod-uid': mount.podUid,
        'pvc-uid': pvcUid,
        volume: mount.volume,
      },
      uploaderType: 'kopia',
      volume: mount.volume,
    },
    status: {
      phase,
      startTimestamp: iso(start),
      ...(phase === 'InProgress'
        ? { progress: { totalBytes, bytesDone: Math.floor(totalBytes / 3) } }
        : {
            completionTimestamp: iso(
              new Date(start.getTime() + options.minutes * 60_000),
            ),
            progress: {
              totalBytes,
              bytesDone: phase === 'Completed' ? totalBytes : 0,
            },
          }),
      ...(phase === 'Completed' ? { snapshotID: digest(id, 8) } : {}),
      ...(phase === 'Failed'
        ? {
            message:
              'error to run data path: failed to run kopia backup: unable to open snapshot source: permission denied',
          }
        : {}),
    },
  };
}

function matchLabels(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function scheduleAndBackups(options: {
  schedule: DemoSchedule;
  services: DemoService[];
  now: Date;
  random: () => number;
  volumeHandle: (namespace: string, claim: string) => string | undefined;
  mountOf: (namespace: string, claim: string) => Mount | undefined;
}): ManifestObject[] {
  const { schedule, services, now, random, volumeHandle, mountOf } = options;
  const hour = 3_600_000;
  const lastRunAt = (() => {
    // The newest run at or before `now` on the schedule's grid (minute taken from the cron).
    const minute = Number(schedule.cron.split(' ')[0]);
    const atHour =
      schedule.everyHours === 24
        ? Number(schedule.cron.split(' ')[1])
        : undefined;
    const t = new Date(now);
    t.setUTCMinutes(minute, 0, 0);
    if (atHour !== undefined) t.setUTCHours(atHour);
    // Starts are up to 20 s late, as Velero's are; the newest must still be in the past.
    while (t.getTime() + 20_000 > now.getTime())
      t.setTime(t.getTime() - schedule.everyHours * hour);
    if (schedule.pausedDaysAgo) {
      while (now.getTime() - t.getTime() < schedule.pausedDaysAgo * 24 * hour)
        t.setTime(t.getTime() - schedule.everyHours * hour);
    }
    return t;
  })();
  const template = {
    ...(schedule.backupLabels
      ? { metadata: { labels: schedule.backupLabels } }
      : {}),
    includedNamespaces: schedule.namespaces,
    ...(schedule.labelSelector
      ? { labelSelector: { matchLabels: schedule.labelSelector } }
      : {}),
    storageLocation: 'default',
    ttl: schedule.ttl,
    snapshotVolumes: schedule.snapshotVolumes ?? true,
    csiSnapshotTimeout: '10m0s',
  };
  // A label-selected backup includes the claims whose labels match, and those of the pods that
  // match (Velero's pod action adds every claim a selected pod mounts).
  const selector = schedule.labelSelector;
  const selected = (service: DemoService) =>
    !selector ||
    matchLabels(selector, labelsOf(service)) ||
    matchLabels(selector, podLabelsOf(service));
  const backups: ManifestObject[] = [];
  const contents: ManifestObject[] = [];
  const podVolumeBackups: ManifestObject[] = [];
  for (let i = schedule.runs - 1; i >= 0; i--) {
    const start = new Date(
      lastRunAt.getTime() -
        i * schedule.everyHours * hour +
        Math.floor(random() * 20) * 1000,
    );
    const newest = i === 0;
    const roll = random();
    let phase = 'Completed';
    if (newest && schedule.name === 'daily-reporting') phase = 'InProgress';
    else if (i === 1 && schedule.name === 'daily-reporting') phase = 'Failed';
    else if (i === 2 && schedule.name === 'daily-reporting')
      phase = 'PartiallyFailed';
    else if (i === 3 && schedule.name === 'daily-payments')
      phase = 'PartiallyFailed';
    else if (roll < 0.04) phase = 'Failed';
    else if (roll < 0.1) phase = 'PartiallyFailed';
    const minutes = 2 + Math.floor(random() * 12);
    // A run that would end after `now` is still running: no backup completes in the future.
    if (start.getTime() + minutes * 60_000 > now.getTime())
      phase = 'InProgress';
    const items = 40 + Math.floor(random() * 200);
    const done = phase !== 'InProgress';
    const name = `${schedule.name}-${stamp(start)}`;
    const excluded = (namespace: string, claim: string) =>
      newest &&
      schedule.name === DEMO_EXCLUDED_VOLUME.schedule &&
      namespace === DEMO_EXCLUDED_VOLUME.namespace &&
      claim === DEMO_EXCLUDED_VOLUME.claim;
    const claims = services
      .filter(s => schedule.namespaces.includes(s.namespace) && selected(s))
      .flatMap(s =>
        s.pvcs.map(claim => ({
          namespace: s.namespace,
          claim,
          fileSystem: Boolean(s.fileSystemBackup),
        })),
      )
      .filter(c => !excluded(c.namespace, c.claim));
    // Volumes opted into file-system backup are not snapshotted: they leave PodVolumeBackups.
    // A partially failed backup lost its last volume (its snapshot is missing, or its pod volume
    // backup failed); a failed one has none; a running one is still copying file systems.
    const lost =
      phase === 'PartiallyFailed' ? claims[claims.length - 1] : undefined;
    const snapshots = schedule.snapshotVolumes ?? true;
    const snapshotted =
      snapshots && (phase === 'Completed' || phase === 'PartiallyFailed')
        ? claims.filter(c => !c.fileSystem && c !== lost)
        : [];
    const recordPhase = (c: (typeof claims)[number]) => {
      if (phase === 'InProgress') return 'InProgress';
      return c === lost ? 'Failed' : 'Completed';
    };
    for (const c of claims.filter(f => f.fileSystem && phase !== 'Failed')) {
      const mount = mountOf(c.namespace, c.claim);
      if (mount) {
        podVolumeBackups.push(
          podVolumeBackup({
            backup: name,
            namespace: c.namespace,
            claim: c.claim,
            mount,
            phase: recordPhase(c),
            start,
            minutes: Math.max(1, minutes - 1),
          }),
        );
      }
    }
    for (const c of snapshotted) {
      const handle = volumeHandle(c.namespace, c.claim);
      if (handle) {
        contents.push(
          snapshotContent({
            backup: name,
            ...c,
            volumeHandle: handle,
            created: start,
          }),
        );
      }
    }
    backups.push({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: {
        name,
        namespace: 'velero',
        uid: uidOf(`Backup/velero/${name}`),
        labels: {
          ...schedule.backupLabels,
          'velero.io/schedule-name': schedule.name,
          'velero.io/storage-location': 'default',
        },
        creationTimestamp: iso(start),
      },
      spec: template,
      status: {
        phase,
        version: 1,
        formatVersion: '1.1.0',
        startTimestamp: iso(start),
        ...(done
          ? {
              completionTimestamp: iso(
                new Date(start.getTime() + minutes * 60_000),
              ),
            }
          : {}),
        expiration: iso(
          new Date(start.getTime() + ttlHours(schedule.ttl) * hour),
        ),
        progress: {
          totalItems: items,
          itemsBackedUp: done ? items : Math.floor(items / 2),
        },
        csiVolumeSnapshotsAttempted:
          phase === 'Failed' || !snapshots
            ? 0
            : claims.filter(c => !c.fileSystem).length,
        csiVolumeSnapshotsCompleted: snapshotted.length,
        ...(phase === 'PartiallyFailed' ? { errors: 1, warnings: 2 } : {}),
        ...(phase === 'Failed'
          ? {
              errors: 1,
              failureReason:
                'error getting backup store for location "default": rpc error: code = Unknown desc = AccessDenied',
            }
          : {}),
      },
    });
  }
  const lastCompleted = backups
    .filter(b => (b.status as { phase: string }).phase === 'Completed')
    .pop();
  return [
    {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: {
        name: schedule.name,
        namespace: 'velero',
        creationTimestamp: iso(new Date(now.getTime() - 90 * 24 * hour)),
      },
      spec: {
        schedule: schedule.cron,
        paused: Boolean(schedule.pausedDaysAgo),
        useOwnerReferencesInBackup: false,
        template,
      },
      status: {
        phase: 'Enabled',
        ...(lastCompleted
          ? {
              lastBackup: (lastCompleted.status as { startTimestamp: string })
                .startTimestamp,
            }
          : {}),
      },
    },
    ...backups,
    ...contents,
    ...podVolumeBackups,
  ];
}

function storageLocations(now: Date): ManifestObject[] {
  return [
    {
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: { name: 'default', namespace: 'velero' },
      spec: {
        provider: 'aws',
        default: true,
        objectStorage: { bucket: 'demo-velero-backups', prefix: 'demo' },
        config: { region: 'eu-west-1' },
      },
      status: {
        phase: 'Available',
        lastValidationTime: iso(now),
        lastSyncedTime: iso(now),
      },
    },
    {
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: { name: 'secondary', namespace: 'velero' },
      spec: {
        provider: 'aws',
        objectStorage: { bucket: 'demo-velero-dr' },
        config: { region: 'eu-central-1' },
      },
      status: {
        phase: 'Unavailable',
        lastValidationTime: iso(now),
        message:
          'BackupStorageLocation "secondary" is unavailable: rpc error: code = Unknown desc = NoSuchBucket',
      },
    },
  ];
}

/**
 * The services and schedules of a synthetic cluster: `svc-<team>-<n>` in a namespace of the same
 * name, owned by `team-<team>`, selected by `backstage.io/kubernetes-id`, each with its claims
 * (`<name>-data`, then `<name>-data-<n>`) and a daily schedule of its own namespace, and with
 * `hourlyRuns` an hourly schedule that backs up its objects only.
 */
export function scaledServices(scale: ScaleOptions): {
  services: DemoService[];
  schedules: DemoSchedule[];
} {
  const services: DemoService[] = [];
  const schedules: DemoSchedule[] = [];
  const claims = scale.claimsPerService ?? 1;
  for (let t = 0; t < scale.teams; t++) {
    const count =
      t === 0 && scale.firstTeamServices !== undefined
        ? scale.firstTeamServices
        : scale.servicesPerTeam;
    for (let s = 0; s < count; s++) {
      const name = `svc-${t}-${s}`;
      services.push({
        name,
        team: `team-${t}`,
        namespace: name,
        workload: 'Deployment',
        pvcs: Array.from({ length: claims }, (_, n) =>
          n === 0 ? `${name}-data` : `${name}-data-${n}`,
        ),
        selection: 'kubernetes-id',
        description: name,
        certificate: 'healthy',
        sast: 'never-scanned',
      });
      schedules.push({
        name: `daily-${name}`,
        namespaces: [name],
        cron: '0 2 * * *',
        everyHours: 24,
        ttl: '720h0m0s',
        runs: scale.days ?? 30,
        // As a team that shows its backups in Backstage's Kubernetes plugin labels them.
        backupLabels: { 'backstage.io/kubernetes-id': name },
      });
      if (scale.hourlyRuns) {
        schedules.push({
          name: `hourly-${name}`,
          namespaces: [name],
          cron: '30 * * * *',
          everyHours: 1,
          ttl: `${Math.max(scale.hourlyRuns, 24)}h0m0s`,
          runs: scale.hourlyRuns,
          snapshotVolumes: false,
          backupLabels: { 'backstage.io/kubernetes-id': name },
        });
      }
    }
  }
  return { services, schedules };
}

/**
 * A few restores of the demo's backups, as Velero names them (`<backup>-<start>`), each into a
 * namespace of its own: a completed drill, a partially failed check, a failed attempt.
 */
function restores(objects: ManifestObject[], now: Date): ManifestObject[] {
  const completed = (schedule: string) =>
    objects.filter(
      o =>
        o.kind === 'Backup' &&
        o.metadata.labels?.['velero.io/schedule-name'] === schedule &&
        (o.status as { phase: string }).phase === 'Completed',
    );
  const plans: Array<{
    backup: ManifestObject | undefined;
    namespace: string;
    phase: 'Completed' | 'PartiallyFailed' | 'Failed';
    afterHours: number;
    minutes: number;
  }> = [
    {
      backup: completed('daily-payments').at(-3),
      namespace: 'payments',
      phase: 'Completed',
      afterHours: 6,
      minutes: 9,
    },
    {
      backup: completed('daily-reporting').at(-2),
      namespace: 'reporting',
      phase: 'PartiallyFailed',
      afterHours: 2,
      minutes: 4,
    },
    {
      backup: completed('daily-data').at(-1),
      namespace: 'data',
      phase: 'Failed',
      afterHours: 30,
      minutes: 1,
    },
  ];
  return plans.flatMap(plan => {
    if (!plan.backup) return [];
    const backup = plan.backup.metadata.name;
    const completedAt = new Date(
      (
        plan.backup.status as { completionTimestamp: string }
      ).completionTimestamp,
    );
    const start = new Date(
      Math.min(
        completedAt.getTime() + plan.afterHours * 3_600_000,
        now.getTime() - 3_600_000,
      ),
    );
    const end = new Date(start.getTime() + plan.minutes * 60_000);
    return [
      {
        apiVersion: 'velero.io/v1',
        kind: 'Restore',
        metadata: {
          name: `${backup}-${stamp(start)}`,
          namespace: 'velero',
          creationTimestamp: iso(start),
        },
        spec: {
          backupName: backup,
          includedNamespaces: [plan.namespace],
          namespaceMapping: {
            [plan.namespace]: `restore-test-${digest(backup, 6)}`,
          },
          restorePVs: true,
        },
        status: {
          phase: plan.phase,
          startTimestamp: iso(start),
          completionTimestamp: iso(end),
          ...(plan.phase === 'Completed'
            ? { warnings: 2, progress: { totalItems: 48, itemsRestored: 48 } }
            : {}),
          ...(plan.phase === 'PartiallyFailed'
            ? {
                errors: 1,
                warnings: 3,
                progress: { totalItems: 21, itemsRestored: 21 },
              }
            : {}),
          ...(plan.phase === 'Failed'
            ? {
                failureReason:
                  'error downloading backup: rpc error: code = Unknown desc = AccessDenied',
              }
            : {}),
        },
      },
    ];
  });
}

/**
 * Generates the objects of a demo cluster: namespaces, workloads with their running pods, and
 * their PVCs and PVs labelled for the catalog, Velero storage locations, schedules and their
 * backups up to `now` with the per-volume records Velero keeps (snapshot contents, pod volume
 * backups), a few restores, and cert-manager issuers, Certificates, Ingresses and hand-made TLS
 * Secrets (whose key pairs and certificates the emulator makes when it loads them, at its own
 * clock, not at `now`). The same options always give the same objects.
 */
export function generateDemoCluster(
  options: GenerateOptions = {},
): ManifestObject[] {
  const now = options.now ?? new Date('2026-11-25T12:00:00Z');
  const random = prng(options.seed ?? 42);
  const { services, schedules } = options.scale
    ? scaledServices(options.scale)
    : { services: DEMO_SERVICES, schedules: DEMO_SCHEDULES };
  const created = new Date(now.getTime() - 120 * 24 * 3_600_000);
  const namespaces = [
    ...new Set([
      'velero',
      ...services.map(s => s.namespace),
      ...(options.scale ? [] : ['intranet']),
    ]),
  ];
  const objects: ManifestObject[] = namespaces.map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'kubernetes.io/metadata.name': name },
      creationTimestamp: iso(created),
    },
    status: { phase: 'Active' },
  }));
  const mounts = new Map<string, Mount>();
  for (const service of services) {
    const running = pods(service, created);
    for (const pod of running) {
      const spec = pod.spec as {
        nodeName: string;
        volumes: Array<{
          name: string;
          persistentVolumeClaim: { claimName: string };
        }>;
      };
      for (const v of spec.volumes) {
        const key = `${service.namespace}/${v.persistentVolumeClaim.claimName}`;
        // Velero backs a claim up once, through the first pod that mounts it.
        if (!mounts.has(key)) {
          mounts.set(key, {
            pod: pod.metadata.name,
            podUid: pod.metadata.uid!,
            node: spec.nodeName,
            volume: v.name,
          });
        }
      }
    }
    objects.push(
      workload(service),
      ...running,
      ...volumes(service, random, created),
    );
  }
  objects.push(...issuers(services));
  for (const service of services) {
    objects.push(
      ...certificates(
        service,
        Boolean(options.scale),
        (options.scale?.certificatesPerService ?? 1) - 1,
      ),
    );
  }
  if (!options.scale) objects.push(...UNOWNED_TLS);
  objects.push(...storageLocations(now));
  const handles = new Map(
    objects
      .filter(o => o.kind === 'PersistentVolume')
      .map(pv => {
        const spec = pv.spec as {
          csi: { volumeHandle: string };
          claimRef: { namespace: string; name: string };
        };
        return [
          `${spec.claimRef.namespace}/${spec.claimRef.name}`,
          spec.csi.volumeHandle,
        ];
      }),
  );
  const volumeHandle = (namespace: string, claim: string) =>
    handles.get(`${namespace}/${claim}`);
  for (const schedule of schedules) {
    objects.push(
      ...scheduleAndBackups({
        schedule,
        services,
        now,
        random,
        volumeHandle,
        mountOf: (namespace, claim) => mounts.get(`${namespace}/${claim}`),
      }),
    );
  }
  if (!options.scale) {
    const start = new Date(now.getTime() - 10 * 24 * 3_600_000);
    objects.push({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: {
        name: 'manual-before-ledger-migration',
        namespace: 'velero',
        labels: { 'velero.io/storage-location': 'default' },
        creationTimestamp: iso(start),
      },
      spec: {
        includedNamespaces: ['payments'],
        storageLocation: 'default',
        ttl: '2160h0m0s',
      },
      status: {
        phase: 'Completed',
        version: 1,
        formatVersion: '1.1.0',
        startTimestamp: iso(start),
        completionTimestamp: iso(new Date(start.getTime() + 6 * 60_000)),
        expiration: iso(new Date(start.getTime() + 2160 * 3_600_000)),
        progress: { totalItems: 112, itemsBackedUp: 112 },
      },
    });
    objects.push(...restores(objects, now));
  }
  return objects;
}
