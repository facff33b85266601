import { resolve } from 'node:path';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseResilienceStore } from './DatabaseResilienceStore';
import {
  FindingSeverity,
  NormalisedFinding,
  NormalisedRun,
} from '../sast/types';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  return { knex, store };
}

const t1 = new Date('2026-11-21T00:00:00Z');
const t2 = new Date('2026-11-22T00:00:00Z');
const t3 = new Date('2026-11-23T00:00:00Z');
const entityRef = 'component:default/payments';

function finding(
  fingerprint: string,
  overrides: Partial<NormalisedFinding> = {},
): NormalisedFinding {
  return {
    fingerprint,
    ruleId: `rule-${fingerprint}`,
    severity: 'high',
    message: `message of ${fingerprint}`,
    path: `src/${fingerprint}.ts`,
    startLine: 10,
    ...overrides,
  };
}

function run(
  findings: NormalisedFinding[],
  overrides: Partial<NormalisedRun> = {},
): NormalisedRun {
  return {
    toolName: 'CodeQL',
    toolVersion: '2.20.0',
    category: '/language:javascript',
    findings,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'SAST findings in the store, on %s',
  databaseId => {
    async function upload(
      store: DatabaseResilienceStore,
      scannedAt: Date,
      findings: NormalisedFinding[],
      overrides: Partial<NormalisedRun> = {},
    ) {
      const [report] = await store.ingestSastReports({
        entityRef,
        runs: [{ run: run(findings, overrides), branch: 'main', scannedAt }],
        uploadedBy: 'user:default/ci',
        uploadedAt: scannedAt,
      });
      return report;
    }

    const fingerprints = (findings: Array<{ fingerprint: string }>) =>
      findings.map(f => f.fingerprint).sort();

    /** The findings open at a moment, by their open periods. */
    const openAt = async (
      store: DatabaseResilienceStore,
      at: Date,
      severities?: FindingSeverity[],
    ) =>
      fingerprints(
        (await store.listSastFindingSpans({ entityRef, severities })).filter(
          s => s.openedAt <= at && (!s.closedAt || s.closedAt > at),
        ),
      );

    it('replaces the open set across uploads, fixes what is gone and reopens what comes back', async () => {
      const { store } = await createStore(databaseId);

      const first = await upload(store, t1, [
        finding('a', { severity: 'critical' }),
        finding('b'),
        finding('c', { severity: 'low' }),
      ]);
      expect(first).toMatchObject({
        applied: true,
        counts: { critical: 1, high: 1, medium: 0, low: 1, none: 0 },
        opened: 3,
        fixed: 0,
      });

      // b is gone, d is new, a moved to another line.
      const second = await upload(store, t2, [
        finding('a', { severity: 'critical', startLine: 12 }),
        finding('c', { severity: 'low' }),
        finding('d', { severity: 'medium' }),
      ]);
      expect(second).toMatchObject({ opened: 1, fixed: 1 });
      const open2 = await store.listOpenSastFindings({ entityRef });
      expect(fingerprints(open2)).toEqual(['a', 'c', 'd']);
      expect(open2.map(f => f.severity)).toEqual(['critical', 'medium', 'low']);
      const a = open2.find(f => f.fingerprint === 'a')!;
      expect(a).toMatchObject({
        firstSeenAt: t1,
        lastSeenAt: t2,
        startLine: 12,
        firstReportId: first.id,
        lastReportId: second.id,
      });
      expect(a.fixedAt).toBeUndefined();

      // b comes back: reopened, first seen still t1; c and d are gone.
      const third = await upload(store, t3, [
        finding('a', { severity: 'critical' }),
        finding('b'),
      ]);
      expect(third).toMatchObject({ opened: 1, fixed: 2 });
      const open3 = await store.listOpenSastFindings({ entityRef });
      expect(fingerprints(open3)).toEqual(['a', 'b']);
      expect(open3.find(f => f.fingerprint === 'b')).toMatchObject({
        firstSeenAt: t1,
        lastSeenAt: t3,
        firstReportId: first.id,
        lastReportId: third.id,
      });

      // History: b was open from t1 to t2 and again from t3; c from t1 to t3, d from t2 to t3.
      expect(await openAt(store, new Date(t1.getTime() - 1))).toEqual([]);
      expect(await openAt(store, t1)).toEqual(['a', 'b', 'c']);
      expect(await openAt(store, t2)).toEqual(['a', 'c', 'd']);
      expect(await openAt(store, t3)).toEqual(['a', 'b']);
      expect(await openAt(store, t2, ['critical', 'medium'])).toEqual([
        'a',
        'd',
      ]);
      expect(await openAt(store, t2, [])).toEqual([]);
      const periodsOfB = (await store.listSastFindingSpans({ entityRef }))
        .filter(s => s.fingerprint === 'b')
        .map(s => [s.openedAt, s.closedAt]);
      expect(periodsOfB).toEqual([
        [t1, t2],
        [t3, undefined],
      ]);
      // Only what is still open at or after a moment: b's first period ended at t2.
      expect(
        (
          await store.listSastFindingSpans({
            entityRef,
            openAtOrAfter: t2,
          })
        ).map(s => `${s.fingerprint}@${s.openedAt.toISOString().slice(8, 10)}`),
      ).toEqual(['a@21', 'c@21', 'd@22', 'b@23']);

      const reports = await store.listSastReports({ entityRef });
      expect(reports.map(r => r.id)).toEqual([third.id, second.id, first.id]);
      expect(reports[0]).toMatchObject({
        toolName: 'CodeQL',
        toolVersion: '2.20.0',
        category: '/language:javascript',
        branch: 'main',
        scannedAt: t3,
        uploadedBy: 'user:default/ci',
        opened: 1,
        fixed: 2,
        applied: true,
      });
    });

    it('writes only the findings that changed, and moves the others to the new report', async () => {
      const { knex, store } = await createStore(databaseId);
      const many = Array.from({ length: 300 }, (_, i) => finding(`f${i}`));
      await upload(store, t1, many);
      const findingWrites = async (during: () => Promise<unknown>) => {
        const rows: number[] = [];
        const listener = (query: { sql: string; bindings?: unknown[] }) => {
          const sql = query.sql.trim();
          if (
            /^(insert|update)/i.test(sql) &&
            /resilience_sast_finding/.test(sql)
          ) {
            rows.push(query.bindings?.length ?? 0);
          }
        };
        knex.on('query', listener);
        try {
          await during();
        } finally {
          knex.off('query', listener);
        }
        return rows;
      };

      // The same findings again: no finding is written; the stream moves to the new report.
      let second: Awaited<ReturnType<typeof upload>> | undefined;
      const writes = await findingWrites(async () => {
        second = await upload(store, t2, many);
      });
      expect(writes).toHaveLength(0);
      expect(
        await knex('resilience_sast_streams').where({ entity_ref: entityRef }),
      ).toEqual([expect.objectContaining({ last_report_id: second!.id })]);
      expect(second).toMatchObject({ opened: 0, fixed: 0 });
      const open = await store.listOpenSastFindings({ entityRef });
      expect(open).toHaveLength(300);
      expect(new Set(open.map(f => f.lastReportId))).toEqual(
        new Set([second!.id]),
      );
      expect(open.every(f => f.lastSeenAt.getTime() === t2.getTime())).toBe(
        true,
      );
      expect(open.every(f => f.firstSeenAt.getTime() === t1.getTime())).toBe(
        true,
      );

      // One gone, one new, one with another message: those three written, the rest moved.
      const third = await upload(store, t3, [
        ...many.slice(2),
        finding('f1', { message: 'reworded' }),
        finding('new'),
      ]);
      expect(third).toMatchObject({ opened: 1, fixed: 1 });
      const after = new Map(
        (await store.listOpenSastFindings({ entityRef })).map(f => [
          f.fingerprint,
          f,
        ]),
      );
      expect(after.has('f0')).toBe(false);
      expect(after.get('f1')).toMatchObject({
        message: 'reworded',
        firstSeenAt: t1,
        lastSeenAt: t3,
        lastReportId: third.id,
      });
      expect(after.get('new')).toMatchObject({
        firstSeenAt: t3,
        lastReportId: third.id,
      });
      expect(after.get('f200')).toMatchObject({
        firstSeenAt: t1,
        lastSeenAt: t3,
        lastReportId: third.id,
      });
      expect(after.size).toBe(300);
      // The one gone was last seen in the report before, which its row now says.
      const gone = await knex('resilience_sast_findings')
        .where({ entity_ref: entityRef, fingerprint: 'f0' })
        .first();
      expect(new Date(gone.fixed_at).getTime()).toBe(t3.getTime());
      expect(new Date(gone.last_seen_at).getTime()).toBe(t2.getTime());
      expect(gone.last_report_id).toBe(second!.id);
    });

    it('leaves the open findings in the latest report when an older scan comes late', async () => {
      const { store } = await createStore(databaseId);
      const latest = await upload(store, t2, [finding('a')]);
      const late = await upload(store, t1, [finding('b')]);
      expect(late.applied).toBe(false);
      expect(await store.listOpenSastFindings({ entityRef })).toEqual([
        expect.objectContaining({
          fingerprint: 'a',
          lastSeenAt: t2,
          lastReportId: latest.id,
        }),
      ]);
    });

    it('closes a finding suppressed as accepted, keeps one under review open', async () => {
      const { store } = await createStore(databaseId);
      await upload(store, t1, [finding('a'), finding('b')]);
      const second = await upload(store, t2, [
        finding('a', { suppression: 'accepted' }),
        finding('b', { suppression: 'under-review' }),
        finding('c', { suppression: 'accepted' }),
      ]);
      expect(second).toMatchObject({
        counts: { high: 1 },
        suppressed: 2,
        opened: 0,
        fixed: 1,
      });
      const open = await store.listOpenSastFindings({ entityRef });
      expect(open).toEqual([
        expect.objectContaining({
          fingerprint: 'b',
          suppression: 'under-review',
        }),
      ]);
      expect(await openAt(store, t1, ['high'])).toEqual(['a', 'b']);
      // c was never open.
      expect(await openAt(store, t2, ['high'])).toEqual(['b']);
      // Still accepted later: stays closed since t2.
      const third = await upload(store, t3, [
        finding('a', { suppression: 'accepted' }),
        finding('b', { suppression: 'under-review' }),
      ]);
      expect(third).toMatchObject({ opened: 0, fixed: 0 });
      expect(await openAt(store, t3)).toEqual(['b']);
    });

    it('starts a new open period when the severity of a finding changes', async () => {
      const { store } = await createStore(databaseId);
      await upload(store, t1, [finding('a', { severity: 'medium' })]);
      await upload(store, t2, [finding('a', { severity: 'critical' })]);
      await upload(store, t3, [finding('a', { severity: 'critical' })]);
      expect(await openAt(store, t1, ['critical'])).toEqual([]);
      expect(await openAt(store, t1, ['medium'])).toEqual(['a']);
      expect(await openAt(store, t2, ['critical'])).toEqual(['a']);
      expect(await openAt(store, t2, ['medium'])).toEqual([]);
      expect(
        (await store.listSastFindingSpans({ entityRef })).map(s => [
          s.severity,
          s.openedAt,
          s.closedAt,
        ]),
      ).toEqual([
        ['medium', t1, t2],
        ['critical', t2, undefined],
      ]);
    });

    it('tells the first scan of the default branches that set the open findings', async () => {
      const { store } = await createStore(databaseId);
      expect(
        await store.firstSastScanAt({ entityRef, branches: ['main'] }),
      ).toBeUndefined();
      await upload(store, t2, [finding('a')]);
      // Uploaded late: kept, but it set nothing, so nothing was known at t1 either.
      await upload(store, t1, [finding('b')]);
      await store.ingestSastReports({
        entityRef,
        runs: [{ run: run([]), branch: 'feature', scannedAt: t1 }],
        uploadedBy: 'user:default/ci',
        uploadedAt: t1,
      });
      expect(
        await store.firstSastScanAt({ entityRef, branches: ['main'] }),
      ).toEqual(t2);
      expect(
        await store.firstSastScanAt({
          entityRef,
          branches: ['main', 'feature'],
        }),
      ).toEqual(t1);
      expect(
        await store.firstSastScanAt({ entityRef, branches: [] }),
      ).toBeUndefined();
    });

    it('keeps a report scanned before the latest one without changing the open findings', async () => {
      const { store } = await createStore(databaseId);
      await upload(store, t1, [finding('a')]);
      await upload(store, t3, [finding('b')]);
      const late = await upload(store, t2, [finding('c')]);
      expect(late).toMatchObject({ applied: false, opened: 0, fixed: 0 });
      expect(await openAt(store, t2)).toEqual(['a']);
      expect(late.counts.high).toBe(1);
      expect(
        fingerprints(await store.listOpenSastFindings({ entityRef })),
      ).toEqual(['b']);
      expect(
        (await store.listSastReports({ entityRef })).map(r => r.scannedAt),
      ).toEqual([t3, t2, t1]);
    });

    it('keeps tools, categories, branches and entities apart', async () => {
      const { store } = await createStore(databaseId);
      await store.ingestSastReports({
        entityRef,
        runs: [
          { run: run([finding('a')]), branch: 'main', scannedAt: t1 },
          {
            run: run([finding('a')], { category: '/language:python' }),
            branch: 'main',
            scannedAt: t1,
          },
          {
            run: run([finding('a')], { toolName: 'Semgrep', category: '' }),
            branch: 'main',
            scannedAt: t1,
          },
          { run: run([finding('a')]), branch: 'feature', scannedAt: t1 },
        ],
        uploadedBy: 'user:default/ci',
        uploadedAt: t1,
      });
      // The python run no longer finds it: only that category's finding is fixed.
      await upload(store, t2, [], { category: '/language:python' });
      expect(
        (await store.listOpenSastFindings({ entityRef, branch: 'main' })).map(
          f => `${f.toolName}${f.category}`,
        ),
      ).toEqual(['CodeQL/language:javascript', 'Semgrep']);
      expect(await store.listOpenSastFindings({ entityRef })).toHaveLength(3);
      expect(
        await store.listOpenSastFindings({
          entityRef: 'component:default/other',
        }),
      ).toEqual([]);
    });

    it('stores nothing of an upload when one of its runs is refused', async () => {
      const { knex, store } = await createStore(databaseId);
      await expect(
        store.ingestSastReports({
          entityRef,
          runs: [
            { run: run([finding('a')]), branch: 'main', scannedAt: t1 },
            { run: run([finding('b')]), branch: 'main', scannedAt: t1 },
          ],
          uploadedBy: 'user:default/ci',
          uploadedAt: t1,
        }),
      ).rejects.toThrow(/several runs of tool "CodeQL"/);
      // The database refuses the second run's findings after the first run was written: a
      // trigger stands for any failure half-way (a constraint, a lost connection).
      if (databaseId.startsWith('SQLITE')) {
        await knex.raw(`CREATE TRIGGER refuse_semgrep BEFORE INSERT ON resilience_sast_findings
          WHEN NEW.tool_name = 'AtomicityCheck' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
      } else {
        await knex.raw(`CREATE FUNCTION refuse_semgrep() RETURNS trigger AS $$
          BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql`);
        await knex.raw(`CREATE TRIGGER refuse_semgrep BEFORE INSERT ON resilience_sast_findings
          FOR EACH ROW WHEN (NEW.tool_name = 'AtomicityCheck') EXECUTE FUNCTION refuse_semgrep()`);
      }
      // The outcome as a value rather than `expect(...).rejects`: under load that form sometimes
      // reported "did not throw" on SQLite although the call had failed; not understood yet.
      const outcome = await store
        .ingestSastReports({
          entityRef,
          runs: [
            { run: run([finding('a')]), branch: 'main', scannedAt: t1 },
            {
              run: run([finding('b')], { toolName: 'AtomicityCheck' }),
              branch: 'main',
              scannedAt: t1,
            },
          ],
          uploadedBy: 'user:default/ci',
          uploadedAt: t1,
        })
        .then(
          r => JSON.stringify(r),
          e => `ERR ${e}`,
        );
      expect(outcome).toMatch(/refused by the test/);
      expect(
        Number(
          (
            await knex('resilience_sast_reports')
              .where({ entity_ref: entityRef })
              .count({ n: '*' })
          )[0].n,
        ),
      ).toBe(0);
      expect(
        Number(
          (
            await knex('resilience_sast_findings')
              .where({ entity_ref: entityRef })
              .count({ n: '*' })
          )[0].n,
        ),
      ).toBe(0);
    });

    it('takes concurrent uploads of one tool, category and branch one after the other', async () => {
      const { store } = await createStore(databaseId);
      // CI jobs retried or run twice: the same findings, uploaded at once.
      const outcomes = await Promise.all(
        [t1, t2, t3, t1, t2, t3, t3, t2].map((at, i) =>
          store
            .ingestSastReports({
              entityRef,
              runs: [
                {
                  run: run([
                    finding('a'),
                    finding(`only-${i}`),
                    // Enough rows to keep the transactions open together.
                    ...Array.from({ length: 300 }, (_, n) =>
                      finding(`shared-${n}`, { severity: 'low' }),
                    ),
                  ]),
                  branch: 'main',
                  scannedAt: at,
                },
              ],
              uploadedBy: 'user:default/ci',
              uploadedAt: at,
            })
            .then(
              () => 'stored',
              e => `ERR ${e}`,
            ),
        ),
      );
      expect(outcomes).toEqual(Array(8).fill('stored'));
      const open = (await store.listSastFindingSpans({ entityRef })).filter(
        s => !s.closedAt,
      );
      // One open period per open finding, and the open findings are those of one t3 scan.
      expect(open.filter(s => s.fingerprint === 'a')).toHaveLength(1);
      const openFindings = fingerprints(
        await store.listOpenSastFindings({ entityRef }),
      );
      expect(fingerprints(open)).toEqual(openFindings);
      expect(openFindings).toHaveLength(302);
      expect(openFindings[0]).toBe('a');
      // The uploads scanned at t3 were numbers 2, 5 and 6.
      expect(openFindings.filter(f => f.startsWith('only-'))).toEqual([
        expect.stringMatching(/^only-[256]$/),
      ]);
    });

    it('counts a finding reported twice in one run once', async () => {
      const { store } = await createStore(databaseId);
      const report = await upload(store, t1, [finding('a'), finding('a')]);
      expect(report.counts.high).toBe(1);
      expect(await store.listOpenSastFindings({ entityRef })).toHaveLength(1);
    });

    it('fills the open periods from the findings stored before them', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolve(__dirname, '../../migrations');
      await knex.migrate.up({
        directory,
        name: '20261125000000_init.js',
      });
      while (!(await knex.schema.hasTable('resilience_sast_findings'))) {
        await knex.migrate.up({ directory });
      }
      const row = (fingerprint: string, firstSeen: Date, fixed?: Date) => ({
        entity_ref: entityRef,
        tool_name: 'CodeQL',
        category: '',
        branch: 'main',
        fingerprint,
        rule_id: `rule-${fingerprint}`,
        severity: 'high',
        message: 'm',
        first_seen_at: firstSeen,
        last_seen_at: firstSeen,
        fixed_at: fixed ?? null,
        first_report_id: 'r',
        last_report_id: 'r',
      });
      await knex('resilience_sast_findings').insert([
        row('open', t1),
        row('fixed', t1, t2),
        // Accepted when first seen: never open.
        row('accepted', t3, t3),
      ]);
      const store = await DatabaseResilienceStore.create({
        database: { getClient: async () => knex, migrations: { skip: false } },
      });
      expect(
        (await store.listSastFindingSpans({ entityRef })).map(s => [
          s.fingerprint,
          s.openedAt,
          s.closedAt,
        ]),
      ).toEqual([
        ['open', t1, undefined],
        ['fixed', t1, t2],
      ]);
    });

    it('keeps where each open finding was last seen through the streams migration, down and up', async () => {
      const { knex, store } = await createStore(databaseId);
      await upload(store, t1, [finding('a'), finding('b')]);
      const second = await upload(store, t2, [finding('a'), finding('b')]);
      const lastSeen = async () =>
        (await store.listOpenSastFindings({ entityRef })).map(f => [
          f.fingerprint,
          f.lastSeenAt,
          f.lastReportId,
        ]);
      const expected = [
        ['a', t2, second.id],
        ['b', t2, second.id],
      ];
      expect(await lastSeen()).toEqual(expected);
      const directory = resolve(__dirname, '../../migrations');
      await knex.migrate.down({
        directory,
        name: '20261204210000_sast_streams.js',
      });
      expect(await knex.schema.hasTable('resilience_sast_streams')).toBe(false);
      // Down: each open row holds the latest report again, as before the streams.
      const rows = await knex('resilience_sast_findings')
        .where({ entity_ref: entityRef })
        .orderBy('fingerprint');
      expect(rows.map(r => [r.fingerprint, r.last_report_id])).toEqual([
        ['a', second.id],
        ['b', second.id],
      ]);
      await knex.migrate.latest({ directory });
      expect(await lastSeen()).toEqual(expected);
    });

    it('migrates the SAST tables down, leaving the earlier ones', async () => {
      const { knex } = await createStore(databaseId);
      await knex.migrate.down({
        directory: resolve(__dirname, '../../migrations'),
        name: '20261125090000_sast_finding_spans.js',
      });
      expect(await knex.schema.hasTable('resilience_sast_finding_spans')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('resilience_sast_findings')).toBe(true);
      await knex.migrate.down({
        directory: resolve(__dirname, '../../migrations'),
        name: '20261125080000_sast_findings.js',
      });
      expect(await knex.schema.hasTable('resilience_sast_reports')).toBe(false);
      expect(await knex.schema.hasTable('resilience_sast_findings')).toBe(
        false,
      );
      expect(
        await knex.schema.hasTable('resilience_certificate_renewals'),
      ).toBe(true);
    });
  },
);
