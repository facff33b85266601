import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, Browser, Page } from 'playwright-core';

/**
 * Debian's Chromium, headless, without its background traffic: the browser of the e2e test and
 * the bench. Never one a tool downloads.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** One load of the Resilience tab in Chromium. */
export interface TabRun {
  /** From the navigation until the claims, certificates and findings tables all show rows. */
  contentMs: number;
  /** The main thread's long tasks (over 50 ms) until then. */
  longTasks: number;
  /** Their time beyond 50 ms each, summed: how long input would have waited (TBT). */
  blockingMs: number;
  longestTaskMs: number;
  /** From a click on the claims table's next page until its first row is another claim. */
  nextPageMs: number;
  /** Rows the claims table shows at once, of the claims the entity has. */
  claimRows: number;
}

/** The regions of the tab whose first rows mean its content is there. */
export const CONTENT_REGIONS = [
  'Persistent volumes',
  'Certificates',
  'Open findings',
];

/** Records the page's long tasks from its first script on, in `window.__longTasks`. */
const RECORD_LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
`;

/** The long tasks' count, blocking time beyond 50 ms each, and the longest. */
export function summariseLongTasks(durations: number[]) {
  return {
    longTasks: durations.length,
    blockingMs: durations.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
    longestTaskMs: durations.reduce((max, d) => Math.max(max, d), 0),
  };
}

/**
 * Opens `url` (the entity's Resilience tab) in a new browser context, signs in as a guest when
 * asked, and times its content and a page turn of its claims table.
 */
export async function measureTab(options: {
  browser: Browser;
  url: string;
  timeoutMs?: number;
  /** Where to save a screenshot of the tab once its content is there. */
  screenshot?: string;
  /**
   * Where to write the page's CPU profile (V8's, through the DevTools protocol) from the
   * navigation until the content is there; its figures are then slower than without.
   */
  cpuProfile?: string;
}): Promise<TabRun> {
  const context = await options.browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(options.timeoutMs ?? 120_000);
    await context.addInitScript(RECORD_LONG_TASKS);
    // Signed in first, so that the figure is the tab's and not the sign-in's.
    await page.goto(options.url);
    await signInIfAsked(page);
    await page.locator('a[href="/catalog"]:visible').first().waitFor();
    await page.evaluate(() => {
      (window as unknown as { __longTasks: number[] }).__longTasks = [];
    });
    const cdp = options.cpuProfile
      ? await context.newCDPSession(page)
      : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const started = Date.now();
    await page.goto(options.url);
    await Promise.all(
      CONTENT_REGIONS.map(name =>
        page
          .getByRole('region', { name, exact: true })
          .locator('tbody tr')
          .first()
          .waitFor(),
      ),
    );
    const contentMs = Date.now() - started;
    if (cdp && options.cpuProfile) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(options.cpuProfile, JSON.stringify(profile));
    }
    if (options.screenshot) {
      await page.screenshot({ path: options.screenshot, fullPage: true });
    }
    const durations = await page.evaluate(
      () => (window as unknown as { __longTasks: number[] }).__longTasks,
    );
    const claims = page.getByRole('region', {
      name: 'Persistent volumes',
      exact: true,
    });
    const firstRow = async () =>
      (await claims.locator('tbody tr').first().textContent()) ?? '';
    const before = await firstRow();
    const claimRows = await claims.locator('tbody tr').count();
    const clicked = Date.now();
    await claims.getByRole('button', { name: /next page/i }).click();
    await page.waitForFunction(
      ([text]) => {
        const region = [...document.querySelectorAll('section')].find(
          s => s.getAttribute('aria-label') === 'Persistent volumes',
        );
        const row = region?.querySelector('tbody tr');
        return row !== null && row !== undefined && row.textContent !== text;
      },
      [before],
    );
    const nextPageMs = Date.now() - clicked;
    return {
      contentMs,
      ...summariseLongTasks(durations),
      nextPageMs,
      claimRows,
    };
  } finally {
    await context.close();
  }
}

/**
 * The guest sign-in page, when the app shows one, has a button to enter as guest; once signed
 * in, the app shows its sidebar instead. Whichever comes first says which it is.
 */
export async function signInIfAsked(page: Page) {
  const enter = page
    .getByRole('button', { name: /enter|sign in|guest/i })
    .first();
  // The sidebar's link to the catalog: only the signed-in app has it.
  const app = page.locator('a[href="/catalog"]:visible').first();
  await Promise.race([
    enter.waitFor({ state: 'visible' }),
    app.waitFor({ state: 'visible' }),
  ]);
  if (await enter.isVisible()) await enter.click();
}

/** The JavaScript files of a built package's `dist`, their bytes and their gzipped bytes. */
export function bundleSize(dist: string): {
  files: number;
  bytes: number;
  gzipBytes: number;
} {
  let files = 0;
  let bytes = 0;
  let gzipBytes = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(m?js|cjs)$/.test(name)) {
        const content = readFileSync(path);
        files += 1;
        bytes += content.length;
        gzipBytes += gzipSync(content, { level: 9 }).length;
      }
    }
  };
  walk(dist);
  return { files, bytes, gzipBytes };
}
