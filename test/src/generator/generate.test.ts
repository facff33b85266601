import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { startEmulator } from '../emulator';
import {
  CART_LABEL_SELECTOR,
  DEMO_SCHEDULES,
  DEMO_SERVICES,
  DEMO_TEAMS,
} from './demo';
import {
  DEMO_EXCLUDED_VOLUME,
  generateDemoCluster,
  ManifestObject,
} from './generate';

jest.setTimeout(30_000);

const now = new Date('2026-11-25T12:00:00Z');
const demo = generateDemoCluster({ now });
const ofKind = (kind: string) => demo.filter(o => o.kind === kind);
type Status = {
  phase?: string;
  completionTimestamp?: string;
  startTimestamp?: string;
};
const statusOf = (o: ManifestObject) => (o.status ?? {}) as Status;

describe('generateDemoCluster', () => {
  it('is deterministic for the same options and varies with the seed', () => {
    expect(generateDemoCluster({ now })).toEqual(demo);
    expect(generateDemoCluster({ now, seed: 7 })).not.toEqual(demo);
  });

  it('has the variety the views need', () => {
    const phases = new Set(ofKind('Backup').map(b => statusOf(b).phase));
    expect([...phases].sort()).toEqual([
      'Completed',
      'Failed',
      'InProgress',
      'PartiallyFailed',
    ]);
    expect(
      ofKind('Schedule')
        .filter(s => (s.spec as { paused: boolean }).paused)
        .map(s => s.metadata.name),
    ).toEqual(['daily-data']);
    expect(ofKind('BackupStorageLocation').map(l => statusOf(l).phase)).toEqual(
      ['Available', 'Unavailable'],
    );
    const scheduled = new Set(DEMO_SCHEDULES.flatMap(s => s.namespaces));
    const uncovered = ofKind('PersistentVolumeClaim').filter(
      p => !scheduled.has(p.metadata.namespace!),
    );
    expect(uncovered.map(p => p.metadata.name)).toEqual(['fraud-models']);
    expect(
      ofKind('Backup').filter(
        b => !b.metadata.labels?.['velero.io/schedule-name'],
      ),
    ).toHaveLength(1);
    expect(ofKind('Restore').map(r => statusOf(r).phase)).toEqual([
      'Completed',
      'PartiallyFailed',
      'Failed',
    ]);
  });

  it('runs pods for every service, labelled like its pod template, mounting its claims', () => {
    const pods = ofKind('Pod');
    for (const service of DEMO_SERVICES) {
      const mine = pods.filter(
        p =>
          p.metadata.namespace === service.namespace &&
          p.metadata.labels?.['app.kubernetes.io/name'] === service.name,
      );
      expect(mine.length).toBeGreaterThan(0);
      const workload = demo.find(
        o => o.kind === service.workload && o.metadata.name === service.name,
      )!;
      const template = (
        workload.spec as {
          template: {
            metadata: {
              labels: Record<string, string>;
              annotations?: Record<string, string>;
            };
          };
        }
      ).template.metadata;
      const mounted = new Set<string>();
      for (const pod of mine) {
        expect(pod.metadata.labels).toEqual(template.labels);
        expect(pod.metadata.annotations).toEqual(template.annotations);
        expect(pod.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
        expect(statusOf(pod).phase).toBe('Running');
        for (const v of (
          pod.spec as {
            volumes: Array<{ persistentVolumeClaim: { claimName: string } }>;
          }
        ).volumes)
          mounted.add(v.persistentVolumeClaim.claimName);
      }
      expect([...mounted].sort()).toEqual([...service.pvcs].sort());
    }
    expect(new Set(pods.map(p => p.metadata.uid)).size).toBe(pods.length);
  });

  it('backs reporting up from the file system: a pod volume backup of its claim per backup, one failed, no snapshots', () => {
    const claim = ofKind('PersistentVolumeClaim').find(
      p => p.metadata.name === 'reporting-exports',
    )!;
    const pods = ofKind('Pod').filter(
      p => p.metadata.namespace === 'reporting',
    );
    expect(pods.map(p => p.metadata.annotations)).toEqual(
      pods.map(() => ({ 'backup.velero.io/backup-volumes': 'vol-0' })),
    );
    const backups = ofKind('Backup').filter(
      b => b.metadata.labels?.['velero.io/schedule-name'] === 'daily-reporting',
    );
    const records = ofKind('PodVolumeBackup');
    for (const backup of backups) {
      const phase = statusOf(backup).phase;
      const mine = records.filter(
        r =>
          r.metadata.labels?.['velero.io/backup-name'] === backup.metadata.name,
      );
      // Velero copies the claim of a completed backup; a partially failed one lost it; a failed
      // one never started; a running one is still copying.
      const expected = {
        Completed: ['Completed'],
        PartiallyFailed: ['Failed'],
        Failed: [],
        InProgress: ['InProgress'],
      }[phase!];
      expect(mine.map(r => statusOf(r).phase)).toEqual(expected);
      for (const record of mine) {
        expect(record.metadata.labels!['velero.io/pvc-uid']).toBe(
          claim.metadata.uid,
        );
        const spec = record.spec as {
          pod: { name: string; uid: string };
          volume: string;
        };
        const pod = pods.find(p => p.metadata.name === spec.pod.name)!;
        expect(spec.pod.uid).toBe(pod.metadata.uid);
        expect(spec.volume).toBe('vol-0');
      }
      expect(
        ofKind('VolumeSnapshotContent').filter(
          c =>
            c.metadata.labels?.['velero.io/backup-name'] ===
            backup.metadata.name,
        ),
      ).toEqual([]);
    }
    expect(
      records.filter(r => statusOf(r).phase === 'Failed').length,
    ).toBeGreaterThanOrEqual(1);
    expect(records.every(r => r.metadata.namespace === 'velero')).toBe(true);
  });

  it("includes cart's claim in the label-selected schedule only through cart's pods", () => {
    const schedule = DEMO_SCHEDULES.find(s => s.labelSelector)!;
    const selects = (labels: Record<string, string> = {}) =>
      Object.entries(schedule.labelSelector!).every(
        ([k, v]) => labels[k] === v,
      );
    const claims = ofKind('PersistentVolumeClaim');
    expect(claims.filter(p => selects(p.metadata.labels))).toEqual([]);
    const pods = ofKind('Pod').filter(p => selects(p.metadata.labels));
    expect(pods.map(p => p.metadata.labels!['app.kubernetes.io/name'])).toEqual(
      ['cart', 'cart'],
    );
    const backups = ofKind('Backup').filter(
      b => b.metadata.labels?.['velero.io/schedule-name'] === schedule.name,
    );
    expect(backups).toHaveLength(schedule.runs);
    const cartHandle = (
      ofKind('PersistentVolume').find(
        v =>
          (v.spec as { claimRef: { name: string } }).claimRef.name ===
          'cart-sessions',
      )!.spec as { csi: { volumeHandle: string } }
    ).csi.volumeHandle;
    for (const backup of backups.filter(
      b => statusOf(b).phase === 'Completed',
    )) {
      expect(backup.spec).toMatchObject({
        labelSelector: { matchLabels: schedule.labelSelector },
      });
      const contents = ofKind('VolumeSnapshotContent').filter(
        c =>
          c.metadata.labels?.['velero.io/backup-name'] === backup.metadata.name,
      );
      expect(
        contents.map(
          c =>
            (c.spec as { source: { volumeHandle: string } }).source
              .volumeHandle,
        ),
      ).toEqual([cartHandle]);
    }
  });

  it('restores existing completed backups into namespaces that do not exist', () => {
    const namespaces = new Set(ofKind('Namespace').map(n => n.metadata.name));
    for (const restore of ofKind('Restore')) {
      const spec = restore.spec as {
        backupName: string;
        namespaceMapping: Record<string, string>;
      };
      const backup = ofKind('Backup').find(
        b => b.metadata.name === spec.backupName,
      )!;
      expect(statusOf(backup).phase).toBe('Completed');
      expect(restore.metadata.name).toMatch(
        new RegExp(`^${spec.backupName}-\\d{14}$`),
      );
      expect(
        new Date(statusOf(restore).startTimestamp!).getTime(),
      ).toBeGreaterThan(
        new Date(statusOf(backup).completionTimestamp!).getTime(),
      );
      expect(
        new Date(statusOf(restore).startTimestamp!).getTime(),
      ).toBeLessThan(now.getTime());
      for (const target of Object.values(spec.namespaceMapping))
        expect(namespaces.has(target)).toBe(false);
    }
  });

  it('never completes a backup after now, wherever now falls on the schedules', () => {
    // 08:35: the hourly runs of 08:00 and 08:30 may not both be done yet.
    const early = new Date('2026-11-25T08:35:00Z');
    const backups = generateDemoCluster({ now: early }).filter(
      o => o.kind === 'Backup',
    );
    const completions = backups
      .map(b => statusOf(b).completionTimestamp)
      .filter((t): t is string => Boolean(t))
      .map(t => new Date(t).getTime());
    expect(completions.length).toBeGreaterThan(100);
    expect(Math.max(...completions)).toBeLessThanOrEqual(early.getTime());
    const newestCart = backups
      .filter(
        b => b.metadata.labels?.['velero.io/schedule-name'] === 'frequent-cart',
      )
      .pop()!;
    expect(statusOf(newestCart).startTimestamp).toMatch(/T08:30/);
  });

  it('keeps 30 days of daily backups and 48 hours of hourly ones, none after now', () => {
    const count = (schedule: string) =>
      ofKind('Backup').filter(
        b => b.metadata.labels?.['velero.io/schedule-name'] === schedule,
      ).length;
    expect(count('daily-payments')).toBe(30);
    expect(count('hourly-storefront')).toBe(48);
    for (const backup of ofKind('Backup')) {
      expect(
        new Date(statusOf(backup).startTimestamp!).getTime(),
      ).toBeLessThanOrEqual(now.getTime());
    }
    const paused = ofKind('Backup')
      .filter(
        b => b.metadata.labels?.['velero.io/schedule-name'] === 'daily-data',
      )
      .map(b => new Date(statusOf(b).startTimestamp!).getTime());
    expect(now.getTime() - Math.max(...paused)).toBeGreaterThanOrEqual(
      7 * 86_400_000,
    );
  });

  it('names backups after their schedule and start, and links every label to an object', () => {
    const schedules = new Set(ofKind('Schedule').map(s => s.metadata.name));
    const scheduledBackups = ofKind('Backup').filter(
      b => b.metadata.labels?.['velero.io/schedule-name'],
    );
    expect(scheduledBackups.length).toBeGreaterThan(100);
    for (const backup of scheduledBackups) {
      const schedule = backup.metadata.labels!['velero.io/schedule-name'];
      expect(schedules.has(schedule)).toBe(true);
      expect(backup.metadata.name).toMatch(new RegExp(`^${schedule}-\\d{14}$`));
    }
    const pvs = ofKind('PersistentVolume');
    for (const pvc of ofKind('PersistentVolumeClaim')) {
      const pv = pvs.find(
        v =>
          v.metadata.name === (pvc.spec as { volumeName: string }).volumeName,
      )!;
      expect(pv.spec).toMatchObject({
        claimRef: {
          namespace: pvc.metadata.namespace,
          name: pvc.metadata.name,
        },
      });
    }
  });

  it('leaves a VolumeSnapshotContent for every volume each completed backup snapshotted', () => {
    const handles = new Map(
      ofKind('PersistentVolume').map(pv => {
        const spec = pv.spec as {
          csi: { volumeHandle: string };
          claimRef: { namespace: string; name: string };
        };
        return [
          spec.csi.volumeHandle,
          `${spec.claimRef.namespace}/${spec.claimRef.name}`,
        ];
      }),
    );
    const contents = ofKind('VolumeSnapshotContent');
    const byBackup = (name: string) =>
      contents.filter(
        c => c.metadata.labels?.['velero.io/backup-name'] === name,
      );
    for (const backup of ofKind('Backup')) {
      const status = backup.status as {
        phase: string;
        csiVolumeSnapshotsCompleted?: number;
      };
      // The counts agree with the records, and every record names a real volume.
      expect(byBackup(backup.metadata.name)).toHaveLength(
        status.csiVolumeSnapshotsCompleted ?? 0,
      );
    }
    for (const content of contents) {
      const handle = (content.spec as { source: { volumeHandle: string } })
        .source.volumeHandle;
      expect(handles.has(handle)).toBe(true);
    }
    // The newest daily-payments backup left one volume out.
    const newest = ofKind('Backup')
      .filter(
        b =>
          b.metadata.labels?.['velero.io/schedule-name'] ===
          DEMO_EXCLUDED_VOLUME.schedule,
      )
      .pop()!;
    const claims = byBackup(newest.metadata.name).map(c =>
      handles.get(
        (c.spec as { source: { volumeHandle: string } }).source.volumeHandle,
      ),
    );
    expect(claims.sort()).toEqual([
      'payments/data-ledger-0',
      'payments/data-ledger-1',
    ]);
  });

  it('grows with the scale options', () => {
    const scaled = generateDemoCluster({
      now,
      scale: { teams: 4, servicesPerTeam: 5, days: 10 },
    });
    expect(scaled.filter(o => o.kind === 'PersistentVolumeClaim')).toHaveLength(
      20,
    );
    expect(scaled.filter(o => o.kind === 'Backup')).toHaveLength(200);
    expect(scaled.filter(o => o.kind === 'Pod')).toHaveLength(40);
    expect(scaled.filter(o => o.kind === 'Certificate')).toHaveLength(20);
    expect(scaled.filter(o => o.kind === 'Ingress')).toHaveLength(20);
  });

  it('gives each service more claims, certificates and hourly object-only backups when asked', () => {
    const scaled = generateDemoCluster({
      now,
      scale: {
        teams: 2,
        servicesPerTeam: 3,
        days: 4,
        claimsPerService: 5,
        certificatesPerService: 7,
        hourlyRuns: 30,
      },
    });
    const of = (kind: string, namespace = 'svc-1-2') =>
      scaled.filter(o => o.kind === kind && o.metadata.namespace === namespace);
    expect(of('PersistentVolumeClaim').map(c => c.metadata.name)).toEqual([
      'svc-1-2-data',
      'svc-1-2-data-1',
      'svc-1-2-data-2',
      'svc-1-2-data-3',
      'svc-1-2-data-4',
    ]);
    expect(scaled.filter(o => o.kind === 'PersistentVolume')).toHaveLength(30);
    // Both pods of a Deployment mount every claim.
    for (const pod of of('Pod')) {
      expect((pod.spec as { volumes: unknown[] }).volumes).toHaveLength(5);
    }
    expect(of('Certificate').map(c => c.metadata.name)).toEqual([
      'svc-1-2',
      ...[1, 2, 3, 4, 5, 6].map(n => `svc-1-2-${n}`),
    ]);
    expect(of('Ingress')).toHaveLength(1);
    expect(scaled.filter(o => o.kind === 'Certificate')).toHaveLength(42);

    const backups = of('Backup', 'velero');
    const bySchedule = (name: string) =>
      backups.filter(
        b => b.metadata.labels?.['velero.io/schedule-name'] === name,
      );
    expect(backups).toHaveLength(6 * (4 + 30));
    const hourly = bySchedule('hourly-svc-1-2');
    expect(hourly).toHaveLength(30);
    const starts = hourly.map(b =>
      Date.parse((b.status as { startTimestamp: string }).startTimestamp),
    );
    for (let i = 1; i < starts.length; i++) {
      expect(Math.round((starts[i] - starts[i - 1]) / 60_000 / 10)).toBe(6);
    }
    const snapshotsOf = (name: string) =>
      scaled.filter(
        o =>
          o.kind === 'VolumeSnapshotContent' &&
          o.metadata.labels?.['velero.io/backup-name'] === name,
      );
    for (const b of hourly) {
      expect((b.spec as { snapshotVolumes: boolean }).snapshotVolumes).toBe(
        false,
      );
      expect(
        (b.status as { csiVolumeSnapshotsAttempted: number })
          .csiVolumeSnapshotsAttempted,
      ).toBe(0);
      expect(snapshotsOf(b.metadata.name)).toHaveLength(0);
    }
    // A completed daily backup snapshots every claim of its namespace.
    const daily = bySchedule('daily-svc-1-2').filter(
      b => (b.status as { phase: string }).phase === 'Completed',
    );
    expect(daily.length).toBeGreaterThan(0);
    for (const b of daily) {
      expect(snapshotsOf(b.metadata.name)).toHaveLength(5);
    }
  });

  it('gives every service an Ingress and Certificates labelled like its other objects', () => {
    for (const service of DEMO_SERVICES) {
      const labels = demo.find(
        o => o.kind === service.workload && o.metadata.name === service.name,
      )!.metadata.labels;
      const mine = (kind: string) =>
        demo.filter(
          o =>
            o.kind === kind &&
            o.metadata.namespace === service.namespace &&
            o.metadata.labels?.['app.kubernetes.io/name'] === service.name,
        );
      const ingresses = mine('Ingress');
      expect(ingresses.map(i => i.metadata.labels)).toEqual(
        ingresses.map(() => labels),
      );
      expect(
        ingresses.flatMap(i =>
          (i.spec as { tls: Array<{ secretName: string }> }).tls.map(
            t => t.secretName,
          ),
        ),
      ).toEqual(
        service.handMadeTls
          ? [`${service.name}-tls`, `${service.name}-legacy-tls`]
          : [`${service.name}-tls`],
      );
      const certificates = mine('Certificate');
      expect(certificates.map(c => c.metadata.name)).toEqual([
        service.name,
        `${service.name}-internal`,
      ]);
      for (const c of certificates) {
        expect(c.metadata.labels).toEqual(labels);
        expect(
          (c.spec as { secretTemplate: { labels: object } }).secretTemplate
            .labels,
        ).toEqual(labels);
        expect(c.status).toBeUndefined();
      }
      expect(mine('Secret').map(x => x.metadata.name)).toEqual(
        service.handMadeTls ? [`${service.name}-legacy-tls`] : [],
      );
    }
    const unowned = ofKind('Secret').filter(
      x => !x.metadata.labels?.['backstage.io/kubernetes-id'],
    );
    expect(
      unowned.map(x => `${x.metadata.namespace}/${x.metadata.name}`),
    ).toEqual(['intranet/intranet-tls']);
    // The scenarios of the demo catalog's e2e expectations, one each.
    expect(
      Object.fromEntries(DEMO_SERVICES.map(x => [x.name, x.certificate])),
    ).toEqual({
      ledger: 'healthy',
      'payments-api': 'expiring-soon',
      'fraud-detector': 'expiring-very-soon',
      'catalog-search': 'rotation-never',
      'storefront-web': 'failing-issuance',
      cart: 'weak-key',
      warehouse: 'stuck-rotation',
      reporting: 'long-lived',
    });
  });

  it('becomes the certificate scenarios once the emulator has issued them', async () => {
    const emulator = await startEmulator({
      objects: demo,
      certManager: { issueDelayMs: 10 },
    });
    try {
      await emulator.certManagerIdle();
      const day = 86_400_000;
      const cert = (namespace: string, name: string) =>
        emulator.get({
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          namespace,
          name,
        }).status as {
          conditions: Array<{ type: string; status: string; reason: string }>;
          notAfter: string;
          renewalTime: string;
          revision: number;
          failedIssuanceAttempts?: number;
        };
      const leaf = (namespace: string, name: string) => {
        const data = emulator.get({
          apiVersion: 'v1',
          kind: 'Secret',
          namespace,
          name,
        }).data as Record<string, string>;
        const pem = Buffer.from(data['tls.crt'], 'base64').toString('utf8');
        return new X509Certificate(
          pem.split(/(?<=-----END CERTIFICATE-----)/)[0],
        );
      };
      const daysLeft = (notAfter: string) =>
        (new Date(notAfter).getTime() - Date.now()) / day;
      const ready = (status: ReturnType<typeof cert>) =>
        status.conditions.find(c => c.type === 'Ready')?.status;

      for (const service of DEMO_SERVICES) {
        const internal = cert(service.namespace, `${service.name}-internal`);
        expect(ready(internal)).toBe('True');
        expect(internal.failedIssuanceAttempts).toBeUndefined();
        expect(ready(cert(service.namespace, service.name))).toBe('True');
      }
      expect(daysLeft(cert('payments', 'payments-api').notAfter)).toBeCloseTo(
        20,
        0,
      );
      expect(
        daysLeft(cert('payments', 'payments-api').renewalTime),
      ).toBeCloseTo(5, 0);
      expect(daysLeft(cert('fraud', 'fraud-detector').notAfter)).toBeCloseTo(
        8,
        0,
      );
      expect(daysLeft(cert('fraud', 'fraud-detector').renewalTime)).toBeCloseTo(
        -22,
        0,
      );
      const failing = cert('storefront', 'storefront-web');
      expect(failing.failedIssuanceAttempts).toBe(1);
      expect(failing.conditions.find(c => c.type === 'Issuing')).toMatchObject({
        status: 'False',
        reason: 'Failed',
      });
      const stuck = cert('data', 'warehouse');
      expect(stuck.revision).toBe(2);
      expect(daysLeft(stuck.notAfter)).toBeCloseTo(90, 0);
      expect(daysLeft(leaf('data', 'warehouse-tls').validTo)).toBeCloseTo(
        50,
        0,
      );
      expect(
        leaf('storefront', 'cart-tls').publicKey.asymmetricKeyDetails
          ?.modulusLength,
      ).toBe(1024);
      expect(daysLeft(cert('reporting', 'reporting').notAfter)).toBeCloseTo(
        365,
        0,
      );
      expect(
        daysLeft(leaf('reporting', 'reporting-legacy-tls').validTo),
      ).toBeCloseTo(165, 0);
      expect(leaf('intranet', 'intranet-tls').subjectAltName).toBe(
        'DNS:intranet.example.com',
      );
      expect(
        emulator.list(
          { apiVersion: 'v1', kind: 'Secret' },
          { fieldSelector: 'type=kubernetes.io/tls' },
        ).items,
      ).toHaveLength(2 * DEMO_SERVICES.length + 2);
    } finally {
      await emulator.close();
    }
  });

  it('is valid against the real CRD schemas: the emulator loads all of it', async () => {
    const emulator = await startEmulator({ objects: demo });
    try {
      expect(
        emulator.list({ apiVersion: 'velero.io/v1', kind: 'Backup' }).items,
      ).toHaveLength(ofKind('Backup').length);
      expect(
        emulator.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' })
          .items,
      ).toHaveLength(8);
      expect(
        emulator.list({
          apiVersion: 'snapshot.storage.k8s.io/v1',
          kind: 'VolumeSnapshotContent',
        }).items,
      ).toHaveLength(ofKind('VolumeSnapshotContent').length);
      for (const kind of ['PodVolumeBackup', 'Restore']) {
        expect(
          emulator.list({ apiVersion: 'velero.io/v1', kind }).items,
        ).toHaveLength(ofKind(kind).length);
      }
      const pods = emulator.list({ apiVersion: 'v1', kind: 'Pod' }).items;
      expect(pods).toHaveLength(ofKind('Pod').length);
      // The uids that PodVolumeBackups name are the uids the cluster serves.
      const claim = emulator.get({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: 'reporting',
        name: 'reporting-exports',
      });
      expect(
        ofKind('PodVolumeBackup').every(
          r => r.metadata.labels?.['velero.io/pvc-uid'] === claim.metadata.uid,
        ),
      ).toBe(true);
    } finally {
      await emulator.close();
    }
  });
});

describe('the demo catalog (catalog-info.yaml)', () => {
  const entities = yaml
    .loadAll(
      readFileSync(resolve(__dirname, '../../../catalog-info.yaml'), 'utf8'),
    )
    .filter(Boolean) as Array<{
    kind: string;
    metadata: { name: string; annotations?: Record<string, string> };
    spec: { owner?: string };
  }>;

  it('has a component for every demo service, with the annotation that selects its objects', () => {
    for (const service of DEMO_SERVICES) {
      const component = entities.find(
        e => e.kind === 'Component' && e.metadata.name === service.name,
      );
      expect(component).toBeDefined();
      expect(component!.spec.owner).toBe(`group:${service.team}`);
      const annotation =
        service.selection === 'kubernetes-id'
          ? ['backstage.io/kubernetes-id', service.name]
          : ['backstage.io/kubernetes-label-selector', CART_LABEL_SELECTOR];
      expect(component!.metadata.annotations?.[annotation[0]]).toBe(
        annotation[1],
      );
    }
  });

  it('selects exactly the PVCs of each service in the generated cluster', () => {
    for (const service of DEMO_SERVICES) {
      const annotations = entities.find(e => e.metadata.name === service.name)!
        .metadata.annotations!;
      const selector = annotations['backstage.io/kubernetes-label-selector'];
      const wanted: Array<[string, string]> = selector
        ? selector.split(',').map(p => p.split('=') as [string, string])
        : [
            [
              'backstage.io/kubernetes-id',
              annotations['backstage.io/kubernetes-id'],
            ],
          ];
      const selected = ofKind('PersistentVolumeClaim')
        .filter(p => wanted.every(([k, v]) => p.metadata.labels?.[k] === v))
        .map(p => p.metadata.name);
      expect(selected).toEqual(service.pvcs);
    }
  });

  it('has every owner group, and one component without Kubernetes annotations', () => {
    const groups = new Set(
      entities
        .filter(e => e.kind === 'Group')
        .map(e => `group:${e.metadata.name}`),
    );
    for (const team of DEMO_TEAMS)
      expect(groups.has(`group:${team}`)).toBe(true);
    for (const entity of entities.filter(e => e.spec?.owner))
      expect(groups.has(entity.spec.owner!)).toBe(true);
    const unannotated = entities.filter(
      e =>
        e.kind === 'Component' &&
        !e.metadata.annotations?.['backstage.io/kubernetes-id'] &&
        !e.metadata.annotations?.['backstage.io/kubernetes-label-selector'],
    );
    expect(unannotated.map(e => e.metadata.name)).toEqual([
      'resilience-for-backstage',
      'docs-portal',
    ]);
  });
});
