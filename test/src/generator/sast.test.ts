import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import yaml from 'js-yaml';
import { DEMO_SERVICES, DemoService } from './demo';
import { generateDemoCluster, ManifestObject } from './generate';
import { openPeriods, markAt } from '../sast/replay';
import { generateDemoSast } from './sast';

const now = new Date('2026-11-25T12:00:00Z');
const history = generateDemoSast({ now, services: DEMO_SERVICES });
const DAY = 86_400_000;

/** The OASIS schema the backend validates uploads with, read where the backend keeps it. */
const validate = new Ajv({
  allErrors: true,
  validateFormats: false,
  strict: false,
}).compile(
  JSON.parse(
    readFileSync(
      resolve(
        __dirname,
        '../../../plugins/resilience-backend/src/sast/schema/sarif-schema-2.1.0.json',
      ),
      'utf8',
    ),
  ),
);

type Backup = { start: number; phase: string; name: string };

/** The backups that include a claim of the service: by namespace, and by label if they select. */
function backupsOf(objects: ManifestObject[], service: DemoService): Backup[] {
  const mine = objects.filter(
    o =>
      (o.kind === 'PersistentVolumeClaim' || o.kind === 'Pod') &&
      o.metadata.namespace === service.namespace &&
      o.metadata.labels?.['app.kubernetes.io/name'] === service.name,
  );
  const hasClaims = mine.some(o => o.kind === 'PersistentVolumeClaim');
  return objects
    .filter(o => o.kind === 'Backup')
    .filter(b => {
      const spec = b.spec as {
        includedNamespaces: string[];
        labelSelector?: { matchLabels: Record<string, string> };
      };
      const selector = spec.labelSelector?.matchLabels;
      return (
        hasClaims &&
        spec.includedNamespaces.includes(service.namespace) &&
        (!selector ||
          mine.some(o =>
            Object.entries(selector).every(
              ([k, v]) => o.metadata.labels?.[k] === v,
            ),
          ))
      );
    })
    .map(b => {
      const status = b.status as { startTimestamp: string; phase: string };
      return {
        name: b.metadata.name,
        start: new Date(status.startTimestamp).getTime(),
        phase: status.phase,
      };
    })
    .sort((a, b) => a.start - b.start);
}

/** The marks of a service's backups, oldest first, and their runs (`[unknown, known-good]`). */
function marksOf(service: string, at: Date) {
  const objects = generateDemoCluster({ now: at });
  const uploads = generateDemoSast({ now: at, services: DEMO_SERVICES }).filter(
    h => h.upload.entityRef === `component:default/${service}`,
  );
  const state = openPeriods(
    uploads.map(({ upload, log }) => ({ ...upload, log })),
  );
  const backups = backupsOf(
    objects,
    DEMO_SERVICES.find(s => s.name === service)!,
  ).map(b => ({ ...b, mark: markAt(b.start, state).mark }));
  const runs = backups
    .map(b => b.mark)
    .filter((mark, i, all) => i === 0 || all[i - 1] !== mark);
  // The critical and high periods: those that mark backups.
  const spans = state.periods.filter(p =>
    ['critical', 'high'].includes(p.severity),
  );
  return { backups, runs, state: { ...state, spans }, uploads };
}

/** Times of day around the schedules' runs (01:30, 02:00, 03:00, hourly at :00 and :30). */
const NOWS = [
  '2026-11-25T12:00:00Z',
  '2026-11-25T01:35:00Z',
  '2026-11-25T02:05:00Z',
  '2026-11-25T02:50:00Z',
  '2026-11-25T05:10:00Z',
  '2026-11-25T08:35:00Z',
  '2026-11-25T23:58:00Z',
].map(t => new Date(t));

describe('generateDemoSast', () => {
  it('is deterministic for the same now', () => {
    expect(generateDemoSast({ now, services: DEMO_SERVICES })).toEqual(history);
  });

  it('writes SARIF 2.1.0 logs that the OASIS schema accepts', () => {
    expect(history.length).toBeGreaterThan(50);
    for (const { upload, log } of history) {
      const valid = validate(log);
      expect({ file: upload.file, errors: validate.errors ?? [] }).toEqual({
        file: upload.file,
        errors: [],
      });
      expect(valid).toBe(true);
    }
  });

  it('says in each log what its upload says: tool, category, branch, commit and time', () => {
    const files = new Set<string>();
    for (const { upload, log } of history) {
      expect(upload.file).toMatch(
        /^\d{3}-[a-z-]+-(eslint|secretlint)\.sarif\.json$/,
      );
      files.add(upload.file);
      expect(log.runs).toHaveLength(1);
      const run = log.runs[0];
      expect(run.tool.driver.name).toBe(upload.tool);
      expect(run.automationDetails.id.startsWith(upload.category)).toBe(true);
      expect(
        run.automationDetails.id.slice(upload.category.length),
      ).not.toMatch(/\//);
      expect(run.versionControlProvenance).toEqual([
        {
          repositoryUri: expect.stringMatching(/^https:\/\//),
          revisionId: upload.commit,
          branch: `refs/heads/${upload.branch}`,
        },
      ]);
      expect(run.invocations[0].startTimeUtc).toBe(upload.scannedAt);
      expect(new Date(upload.scannedAt).getTime()).toBeLessThan(now.getTime());
      for (const result of run.results) {
        const rule = run.tool.driver.rules[result.ruleIndex];
        expect(rule.id).toBe(result.ruleId);
        expect(rule.properties.tags).toContain('security');
        const uri = result.locations[0].physicalLocation.artifactLocation.uri;
        expect(uri).not.toMatch(/^[a-z]+:|^\//);
        expect(
          run.artifacts[
            result.locations[0].physicalLocation.artifactLocation.index
          ].location.uri,
        ).toBe(uri);
      }
    }
    expect(files.size).toBe(history.length);
    expect(history.map(h => h.upload.file)).toEqual(
      history.map(
        (h, i) => `${String(i + 1).padStart(3, '0')}${h.upload.file.slice(3)}`,
      ),
    );
  });

  it('uploads the scans of each tool, category and branch in the order they ran', () => {
    const last = new Map<string, number>();
    for (const { upload } of history) {
      const key = JSON.stringify([
        upload.entityRef,
        upload.tool,
        upload.category,
        upload.branch,
      ]);
      const at = new Date(upload.scannedAt).getTime();
      expect(at).toBeGreaterThan(last.get(key) ?? -Infinity);
      last.set(key, at);
    }
  });

  it('gives a finding the same fingerprint in every scan and on every branch, and no two findings one', () => {
    const byFingerprint = new Map<string, Set<string>>();
    for (const { upload, log } of history) {
      for (const result of log.runs[0].results) {
        const where = result.locations[0].physicalLocation;
        const what = JSON.stringify([
          upload.entityRef,
          result.ruleId,
          where.artifactLocation.uri,
          where.region.startLine,
        ]);
        const hash = result.partialFingerprints.primaryLocationLineHash;
        byFingerprint.set(
          hash,
          (byFingerprint.get(hash) ?? new Set()).add(what),
        );
      }
    }
    expect(byFingerprint.size).toBeGreaterThan(5);
    for (const findings of byFingerprint.values())
      expect(findings.size).toBe(1);
  });

  it('uploads for components of the demo catalog only, and for every scenario but never-scanned', () => {
    const components = (
      yaml.loadAll(
        readFileSync(resolve(__dirname, '../../../catalog-info.yaml'), 'utf8'),
      ) as Array<{
        kind: string;
        metadata: { name: string; namespace?: string };
      }>
    )
      .filter(e => e?.kind === 'Component')
      .map(
        e =>
          `component:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`,
      );
    const uploaded = new Set(history.map(h => h.upload.entityRef));
    for (const ref of uploaded) expect(components).toContain(ref);
    expect(
      DEMO_SERVICES.filter(
        s => !uploaded.has(`component:default/${s.name}`),
      ).map(s => [s.name, s.sast]),
    ).toEqual([
      ['fraud-detector', 'never-scanned'],
      ['reporting', 'never-scanned'],
    ]);
    const tools = new Set(history.map(h => h.upload.tool));
    expect([...tools].sort()).toEqual(['ESLint', 'secretlint']);
  });

  it.each(NOWS)(
    'ledger (now %s): unknown before its first scan, known-good, vulnerable while the critical was open, known-good since its fix',
    at => {
      const { backups, runs, state } = marksOf('ledger', at);
      expect(runs).toEqual([
        'unknown',
        'known-good',
        'vulnerable',
        'known-good',
      ]);
      for (const mark of ['unknown', 'vulnerable', 'known-good'])
        expect(
          backups.filter(b => b.mark === mark && b.phase === 'Completed')
            .length,
        ).toBeGreaterThan(0);
      // Completed backups on both sides of the vulnerable window.
      const firstVulnerable = backups.findIndex(b => b.mark === 'vulnerable');
      const lastVulnerable = backups.map(b => b.mark).lastIndexOf('vulnerable');
      expect(
        backups
          .slice(0, firstVulnerable)
          .some(b => b.mark === 'known-good' && b.phase === 'Completed'),
      ).toBe(true);
      expect(
        backups
          .slice(lastVulnerable + 1)
          .some(b => b.mark === 'known-good' && b.phase === 'Completed'),
      ).toBe(true);
      expect(
        backups.find(b => b.name === 'manual-before-ledger-migration')!.mark,
      ).toBe('known-good');
      const [critical] = state.spans;
      expect(state.spans).toHaveLength(1);
      expect(critical.severity).toBe('critical');
      const daysAgo = (t: number) => (at.getTime() - t) / DAY;
      expect(daysAgo(critical.from)).toBeGreaterThan(4);
      expect(daysAgo(critical.to!)).toBeGreaterThanOrEqual(1);
      expect(daysAgo(critical.to!)).toBeLessThanOrEqual(2);
    },
  );

  it.each(NOWS)(
    'payments-api (now %s): every backup vulnerable, by a high finding open for more than 30 days',
    at => {
      const { backups, runs, state, uploads } = marksOf('payments-api', at);
      expect(backups.length).toBeGreaterThan(0);
      expect(runs).toEqual(['vulnerable']);
      expect(state.spans).toEqual([
        {
          fingerprint: expect.any(String),
          severity: 'high',
          from: expect.any(Number),
        },
      ]);
      expect(at.getTime() - state.spans[0].from).toBeGreaterThan(30 * DAY);
      // Still scanned within the 7 days scan-freshness allows.
      const latest = Math.max(
        ...uploads.map(u => new Date(u.upload.scannedAt).getTime()),
      );
      expect(at.getTime() - latest).toBeLessThan(7 * DAY);
    },
  );

  it.each(NOWS)(
    'cart (now %s): the backups since its critical finding are vulnerable, the older ones known-good',
    at => {
      const { backups, runs, uploads } = marksOf('cart', at);
      expect(runs).toEqual(['known-good', 'vulnerable']);
      const completed = backups.filter(b => b.phase === 'Completed');
      expect(completed.at(-1)!.mark).toBe('vulnerable');
      expect(completed.some(b => b.mark === 'known-good')).toBe(true);
      // The latest scan still reports it, under review: open.
      const latest = uploads.filter(u => u.upload.tool === 'ESLint').at(-1)!;
      expect(latest.log.runs[0].results.map(r => r.suppressions)).toEqual([
        [expect.objectContaining({ status: 'underReview' })],
      ]);
    },
  );

  it.each(NOWS)(
    'catalog-search (now %s): every backup known-good, its feature branch critical not counting',
    at => {
      const { backups, runs, uploads } = marksOf('catalog-search', at);
      expect(backups.length).toBeGreaterThan(24);
      expect(runs).toEqual(['known-good']);
      const feature = uploads.filter(u => u.upload.branch !== 'main');
      expect(feature.length).toBeGreaterThan(0);
      expect(
        feature.some(u =>
          u.log.runs[0].results.some(
            r =>
              Number(
                u.log.runs[0].tool.driver.rules[r.ruleIndex].properties[
                  'security-severity'
                ],
              ) >= 9,
          ),
        ),
      ).toBe(true);
    },
  );

  it.each(NOWS)(
    'warehouse (now %s): unknown before its first scan, then known-good despite its accepted high; last scanned 10 days ago',
    at => {
      const { backups, runs, state, uploads } = marksOf('warehouse', at);
      expect(runs).toEqual(['unknown', 'known-good']);
      expect(
        backups.filter(b => b.mark === 'known-good' && b.phase === 'Completed')
          .length,
      ).toBeGreaterThan(0);
      // Accepted from its first report: never open.
      expect(state.spans).toEqual([]);
      expect(
        uploads.some(u =>
          u.log.runs[0].results.some(r =>
            r.suppressions?.some(x => x.status === 'accepted'),
          ),
        ),
      ).toBe(true);
      const latest = Math.max(
        ...uploads.map(u => new Date(u.upload.scannedAt).getTime()),
      );
      expect((at.getTime() - latest) / DAY).toBeGreaterThanOrEqual(10);
    },
  );

  it.each(NOWS)(
    'reporting (now %s): never scanned, every backup unknown',
    at => {
      const { backups, runs, uploads } = marksOf('reporting', at);
      expect(uploads).toEqual([]);
      expect(backups.length).toBeGreaterThan(0);
      expect(runs).toEqual(['unknown']);
    },
  );

  it('storefront-web: a high finding open for less than the 30-day SLA, no critical', () => {
    const { state, backups } = marksOf('storefront-web', now);
    expect(backups).toEqual([]);
    expect(state.spans).toEqual([
      expect.objectContaining({ severity: 'high' }),
    ]);
    expect(state.spans[0].to).toBeUndefined();
    expect(now.getTime() - state.spans[0].from).toBeLessThan(30 * DAY);
  });
});
