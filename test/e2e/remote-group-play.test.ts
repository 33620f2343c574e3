// Playing to a group from the remote, the path a person takes: on a phone-sized page, a group of
// two software AirPlay speakers and a software Sendspin player is made ("New group"), an album is
// played to it, one member's volume is changed and one member taken out while it plays; a desktop
// page shows the same. What the devices got is read from the devices: the speakers' own events
// (playing, the dB they were given) and the PCM the Sendspin player writes.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpeakerEmulator, type SpeakerEmulator } from '../../receivers/airplay/emulator/speaker.js';
import { levelToDb } from '../../receivers/airplay/driver.js';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import { projectRoot } from '../helpers/paths.js';
import { scanFinished, sendspinPort, startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium, remotePages, viewTab } from './browser.js';
import { LONG_ALBUM, makeLongAlbum } from './long-album.js';
import { ensureUiBuilt } from './ui-build.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

let server: RunningServer;
let browser: Browser;
const speakers: SpeakerEmulator[] = [];
let player: ChildProcess;
/** Bytes of non-silent PCM the Sendspin player wrote. */
let sendspinLoud = 0;
const pages = remotePages(() => browser, () => server.url, () => server.cookieFor());

const poll = <T>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout, interval: 100 });

const tab = viewTab;
const group = async () => (await server.get<{ items: ReceiverDescriptor[] }>('/api/receivers')).body.items.find((r) => r.type === 'group');

beforeAll(async () => {
  ensureUiBuilt();
  const music = await mkdtemp(join(tmpdir(), 'hc-group-play-'));
  await makeLongAlbum(music);
  for (const name of ['Kitchen', 'Den']) speakers.push(await startSpeakerEmulator({ name, host: '127.0.0.1', port: 0, mdns: false }));
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: music, kind: 'music' }],
      receivers: speakers.map((s) => ({ kind: 'airplay', name: s.name, host: s.host, port: s.port, type: 'speaker' })),
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
  const port = await sendspinPort(server);
  player = spawn(process.execPath, [join(projectRoot, 'dist/receivers/sendspin/emulator/cli.js'), '--server', `ws://127.0.0.1:${port}/sendspin`, '--name', 'Porch', '--id', 'porch'], { stdio: ['ignore', 'pipe', 'ignore'] });
  player.stdout!.on('data', (b: Buffer) => {
    for (let i = 0; i + 1 < b.length; i += 2) if (Math.abs(b.readInt16LE(i)) > 1000) sendspinLoud += 2;
  });
  await server.waitForLine(/receiver online id=sendspin:porch/);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await pages.close();
  await browser?.close();
  if (player && player.exitCode === null) {
    player.kill('SIGTERM');
    await once(player, 'exit');
  }
  await server?.stop();
  await Promise.all(speakers.map((s) => s.close()));
});

describe('a group played from the remote', () => {
  it('is made on the phone, plays an album on all three, takes a member\'s volume and loses a member; the desktop shows the same', async () => {
    const phone = await pages.open(PHONE);
    const desktop = await pages.open(DESKTOP);

    // Make it.
    await tab(phone, 'receivers', 'Receivers').click();
    // The three speakers, and the page's own receiver ("This device").
    await poll(() => phone.locator('[data-receiver].online').count()).toBe(4);
    await phone.getByRole('button', { name: 'New group' }).click();
    const editor = phone.locator('rc-group-editor');
    await phone.locator('input[name="group-name"]').fill('Downstairs');
    for (const name of ['Kitchen', 'Den', 'Porch']) await editor.getByRole('checkbox', { name, exact: true }).check();
    await phone.getByRole('button', { name: 'Create group' }).click();
    await poll(async () => (await group())?.members?.length).toBe(3);

    // Play the album to it: the remote asks where, the group is picked.
    const started = speakers.map((s) => once(s.events, 'playing'));
    await tab(phone, 'library', 'Library').click();
    await phone.getByRole('button', { name: `Play ${LONG_ALBUM.album}` }).click();
    await phone.locator('rc-receivers-view .ask').waitFor();
    await phone.locator('[data-receiver^="group:"]', { hasText: 'Downstairs' }).click();
    await Promise.all(started);
    await poll(() => sendspinLoud, 30_000).toBeGreaterThan(44_100 * 4);
    await poll(() => phone.locator('rc-mini-player .title').innerText()).toBe(LONG_ALBUM.tracks[0]!.title);
    await tab(desktop, 'receivers', 'Receivers').click();
    await desktop.locator('[data-receiver^="group:"]', { hasText: 'Downstairs' }).click();
    await poll(() => desktop.locator('aside rc-now-playing .state').innerText()).toMatch(/^Playing on Downstairs/);
    await poll(async () => (await group())?.group?.map((m) => [m.name, m.state, m.synced])).toEqual([['Kitchen', 'playing', true], ['Den', 'playing', true], ['Porch', 'playing', true]]);

    // One member's own volume, from now playing on the phone: that speaker gets it, the other not.
    await tab(phone, 'playing', 'Playing').click();
    const den = phone.locator('rc-group-members li', { hasText: 'Den' });
    const kitchenDb = speakers[0]!.volume;
    await den.getByRole('slider', { name: 'Volume of Den' }).evaluate((el: HTMLInputElement) => {
      el.value = '40';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await poll(() => speakers[1]!.volume).toBeCloseTo(levelToDb(0.4), 1);
    expect(speakers[0]!.volume).toBe(kitchenDb);
    await poll(() => desktop.locator('rc-group-members li', { hasText: 'Den' }).getByRole('slider', { name: 'Volume of Den' }).inputValue()).toBe('40');

    // Take Porch out while it plays: the speakers play on, Porch stops getting audio.
    await phone.getByRole('button', { name: 'Remove Porch from Downstairs' }).click();
    await poll(async () => (await group())?.members?.length).toBe(2);
    // The speaker's packets are the clock (they come in real time): six more seconds of them, and
    // at most what Porch had been sent ahead (the stream's 2 s lead, its own 1 s) came out of Porch.
    const kitchenPackets = () => speakers[0]!.schedule.length;
    const porchAtRemoval = sendspinLoud;
    const before = kitchenPackets();
    await poll(() => kitchenPackets()).toBeGreaterThan(before + 6 * 125);
    expect(sendspinLoud - porchAtRemoval).toBeLessThan(44_100 * 4 * 3.5);
    await poll(() => desktop.locator('rc-group-members li .name').allInnerTexts()).toEqual(['Kitchen', 'Den']);
    expect(await desktop.locator('aside rc-now-playing .state').innerText()).toMatch(/^Playing on Downstairs/);
    expect(pages.errors).toEqual([]);
  });
});
