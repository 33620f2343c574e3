// The library with 50,000 tracks stays fast: the browser gets pages of 100 as they scroll into
// view and keeps only a screenful of rows in the DOM. The server here has an empty library; the
// track list is answered by the test (Playwright routing) so its size costs no scan.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium } from './browser.js';
import { ensureUiBuilt } from './ui-build.js';

const TOTAL = 50_000;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer({ config: { libraries: [{ name: 'Music', path: mkdtempSync(join(tmpdir(), 'hc-empty-')), kind: 'music' }], discovery: { mdns: false }, scan: { watch: false } } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('library at scale', () => {
  it('scrolls 50,000 tracks reading pages of 100, with a bounded DOM', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.context().addCookies(server.cookieFor());
    const asked: number[] = [];
    await page.route('**/api/library/tracks?*', async (route) => {
      const u = new URL(route.request().url());
      const offset = Number(u.searchParams.get('offset'));
      const limit = Number(u.searchParams.get('limit'));
      asked.push(offset);
      const items = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, k) => {
        const n = offset + k + 1;
        return { id: n, title: `Track ${n}`, artist: `Artist ${n % 997}`, artistId: 1, album: `Album ${Math.floor(n / 12)}`, albumId: null, trackNo: null, duration: 180 + (n % 120), codec: 'mp3', streamUrl: `/media/${n}`, artUrl: null };
      });
      await route.fulfill({ json: { items, total: TOTAL } });
    });
    await page.goto(server.url);
    await page.locator('rc-library-view [data-tab="tracks"]').click();
    await page.locator('[data-kind="track"] >> text=Track 1').first().waitFor();
    const list = page.locator('rc-virtual-list');

    // Jump to the middle and to the end, as a fast fling would.
    for (const [fraction, title] of [[0.5, 'Track 25001'], [1, `Track ${TOTAL}`]] as const) {
      const started = Date.now();
      await list.evaluate((el, f) => (el.scrollTop = f * (el.scrollHeight - el.clientHeight)), fraction);
      await page.locator(`[data-kind="track"] .t1:text-is("${title}")`).waitFor({ timeout: 5000 });
      expect(Date.now() - started).toBeLessThan(3000);
    }
    expect(await page.locator('[data-kind="track"]').count()).toBeLessThan(60);

    // A steady scroll through 3,000 rows: every frame renders only the rows on screen.
    const ms = await list.evaluate(async (el) => {
      el.scrollTop = 0;
      const t0 = performance.now();
      for (let i = 0; i < 60; i++) {
        el.scrollTop += 50 * 60;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      }
      return performance.now() - t0;
    });
    expect(ms).toBeLessThan(10_000);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.length).toBeLessThan(80);
    process.stderr.write(`[library-scale] 60 scroll steps in ${Math.round(ms)} ms; ${asked.length} pages requested\n`);
    await page.close();
  });
});
