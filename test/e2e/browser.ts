// Debian's Chromium driven by playwright-core (no browser download), started the way this
// machine needs it: headless, no sandbox (root), no background traffic to the closed network.
// Playwright gives every launch a fresh, empty --user-data-dir of its own.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install the Debian package chromium (npm test's set-up does)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
