// Debian's Chromium driven by playwright-core (no browser download), started the way this
// machine needs it: headless, no sandbox (root), no background traffic to the closed network.
// Playwright gives every launch a fresh, empty --user-data-dir of its own. With `netns` it runs
// inside that network namespace (through a wrapper that execs `ip netns exec`), so its
// 127.0.0.1 is the namespace's own.
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Netns } from '../helpers/netns.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(opts: { netns?: Netns } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install the Debian package chromium (npm test's set-up does)`);
  let executablePath = CHROMIUM;
  if (opts.netns) {
    // exec keeps the pid and the pipes playwright talks over (fds 3 and 4).
    executablePath = join(mkdtempSync(join(tmpdir(), 'hc-chromium-')), 'chromium');
    writeFileSync(executablePath, `#!/bin/sh\nexec ip netns exec ${opts.netns.name} ${CHROMIUM} "$@"\n`);
    chmodSync(executablePath, 0o755);
  }
  return chromium.launch({ executablePath, headless: true, args: FLAGS });
}

/** A screenshot to `path` once the artwork on screen has loaded (images load lazily, after the rows). */
export async function screenshotLoaded(page: Page, path: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => {
    const imgs: HTMLImageElement[] = [];
    const walk = (root: Document | ShadowRoot) => root.querySelectorAll('*').forEach((el) => (el instanceof HTMLImageElement ? imgs.push(el) : el.shadowRoot && walk(el.shadowRoot)));
    walk(document);
    return imgs.every((i) => i.complete);
  });
  await page.screenshot({ path });
}

/**
 * Pages of the remote, each in its own context (its own storage, as on its own device): touch when
 * phone-sized; every page error kept for the test to assert on; close() closes them all.
 */
export function remotePages(browser: () => Browser, url: () => string, cookies: () => Parameters<BrowserContext['addCookies']>[0] = () => []) {
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  return {
    errors,
    async open(viewport: { width: number; height: number }): Promise<Page> {
      const ctx = await browser().newContext({ viewport, deviceScaleFactor: 1, hasTouch: viewport.width < 600 });
      contexts.push(ctx);
      // Signed in as the owner (the test server's device cookie; see test/helpers/server.ts).
      await ctx.addCookies(cookies());
      const page = await ctx.newPage();
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(url());
      return page;
    },
    async close(): Promise<void> {
      for (const c of contexts) await c.close().catch(() => undefined);
    },
  };
}

/** The remote's main views: tabs on a wide page, the bottom navigation on a narrow one. */
export const wide = (page: Page): boolean => (page.viewportSize()?.width ?? 0) >= 960;
export const viewTab = (page: Page, view: 'receivers' | 'library' | 'playlists' | 'playing' | 'queue' | 'settings', label: string) =>
  wide(page) ? page.locator('.tabs-wide button', { hasText: label }) : page.locator(`nav [data-view="${view}"]`);
