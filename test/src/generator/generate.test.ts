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
