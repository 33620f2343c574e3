// The Chromecast emulator as a process (`receivers/cli.js chromecast`, no mDNS) driven by
// castv2-client over real TLS on 127.0.0.1, playing files from a local HTTP server with ranges:
// what it probes, its clock, its commands, its refusals, and the JSON lines it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_TIMEOUT_MS, loadFixtures, type Fixtures } from '../../../helpers/fixtures.js';
import { projectRoot } from '../../../helpers/paths.js';
import { CastSender, until } from './cast-sender.js';
import { startFileServer, type FileServer } from './file-server.js';
import { JsonLines } from './json-lines.js';
import { boxOffset, makeTestMedia, mediaWithin, type TestMedia } from './media.js';

let fx: Fixtures;
let media: TestMedia;
let files: FileServer;
let emu: ChildProcess;
let out: JsonLines;
let port: number;
let sender: CastSender;

const url = (file: string) => `${files.url}/${encodeURIComponent(basename(file))}`;

beforeAll(async () => {
  fx = await loadFixtures();
  media = await makeTestMedia({
    heavy: true, copy: [fx.files.movie.path, fx.files.clip.path],
    // The server's live transcode for a Chromecast (2nd gen): fragmented MP4, a fragment every 2 s.
    live: [{ path: fx.files.movie.path, plan: { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac' } }],
  });
  files = await startFileServer(media.dir);
  emu = spawn(process.execPath, [join(projectRoot, 'dist/receivers/cli.js'), 'chromecast', '--name', 'Test TV', '--model', 'Chromecast', '--host', '127.0.0.1', '--port', '0', '--no-mdns'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  out = new JsonLines(emu.stdout!, 'emulator');
  const listening = await out.event('listening');
  expect(listening).toMatchObject({ host: '127.0.0.1', name: 'Test TV', model: 'Chromecast', mdns: false, id: expect.stringMatching(/^[0-9a-f]{32}$/) });
  port = listening.port as number;
}, FIXTURES_TIMEOUT_MS);

afterAll(async () => {
  if (emu && emu.exitCode === null) {
    const exited = new Promise((r) => emu.once('exit', r));
    emu.kill('SIGTERM');
    await exited;
  }
  await files?.close();
  media?.remove();
});

afterEach(() => sender?.close());

async function playerOn(): Promise<CastSender> {
  sender = await CastSender.connect('127.0.0.1', port);
  await sender.launch();
  return sender;
}

describe('Chromecast emulator driven by castv2-client', () => {
  it('launches the Default Media Receiver and answers availability; refuses other apps', async () => {
    sender = await CastSender.connect('127.0.0.1', port);
    expect(await sender.appAvailability(['CC1AD845', 'DEADBEEF'])).toEqual({ CC1AD845: true, DEADBEEF: false });
    await expect(sender.launchById('DEADBEEF')).rejects.toThrow(/Launch failed. Reason: NOT_FOUND/);
    await sender.launch();
    const app = (await sender.receiverStatus()).applications?.[0];
    expect(app).toMatchObject({ appId: 'CC1AD845', transportId: expect.any(String), sessionId: app?.transportId });
    expect(sender.receiverStatuses.at(-1)?.applications?.[0]?.appId).toBe('CC1AD845');
    await out.event('launch', { appId: 'CC1AD845', sessionId: app!.sessionId });
  });

  it('plays a URL: probes it, answers PLAYING, and its clock runs in real time', async () => {
    const s = await playerOn();
    const from = out.lines.length;
    const reply = await s.load(url(media.long), 'video/mp4');
    expect(reply).toMatchObject({ playerState: 'PLAYING', media: { contentId: url(media.long), duration: 30 } });
    await out.event('load', { url: url(media.long), contentType: 'video/mp4' }, 5000, from);
    const playing = await out.event('playing', {}, 5000, from);
    expect(playing).toMatchObject({ container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', width: 320, height: 240, duration: 30, url: url(media.long) });
    // Broadcasts too (castv2-client's only `status` source): BUFFERING while probing, then PLAYING.
    await s.mediaStatus((m) => m.playerState === 'PLAYING');
    expect(s.mediaStatuses[0]?.playerState).toBe('BUFFERING');

    const first = (await s.status())!;
    const t0 = performance.now();
    const later = await until(async () => {
      const st = (await s.status())!;
      return st.currentTime >= first.currentTime + 1 ? st : null;
    });
    const wall = (performance.now() - t0) / 1000;
    expect(later.playerState).toBe('PLAYING');
    expect(later.currentTime - first.currentTime).toBeGreaterThan(wall - 0.3);
    expect(later.currentTime - first.currentTime).toBeLessThan(wall + 0.3);
    await s.stop();
  });

  it('maps pause, play, seek, volume, mute and stop to events and broadcasts', async () => {
    const s = await playerOn();
    await s.load(url(media.long), 'video/mp4');
    let from = out.lines.length;
    let mark = s.mediaStatuses.length;

    const paused = await s.pause();
    expect(paused.playerState).toBe('PAUSED');
    const pausedLine = await out.event('paused', {}, 5000, from);
    await s.mediaStatus((m) => m.playerState === 'PAUSED', mark);
    // The clock stands still while paused.
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.status())!.currentTime).toBeCloseTo(pausedLine.position as number, 2);

    from = out.lines.length;
    expect((await s.play()).playerState).toBe('PLAYING');
    await out.event('playing', {}, 5000, from);

    // A seek in a plain file is a new Range request at about seconds × bytes per second.
    from = out.lines.length;
    mark = s.mediaStatuses.length;
    const before = files.requests.length;
    const sought = await s.seek(20);
    expect(sought.currentTime).toBeGreaterThanOrEqual(20);
    expect(sought.currentTime).toBeLessThan(21);
    expect(await out.event('seek', {}, 5000, from)).toMatchObject({ position: 20 });
    await s.mediaStatus((m) => m.playerState === 'PLAYING' && m.currentTime >= 20, mark);
    const range = files.requests.slice(before).find((r) => r.path === '/long.mp4')?.range;
    const size = statSync(media.long).size;
    const offset = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1]);
    expect(offset / size).toBeCloseTo(20 / 30, 1);

    from = out.lines.length;
    mark = s.mediaStatuses.length;
    const receiverMark = s.receiverStatuses.length;
    expect(await s.setVolume({ level: 0.25 })).toMatchObject({ level: 0.25, muted: false });
    expect(await out.event('volume', {}, 5000, from)).toMatchObject({ level: 0.25, muted: false });
    await s.receiverBroadcast((r) => r.volume.level === 0.25 && !r.volume.muted, receiverMark);
    await s.mediaStatus((m) => m.volume.level === 0.25, mark);
    from = out.lines.length;
    await s.setVolume({ muted: true });
    expect(await out.event('volume', {}, 5000, from)).toMatchObject({ level: 0.25, muted: true });
    await s.setVolume({ muted: false, level: 1 });

    from = out.lines.length;
    mark = s.mediaStatuses.length;
    const stopped = await s.stop();
    expect(stopped).toMatchObject({ playerState: 'IDLE', idleReason: 'CANCELLED' });
    expect(await out.event('idle', {}, 5000, from)).toMatchObject({ reason: 'CANCELLED', url: url(media.long) });
    await s.mediaStatus((m) => m.playerState === 'IDLE' && m.idleReason === 'CANCELLED', mark);
    expect(await s.status()).toBeUndefined();
  });

  it('plays to the end and goes IDLE with FINISHED after the media duration', async () => {
    const s = await playerOn();
    const from = out.lines.length;
    await s.load(url(fx.files.clip.path), 'video/mp4');
    await out.event('playing', {}, 5000, from);
    const t0 = performance.now();
    const idle = await out.event('idle', {}, 10_000, from);
    const took = (performance.now() - t0) / 1000;
    expect(idle).toMatchObject({ reason: 'FINISHED' });
    expect(idle.position as number).toBeCloseTo(fx.files.clip.durationSec, 0);
    expect(took).toBeGreaterThan(fx.files.clip.durationSec - 0.3);
    expect(took).toBeLessThan(fx.files.clip.durationSec + 1.5);
    await s.mediaStatus((m) => m.playerState === 'IDLE' && m.idleReason === 'FINISHED');
  });

  it('a new LOAD interrupts the item playing', async () => {
    const s = await playerOn();
    const first = await s.load(url(media.long), 'video/mp4');
    const from = out.lines.length;
    const mark = s.mediaStatuses.length;
    const second = await s.load(url(fx.files.clip.path), 'video/mp4');
    expect(second.mediaSessionId).not.toBe(first.mediaSessionId);
    expect(await out.event('idle', {}, 5000, from)).toMatchObject({ reason: 'INTERRUPTED', mediaSessionId: first.mediaSessionId });
    await s.mediaStatus((m) => m.mediaSessionId === first.mediaSessionId && m.idleReason === 'INTERRUPTED', mark);
    await s.stop();
  });

  it('refuses an HEVC/AC3 Matroska file as a Chromecast (2nd gen) does: LOAD_FAILED and IDLE/ERROR', async () => {
    const s = await playerOn();
    const from = out.lines.length;
    const mark = s.mediaStatuses.length;
    await expect(s.load(url(fx.files.movie.path), 'video/x-matroska')).rejects.toThrow(/Load failed/);
    const refused = await out.event('refused', {}, 5000, from);
    expect(refused).toMatchObject({ url: url(fx.files.movie.path), reason: expect.stringMatching(/matroska|hevc|ac3/) });
    await s.mediaStatus((m) => m.playerState === 'IDLE' && m.idleReason === 'ERROR', mark);
    expect(out.lines.slice(from).some((l) => l.event === 'playing')).toBe(false);
  });

  it('a URL that cannot be fetched: LOAD_FAILED, IDLE/ERROR and an idle line with the error', async () => {
    const s = await playerOn();
    const from = out.lines.length;
    await expect(s.load(`${files.url}/missing.mp4`, 'video/mp4')).rejects.toThrow(/Load failed/);
    expect(await out.event('idle', {}, 5000, from)).toMatchObject({ reason: 'ERROR', error: expect.stringMatching(/404/) });
    await s.mediaStatus((m) => m.playerState === 'IDLE' && m.idleReason === 'ERROR');
  });

  it('reads the stream at its bitrate, never far ahead of the play position', async () => {
    const s = await playerOn();
    const before = files.requests.length;
    await s.load(url(media.heavy!), 'video/mp4');
    const size = statSync(media.heavy!).size; // 40 MB = 40 s at 8 Mbit/s = 1 MB/s
    const read = () => Math.max(...files.requests.slice(before).map((r) => r.sent));
    const playedTo = (t: number) => until(async () => ((await s.status())!.currentTime >= t ? true : null));
    await playedTo(2);
    // 2 s played + 10 s read ahead ≈ 12 MB, plus what the loopback socket buffers hold (~7 MB here).
    const atTwo = read();
    expect(atTwo).toBeGreaterThan(2_000_000);
    expect(atTwo).toBeLessThan(size * 0.75);
    await playedTo(4);
    // Then about the media's rate: 2 s ≈ 2 MB more.
    expect(read() - atTwo).toBeGreaterThan(500_000);
    expect(read() - atTwo).toBeLessThan(5_000_000);
    await s.stop();
  });

  it('goes BUFFERING when the bytes stop coming, and PLAYING again once they do', async () => {
    const s = await playerOn();
    const from = out.lines.length;
    // The server sends 40 kB (the moov and some frames; ffprobe needs less), then holds until the
    // test lets it go (a hold of fixed length could end before a loaded machine's player ran out).
    const held = `${url(media.long)}?hold=40000`;
    await s.load(held, 'video/mp4');
    const buffering = await out.event('buffering', {}, 15_000, from);
    // The emulator maps bytes to time at the file's average rate, checking every 0.2 s.
    const runsOut = 40_000 / (statSync(media.long).size / 30);
    expect(buffering.position as number).toBeGreaterThanOrEqual(runsOut - 0.05);
    expect(buffering.position as number).toBeLessThan(runsOut + 0.5);
    const mark = s.mediaStatuses.length - 1;
    await s.mediaStatus((m) => m.playerState === 'BUFFERING', mark);
    // The clock waits for the data.
    expect((await s.status())!.currentTime).toBeCloseTo(buffering.position as number, 1);
    files.release();
    const resumed = await out.waitFor((l) => l.event === 'playing' && (l.position as number) > 0, 8000, out.lines.indexOf(buffering));
    expect(resumed.position as number).toBeCloseTo(buffering.position as number, 1);
    await s.mediaStatus((m) => m.playerState === 'PLAYING', mark);
    await s.stop();
  });

  it('a live stream (no ranges): BUFFERING where its timestamps run out, then plays on to the end of its body', async () => {
    const s = await playerOn();
    const from = out.lines.length;
    const live = media.live[0]!;
    // The server sends the first fragment (2 s), then holds until the player ran out of it.
    const firstFragment = boxOffset(live, 'moof', 2);
    const { mediaSessionId } = await s.load(`${url(live)}?live=1&hold=${firstFragment}`, 'video/mp4');
    const buffering = await out.event('buffering', {}, 15_000, from);
    files.release();
    const runsOut = await mediaWithin(live, firstFragment);
    expect(buffering.position as number).toBeGreaterThanOrEqual(runsOut - 0.05);
    expect(buffering.position as number).toBeLessThan(runsOut + 0.5);
    const resumed = await out.waitFor((l) => l.event === 'playing' && (l.position as number) > 0, 8000, out.lines.indexOf(buffering));
    expect(resumed.position as number).toBeCloseTo(buffering.position as number, 1);
    const idle = await out.event('idle', { mediaSessionId }, 15_000, from);
    expect(idle.reason).toBe('FINISHED');
    expect(Math.abs((idle.position as number) - fx.files.movie.durationSec)).toBeLessThanOrEqual(0.5);
  });

  it('stopping the app closes its channel and clears the receiver status', async () => {
    const s = await playerOn();
    const from = out.lines.length;
    await s.stopApp();
    expect((await s.receiverStatus()).applications).toBeUndefined();
    await out.event('app-stopped', { appId: 'CC1AD845' }, 5000, from);
  });
});
