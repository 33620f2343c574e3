// Groups from the remote (issue 16): Chromium at phone size (360 px; one receiver with a long name)
// makes a group of two of three
// emulated Chromecasts, a desktop page sees it appear with its members (no note: Chromecasts join
// a group's clock by Cast Streaming), the phone edits it (rename, one member out, another in) and deletes
// it, and the desktop follows each change. A name the server refuses is said in the toast.
// "Move to…" in now playing moves what plays to another receiver, and the page follows it there.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import { command } from '../helpers/groups.js';
import { projectRoot } from '../helpers/paths.js';
import type { RunningServer } from '../helpers/server.js';
import { remotePages, viewTab } from './browser.js';
import { emulatorEvent } from './emulator-events.js';
import { makeLongAlbum } from './long-album.js';
import { startCastRemote, type CastRemote } from './cast-remote.js';
import { ensureUiBuilt } from './ui-build.js';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const NAMES = ['Den', 'Kitchen', 'Living Room Speaker by the Garden Window'] as const;

let emus: CastEmulator[] = [];
let server: RunningServer;
let browser: Browser;
let socket: Socket;
let close: CastRemote['close'] | undefined;
const pages = remotePages(() => browser, () => server.url, () => server.cookieFor());

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

const receiversTab = (page: Page) => viewTab(page, 'receivers', 'Receivers');
const groupRows = (page: Page) => page.locator('rc-receiver-list [data-receiver^="group:"]');
const membersOf = (page: Page, name: string) => groupRows(page).filter({ hasText: name }).locator('[data-members]').innerText();
const pick = (page: Page, name: string) => page.locator('rc-group-editor').getByRole('checkbox', { name, exact: true });
const groupsOnServer = async () => (await server.get<{ items: ReceiverDescriptor[] }>('/api/receivers')).body.items.filter((r) => r.type === 'group');

beforeAll(async () => {
  ensureUiBuilt();
  const music = await mkdtemp(join(tmpdir(), 'hc-groups-e2e-'));
  await makeLongAlbum(music);
  emus = await Promise.all(NAMES.map((name) => startCastEmulator({ name, model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false })));
  ({ server, socket, browser, close } = await startCastRemote({ libraries: [{ name: 'Music', path: music, kind: 'music' }], casts: emus, as: { model: 'Google Home', type: 'speaker' } }));
}, 120_000);

afterAll(async () => {
  await pages.close();
  await close?.();
  await Promise.all(emus.map((e) => e.close()));
});

describe('groups in the remote', () => {
  let phone: Page;
  let desktop: Page;

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 40);
    for (const [label, p] of [['phone', phone], ['desktop', desktop]] as const) {
      await p?.screenshot({ path: join(projectRoot, 'test/artifacts/remote', `failed-groups-${name}-${label}.png`) }).catch(() => undefined);
    }
  });

  it('makes a group on the phone; the desktop sees it with its members', async () => {
    phone = await pages.open(PHONE);
    desktop = await pages.open(DESKTOP);
    for (const p of [phone, desktop]) {
      await receiversTab(p).click();
      // The three speakers, and the page's own receiver ("This device").
      await poll(() => p.locator('[data-receiver].online').count()).toBe(4);
    }
    await phone.getByRole('button', { name: 'New group' }).click();
    // Nothing picked: said here, nothing sent.
    await phone.locator('input[name="group-name"]').fill('Downstairs');
    await phone.getByRole('button', { name: 'Create group' }).click();
    expect(await phone.locator('rc-group-editor .problem').innerText()).toBe('Pick at least one speaker');
    // A name the server refuses: its words in the toast, the form kept.
    await phone.locator('input[name="group-name"]').fill('Kitchen');
    await pick(phone, 'Kitchen').check();
    await phone.getByRole('button', { name: 'Create group' }).click();
    await poll(() => phone.locator('.toast').innerText()).toBe('"Kitchen" is the name of a receiver: give the group another');
    expect(await groupsOnServer()).toEqual([]);
    await phone.locator('input[name="group-name"]').fill('Downstairs');
    await pick(phone, 'Living Room Speaker by the Garden Window').check();
    await phone.getByRole('button', { name: 'Create group' }).click();

    await poll(() => groupRows(phone).count()).toBe(1);
    expect(await membersOf(phone, 'Downstairs')).toBe('Kitchen · Living Room Speaker by the Garden Window');
    await poll(() => groupRows(desktop).count()).toBe(1);
    expect(await membersOf(desktop, 'Downstairs')).toBe('Kitchen · Living Room Speaker by the Garden Window');
    expect((await groupsOnServer()).map((g) => g.name)).toEqual(['Downstairs']);

    // Phone-sized: nothing wider than the screen, the edit button on it.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const edit = await phone.locator('[data-edit-group]').boundingBox();
    expect(edit && edit.x + edit.width).toBeLessThanOrEqual(PHONE.width);
    // The members wrap onto more lines rather than being cut off.
    expect(await groupRows(phone).locator('[data-members]').evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  });

  it('edits the group on the phone (rename, one out, one in); the desktop follows', async () => {
    await phone.locator('[data-edit-group]').click();
    expect(await phone.locator('input[name="group-name"]').inputValue()).toBe('Downstairs');
    // The form inside its margins on the phone's screen, the long name too (it is clipped, not pushing the form out).
    for (const part of ['input[name="group-name"]', 'fieldset', '.actions']) {
      const box = await phone.locator(`rc-group-editor ${part}`).boundingBox();
      expect(box!.x + box!.width, part).toBeLessThanOrEqual(PHONE.width - 16 + 0.5);
    }
    expect(await pick(phone, 'Kitchen').isChecked()).toBe(true);
    expect(await pick(phone, 'Den').isChecked()).toBe(false);
    await pick(phone, 'Living Room Speaker by the Garden Window').uncheck();
    await pick(phone, 'Den').check();
    await phone.locator('input[name="group-name"]').fill('Ground Floor');
    await phone.getByRole('button', { name: 'Save' }).click();
    await poll(() => groupRows(phone).innerText()).toMatch(/Ground Floor/);
    await poll(() => membersOf(desktop, 'Ground Floor')).toBe('Kitchen · Den');
    expect((await groupsOnServer()).map((g) => [g.name, g.members?.length])).toEqual([['Ground Floor', 2]]);
  });

  it('sets a member\'s own volume, mute and delay, takes one out and adds it back, from now playing', async () => {
    await groupRows(phone).click();
    await phone.locator('nav [data-view="playing"]').click();
    const kitchen = phone.locator('rc-group-members li', { hasText: 'Kitchen' });
    expect(await phone.locator('rc-group-members li .name').allInnerTexts()).toEqual(['Kitchen', 'Den']);
    expect(await kitchen.locator('.note').count()).toBe(0);
    // The slider as a thumb moves it: input events, then change on release.
    await kitchen.getByRole('slider', { name: 'Volume of Kitchen' }).evaluate((el: HTMLInputElement) => {
      el.value = '40';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await kitchen.getByRole('button', { name: 'Mute Kitchen' }).click();
    await kitchen.getByRole('spinbutton', { name: 'Delay of Kitchen (ms)' }).fill('120');
    await kitchen.getByRole('spinbutton', { name: 'Delay of Kitchen (ms)' }).press('Tab');
    const member = async () => (await groupsOnServer())[0]?.group?.find((m) => m.name === 'Kitchen');
    await poll(member).toMatchObject({ volume: 0.4, muted: true, delayMs: 120 });
    // A member out and back in, from here.
    await phone.getByRole('button', { name: 'Remove Den from Ground Floor' }).click();
    await poll(async () => (await groupsOnServer())[0]?.members?.length).toBe(1);
    expect(await phone.locator('rc-group-members li .name').allInnerTexts()).toEqual(['Kitchen']);
    await phone.getByRole('combobox', { name: 'Add a speaker to Ground Floor' }).selectOption({ label: 'Den' });
    await poll(() => phone.locator('rc-group-members li .name').allInnerTexts()).toEqual(['Kitchen', 'Den']);
    // The group's own session volume was not touched by the member's slider.
    expect((await command<{ volume: { level: number } }[]>(socket, 'playback:status', { receiver: 'Ground Floor' }))).toMatchObject({ ok: true, data: [{ volume: { level: 1 } }] });
    await receiversTab(phone).click();
  });

  it('deletes the group from the phone (a second tap confirms); it goes from both pages', async () => {
    await phone.locator('[data-edit-group]').click();
    await phone.getByRole('button', { name: 'Delete group' }).click();
    expect(await groupsOnServer()).toHaveLength(1);
    await phone.getByRole('button', { name: 'Delete Ground Floor?' }).click();
    await poll(() => groupRows(phone).count()).toBe(0);
    await poll(() => groupRows(desktop).count()).toBe(0);
    expect(await groupsOnServer()).toEqual([]);
  });

  it('"Move to…" in now playing moves what plays to another receiver and follows it there', async () => {
    await phone.locator('[data-receiver]', { hasText: 'Kitchen' }).click();
    const kitchenPlays = emulatorEvent(emus[1]!, 'playing');
    expect(await command(socket, 'playback:play', { receiver: 'Kitchen', what: 'Long One' })).toMatchObject({ ok: true });
    await kitchenPlays;
    await phone.locator('nav [data-view="playing"]').click();
    const loaded = emulatorEvent(emus[2]!, 'load');
    const stopped = emulatorEvent(emus[1]!, 'idle');
    const select = phone.locator('rc-now-playing select.move-to');
    await select.selectOption({ label: 'Living Room Speaker by the Garden Window' });
    const [load, idle] = await Promise.all([loaded, stopped]);
    expect(Math.abs((load.position as number) - (idle.position as number))).toBeLessThan(1);
    await poll(() => phone.locator('header .receiver').innerText()).toMatch(/^Living Room Speaker by the Garden Window/);
    expect(pages.errors).toEqual([]);
  });
});
