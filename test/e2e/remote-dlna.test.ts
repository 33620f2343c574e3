// A DLNA renderer from the remote, the path a person takes: in a network namespace (SSDP stays in
// it), the server finds our software renderer by SSDP, and on a phone-sized page in Chromium an
// album is played to it from the library (the remote asks where; the renderer is picked), shown
// playing, and paused and resumed from the mini player. What the renderer got is read from its
// own JSON events.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, type LineReader } from '../helpers/lines.js';
import { createNetns, type Netns } from '../helpers/netns.js';
import { projectRoot } from '../helpers/paths.js';
import { copyFixtureLibrary } from '../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium, remotePages, viewTab } from './browser.js';
import { LONG_ALBUM, makeLongAlbum } from './long-album.js';
import { ensureUiBuilt } from './ui-build.js';

const PHONE = { width: 390, height: 844 };
const NAME = 'Study Speaker';

let ns: Netns;
let server: RunningServer;
let browser: Browser;
let renderer: LineReader;
const pages = remotePages(() => browser, () => server.url, () => server.cookieFor());
const poll = <T>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout, interval: 100 });
const event = (name: string) => new RegExp(`^\\{"event":"${name}"`);

beforeAll(async () => {
  ensureUiBuilt();
  const lib = await copyFixtureLibrary();
  await makeLongAlbum(lib.music);
  ns = await createNetns();
  server = await startServer({
    netns: ns,
    config: { host: '0.0.0.0', libraries: [{ name: 'Music', path: lib.music, kind: 'music' }], discovery: { mdns: false, ssdp: true, heartbeatSeconds: 2 }, scan: { watch: false }, sendspin: { enabled: false } },
  });
  await scanFinished(server, 'Music');
  const proc = ns.spawn(process.execPath, [join(projectRoot, 'dist/receivers/cli.js'), 'dlna', '--name', NAME, '--host', ns.peerAddr, '--port', '0', '--audio-only']);
  renderer = readLines(proc, 'dlna renderer');
  await server.waitForLine(/ receiver online .*name="Study Speaker" .*kind=dlna/, 30_000);
  browser = await launchChromium({ netns: ns });
}, 120_000);

afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.stop();
  await ns?.close();
});

describe('a DLNA renderer in the remote', () => {
  it('is picked for an album from the library, plays it, and pauses and resumes from the mini player', { timeout: 90_000 }, async () => {
    const phone = await pages.open(PHONE);
    await viewTab(phone, 'receivers', 'Receivers').click();
    await phone.locator('[data-receiver^="dlna:"].online', { hasText: NAME }).waitFor();

    let mark = renderer.lines.length;
    await viewTab(phone, 'library', 'Library').click();
    await phone.getByRole('button', { name: `Play ${LONG_ALBUM.album}` }).click();
    await phone.locator('rc-receivers-view .ask').waitFor();
    await phone.locator('[data-receiver^="dlna:"]', { hasText: NAME }).click();
    const playing = JSON.parse(await renderer.wait(event('playing'), 30_000, mark)) as { url: string; container: string };
    expect(playing).toMatchObject({ container: 'mp3' });
    expect(new URL(playing.url).searchParams.get('sig')).toBeTruthy();
    await poll(() => phone.locator('rc-mini-player .title').innerText()).toBe(LONG_ALBUM.tracks[0]!.title);

    mark = renderer.lines.length;
    await phone.locator('rc-mini-player').getByRole('button', { name: 'Pause' }).click();
    await renderer.wait(event('paused'), 20_000, mark);
    mark = renderer.lines.length;
    await phone.locator('rc-mini-player').getByRole('button', { name: 'Play', exact: true }).click();
    await renderer.wait(event('resumed'), 20_000, mark);
    expect(pages.errors).toEqual([]);
  });
});
