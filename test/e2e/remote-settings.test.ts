// The owner's settings page and the first run, in Chromium against the real server: with no
// library configured, the owner's first page offers to add one and the folder browser picks it
// (the server scans it: its tracks show); on the Settings page the owner adds a second folder the
// same way and sees its videos. A member's remote has no first run, and its Settings page holds only
// their own audio language (kept for them alone, shown again after a reload) and their devices; the
// server refuses them the settings.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { copyFixtureLibrary, type LibraryCopy } from '../helpers/library-copy.js';
import { projectRoot } from '../helpers/paths.js';
import { DEVICE_COOKIE, startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium, remotePages, viewTab } from './browser.js';
import { ensureUiBuilt } from './ui-build.js';

const PHONE = { width: 390, height: 800 };
const DESKTOP = { width: 1280, height: 800 };

let lib: LibraryCopy;
let server: RunningServer;
let browser: Browser;
let memberToken = '';
const owners = remotePages(() => browser, () => server.url, () => server.cookieFor());
const members = remotePages(() => browser, () => server.url, () => [{ name: DEVICE_COOKIE, value: memberToken, url: server.url, httpOnly: true, sameSite: 'Strict' as const }]);
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });
let shot: Page | undefined;

/** Walks the folder browser from the machine's root down to `path`, then uses that folder. */
async function browseTo(page: Page, path: string): Promise<void> {
  await page.getByRole('button', { name: 'Add a folder…' }).click();
  await page.getByRole('button', { name: 'Computer', exact: true }).click();
  const parts = path.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const at = `/${parts.slice(0, i).join('/')}`;
    await page.locator(`rc-folder-browser button.folder[data-path="${at}"]`).click();
    await poll(() => page.locator('rc-folder-browser .current').innerText()).toBe(at);
  }
  // Folders only: the music folder's files are not there.
  await page.getByRole('button', { name: 'Use this folder' }).click();
}

beforeAll(async () => {
  ensureUiBuilt();
  lib = await copyFixtureLibrary();
  server = await startServer({ config: { libraries: [], discovery: { mdns: false }, scan: { watch: false } } });
  await server.fetch('/api/auth/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Mel', role: 'member', password: 'mel-password' }) });
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Mel', password: 'mel-password', bearer: true }) });
  memberToken = ((await login.json()) as { token: string }).token;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await owners.close();
  await members.close();
  await browser?.close();
  await server?.stop();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot?.screenshot({ path: join(projectRoot, 'test/artifacts/remote', `failed-settings-${ctx.task.name.replace(/\W+/g, '-').slice(0, 40)}.png`) }).catch(() => undefined);
});

describe('settings in the remote', () => {
  it('first run: with no library, the owner picks a folder in the browser and its tracks show', async () => {
    const phone = (shot = await owners.open(PHONE));
    await poll(() => phone.locator('rc-first-run').isVisible()).toBe(true);
    await browseTo(phone, lib.music);
    const form = phone.getByRole('form', { name: 'New library' });
    await expect(form.getByLabel('Library name').inputValue()).resolves.toBe('music');
    await form.getByLabel('Library name').fill('Songs');
    await form.getByLabel('Kind').selectOption('music');
    await form.getByRole('button', { name: 'Add library' }).click();
    await poll(() => phone.locator('rc-first-run').count()).toBe(0);
    await phone.locator('[data-tab="tracks"]').click();
    await poll(() => phone.locator('rc-library-view').getByText('Tagged', { exact: true }).count()).toBeGreaterThan(0);
  });

  it('the owner adds a folder on the Settings page and sees its items', async () => {
    const desk = (shot = await owners.open(DESKTOP));
    await viewTab(desk, 'settings', 'Settings').click();
    await poll(() => desk.locator('rc-settings-view section.libraries li[data-library="Songs"]').count()).toBe(1);
    await browseTo(desk, lib.video);
    const form = desk.getByRole('form', { name: 'New library' });
    await form.getByLabel('Kind').selectOption('video');
    await form.getByRole('button', { name: 'Add library' }).click();
    await poll(() => desk.locator('rc-settings-view section.libraries li[data-library="video"]').count()).toBe(1);
    await desk.screenshot({ path: join(projectRoot, 'test/artifacts/remote/settings-desktop.png') });
    await viewTab(desk, 'library', 'Library').click();
    await desk.locator('[data-tab="videos"]').click();
    await poll(() => desk.locator('rc-library-view').getByText('Test Clip', { exact: true }).count()).toBeGreaterThan(0);
    expect(owners.errors).toEqual([]);
  });

  it("a member's Settings page holds their own audio language and devices only, no first run; the server refuses them the settings", async () => {
    const mine = async () => (await fetch(`${server.url}/api/me/preferences`, { headers: { authorization: `Bearer ${memberToken}` } })).json();
    for (const viewport of [PHONE, DESKTOP]) {
      const page = (shot = await members.open(viewport));
      await poll(() => page.locator('nav [data-view="library"]').count()).toBe(1);
      await poll(() => page.locator('rc-library-view').count()).toBe(1);
      expect(await page.locator('rc-first-run').count()).toBe(0);
      expect(await page.evaluate(async () => (await fetch('api/settings')).status)).toBe(403);
      await viewTab(page, 'settings', 'Settings').click();
      const view = page.locator('rc-settings-view');
      await poll(() => view.locator('section.mine').count()).toBe(1);
      await poll(() => view.locator('section.account rc-account').count()).toBe(1);
      expect(await view.locator('section.libraries, section.receivers, section.playback, section.remote').count()).toBe(0);
      expect(await view.locator('[role="alert"]').count()).toBe(0);
    }
    const page = shot!;
    const field = page.locator('rc-settings-view input[name="myAudioLanguages"]');
    await poll(() => field.isEnabled()).toBe(true);
    await field.fill('fr, en');
    await field.press('Tab');
    await poll(() => page.locator('rc-settings-view [role="status"]').innerText()).toBe('Saved: your audio language');
    expect(await mine()).toEqual({ audioLanguages: ['fr', 'en'] });
    // Theirs alone: the owner has none.
    expect((await server.get('/api/me/preferences')).body).toEqual({ audioLanguages: null });
    await page.reload();
    await viewTab(page, 'settings', 'Settings').click();
    await poll(() => page.locator('rc-settings-view input[name="myAudioLanguages"]').inputValue()).toBe('fr, en');
    // Not a language: refused in words, what was kept stays.
    await page.locator('rc-settings-view input[name="myAudioLanguages"]').fill('French!');
    await page.locator('rc-settings-view input[name="myAudioLanguages"]').press('Tab');
    await poll(() => page.locator('rc-settings-view [role="alert"]').innerText()).toContain('must be a language such as "fr"');
    expect(await mine()).toEqual({ audioLanguages: ['fr', 'en'] });
    expect(members.errors).toEqual([]);
  });
});
