// The remote's Slideshow button, in Chromium, with an emulated Apple TV as the only receiver: the
// Photos tab offers it, one tap queues every photo, and each reaches the TV as a JPEG by /photo,
// one slideshow interval apart, while the remote shows the photo playing.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAirPlayVideoEmulator, type AirPlayVideoEmulator } from '../../../../receivers/airplay/emulator/video.js';
import { launchChromium } from '../../../e2e/browser.js';
import { ensureUiBuilt } from '../../../e2e/ui-build.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../../../helpers/server.js';

const TV = 'Photo TV';
let lib: LibraryCopy;
let tv: AirPlayVideoEmulator;
let server: RunningServer;
let browser: Browser;
let page: Page;

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

beforeAll(async () => {
  ensureUiBuilt();
  lib = await copyFixtureLibrary();
  tv = await startAirPlayVideoEmulator({ name: TV, model: 'AppleTV5,3', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Photos', path: lib.photos, kind: 'photo' }],
      receivers: [{ kind: 'airplay', name: TV, host: tv.host, port: tv.port, model: 'AppleTV5,3' }],
      discovery: { mdns: false, heartbeatSeconds: 1 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Photos');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 800, height: 900 } });
  await page.context().addCookies(server.cookieFor());
  await page.goto(server.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await tv?.close();
});

describe('remote slideshow to an Apple TV', () => {
  it('plays every photo of the Photos tab on the TV, one after another', async () => {
    // A person picks the TV first (the remote never picks one by itself).
    await page.locator('nav [data-view="receivers"]').click();
    await page.locator('[data-receiver].online', { hasText: TV }).click();
    await poll(() => page.locator('header .receiver').innerText()).toContain(TV);
    const photos: Record<string, unknown>[] = [];
    const both = new Promise<void>((resolve) => {
      const on = (e: Record<string, unknown>) => (photos.push(e), photos.length === 2 && (tv.events.off('photo', on), resolve()));
      tv.events.on('photo', on);
    });
    await page.locator('[data-tab="photos"]').click();
    const button = page.locator('[data-action="slideshow"]');
    await button.waitFor();
    const started = Date.now();
    await button.click();
    await both;
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500); // the second one after the interval
    expect(photos.every((p) => p.jpeg === true)).toBe(true);
    await poll(() => page.locator('header .receiver').innerText()).toContain('playing');
  });
});
