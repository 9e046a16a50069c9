// The matrix page in a real browser: Debian's headless Chromium, kept off the network.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reportsDir } from '../../config/env.ts';
import { PALETTE } from '../../harness/plot/svg.ts';
import { renderHtml } from './html.ts';
import { fixtureReport } from './report-fixture.ts';

const CHROMIUM = process.env.NETREPRO_CHROMIUM ?? '/usr/bin/chromium';
/** A page a real matrix run wrote (e.g. reports/matrix.html); unset: a page rendered from the fixture report. */
const REAL_PAGE = process.env.NETREPRO_MATRIX_PAGE;
/** Every host name resolves to nothing: the page cannot reach any address, by design or by accident. */
const OFFLINE_ARGS = ['--host-resolver-rules=MAP * ~NOTFOUND', '--no-proxy-server', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Anti-aliasing may blend a border pixel a little. */
const COLOUR_TOLERANCE = 12;
/** How far either side of the cell's left edge its border is looked for. */
const BORDER_SEARCH_PX = 6;

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const EXPECTED_BORDER: Record<string, number[]> = {
  'as-expected': rgb(PALETTE.green),
  'observed-only': rgb(PALETTE.sky),
  regression: rgb(PALETTE.vermillion),
  'fixed-upstream': rgb(PALETTE.orange),
};

describe(`${REAL_PAGE ?? 'reports/matrix.html (fixture report)'} in headless Chromium`, () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'netrepro-page-'));
  const pagePath = REAL_PAGE ? resolve(REAL_PAGE) : join(dir, 'matrix.html');
  const blocked: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install chromium (or set NETREPRO_CHROMIUM to its path)`);
    if (REAL_PAGE) {
      if (!existsSync(pagePath)) throw new Error(`NETREPRO_MATRIX_PAGE=${REAL_PAGE}: no such file; run npm run matrix first`);
    } else {
      const { report, logOf } = fixtureReport(dir);
      writeFileSync(pagePath, renderHtml(report, { pageDir: dir, linksOf: (id) => ({ log: logOf(id) }) }));
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: OFFLINE_ARGS });
  });
  afterAll(async () => browser?.close());

  async function openPage() {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(pathToFileURL(pagePath).href);
    return page;
  }

  test('each verdict is drawn in its colour; the screenshot shows it', async () => {
    const page = await openPage();
    const grid = page.locator('#grid');
    const shot = PNG.sync.read(await grid.screenshot());
    mkdirSync(reportsDir(), { recursive: true });
    writeFileSync(join(reportsDir(), 'matrix-page.png'), PNG.sync.write(shot));
    const origin = (await grid.boundingBox())!;
    const present = await page.locator('td[data-verdict]').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-verdict')));
    // The fixture holds every verdict; a real run's page is checked for the verdicts it has.
    const verdicts = REAL_PAGE ? Object.keys(EXPECTED_BORDER).filter((v) => present.includes(v)) : Object.keys(EXPECTED_BORDER);
    expect(verdicts.length, 'verdict cells on the page').toBeGreaterThan(0);
    for (const verdict of verdicts) {
      const want = EXPECTED_BORDER[verdict]!;
      const cell = page.locator(`td[data-verdict="${verdict}"]`).first();
      const box = (await cell.boundingBox())!;
      // The cell's 6 px left border (collapsed borders straddle the box edge), in the grid's screenshot.
      const y = Math.round(box.y - origin.y + box.height / 2);
      const near = Array.from({ length: 2 * BORDER_SEARCH_PX + 1 }, (_, i) => Math.round(box.x - origin.x) - BORDER_SEARCH_PX + i).map((x) => {
        const at = (y * shot.width + x) * 4;
        return [shot.data[at]!, shot.data[at + 1]!, shot.data[at + 2]!];
      });
      const hit = near.some((px) => px.every((v, i) => Math.abs(v - want[i]!) <= COLOUR_TOLERANCE));
      expect(hit, `${verdict}: no pixel of colour ${want} at the cell's left edge (saw ${near.map((p) => p.join(',')).join(' ')})`).toBe(true);
      await expect(cell.textContent()).resolves.toMatch(/healthy|affected/);
    }
    expect(await page.locator('td.entry').count()).toBeGreaterThan(8);
    expect(blocked).toEqual([]);
  });

  test('every link leads to a file or folder that exists, and an evidence link opens its folder', async () => {
    const page = await openPage();
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBeGreaterThan(0);
    const missing = hrefs.filter((h) => !h.startsWith('file:') || !existsSync(fileURLToPath(h)));
    expect(missing, `links to files that are not there (or off this machine): ${missing.join(' ')}`).toEqual([]);
    const first = page.locator('a', { hasText: 'evidence' }).first();
    const target = await first.evaluate((a) => (a as HTMLAnchorElement).href);
    await first.click();
    await page.waitForURL((url) => url.href.replace(/\/$/, '') === target.replace(/\/$/, ''));
    if (!REAL_PAGE) expect(target).toMatch(/udp-clients-replaced$/);
    // The folder's listing shows what is in it (plots, and everything else when the test failed).
    const entries = readdirSync(fileURLToPath(target));
    expect(entries.length, `evidence folder ${target} is empty`).toBeGreaterThan(0);
    await expect(page.locator('body').textContent()).resolves.toContain(entries[0]);
    if (!REAL_PAGE) expect(entries).toContain('answers-timeline.svg');
    expect(blocked).toEqual([]);
  });
});
