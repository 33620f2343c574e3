// Debian's Chromium driven by playwright-core (no browser download), started the way this
// machine needs it: headless, no sandbox (root), no background traffic to the closed network.
// Playwright gives every launch a fresh, empty --user-data-dir of its own. With `netns` it runs
// inside that network namespace (through a wrapper that execs `ip netns exec`), so its
// 127.0.0.1 is the namespace's own.
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
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
