// Faithfulness with a sender nobody here wrote: Debian's python3-pychromecast 9.4 finds the
// emulator by mDNS (python-zeroconf), launches the Default Media Receiver, plays a URL, reads the
// media status back, pauses, seeks, sets the volume and quits; plays with a WebVTT subtitle and
// turns it off and on (EDIT_TRACKS_INFO). Everything (file server, emulator,
// pychromecast) runs inside a fresh network namespace, so no multicast leaves the machine.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { projectRoot } from '../../../helpers/paths.js';
import { JsonLines, type Line } from './json-lines.js';
import { makeTestMedia, type TestMedia } from './media.js';

const NAME = 'Living Room TV';
let ns: Netns;
let media: TestMedia;
let emu: JsonLines;
let py: JsonLines;
let pyProc: ChildProcess;
let emuPort: number;
let emuId: string;
let mediaUrl: string;
let subtitlesUrl: string;

const dist = (p: string) => join(projectRoot, 'dist', p);
function send(cmd: Record<string, unknown>): number {
  const from = py.lines.length;
  pyProc.stdin!.write(`${JSON.stringify(cmd)}\n`);
  return from;
}
/** The next media status pychromecast got (from line `from`) with these activeTrackIds (its current_subtitle_tracks). */
const activeTracks = (ids: number[], from: number) =>
  py.waitFor((l) => l.event === 'media_status' && JSON.stringify(l.active_tracks) === JSON.stringify(ids), 10_000, from);
/** Asks pychromecast for a fresh media status (update_status) and returns it. */
async function refreshed(): Promise<Line> {
  return py.event('status', {}, 10_000, send({ cmd: 'status' }));
}

beforeAll(async () => {
  media = await makeTestMedia();
  ns = await createNetns();
  const fs = ns.spawn(process.execPath, [dist('test/integration/receivers/chromecast/file-server.js'), media.dir, ns.addr]);
  const files = new JsonLines(fs.stdout!, 'file server', fs.stderr);
  const e = ns.spawn(process.execPath, [dist('receivers/cli.js'), 'chromecast', '--name', NAME, '--model', 'Chromecast', '--host', ns.addr, '--port', '0', '--ca', '4101']);
  emu = new JsonLines(e.stdout!, 'emulator', e.stderr);
  const [served, listening] = await Promise.all([files.event('listening'), emu.event('listening')]);
  mediaUrl = `http://${ns.addr}:${served.port as number}/long.mp4`;
  writeFileSync(join(media.dir, 'en.vtt'), 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n');
  subtitlesUrl = `http://${ns.addr}:${served.port as number}/en.vtt?cors=1`;
  emuPort = listening.port as number;
  emuId = listening.id as string;
  pyProc = ns.spawn('/usr/bin/python3', [join(projectRoot, 'test/integration/receivers/chromecast/pychromecast_sender.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
  py = new JsonLines(pyProc.stdout!, 'pychromecast', pyProc.stderr);
}, 60_000);

afterAll(async () => {
  if (pyProc?.exitCode === null) {
    const bye = py.event('bye', {}, 10_000).catch(() => undefined);
    send({ cmd: 'exit' });
    await bye;
  }
  await ns?.close();
  media?.remove();
});

describe('Chromecast emulator with pychromecast (python3-pychromecast 9.4)', () => {
  it('is found by name over mDNS (get_listed_chromecasts) and connected to', async () => {
    send({ cmd: 'discover', name: NAME, timeout: 15 });
    const found = await py.event('found', {}, 20_000);
    const dashed = `${emuId.slice(0, 8)}-${emuId.slice(8, 12)}-${emuId.slice(12, 16)}-${emuId.slice(16, 20)}-${emuId.slice(20)}`;
    expect(found).toMatchObject({ name: NAME, model: 'Chromecast', uuid: dashed, host: ns.addr, port: emuPort });
    expect(await py.event('connected', {}, 15_000)).toMatchObject({ host: ns.addr, port: emuPort });
  });

  it('launches the Default Media Receiver and plays a URL; current_time advances', async () => {
    const from = send({ cmd: 'play', url: mediaUrl, type: 'video/mp4' });
    expect(await py.event('active', {}, 20_000, from)).toMatchObject({ ok: true });
    await emu.event('launch', { appId: 'CC1AD845' });
    expect(await emu.event('playing', { url: mediaUrl })).toMatchObject({ container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', width: 320, height: 240 });
    await py.event('media_status', { player_state: 'PLAYING', content_id: mediaUrl }, 10_000, from);
    const first = await refreshed();
    expect(first).toMatchObject({ ok: true, player_state: 'PLAYING', duration: 30 });
    let later = first;
    while ((later.current_time as number) < (first.current_time as number) + 1) {
      await new Promise((r) => setTimeout(r, 200)); // media time has to pass
      later = await refreshed();
    }
    expect(later.player_state).toBe('PLAYING');
  });

  it('pauses: PAUSED and the clock stops', async () => {
    const emuFrom = emu.lines.length;
    const from = send({ cmd: 'pause' });
    const paused = await emu.event('paused', {}, 10_000, emuFrom);
    await py.event('media_status', { player_state: 'PAUSED' }, 10_000, from);
    const st = await refreshed();
    expect(st.player_state).toBe('PAUSED');
    expect(st.current_time as number).toBeCloseTo(paused.position as number, 2);
  });

  it('seeks (SEEK with resumeState) and resumes', async () => {
    const emuFrom = emu.lines.length;
    const from = send({ cmd: 'seek', to: 12 });
    expect(await emu.event('seek', {}, 10_000, emuFrom)).toMatchObject({ position: 12 });
    const st = await py.waitFor((l) => l.event === 'media_status' && l.player_state === 'PLAYING' && (l.current_time as number) >= 12, 10_000, from);
    expect(st.current_time as number).toBeLessThan(13);
  });

  it('sets the volume and mutes through the receiver namespace', async () => {
    let emuFrom = emu.lines.length;
    let from = send({ cmd: 'volume', level: 0.4 });
    expect(await emu.event('volume', {}, 10_000, emuFrom)).toMatchObject({ level: 0.4, muted: false });
    await py.event('cast_status', { volume_level: 0.4 }, 10_000, from);
    await py.event('media_status', { volume_level: 0.4 }, 10_000, from);
    emuFrom = emu.lines.length;
    from = send({ cmd: 'mute', muted: true });
    expect(await emu.event('volume', {}, 10_000, emuFrom)).toMatchObject({ level: 0.4, muted: true });
    await py.event('cast_status', { volume_muted: true }, 10_000, from);
  });

  it('quits the app: the media ends CANCELLED and the receiver runs no app', async () => {
    const emuFrom = emu.lines.length;
    const from = send({ cmd: 'quit_app' });
    expect(await emu.event('idle', {}, 10_000, emuFrom)).toMatchObject({ reason: 'CANCELLED', url: mediaUrl });
    await emu.event('app-stopped', {}, 10_000, emuFrom);
    await py.event('media_status', { player_state: 'IDLE', idle_reason: 'CANCELLED' }, 10_000, from);
    await py.event('cast_status', { app_id: null }, 10_000, from);
  });

  it('plays with subtitles (play_media subtitles=): the WebVTT is fetched; disable/enable_subtitle change activeTrackIds', async () => {
    let emuFrom = emu.lines.length;
    // After quit_app, block_until_active may return before the new media session (its event is
    // still set): wait for what the device and the statuses say instead.
    let from = send({ cmd: 'play', url: mediaUrl, type: 'video/mp4', subtitles: subtitlesUrl });
    expect(await emu.event('text-track', {}, 10_000, emuFrom)).toMatchObject({ trackId: 1, cues: 1, url: subtitlesUrl });
    await activeTracks([1], from);

    emuFrom = emu.lines.length;
    from = send({ cmd: 'disable_subtitle' });
    expect(await emu.event('tracks', {}, 10_000, emuFrom)).toMatchObject({ activeTrackIds: [] });
    await activeTracks([], from);

    emuFrom = emu.lines.length;
    from = send({ cmd: 'enable_subtitle', track: 1 });
    expect(await emu.event('text-track', {}, 10_000, emuFrom)).toMatchObject({ trackId: 1, cues: 1 });
    await activeTracks([1], from);
    expect((await refreshed()).active_tracks).toEqual([1]);
  });
});
