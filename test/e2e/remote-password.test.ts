// The web remote in Chromium (a phone, 360×740) with a password-protected AirPlay speaker:
// shairport-sync with a password in its own namespace, reached by the server over a veth
// (test/integration/api/password-speaker.ts). The picker shows a lock; picking the speaker opens
// the password dialog first (Escape cancels and gives focus back); a wrong password makes the
// play come back with "Wrong password"; the right one, entered with Enter, plays: the speaker
// outputs sound and the remote says playing. Screenshots go to test/artifacts/remote/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureLibrary, type LibraryCopy } from '../helpers/library-copy.js';
import { projectRoot } from '../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { startPasswordSpeaker, type PasswordSpeaker } from '../integration/api/password-speaker.js';
import { launchChromium } from './browser.js';
import { ensureUiBuilt } from './ui-build.js';

const artifacts = join(projectRoot, 'test/artifacts/remote');
const NAME = 'Locked Speaker';
const PASSWORD = 'sesame 42';
const PHONE = { width: 360, height: 740 };

let lib: LibraryCopy;
let speaker: PasswordSpeaker;
let server: RunningServer;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const poll = <T>(fn: () => Promise<T> | T, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 15_000, interval: 100, ...opts });

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  ensureUiBuilt();
  lib = await copyFixtureLibrary();
  speaker = await startPasswordSpeaker({ name: 'LockedSpeaker', password: PASSWORD, port: 5062 });
  server = await startServer({
    config: {
      // Our ffmpeg reads the media URL on the address that faces the speaker: listen there.
      host: speaker.hostAddr,
      libraries: [{ name: 'Music', path: lib.music, kind: 'music' }],
      receivers: [{ kind: 'airplay', name: NAME, host: speaker.host, port: speaker.port, type: 'speaker', model: 'ShairportSync', needsPassword: true }],
      discovery: { mdns: false, heartbeatSeconds: 2 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
  browser = await launchChromium();
  ctx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, hasTouch: true });
  await ctx.addCookies(server.cookieFor(`http://${speaker.hostAddr}:${server.port}`));
  page = await ctx.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`http://${speaker.hostAddr}:${server.port}/`);
}, 120_000);

afterAll(async () => {
  await ctx?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await speaker?.stop();
});

afterEach(async (c) => {
  if (c.task.result?.state === 'fail') await page?.screenshot({ path: join(artifacts, `failed-password-${c.task.name.replace(/\W+/g, '-').slice(0, 40)}.png`) }).catch(() => undefined);
});

describe('remote with a password-protected speaker', () => {
  const dialog = () => page.getByRole('dialog', { name: `Password for ${NAME}` });
  const field = () => dialog().getByLabel('Password', { exact: true });
  const pick = () => page.locator(`[data-receiver]`, { hasText: NAME });

  it('shows a lock on the speaker; picking it asks for the password first; Escape cancels', async () => {
    await page.locator('nav [data-view="receivers"]').click();
    await pick().waitFor();
    await poll(() => pick().locator('.lock.missing').isVisible()).toBe(true);
    await poll(() => pick().innerText()).toContain('needs a password');
    await pick().click();
    await dialog().waitFor();
    await poll(() => field().evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement && document.activeElement?.tagName === 'RC-PASSWORD-DIALOG')).toBe(true);
    await page.screenshot({ path: join(artifacts, 'password-dialog-360.png') });
    // The dialog fits the phone's width.
    const box = (await page.locator('rc-password-dialog dialog').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);

    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    // Not chosen (a choice would be saved and take the phone back to the library), and focus is
    // back on the speaker's button.
    expect(await page.evaluate(() => localStorage.getItem('homecast.receiver'))).toBeNull();
    expect(await page.locator('rc-receivers-view').isVisible()).toBe(true);
    await poll(() => pick().evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
  });

  it('a wrong password is kept, and the play comes back asking again, saying it was wrong', async () => {
    await pick().click();
    await field().fill('not the one');
    await field().press('Enter');
    await dialog().waitFor({ state: 'hidden' });
    // Chosen now; the picker says a password is kept (the remote never sees it).
    await poll(() => page.evaluate(() => localStorage.getItem('homecast.receiver'))).toMatch(/^airplay:manual:/);
    await poll(() => page.locator('header .receiver').innerText()).toContain(NAME);
    await page.locator('nav [data-view="receivers"]').click();
    await poll(() => pick().innerText()).toContain('password saved');
    await page.locator('nav [data-view="library"]').click();
    await page.getByRole('button', { name: 'Play Covered' }).click();
    await dialog().waitFor();
    await poll(() => dialog().getByRole('alert').innerText()).toBe('Wrong password. Try again.');
    await poll(() => field().getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: join(artifacts, 'password-wrong-360.png') });
  });

  it('the right password, entered with Enter, plays on the speaker', async () => {
    const before = speaker.pcm.loudFrames;
    await field().fill(PASSWORD);
    await field().press('Enter');
    await dialog().waitFor({ state: 'hidden' });
    await speaker.pcm.until(() => speaker.pcm.loudFrames - before > 0.3 * 44100, 20_000, 'the tone after the password');
    await poll(() => page.locator('rc-mini-player .title').innerText()).toBe('Cover');
    await poll(() => page.locator('header .receiver').innerText()).toContain('playing');
    await page.screenshot({ path: join(artifacts, 'password-playing-360.png') });
    expect(pageErrors).toEqual([]);
  });
});
