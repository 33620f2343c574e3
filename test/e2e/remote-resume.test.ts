// "Resume from …" in the web remote (Chromium, phone size) against an emulated Chromecast: a video
// tapped in the library plays from its start; stopped some seconds in, the page reloaded, the home's
// "Continue watching" shows it with how far it got, and tapping it asks "Resume from 0:0X / Start
// over". Resume loads the TV where it was left: between the TV's last reported position before it
// stopped and that position carried on to when its idle status came (from its reports, not sleeps).
// The heart on the card marks it a favourite, which the favourites row then shows.
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import { command } from '../helpers/groups.js';
import { copyFixtureLibrary, type LibraryCopy } from '../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { sessionPushes, type SessionPushes } from '../helpers/session-pushes.js';
import { launchChromium } from './browser.js';
import { emulatorEvent } from './emulator-events.js';
import { ensureUiBuilt } from './ui-build.js';

const TV = 'Resume TV';
const TITLE = 'Subtitled Talk';
let lib: LibraryCopy;
let emu: CastEmulator;
let server: RunningServer;
let browser: Browser;
let socket: Socket;
let pushes: SessionPushes;
const pageErrors: string[] = [];

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

beforeAll(async () => {
  ensureUiBuilt();
  lib = await copyFixtureLibrary();
  emu = await startCastEmulator({ name: TV, model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Video', path: lib.video, kind: 'video' }],
      receivers: [{ kind: 'chromecast', name: TV, host: emu.host, port: emu.port, model: 'Chromecast', type: 'tv' }],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Video');
  socket = server.io({ transports: ['websocket'], reconnection: false });
  pushes = sessionPushes(socket);
  await new Promise((resolve) => socket.once('snapshot', resolve));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  socket?.close();
  await browser?.close();
  await server?.stop();
  await emu?.close();
});

async function chooseTv(page: Page): Promise<void> {
  await page.locator('nav [data-view="receivers"]').click();
  await page.locator('[data-receiver]', { hasText: TV }).click();
  await poll(() => page.locator('header .receiver').innerText()).toContain(TV);
}

describe('resume in the remote', () => {
  it('offers "Resume from …" after a reload and resumes the TV where it stopped', { timeout: 120_000 }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, hasTouch: true });
    await ctx.addCookies(server.cookieFor());
    const page = await ctx.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(server.url);
    await chooseTv(page);
    await page.locator('rc-library-view [data-tab="videos"]').click();
    const first = emulatorEvent(emu, 'load');
    await page.getByRole('button', { name: `Play ${TITLE}` }).click();
    expect((await first).position).toBe(0);
    const receiverId = emuId();
    await pushes.next(receiverId, (s) => s.item?.title === TITLE);
    await pushes.reaches(receiverId, 6);
    const { low, high } = await pushes.stopAndBound(receiverId, () => command(socket, 'playback:stop', { receiver: receiverId }));

    await page.reload();
    await poll(() => page.locator('header .receiver').innerText()).toContain(TV);
    await page.locator('rc-library-view [data-tab="home"]').click();
    const card = page.locator('rc-library-home [data-row="continue"] .card', { hasText: TITLE });
    await poll(() => card.locator('.t2').innerText()).toMatch(/^0:0\d of 0:30$/);
    await card.getByRole('button', { name: `Play ${TITLE}` }).click();
    const resume = page.locator('rc-resume-prompt [data-action="resume"]');
    await poll(() => resume.innerText()).toMatch(/^Resume from 0:0\d$/);
    const loaded = emulatorEvent(emu, 'load');
    await resume.click();
    const at = (await loaded).position as number;
    expect(at).toBeGreaterThanOrEqual(low - 0.001);
    expect(at).toBeLessThanOrEqual(high + 0.001);
    await command(socket, 'playback:stop', { receiver: receiverId });

    // The heart on the card: a favourite, listed in its row once the home reads again.
    await card.locator('rc-heart button').click();
    await poll(() => page.locator('rc-library-home [data-row="favourites"] .card', { hasText: TITLE }).count()).toBe(1);
    expect(pageErrors).toEqual([]);
    await ctx.close();
  });
});

/** The TV's receiver id, as discovery names a configured Chromecast. */
function emuId(): string {
  return `chromecast:manual:${emu.host}:${emu.port}`;
}
