import { createHash } from 'node:crypto';
import {
  DEMO_SCHEDULES,
  DEMO_SERVICES,
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
    labels?: Record<string, string>;
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
  scale?: { teams: number; servicesPerTeam: number; days?: number };
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

function labelsOf(service: DemoService): Record<string, string> {
  const labels: Record<string, string> = {
    'app.kubernetes.io/name': service.name,
    'app.kubernetes.io/part-of': service.team.replace(/^team-/, ''),
  };
  if (service.selection === 'kubernetes-id')
    labels['backstage.io/kubernetes-id'] = service.name;
  return labels;
}

function workload(service: DemoService): ManifestObject {
  const labels = labelsOf(service);
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
          metadata: { labels },
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
        metadata: { labels },
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

/** A short, stable hex digest, so that names derived from others need no random numbers. */
const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

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

function scheduleAndBackups(
  schedule: DemoSchedule,
  services: DemoService[],
  now: Date,
  random: () => number,
  volumeHandle: (namespace: string, claim: string) => string | undefined,
): ManifestObject[] {
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
    includedNamespaces: schedule.namespaces,
    storageLocation: 'default',
    ttl: schedule.ttl,
    snapshotVolumes: true,
    csiSnapshotTimeout: '10m0s',
  };
  const backups: ManifestObject[] = [];
  const contents: ManifestObject[] = [];
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
    else if (i === 3 && schedule.name === 'daily-payments')
      phase = 'PartiallyFailed';
    else if (roll < 0.04) phase = 'Failed';
    else if (roll < 0.1) phase = 'PartiallyFailed';
    const minutes = 2 + Math.floor(random() * 12);
    const items = 40 + Math.floor(random() * 200);
    const done = phase !== 'InProgress';
    const name = `${schedule.name}-${stamp(start)}`;
    const excluded = (namespace: string, claim: string) =>
      newest &&
      schedule.name === DEMO_EXCLUDED_VOLUME.schedule &&
      namespace === DEMO_EXCLUDED_VOLUME.namespace &&
      claim === DEMO_EXCLUDED_VOLUME.claim;
    const claims = services
      .filter(s => schedule.namespaces.includes(s.namespace))
      .flatMap(s => s.pvcs.map(claim => ({ namespace: s.namespace, claim })))
      .filter(c => !excluded(c.namespace, c.claim));
    // A partially failed backup lost its last volume's snapshot; a failed or running one has none.
    let snapshotted: typeof claims = [];
    if (phase === 'Completed') snapshotted = claims;
    else if (phase === 'PartiallyFailed') snapshotted = claims.slice(0, -1);
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
        labels: {
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
        csiVolumeSnapshotsAttempted: phase === 'Failed' ? 0 : claims.length,
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

function scaledServices(
  teams: number,
  servicesPerTeam: number,
): { services: DemoService[]; schedules: DemoSchedule[] } {
  const services: DemoService[] = [];
  const schedules: DemoSchedule[] = [];
  for (let t = 0; t < teams; t++) {
    for (let s = 0; s < servicesPerTeam; s++) {
      const name = `svc-${t}-${s}`;
      services.push({
        name,
        team: `team-${t}`,
        namespace: name,
        workload: 'Deployment',
        pvcs: [`${name}-data`],
        selection: 'kubernetes-id',
        description: name,
      });
      schedules.push({
        name: `daily-${name}`,
        namespaces: [name],
        cron: '0 2 * * *',
        everyHours: 24,
        ttl: '720h0m0s',
        runs: 30,
      });
    }
  }
  return { services, schedules };
}

/**
 * Generates the objects of a demo cluster: namespaces, workloads and their PVCs and PVs labelled
 * for the catalog, Velero storage locations, schedules and their backups up to `now`. The same
 * options always give the same objects.
 */
export function generateDemoCluster(
  options: GenerateOptions = {},
): ManifestObject[] {
  const now = options.now ?? new Date('2026-11-25T12:00:00Z');
  const random = prng(options.seed ?? 42);
  const { services, schedules } = options.scale
    ? scaledServices(options.scale.teams, options.scale.servicesPerTeam)
    : { services: DEMO_SERVICES, schedules: DEMO_SCHEDULES };
  const created = new Date(now.getTime() - 120 * 24 * 3_600_000);
  const namespaces = [
    ...new Set(['velero', ...services.map(s => s.namespace)]),
  ];
  const objects: ManifestObject[] = namespaces.map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, creationTimestamp: iso(created) },
    status: { phase: 'Active' },
  }));
  for (const service of services) {
    objects.push(workload(service), ...volumes(service, random, created));
  }
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
      ...scheduleAndBackups(
        options.scale
          ? { ...schedule, runs: options.scale.days ?? 30 }
          : schedule,
        services,
        now,
        random,
        volumeHandle,
      ),
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
  }
  return objects;
}
