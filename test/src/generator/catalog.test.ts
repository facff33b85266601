import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { generateScaleCatalog } from './catalog';
import { generateDemoCluster } from './generate';
import { writeCatalog } from './write';

const scale = { teams: 3, servicesPerTeam: 4 };
const catalog = generateScaleCatalog(scale);
const cluster = generateDemoCluster({
  now: new Date('2026-11-25T12:00:00Z'),
  scale: { ...scale, days: 2 },
});
const components = catalog.filter(e => e.kind === 'Component');
const groups = catalog.filter(e => e.kind === 'Group');

describe('generateScaleCatalog', () => {
  it('has one Group per team and one Component per service, each owned by its team', () => {
    expect(groups.map(g => g.metadata.name)).toEqual([
      'team-0',
      'team-1',
      'team-2',
    ]);
    expect(components).toHaveLength(12);
    expect(new Set(catalog.map(e => `${e.kind}:${e.metadata.name}`)).size).toBe(
      catalog.length,
    );
    for (const component of components) {
      const [, team] = /^svc-(\d+)-\d+$/.exec(component.metadata.name)!;
      expect(component.spec.owner).toBe(`group:default/team-${team}`);
    }
    const owners = components.map(c => c.spec.owner);
    for (const group of groups) {
      expect(
        owners.filter(o => o === `group:default/${group.metadata.name}`),
      ).toHaveLength(4);
    }
  });

  it('gives entity names the catalog accepts', () => {
    for (const entity of catalog) {
      expect(entity.metadata.name).toMatch(/^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/);
      expect(entity.metadata.name.length).toBeLessThanOrEqual(63);
    }
  });

  it('maps each Component to the workload, pods and claim of its own service, and no other', () => {
    const labelled = cluster.filter(o =>
      ['Deployment', 'Pod', 'PersistentVolumeClaim'].includes(o.kind),
    );
    for (const component of components) {
      const id = component.metadata.annotations!['backstage.io/kubernetes-id'];
      const mine = labelled.filter(
        o => o.metadata.labels?.['backstage.io/kubernetes-id'] === id,
      );
      expect(mine.map(o => `${o.kind}/${o.metadata.namespace}`).sort()).toEqual(
        [
          `Deployment/${id}`,
          `PersistentVolumeClaim/${id}`,
          `Pod/${id}`,
          `Pod/${id}`,
        ],
      );
      expect(mine.map(o => o.metadata.name)).toContain(`${id}-data`);
    }
    // Every service of the cluster is in the catalog.
    const ids = new Set(
      labelled.map(o => o.metadata.labels?.['backstage.io/kubernetes-id']),
    );
    expect([...ids].sort()).toEqual(
      components.map(c => c.metadata.name).sort(),
    );
  });

  it('is written as a multi-document YAML file the catalog can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-test-'));
    try {
      const file = join(dir, 'nested', 'catalog.yaml');
      await writeCatalog(file, catalog);
      expect(yaml.loadAll(await readFile(file, 'utf8'))).toEqual(catalog);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('generateScaleCatalog with one large team', () => {
  it('gives the first team its own number of services, in the cluster too', () => {
    const large = { teams: 3, servicesPerTeam: 2, firstTeamServices: 7 };
    const owners = generateScaleCatalog(large)
      .filter(e => e.kind === 'Component')
      .map(c => c.spec.owner);
    expect(owners.filter(o => o === 'group:default/team-0')).toHaveLength(7);
    expect(owners.filter(o => o === 'group:default/team-1')).toHaveLength(2);
    expect(owners.filter(o => o === 'group:default/team-2')).toHaveLength(2);
    const namespaces = generateDemoCluster({
      now: new Date('2026-11-25T12:00:00Z'),
      scale: { ...large, days: 1 },
    })
      .filter(o => o.kind === 'Namespace')
      .map(o => o.metadata.name);
    expect(namespaces.filter(n => n.startsWith('svc-0-'))).toHaveLength(7);
    expect(namespaces).toHaveLength(1 + 7 + 2 + 2);
  });
});

describe('generateScaleCatalog with services on no collected cluster', () => {
  it('adds Components owned by the teams in turn, mapped to nothing, and leaves the cluster alone', () => {
    const withOthers = generateScaleCatalog(scale, { catalogOnlyServices: 7 });
    const others = withOthers.filter(e => e.metadata.name.startsWith('app-'));
    expect(others.map(e => e.metadata.name)).toEqual([
      'app-0',
      'app-1',
      'app-2',
      'app-3',
      'app-4',
      'app-5',
      'app-6',
    ]);
    expect(others.map(e => e.spec.owner)).toEqual([
      'group:default/team-0',
      'group:default/team-1',
      'group:default/team-2',
      'group:default/team-0',
      'group:default/team-1',
      'group:default/team-2',
      'group:default/team-0',
    ]);
    expect(others.every(e => e.kind === 'Component')).toBe(true);
    expect(others.every(e => e.metadata.annotations === undefined)).toBe(true);
    // The rest of the catalog is as without them, but for the groups' descriptions.
    expect(
      withOthers
        .filter(e => !e.metadata.name.startsWith('app-'))
        .map(e => ({ ...e, metadata: { ...e.metadata, description: '' } })),
    ).toEqual(
      catalog.map(e => ({
        ...e,
        metadata: { ...e.metadata, description: '' },
      })),
    );
    expect(
      withOthers.find(e => e.metadata.name === 'team-0')!.metadata.description,
    ).toBe('Synthetic team owning 7 services');
  });
});

describe('the synthetic backups', () => {
  it('carry the kubernetes-id of their service, from their schedule’s template, as Velero copies it', () => {
    const schedules = cluster.filter(o => o.kind === 'Schedule');
    const backups = cluster.filter(o => o.kind === 'Backup');
    expect(backups.length).toBeGreaterThan(0);
    for (const backup of backups) {
      const schedule = schedules.find(
        s =>
          s.metadata.name ===
          backup.metadata.labels?.['velero.io/schedule-name'],
      )!;
      const template = (
        schedule.spec as { template: { metadata: { labels: object } } }
      ).template;
      const id = schedule.metadata.name.replace(/^daily-/, '');
      expect(template.metadata.labels).toEqual({
        'backstage.io/kubernetes-id': id,
      });
      expect(backup.metadata.labels).toMatchObject({
        'backstage.io/kubernetes-id': id,
      });
      expect(backup.metadata.namespace).toBe('velero');
    }
  });
});
