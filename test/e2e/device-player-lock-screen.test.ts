// "Play on this device": lock-screen controls (issue 16). While the remote plays as a speaker, the
// system's media controls show what it plays and their buttons reach the session it plays in.
// They are driven here as the desktop drives them: Chromium offers its media session on D-Bus as
// an MPRIS player (org.mpris.MediaPlayer2.chromium.instance<pid>), which is what GNOME's and
// KDE's lock screens, media keys and panels read and call (as Android's media notification does
// with the same media session on a phone); `gdbus` reads its Metadata and calls
// Play/Pause/Next/Previous on a private session bus. (Chromium 156 passes MPRIS Seek and
// SetPosition to no page handler, even with seekto/seekforward set: a phone's notification seeks,
// the desktop's MPRIS does not, so seeking is not driven here.) Chromium runs headful under Xvfb
// with its audio in a private PulseAudio (helpers/browser-speaker.ts): a page that plays nothing
// has no media session to show. The session is started by another remote (the command line), so
// the lock screen must follow what this device plays, not the receiver this page has chosen.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserSpeaker, type BrowserSpeaker } from '../helpers/browser-speaker.js';
import { runCli } from '../helpers/cli.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { LONG_ALBUM, makeLongAlbum } from './long-album.js';
import { ensureUiBuilt } from './ui-build.js';

let server: RunningServer;
let speaker: BrowserSpeaker;
let page: Page;
let music: string;

beforeAll(async () => {
  ensureUiBuilt();
  music = await mkdtemp(join(tmpdir(), 'hc-lock-screen-'));
  await makeLongAlbum(music);
  server = await startServer({ config: { libraries: [{ name: 'Music', path: music, kind: 'music' }], discovery: { mdns: false }, scan: { watch: false } } });
  await scanFinished(server, 'Music');
  speaker = await startBrowserSpeaker({ sessionBus: true });
  page = await speaker.browser.newPage({ viewport: { width: 360, height: 740 }, hasTouch: true });
  page.on('console', (m) => process.env.SHOW_PAGE && process.stderr.write(`[page] ${m.text()}\n`));
  await page.context().addCookies(server.cookieFor());
  await page.goto(server.url);
}, 120_000);

afterAll(async () => {
  await speaker?.close();
  await server?.stop();
});

function gdbus(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('gdbus', args, { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: speaker.sessionBus } }, (err, stdout, stderr) => (err ? reject(new Error(`gdbus ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout))),
  );
}

/** Chromium's MPRIS player on the private bus, once it offers one. */
async function mprisPlayer(): Promise<string> {
  let name: string | undefined;
  await expect.poll(async () => {
    const names = await gdbus(['call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.ListNames']);
    name = /org\.mpris\.MediaPlayer2\.chromium\.instance\d+/.exec(names)?.[0];
    return name;
  }, { timeout: 20_000 }).toBeDefined();
  return name!;
}

const property = (player: string, p: string): Promise<string> =>
  gdbus(['call', '--session', '--dest', player, '--object-path', '/org/mpris/MediaPlayer2', '--method', 'org.freedesktop.DBus.Properties.Get', 'org.mpris.MediaPlayer2.Player', p]);
const call = (player: string, method: string, ...args: string[]): Promise<string> =>
  gdbus(['call', '--session', '--dest', player, '--object-path', '/org/mpris/MediaPlayer2', '--method', `org.mpris.MediaPlayer2.Player.${method}`, ...args]);

/** What the lock screen shows: title, artists, album, and the artwork file Chromium fetched. */
async function shown(player: string): Promise<{ title?: string; artist?: string; album?: string; art?: string }> {
  const m = await property(player, 'Metadata');
  return {
    title: /'xesam:title': <'([^']*)'>/.exec(m)?.[1],
    artist: /'xesam:artist': <\['([^']*)'\]>/.exec(m)?.[1],
    album: /'xesam:album': <'([^']*)'>/.exec(m)?.[1],
    art: /'mpris:artUrl': <'([^']*)'>/.exec(m)?.[1],
  };
}

async function session(receiver: string): Promise<{ state: string; title: string }> {
  const r = await runCli(['status', '--json'], { server: server.url, token: server.token });
  const all = JSON.parse(r.stdout) as { receiverId: string; state: string; index: number; queue: { title: string }[] }[];
  const s = all.find((x) => x.receiverId === receiver);
  return s ? { state: s.state, title: s.queue[s.index]?.title ?? '' } : { state: 'none', title: '' };
}

/** The mean colour of an image file (RGB), by ffmpeg: to tell the album's cover from a stand-in. */
function meanColour(path: string): Promise<number[]> {
  return new Promise((resolve, reject) =>
    execFile('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', path, '-vf', 'scale=1:1:flags=area', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer' }, (err, stdout) => (err ? reject(err) : resolve([...stdout.subarray(0, 3)]))),
  );
}

describe('Play on this device: lock-screen controls', () => {
  it('shows what this device plays (title, artist, album, cover) and its play, pause, next and previous reach the session', { timeout: 180_000 }, async () => {
    await page.locator('nav [data-view="receivers"]').click();
    const theSwitch = page.getByRole('switch', { name: /Play on this device/ });
    await theSwitch.click();
    await expect.poll(() => theSwitch.locator('[role="status"]').innerText(), { timeout: 30_000 }).toMatch(/in sync/);
    const id = `sendspin:${await page.evaluate(() => localStorage.getItem('homecast.devicePlayer.id'))}`;

    // Another remote plays the album to this device.
    const played = await runCli(['play', '--to', id, LONG_ALBUM.album], { server: server.url, token: server.token });
    expect(played.stderr).toBe('');
    await expect.poll(() => session(id), { timeout: 20_000 }).toMatchObject({ state: 'playing', title: 'Long One' });

    const player = await mprisPlayer();
    await expect.poll(() => shown(player), { timeout: 20_000 }).toMatchObject({ title: 'Long One', artist: LONG_ALBUM.artist, album: LONG_ALBUM.album });
    await expect.poll(() => property(player, 'PlaybackStatus')).toMatch(/'Playing'/);
    // The album's cover (folder.jpg) as Chromium fetched it for the lock screen, not a stand-in:
    // the same colours (it is scaled and re-encoded on the way).
    const art = (await shown(player)).art;
    expect(art).toMatch(/^file:\/\//);
    const [got, cover] = await Promise.all([meanColour(fileURLToPath(art!)), meanColour(join(music, LONG_ALBUM.artist, LONG_ALBUM.album, 'folder.jpg'))]);
    for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - cover[c]!), `artwork colour ${got.join(',')} vs the cover's ${cover.join(',')}`).toBeLessThanOrEqual(12);

    await call(player, 'Pause');
    await expect.poll(() => session(id), { timeout: 10_000 }).toMatchObject({ state: 'paused' });
    await expect.poll(() => property(player, 'PlaybackStatus')).toMatch(/'Paused'/);
    await call(player, 'Play');
    await expect.poll(() => session(id), { timeout: 10_000 }).toMatchObject({ state: 'playing' });

    await call(player, 'Next');
    await expect.poll(() => session(id), { timeout: 10_000 }).toMatchObject({ state: 'playing', title: 'Long Two' });
    await expect.poll(() => shown(player), { timeout: 10_000 }).toMatchObject({ title: 'Long Two' });
    await call(player, 'Previous');
    await expect.poll(() => session(id), { timeout: 10_000 }).toMatchObject({ title: 'Long One' });
    await expect.poll(() => shown(player), { timeout: 10_000 }).toMatchObject({ title: 'Long One' });

    await runCli(['stop', '--to', id], { server: server.url, token: server.token });
    await theSwitch.click();
  });
});
