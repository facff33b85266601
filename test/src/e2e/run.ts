/*
 * End-to-end test: starts the demo portal exactly as `yarn start` does (scripts/start-demo.mjs),
 * opens component pages in headless Chromium (Debian's package, driven by playwright-core), and
 * checks the Resilience tab against what the emulated cluster holds, read independently through
 * @kubernetes/client-node. Writes screenshots under test/e2e/screenshots/ and, with
 * `--report FILE`, a JSON count of passed and failed tests.
 */
import { certificateState, expectedCertificates } from './certificates';
import { ChildProcess, spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import yaml from 'js-yaml';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { expectedSecurity, readSastPlan } from './security';
import { openPeriods } from '../sast/replay';
import { Browser, Page } from 'playwright-core';
import { launchChromium, signInIfAsked } from '../bench/tab';
import { DEMO_SERVICES } from '../generator';
import { EntityChecks, expectedScore, meanOf } from './scores';
import {
  CODE_SECURITY_CHECKS,
  expectedCodeSecurity,
  expectedTab,
  ExpectedTab,
  readCluster,
} from './expectations';

const root = resolve(__dirname, '../../..');
const screenshots = join(root, 'test/e2e/screenshots');
const frontend = 'http://localhost:3000';
const backend = 'http://localhost:7007';

interface Result {
  name: string;
  status: 'passed' | 'failed';
  error?: string;
}

async function waitFor(
  url: string,
  what: string,
  seconds: number,
  demo: ChildProcess,
) {
  for (let i = 0; i < seconds; i++) {
    if (demo.exitCode !== null) {
      throw new Error(
        `the demo stopped (code ${demo.exitCode}) before ${what} answered`,
      );
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await sleep(1000);
  }
  throw new Error(`${what} did not answer at ${url} within ${seconds} s`);
}

/** Waits for the file the demo writes once it has uploaded the SAST history. */
async function waitForFile(
  path: string,
  what: string,
  seconds: number,
  demo: ChildProcess,
) {
  for (let i = 0; i < seconds; i++) {
    if (existsSync(path)) return;
    if (demo.exitCode !== null) {
      throw new Error(
        `the demo stopped (code ${demo.exitCode}) before ${what} finished`,
      );
    }
    await sleep(1000);
  }
  throw new Error(`${what} did not finish within ${seconds} s (no ${path})`);
}

/** A reader of the backend's API with a guest's token, as the frontend has one. */
async function guestApi(): Promise<(path: string) => Promise<unknown>> {
  const refresh = await fetch(
    `${backend}/api/auth/guest/refresh?env=development`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  if (!refresh.ok) {
    throw new Error(`guest sign-in answered ${refresh.status}`);
  }
  const { backstageIdentity } = (await refresh.json()) as {
    backstageIdentity: { token: string };
  };
  return async path => {
    const res = await fetch(`${backend}${path}`, {
      headers: { Authorization: `Bearer ${backstageIdentity.token}` },
    });
    if (!res.ok) {
      throw new Error(
        `GET ${path} answered ${res.status}: ${await res.text()}`,
      );
    }
    return res.json();
  };
}

/** The names of the TLS Secrets of a namespace, read with client-node. */
async function tlsSecretsOf(
  kubeconfigPath: string,
  namespace: string,
): Promise<string[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const secrets = await kc.makeApiClient(CoreV1Api).listNamespacedSecret({
    namespace,
    fieldSelector: 'type=kubernetes.io/tls',
  });
  return secrets.items.map(s => s.metadata!.name!);
}

async function openResilienceTab(page: Page, name: string) {
  await page.goto(`${frontend}/catalog/default/component/${name}`);
  await signInIfAsked(page);
  await page.getByRole('tab', { name: 'Resilience' }).click();
}

/** Whether any process of the group is still running. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Each row of the Certificates section: the certificate's name and the row's text. */
async function certificateRows(page: Page, name: string) {
  await openResilienceTab(page, name);
  const region = page.getByRole('region', {
    name: 'Certificates',
    exact: true,
  });
  await region.getByRole('columnheader', { name: 'Expires' }).waitFor();
  const rows = (await region
    .locator('tbody tr')
    .evaluateAll(trs =>
      trs.map(tr => [
        tr.children[0]?.firstElementChild?.textContent ?? '',
        tr.textContent ?? '',
      ]),
    )) as Array<[string, string]>;
  return { region, rows: new Map(rows) };
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function main() {
  const reportIndex = process.argv.indexOf('--report');
  const reportFile =
    reportIndex > 0 ? process.argv[reportIndex + 1] : undefined;
  mkdirSync(screenshots, { recursive: true });
  mkdirSync(join(root, 'test-results'), { recursive: true });

  const log = createWriteStream(join(root, 'test-results/e2e-demo.log'));
  // start-demo.mjs writes it when its SAST uploads are done; one left by an earlier run must not count.
  const sastUploaded = join(root, '.demo/sarif-uploaded');
  rmSync(sastUploaded, { force: true });
  const demo = spawn('node', ['scripts/start-demo.mjs'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout!.pipe(log);
  demo.stderr!.pipe(log);

  const results: Result[] = [];
  let browser: Browser | undefined;
  // The page of the tests, for a screenshot of a failure.
  let testPage: Page | undefined;
  const test = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
      results.push({ name, status: 'passed' });
      console.log(`  ✓ ${name}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ name, status: 'failed', error: message });
      // What the browser showed when the test failed, to see why.
      await testPage
        ?.screenshot({
          path: join(screenshots, `failed-${results.length}.png`),
          timeout: 10_000,
        })
        .catch(() => undefined);
      console.log(`  ✗ ${name}\n      ${message.split('\n').join('\n      ')}`);
    }
  };

  try {
    console.log('e2e: starting the demo (log in test-results/e2e-demo.log)');
    await waitFor(`${backend}/api/resilience/health`, 'the backend', 240, demo);
    await waitFor(frontend, 'the frontend', 420, demo);
    await waitForFile(sastUploaded, 'the SAST uploads', 300, demo);

    const catalog = yaml
      .loadAll(readFileSync(join(root, 'catalog-info.yaml'), 'utf8'))
      .filter(Boolean) as Array<{
      kind: string;
      metadata: { name: string; annotations?: Record<string, string> };
    }>;
    const cluster = await readCluster(join(root, '.demo/kubeconfig'));

    browser = await launchChromium();
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
    });
    page.setDefaultTimeout(60_000);
    testPage = page;

    const components = catalog.filter(e => e.kind === 'Component');
    const mapped = components
      .map(c => ({
        name: c.metadata.name,
        expected: expectedTab(c.metadata.annotations ?? {}, cluster),
      }))
      .filter(
        (c): c is { name: string; expected: ExpectedTab } =>
          c.expected !== null,
      );

    await test('the catalog lists the demo components', async () => {
      await page.goto(`${frontend}/catalog`);
      await signInIfAsked(page);
      for (const { name } of mapped.slice(0, 3)) {
        await page.getByText(name, { exact: true }).first().waitFor();
      }
    });

    for (const { name, expected } of mapped.filter(
      c => c.expected.rows.length > 0,
    )) {
      await test(`the Resilience tab of ${name} shows its PVCs, coverage and last good backups as in the cluster`, async () => {
        await openResilienceTab(page, name);
        // The schedules table names claims too: read the volumes table of its own region.
        const table = page
          .getByRole('region', { name: 'Persistent volumes' })
          .locator('table');
        await table.waitFor();
        // The collector runs on start-up; until it has stored its first results, rows may be missing.
        for (let attempt = 0; ; attempt++) {
          const bodyRows = await table.locator('tbody tr').allInnerTexts();
          const shown = bodyRows.filter(text => text.trim() !== '');
          const missing = expected.rows.filter(
            row => !shown.some(text => text.includes(row.pvc)),
          );
          if (missing.length === 0 || attempt > 30) {
            check(
              missing.length === 0,
              `rows missing for ${missing
                .map(r => r.pvc)
                .join(', ')}; shown: ${shown.join(' | ')}`,
            );
            check(
              shown.length === expected.rows.length,
              `expected ${expected.rows.length} rows, saw ${
                shown.length
              }: ${shown.join(' | ')}`,
            );
            for (const row of expected.rows) {
              const text = shown.find(t => t.includes(row.pvc))!;
              if (row.lastBackup) {
                check(
                  text.includes(row.lastBackup),
                  `${row.pvc}: expected last backup ${row.lastBackup}, row says: ${text}`,
                );
              } else {
                check(
                  /not covered/i.test(text),
                  `${row.pvc}: expected "Not covered", row says: ${text}`,
                );
              }
            }
            break;
          }
          await sleep(2000);
          await page.reload();
          await signInIfAsked(page);
        }
        // Every backup check is shown with a state.
        const checks = page.getByRole('region', { name: 'Backup checks' });
        const states = await checks
          .getByText(/^(Pass|Warning|Fail|Unknown|Not applicable)$/)
          .allInnerTexts();
        check(
          states.length === 6,
          `expected the six backup checks with a state each, saw ${
            states.length
          }: ${states.join(', ')}`,
        );
        await page.screenshot({
          path: join(screenshots, `resilience-${name}.png`),
          fullPage: true,
        });
      });
    }

    await test('the schedules and storage locations of the cluster are shown as Velero reports them, a paused schedule failing its check', async () => {
      // warehouse's namespace is backed up by a schedule that the cluster says is paused.
      const paused = cluster.schedules.filter(
        sch =>
          sch.spec?.paused &&
          sch.spec.template?.includedNamespaces?.includes('data'),
      );
      check(
        paused.length > 0,
        'the demo cluster has no paused schedule for the data namespace',
      );
      await openResilienceTab(page, 'warehouse');
      const schedules = page.getByRole('region', { name: 'Schedules' });
      for (const sch of paused) {
        const row = schedules
          .locator('tr')
          .filter({ hasText: sch.metadata.name });
        await row.waitFor();
        check(
          (await row.innerText()).includes('Paused'),
          `schedule ${
            sch.metadata.name
          } is paused in the cluster; its row says: ${await row.innerText()}`,
        );
      }
      const scheduleCheck = page
        .getByRole('region', { name: 'Backup checks' })
        .locator('li')
        .filter({ hasText: 'Scheduled within RPO' });
      const checkText = await scheduleCheck.innerText();
      check(
        /\bFail\b/.test(checkText) && /paused/.test(checkText),
        `the schedule check of warehouse should fail because its schedule is paused; it says: ${checkText}`,
      );
      const locations = page.getByRole('region', { name: 'Storage locations' });
      for (const location of cluster.storageLocations) {
        const row = locations
          .locator('tr')
          .filter({ hasText: location.metadata.name })
          .first();
        const text = await row.innerText();
        check(
          text.includes(location.status?.phase ?? 'not validated'),
          `storage location ${location.metadata.name} is ${location.status?.phase} in the cluster; its row says: ${text}`,
        );
      }
      // The tab scrolls inside the page: each section gets its own picture.
      await schedules.screenshot({
        path: join(screenshots, 'resilience-warehouse-schedules.png'),
      });
      await locations.screenshot({
        path: join(screenshots, 'resilience-warehouse-storage-locations.png'),
      });
    });

    await test("an entity's policy is its tier's from app-config, with its annotations on top", async () => {
      const config = yaml.load(
        readFileSync(join(root, 'app-config.yaml'), 'utf8'),
      ) as {
        resilience: {
          policies: { tiers: Record<string, { rpo: { hours: number } }> };
        };
      };
      const ledger = catalog.find(e => e.metadata.name === 'ledger')!;
      const tier = ledger.metadata.annotations!['resilience.io/tier'];
      const rpoHours = config.resilience.policies.tiers[tier].rpo.hours;
      await openResilienceTab(page, 'ledger');
      const policy = page.getByRole('region', { name: 'Backup policy' });
      await policy.getByText(tier, { exact: true }).waitFor();
      const text = await policy.innerText();
      check(
        text.includes(`${rpoHours} h`),
        `ledger's tier ${tier} has an RPO of ${rpoHours} h; the policy card says: ${text}`,
      );
      const timeline = page.getByRole('region', { name: 'Backup timeline' });
      const points = await timeline.locator('svg title').count();
      check(points > 0, 'the backup timeline of ledger shows no backup');
      await timeline.screenshot({
        path: join(screenshots, 'resilience-ledger-timeline.png'),
      });
    });

    const EXPIRY_WORDS = {
      pass: /more than the .* warning threshold/,
      warn: /less than the .* warning threshold/,
      fail: /less than the .* failure threshold/,
      expired: /clients reject it/,
    };
    // The entities with certificates, from the cluster: an error here fails a test, not the run.
    const withCertificates: Array<{
      name: string;
      expected: Awaited<ReturnType<typeof expectedCertificates>>;
    }> = [];
    await test('the certificates of the demo entities can be read from the cluster', async () => {
      for (const component of components) {
        const id =
          component.metadata.annotations?.['backstage.io/kubernetes-id'];
        if (!id) continue;
        const expected = await expectedCertificates({
          kubeconfigPath: join(root, '.demo/kubeconfig'),
          kubernetesId: id,
          now: new Date(),
        });
        if (expected.length > 0) {
          withCertificates.push({ name: component.metadata.name, expected });
        }
      }
      check(withCertificates.length > 0, 'no demo entity has certificates');
    });
    for (const { name, expected } of withCertificates) {
      await test(`the Certificates section of ${name} lists its certificates, their expiry and who renews them, as in the cluster`, async () => {
        const { region, rows } = await certificateRows(page, name);
        check(
          [...rows.keys()].sort().join(',') ===
            expected
              .map(e => e.name)
              .sort()
              .join(','),
          `certificates shown: ${[...rows.keys()].join(
            ', ',
          )}; in the cluster: ${expected.map(e => e.name).join(', ')}`,
        );
        for (const certificate of expected) {
          const text = rows.get(certificate.name)!;
          check(
            EXPIRY_WORDS[certificate.expiry].test(text),
            `${certificate.name} should read ${certificate.expiry}: ${text}`,
          );
          check(
            certificate.managedBy === 'hand'
              ? /By hand/.test(text) && !/Renew now/.test(text)
              : /cert-manager/.test(text) && /Renew now/.test(text),
            `${certificate.name} is managed by ${certificate.managedBy}: ${text}`,
          );
          if (certificate.inSync !== undefined) {
            check(
              /rotation is stuck/.test(text) === !certificate.inSync,
              `${certificate.name}'s Secret is ${
                certificate.inSync ? '' : 'not '
              }in sync with its status: ${text}`,
            );
          }
        }
        await region.screenshot({
          path: join(screenshots, `resilience-${name}-certificates.png`),
        });
      });
    }

    await test('renewing a certificate from the portal makes cert-manager issue a new one, and the page shows it', async () => {
      const ref = {
        kubeconfigPath: join(root, '.demo/kubeconfig'),
        namespace: 'payments',
        name: 'ledger',
      };
      const before = await certificateState(ref);
      const { region } = await certificateRows(page, 'ledger');
      await region
        .getByRole('button', { name: 'Renew now: ledger', exact: true })
        .click();
      const dialog = page.getByRole('dialog');
      await dialog.screenshot({
        path: join(screenshots, 'resilience-ledger-renew-confirm.png'),
      });
      await dialog.getByRole('button', { name: /^renew/i }).click();
      await dialog
        .getByText(`Renewed: revision ${(before.revision ?? 0) + 1}`, {
          exact: false,
        })
        .waitFor({ timeout: 90_000 });
      await dialog.screenshot({
        path: join(screenshots, 'resilience-ledger-renew-done.png'),
      });
      const after = await certificateState(ref);
      check(
        after.revision === (before.revision ?? 0) + 1 &&
          after.serial !== before.serial,
        `the cluster should hold a new certificate: before ${JSON.stringify(
          before,
        )}, after ${JSON.stringify(after)}`,
      );
      await dialog.getByRole('button', { name: /close/i }).click();
      await region
        .getByText(`revision ${after.revision}`, { exact: false })
        .first()
        .waitFor({ timeout: 60_000 });
      const timeline = page.getByRole('region', { name: 'Certificate expiry' });
      await timeline.screenshot({
        path: join(screenshots, 'resilience-ledger-certificate-expiry.png'),
      });
    });

    // The demo's SAST history, as uploaded, and the backend's answers, with a guest's token.
    const uploads = readSastPlan(join(root, '.demo/manifests/sarif'));
    const api = await guestApi();
    for (const service of DEMO_SERVICES) {
      const component = components.find(c => c.metadata.name === service.name);
      if (!component) continue;
      const expected = expectedSecurity({
        entityRef: `component:default/${service.name}`,
        annotations: component.metadata.annotations ?? {},
        cluster,
        uploads,
      });
      if (expected.marks.size === 0) continue;
      await test(`every backup of ${service.name} is marked known-good, vulnerable or unknown as its SAST history says (${service.sast})`, async () => {
        const body = (await api(
          `/api/resilience/entities/component/default/${service.name}`,
        )) as {
          backups: Array<{ name: string; security?: Record<string, unknown> }>;
        };
        check(body.backups.length > 0, 'the response lists no backup');
        for (const backup of body.backups) {
          const want = expected.marks.get(backup.name);
          check(
            JSON.stringify(backup.security) === JSON.stringify(want),
            `${backup.name}: expected ${JSON.stringify(
              want,
            )}, the backend says ${JSON.stringify(backup.security)}`,
          );
        }
      });
      await test(`the incident view of ${service.name} names its latest known-good backup, the vulnerable ones since, and the TLS Secrets of its namespace`, async () => {
        const body = (await api(
          `/api/resilience/entities/component/default/${service.name}/incident`,
        )) as {
          latestKnownGood: { name: string } | null;
          vulnerableSince: Array<{ name: string }>;
          namespaces: Array<{ namespace: string }>;
          certificates: Array<{ namespace: string; secretName: string }>;
        };
        check(
          (body.latestKnownGood?.name ?? undefined) ===
            expected.latestKnownGood,
          `latest known-good: expected ${expected.latestKnownGood}, the backend says ${body.latestKnownGood?.name}`,
        );
        const since = body.vulnerableSince.map(b => b.name).join();
        check(
          since === expected.vulnerableSince.join(),
          `vulnerable since: expected ${expected.vulnerableSince.join()}, the backend says ${since}`,
        );
        check(
          body.namespaces.some(n => n.namespace === service.namespace),
          `the namespaces ${JSON.stringify(body.namespaces)} miss ${
            service.namespace
          }`,
        );
        const secrets = await tlsSecretsOf(
          join(root, '.demo/kubeconfig'),
          service.namespace,
        );
        const listed = new Set(
          body.certificates.map(c => `${c.namespace}/${c.secretName}`),
        );
        for (const secret of secrets) {
          check(
            listed.has(`${service.namespace}/${secret}`),
            `the TLS Secret ${
              service.namespace
            }/${secret} is not among the certificates to rotate: ${[
              ...listed,
            ].join(', ')}`,
          );
        }
      });
    }

    for (const name of ['ledger', 'payments-api']) {
      const service = DEMO_SERVICES.find(s => s.name === name)!;
      const component = components.find(c => c.metadata.name === name)!;
      const expected = expectedSecurity({
        entityRef: `component:default/${name}`,
        annotations: component.metadata.annotations ?? {},
        cluster,
        uploads,
      });
      await test(`the incident card and the backup timeline of ${name} show its known-good and vulnerable backups (${service.sast})`, async () => {
        await openResilienceTab(page, name);
        const card = page.getByRole('region', {
          name: 'If this service is compromised',
        });
        const latest = card.getByRole('region', {
          name: 'Latest known-good backup',
        });
        await latest.waitFor();
        const latestText = await latest.innerText();
        if (expected.latestKnownGood) {
          check(
            latestText.includes(expected.latestKnownGood),
            `the card names "${latestText}", expected ${expected.latestKnownGood}`,
          );
        } else {
          check(
            /^None/m.test(latestText),
            `the card should say there is none: "${latestText}"`,
          );
        }
        const vulnerable = await card
          .getByRole('table', { name: 'Vulnerable backups' })
          .locator('tbody tr')
          .allInnerTexts()
          .catch(() => [] as string[]);
        for (const backup of expected.vulnerableSince.slice(0, 3)) {
          check(
            vulnerable.some(row => row.includes(backup)),
            `${backup} is not among the vulnerable backups shown: ${vulnerable.join(
              ' | ',
            )}`,
          );
        }
        await card.screenshot({
          path: join(screenshots, `resilience-${name}-incident.png`),
        });

        // The timeline's legend counts the marks of the backups it shows: those of the response.
        const shown = (await api(
          `/api/resilience/entities/component/default/${name}`,
        )) as { backups: Array<{ name: string }> };
        const count = (mark: string) =>
          shown.backups.filter(b => expected.marks.get(b.name)?.mark === mark)
            .length;
        const legend = (
          await page
            .getByRole('region', { name: 'Backup timeline' })
            .innerText()
        ).replace(/\s+/g, ' ');
        for (const [label, mark] of [
          ['Known-good', 'known-good'],
          ['Vulnerable', 'vulnerable'],
          ['Security unknown', 'unknown'],
        ]) {
          const n = count(mark);
          check(
            n === 0 || legend.includes(`${label} (${n})`),
            `the timeline's legend should read "${label} (${n})": ${legend}`,
          );
        }
        await page.getByRole('region', { name: 'Backup timeline' }).screenshot({
          path: join(screenshots, `resilience-${name}-backup-marks.png`),
        });
      });
    }

    await test('the Code security section of ledger shows its open findings, their trend and links to the code at the scanned commit', async () => {
      await openResilienceTab(page, 'ledger');
      const region = page.getByRole('region', {
        name: 'Code security',
        exact: true,
      });
      await region.waitFor();
      const replayed = openPeriods(
        uploads.filter(u => u.entityRef === 'component:default/ledger'),
      );
      const openNow = replayed.periods.filter(p => p.to === undefined);
      const counts = (
        await region
          .getByRole('list', { name: 'Open findings by severity' })
          .locator('li')
          .allInnerTexts()
      ).map(t => t.replace(/\s+/g, ' ').trim());
      for (const severity of ['critical', 'high', 'medium', 'low']) {
        const n = openNow.filter(p => p.severity === severity).length;
        check(
          counts.includes(`${n} ${severity}`),
          `expected "${n} ${severity}" among ${JSON.stringify(counts)}`,
        );
      }
      // Every finding links to its file at the commit of the latest scan of main.
      const latestMain = uploads
        .filter(
          u =>
            u.entityRef === 'component:default/ledger' && u.branch === 'main',
        )
        .at(-1)!;
      const links = region
        .getByRole('region', { name: 'Open findings' })
        .getByRole('link');
      await links.first().waitFor();
      const hrefs = await links.evaluateAll(all =>
        all.map(a => a.getAttribute('href') ?? ''),
      );
      check(
        hrefs.length === openNow.length,
        `${hrefs.length} links for ${openNow.length} open findings`,
      );
      for (const href of hrefs) {
        check(
          href.startsWith(
            `https://github.com/example-shop/ledger/blob/${latestMain.commit}/`,
          ) && /#L\d+$/.test(href),
          `a finding links to ${href}`,
        );
      }
      // The section is taller than the window, inside Backstage's scrolling content: its parts
      // are taken one by one.
      const trend = region.getByRole('img', { name: 'Open findings trend' });
      await trend.scrollIntoViewIfNeeded();
      await trend.screenshot({
        path: join(screenshots, 'resilience-ledger-sast-trend.png'),
      });
      const findings = region.getByRole('region', { name: 'Open findings' });
      await findings.scrollIntoViewIfNeeded();
      await findings.screenshot({
        path: join(screenshots, 'resilience-ledger-sast-findings.png'),
      });
    });

    for (const service of DEMO_SERVICES) {
      await test(`the code-security checks of ${service.name} show its SAST history (${service.sast})`, async () => {
        await openResilienceTab(page, service.name);
        const region = page.getByRole('region', {
          name: 'Code security checks',
        });
        await region.waitFor();
        const expected = expectedCodeSecurity(service.sast);
        for (const title of CODE_SECURITY_CHECKS) {
          const states = await region
            .locator('li')
            .filter({ hasText: title })
            .getByText(/^(Pass|Warning|Fail|Unknown|Not applicable)$/)
            .allInnerTexts();
          check(
            states.join() === expected[title],
            `${title}: expected ${expected[title]}, shown ${
              states.join(', ') || 'nothing'
            }`,
          );
        }
        await region.screenshot({
          path: join(
            screenshots,
            `resilience-${service.name}-code-security.png`,
          ),
        });
      });
    }

    await test('a restore test started from the Resilience tab of ledger restores its backup, verifies it and cleans up', async () => {
      await openResilienceTab(page, 'ledger');
      const section = page.getByRole('region', { name: 'Restore tests' });
      await section.scrollIntoViewIfNeeded();
      await section.getByRole('button', { name: 'Run restore test' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(/Chosen by default:/).waitFor();
      await dialog.screenshot({
        path: join(screenshots, 'resilience-ledger-restore-test-dialog.png'),
      });
      await dialog.getByRole('button', { name: 'Start' }).click();
      const status = dialog.getByRole('status');
      await status
        .getByText(/^Restore test (succeeded|failed|cancelled)/)
        .waitFor({ timeout: 180_000 });
      const outcome = await status.innerText();
      check(
        /^Restore test succeeded: RTO/.test(outcome),
        `the dialog says: ${outcome}`,
      );
      await dialog.screenshot({
        path: join(screenshots, 'resilience-ledger-restore-test-done.png'),
      });
      // Read independently: the test left nothing behind in the cluster.
      const kc = new KubeConfig();
      kc.loadFromFile(join(root, '.demo/kubeconfig'));
      const left = await kc.makeApiClient(CoreV1Api).listNamespace({
        labelSelector: 'resilience.io/restore-test-id',
      });
      check(
        left.items.length === 0,
        `test namespaces left: ${left.items
          .map(n => n.metadata?.name)
          .join(', ')}`,
      );
      const tests = (await api(
        '/api/resilience/entities/component/default/ledger/restore-tests',
      )) as { items: Array<{ state: string; rtoSeconds?: number }> };
      check(
        tests.items[0]?.state === 'succeeded' &&
          tests.items[0].rtoSeconds !== undefined,
        `latest test: ${JSON.stringify(tests.items[0])}`,
      );
      await dialog.getByRole('button', { name: 'Close' }).click();
      await section
        .getByRole('table')
        .getByText(/Succeeded/)
        .first()
        .waitFor();
      await section.screenshot({
        path: join(screenshots, 'resilience-ledger-restore-tests.png'),
      });
    });

    // Scores: each component's from its checks by the README's rule, then the stored scores of
    // the teams and the organisation, read as the guest, then the card and pages in Chromium.
    const catalogGroups = catalog.filter(e => e.kind === 'Group');
    const ownerOf = (name: string) =>
      String(
        (
          catalog.find(
            e => e.kind === 'Component' && e.metadata.name === name,
          ) as { spec?: { owner?: string } } | undefined
        )?.spec?.owner ?? '',
      ).replace(/^group:/, '');
    const childrenOf = (group: string) =>
      (
        (
          catalogGroups.find(g => g.metadata.name === group) as
            | { spec?: { children?: string[] } }
            | undefined
        )?.spec?.children ?? []
      ).map(String);
    const under = (group: string): string[] => [
      group,
      ...childrenOf(group).flatMap(under),
    ];
    const expectedScores = new Map<string, ReturnType<typeof expectedScore>>();
    await test('the score of every component is the mean of its pillars, each the mean of its checks, graded by the default bounds', async () => {
      for (const component of components) {
        const name = component.metadata.name;
        const facts = (await api(
          `/api/resilience/entities/component/default/${name}`,
        )) as EntityChecks;
        const expected = expectedScore(facts);
        const shown = (await api(
          `/api/resilience/entities/component/default/${name}/score`,
        )) as {
          score: number | null;
          grade: string | null;
          pillars: Array<{ pillar: string; score: number | null }>;
        };
        const pillars = Object.fromEntries(
          shown.pillars.map(p => [p.pillar, p.score]),
        );
        check(
          shown.score === expected.score &&
            shown.grade === expected.grade &&
            JSON.stringify(pillars) === JSON.stringify(expected.pillars),
          `${name}: expected ${JSON.stringify(expected)}, the API says ${
            shown.score
          } ${shown.grade} ${JSON.stringify(pillars)}`,
        );
        expectedScores.set(name, expected);
      }
      // The demo is meant to show a spread of grades, not one.
      const grades = new Set([...expectedScores.values()].map(e => e.grade));
      check(grades.size >= 3, `only the grades ${[...grades].join(', ')}`);
    });

    interface TeamView {
      items: Array<{ entityRef: string; score: number | null }>;
      total: number;
      meanScore: number | null;
      distribution: Record<string, number>;
    }
    const teamView = async (group: string) =>
      (await api(
        `/api/resilience/groups/default/${group}/scorecard?limit=200`,
      )) as TeamView;
    // The stored scores follow the collections and uploads: wait until they match the live ones.
    const storedMatch = async (group: string) => {
      let view = await teamView(group);
      for (let i = 0; i < 60; i++) {
        if (
          view.items.every(
            item =>
              item.score ===
              expectedScores.get(item.entityRef.split('/')[1])?.score,
          )
        ) {
          return view;
        }
        await sleep(2000);
        view = await teamView(group);
      }
      return view;
    };
    const groupsOwning = catalogGroups
      .map(g => g.metadata.name)
      .filter(g =>
        components.some(c => under(g).includes(ownerOf(c.metadata.name))),
      );
    for (const group of ['team-payments', 'engineering']) {
      await test(`the scorecard of ${group} lists what it and the groups below it own, worst first, with their stored scores`, async () => {
        const view = await storedMatch(group);
        const owned = components
          .map(c => c.metadata.name)
          .filter(name => under(group).includes(ownerOf(name)));
        const worstFirst = [...owned].sort((a, b) => {
          const [sa, sb] = [
            expectedScores.get(a)!.score,
            expectedScores.get(b)!.score,
          ];
          if (sa === null || sb === null) {
            return (sa === null ? 1 : 0) - (sb === null ? 1 : 0);
          }
          return sa - sb;
        });
        const shown = view.items.map(i => i.entityRef.split('/')[1]);
        check(
          shown.length === owned.length &&
            shown.every(
              (name, i) =>
                expectedScores.get(name)!.score ===
                expectedScores.get(worstFirst[i])!.score,
            ),
          `expected ${worstFirst.join(
            ', ',
          )} (or ties swapped), shown ${shown.join(', ')}`,
        );
        check(
          view.meanScore ===
            meanOf(owned.map(n => expectedScores.get(n)!.score)),
          `mean ${view.meanScore}`,
        );
      });
    }

    await test('the organisation ranks every team that owns a component by its mean score, best first', async () => {
      await storedMatch('engineering');
      const org = (await api('/api/resilience/scorecard')) as {
        teams: Array<{
          groupRef: string;
          meanScore: number | null;
          entities: number;
        }>;
      };
      const expected = groupsOwning
        .map(group => {
          const owned = components
            .map(c => c.metadata.name)
            .filter(name => under(group).includes(ownerOf(name)));
          return {
            group,
            entities: owned.length,
            mean: meanOf(owned.map(n => expectedScores.get(n)!.score)),
          };
        })
        .sort(
          (a, b) =>
            (b.mean ?? -1) - (a.mean ?? -1) || a.group.localeCompare(b.group),
        );
      const shown = org.teams.map(t => ({
        group: t.groupRef.split('/')[1],
        entities: t.entities,
        mean: t.meanScore,
      }));
      check(
        JSON.stringify(shown) === JSON.stringify(expected),
        `expected ${JSON.stringify(expected)}, shown ${JSON.stringify(shown)}`,
      );
    });

    /** The text of the first cells of the rows of a region's table, top to bottom. */
    const firstCells = async (region: ReturnType<Page['getByRole']>) =>
      (
        await region.locator('tbody tr').evaluateAll(rows =>
          rows
            .map(row => row.querySelectorAll('td'))
            .filter(cells => cells.length > 1)
            .map(cells => (cells[0].textContent ?? '').trim()),
        )
      ).filter(Boolean);

    for (const name of ['ledger', 'catalog-search']) {
      await test(`the scorecard card on the overview of ${name} shows its grade, score and pillars`, async () => {
        const expected = expectedScores.get(name);
        check(expected, `no expected score for ${name}`);
        await page.goto(`${frontend}/catalog/default/component/${name}`);
        await signInIfAsked(page);
        const card = page.getByRole('region', { name: 'Resilience scorecard' });
        await card.waitFor();
        await card
          .getByRole('img', {
            name: expected.grade ? `Grade ${expected.grade}` : 'No grade',
          })
          .waitFor();
        const meter = card.getByRole('meter', { name: 'Score' });
        check(
          (await meter.getAttribute('aria-valuenow')) ===
            String(expected.score),
          `score shown ${await meter.getAttribute('aria-valuenow')}, expected ${
            expected.score
          }`,
        );
        const pillars = await card
          .getByRole('list', { name: 'Pillar scores' })
          .getByRole('listitem')
          .allInnerTexts();
        for (const [pillar, title] of [
          ['backups', 'Backups'],
          ['recovery', 'Recovery'],
          ['certificates', 'Certificates'],
          ['code-security', 'Code security'],
        ]) {
          const value = expected.pillars[pillar];
          const text = pillars.find(p => p.startsWith(title)) ?? '';
          check(
            text
              .replace(/\s+/g, ' ')
              .includes(value === null ? 'no data' : String(value)),
            `${title}: shown "${text}", expected ${value ?? 'no data'}`,
          );
        }
        await card.screenshot({
          path: join(screenshots, `resilience-${name}-scorecard-card.png`),
        });
      });
    }

    await test('the Resilience tab of ledger opens with its scorecard, pillar by pillar', async () => {
      const expected = expectedScores.get('ledger')!;
      await openResilienceTab(page, 'ledger');
      const region = page.getByRole('region', { name: 'Scorecard' });
      await region.waitFor();
      await region
        .getByRole('img', { name: `Grade ${expected.grade}` })
        .first()
        .waitFor();
      for (const title of [
        'Backups',
        'Recovery',
        'Certificates',
        'Code security',
      ]) {
        await region.getByRole('region', { name: `Pillar ${title}` }).waitFor();
      }
      // Taller than the window inside Backstage's scrolling content: its top, as a person sees it.
      await region.scrollIntoViewIfNeeded();
      await page.screenshot({
        path: join(screenshots, 'resilience-ledger-scorecard.png'),
      });
    });

    for (const group of ['team-payments', 'engineering']) {
      await test(`the Resilience tab of the group ${group} lists its entities worst first, as the API does`, async () => {
        const view = await storedMatch(group);
        await page.goto(`${frontend}/catalog/default/group/${group}`);
        await signInIfAsked(page);
        await page.getByRole('tab', { name: 'Resilience' }).click();
        const entities = page.getByRole('region', { name: 'Entities' });
        await entities.locator('tbody tr td').first().waitFor();
        const shown = await firstCells(entities);
        const wanted = view.items.map(i => i.entityRef.split('/')[1]);
        check(
          shown.length === wanted.length &&
            shown.every((text, i) => text.includes(wanted[i])),
          `expected ${wanted.join(', ')}, shown ${shown.join(', ')}`,
        );
        await page
          .getByRole('region', { name: 'Grades' })
          .getByText(String(view.meanScore ?? 'no score'), { exact: true })
          .first()
          .waitFor();
        await page.screenshot({
          path: join(screenshots, `resilience-group-${group}.png`),
          fullPage: true,
        });
      });
    }

    await test('the Resilience page ranks the teams as the API does', async () => {
      const org = (await api('/api/resilience/scorecard')) as {
        teams: Array<{ groupRef: string }>;
      };
      await page.goto(`${frontend}/resilience`);
      await signInIfAsked(page);
      const teams = page.getByRole('region', { name: 'Teams' });
      await teams.locator('tbody tr td').first().waitFor();
      const rows = await teams
        .locator('tbody tr')
        .evaluateAll(trs =>
          trs
            .map(tr =>
              [...tr.querySelectorAll('td')].map(td => td.textContent ?? ''),
            )
            .filter(cells => cells.length > 1),
        );
      const wanted = org.teams.map(t => t.groupRef.split('/')[1]);
      check(
        rows.length === wanted.length &&
          rows.every((cells, i) => cells[1].includes(wanted[i])),
        `expected ${wanted.join(', ')}, shown ${rows
          .map(cells => cells[1])
          .join(', ')}`,
      );
      await page.screenshot({
        path: join(screenshots, 'resilience-organisation.png'),
        fullPage: true,
      });
    });

    const empty = mapped.find(c => c.expected.rows.length === 0);
    if (empty) {
      await test(`the Resilience tab of ${empty.name}, which has no PVCs, says so`, async () => {
        await openResilienceTab(page, empty.name);
        await page
          .getByText(/no persistent volume claims/i)
          .first()
          .waitFor();
        await page.screenshot({
          path: join(screenshots, `resilience-${empty.name}-empty.png`),
          fullPage: true,
        });
      });
    }

    const unannotated = components.find(
      c => expectedTab(c.metadata.annotations ?? {}, cluster) === null,
    );
    if (unannotated) {
      await test(`the Resilience tab of ${unannotated.metadata.name}, without annotations, explains what to add`, async () => {
        await openResilienceTab(page, unannotated.metadata.name);
        await page.getByText('backstage.io/kubernetes-id').first().waitFor();
        await page.screenshot({
          path: join(
            screenshots,
            `resilience-${unannotated.metadata.name}-missing-annotation.png`,
          ),
          fullPage: true,
        });
      });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    results.push({
      name: 'the demo portal starts',
      status: 'failed',
      error: message,
    });
    console.log(`  ✗ the demo portal starts\n      ${message}`);
  } finally {
    await browser?.close();
    try {
      process.kill(-demo.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    for (let i = 0; i < 50 && demo.exitCode === null; i++) await sleep(100);
    // The backend's dev runner can hang on shutdown once its parent is gone (it saves its dev
    // data over IPC to that parent); nothing of the demo may outlive the run and hold its ports.
    for (let i = 0; i < 100 && groupAlive(demo.pid!); i++) await sleep(100);
    try {
      process.kill(-demo.pid!, 'SIGKILL');
    } catch {
      // all gone
    }
  }

  const passed = results.filter(r => r.status === 'passed').length;
  const failed = results.length - passed;
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  if (reportFile) {
    writeFileSync(
      reportFile,
      JSON.stringify({ passed, failed, skipped: 0, results }, null, 2),
    );
  }
  process.exit(failed > 0 ? 1 : 0);
}

main();
