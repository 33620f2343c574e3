// The software AirPlay speaker against our own sender, over real sockets on loopback: the AirPlay
// driver (receivers/airplay/driver.ts) plays a known signal and the emulator's decoded PCM is that
// signal sample for sample; track info, progress, volume, pause (FLUSH), resume and stop arrive as
// events; a password is asked for; and two emulators fed by one RaopGroup schedule every packet at
// the same moment (and 10 ms apart when one member is delayed by 10 ms).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectReceiver } from '../../../../receivers/airplay/driver.js';
import { startSpeakerEmulator, type SpeakerEmulator } from '../../../../receivers/airplay/emulator/speaker.js';
import { RaopGroup } from '../../../../receivers/airplay/raop/group.js';
import type { LoadRequest, Receiver, ReceiverDescriptor, ReceiverStatus } from '../../../../receivers/types.js';
import { ffmpegPcm, makeFlac, record, when } from './speaker-emulator-helpers.js';

const SECONDS = 3;
let dir: string;
let file: string;
let source: Buffer;
const open: { emu: SpeakerEmulator[]; rx: Receiver[] } = { emu: [], rx: [] };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'speaker-emu-'));
  file = join(dir, 'signal.flac');
  // Two different sweeps: no stretch of it repeats, so a swapped channel, a shifted sample or a
  // jump in the stream shows.
  makeFlac(`aevalsrc=0.5*sin(2*PI*(200*t+150*t*t))|0.25*sin(2*PI*(3000*t-300*t*t)+1):s=44100:d=${SECONDS}`, file);
  source = ffmpegPcm(file);
});

afterEach(async () => {
  await Promise.all(open.rx.splice(0).map((r) => r.close().catch(() => undefined)));
  await Promise.all(open.emu.splice(0).map((e) => e.close()));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function speaker(opts: { password?: string; latencyFrames?: number } = {}): Promise<SpeakerEmulator> {
  const emu = await startSpeakerEmulator({ name: 'Test Speaker', host: '127.0.0.1', port: 0, mdns: false, ...opts });
  open.emu.push(emu);
  return emu;
}

function driver(emu: SpeakerEmulator, opts: { password?: string; codec?: 'alac' | 'pcm' } = {}): Receiver {
  const d: ReceiverDescriptor = { id: `airplay:manual:${emu.host}:${emu.port}`, kind: 'airplay', name: emu.name, model: null, host: emu.host, port: emu.port, type: 'speaker', online: true, lastSeen: Date.now(), source: 'config' };
  const rx = connectReceiver(d, opts);
  open.rx.push(rx);
  return rx;
}

const load = (duration = SECONDS): LoadRequest => ({ url: file, contentType: 'audio/flac', metadata: { title: 'Two Tones', artist: 'Test Signals', album: 'Lab', kind: 'audio' }, duration, startAt: 0, live: false });
const status = (rx: Receiver, pred: (s: ReceiverStatus) => boolean, timeoutMs = 10_000) => when<ReceiverStatus>(rx as unknown as EventEmitter, 'status', pred, timeoutMs);

describe('AirPlay speaker emulator ← our AirPlay driver', () => {
  for (const codec of ['alac', 'pcm'] as const) {
    it(`plays the signal sample for sample (${codec})`, { timeout: 30_000 }, async () => {
      const emu = await speaker();
      const rec = record(emu);
      const rx = driver(emu, { codec });
      const finished = status(rx, (s) => s.state === 'idle' && s.idleReason === 'finished', 15_000);
      await rx.load(load());
      await finished;

      const session = await rec.next('session');
      expect(session.codec).toBe(codec);
      const playing = await rec.next('playing');
      const first = rec.audio.findIndex((a) => a.seq === playing.seq);
      expect(first).toBeGreaterThanOrEqual(0);
      // The driver starts at the file's first frame: the output from the first audible packet on
      // is the file, bit for bit (ALAC escape frames and L16 are lossless), then the padding.
      const out = rec.pcm(first);
      expect(out.length).toBeGreaterThanOrEqual(source.length);
      expect(out.subarray(0, source.length).equals(source)).toBe(true);
      expect(out.subarray(source.length).every((b) => b === 0)).toBe(true);

      // Each packet is scheduled as far after the previous one as its RTP time says (352 frames,
      // more where the sender skipped ahead after a stall), to within the sync packets' 1-frame
      // rounding; nothing lost or late.
      const played = emu.schedule.filter((r) => r.outcome === 'played');
      for (let i = 1; i < played.length; i++) {
        const frames = played[i]!.rtptime - played[i - 1]!.rtptime;
        expect(frames).toBeGreaterThanOrEqual(352);
        expect(Math.abs(Number(played[i]!.senderNs - played[i - 1]!.senderNs) / 1e6 - (frames / 44100) * 1000)).toBeLessThan(0.05);
      }
      const stats = await rec.next('stats', (s) => s.final);
      expect(stats).toMatchObject({ lost: 0, late: 0, undecodable: 0, played: played.length });
      expect(stats.rmsDb).toBeGreaterThan(-12);
      expect((await rec.next('teardown')).reason).toBe('teardown');
    });
  }

  it('shows track info and progress, follows volume, pause, resume and stop', { timeout: 30_000 }, async () => {
    const emu = await speaker();
    const rec = record(emu);
    const rx = driver(emu);
    const isPlaying = status(rx, (s) => s.state === 'playing', 15_000);
    await rx.load(load(SECONDS));
    const meta = await rec.next('metadata');
    expect(meta).toMatchObject({ title: 'Two Tones', artist: 'Test Signals', album: 'Lab' });
    const progress = await rec.next('progress');
    expect(progress.duration).toBeCloseTo(SECONDS, 2);
    expect(progress.position).toBeCloseTo(0, 2);
    await rec.next('playing');
    await isPlaying;

    let mark = rec.events.length;
    await rx.setVolume(0.5);
    expect((await rec.next('volume', () => true, mark)).db).toBeCloseTo(-15, 3);
    expect(emu.volume).toBeCloseTo(-15, 3);

    // About a second in, pause: the sender FLUSHes, and the speaker reports what it played.
    const heard = rec.audio.length + 100;
    await when(emu.events as unknown as EventEmitter, 'audio', () => rec.audio.length >= heard);
    mark = rec.events.length;
    await rx.pause();
    const flush = await rec.next('flush', () => true, mark);
    expect(flush.rtptime).not.toBeNull();
    const paused = await rec.next('stats', (s) => s.final, mark);
    expect(paused).toMatchObject({ lost: 0, late: 0 });
    const audioAtFlush = rec.audio.length;

    mark = rec.events.length;
    await rx.play();
    const again = await rec.next('playing', () => true, mark);
    const resumedAt = await rec.next('progress', () => true, mark);
    expect(resumedAt.position).toBeGreaterThan(0.5);
    // Nothing from before the FLUSH plays after it, and the resumed audio is the file from where
    // the pause left it (ffmpeg restarts there; allow a few frames of rounding).
    const after = rec.audio.slice(audioAtFlush);
    expect(after.every((a) => ((a.rtptime - flush.rtptime!) | 0) >= 0)).toBe(true);
    // The resumed item starts at the RTP time its progress names, with the file from where the
    // pause left it (ffmpeg restarts there). Known sender bugs, reported: packets the old decoder
    // had already produced (audio ~2 s further on) are sent first, between the FLUSH and that
    // point, and the first packet of the new item still carries the old decoder's leftover bytes,
    // so the file resumes inside it; from the next packet on it is the file, packet after packet.
    const emitter = emu.events as unknown as EventEmitter;
    // (At that RTP time or after: the sender may skip ahead between naming it and sending it.)
    const isResumed = (a: { rtptime: number }) => ((a.rtptime - resumedAt.curr) | 0) >= 0;
    if (!rec.audio.some(isResumed)) await when(emitter, 'audio', isResumed);
    const resumed = rec.audio.findIndex(isResumed);
    expect(resumed).toBeGreaterThanOrEqual(audioAtFlush);
    if (rec.audio.length < resumed + 14) await when(emitter, 'audio', () => rec.audio.length >= resumed + 14);
    const out = rec.pcm(resumed + 1).subarray(0, 13 * 352 * 4);
    const at = source.indexOf(out) / 4;
    const expected = Math.round(resumedAt.position * 44100);
    // Within 10 ms (ffmpeg's -ss on FLAC lands a few frames off; measured 70–75 frames late).
    expect(at - expected).toBeGreaterThanOrEqual(-441);
    expect(at - expected).toBeLessThanOrEqual(352 + 441);
    expect(again.rtptime).toBeGreaterThanOrEqual(flush.rtptime!);

    mark = rec.events.length;
    await rx.stop();
    expect((await rec.next('teardown', () => true, mark)).reason).toBe('teardown');
  });

  it('asks for its password and plays once it is given', { timeout: 20_000 }, async () => {
    const emu = await speaker({ password: 'hunter2' });
    const rec = record(emu);
    await expect(driver(emu).connect()).rejects.toMatchObject({ name: 'NeedsPasswordError' });
    await expect(driver(emu, { password: 'wrong' }).connect()).rejects.toThrow(/did not accept the password/);
    expect(rec.events.some((e) => e.event === 'refused' && e.status === 401 && e.reason === 'wrong password')).toBe(true);
    const rx = driver(emu, { password: 'hunter2' });
    await rx.load(load());
    expect((await rec.next('playing')).seq).toBeGreaterThanOrEqual(0);
  });

  it('answers a second sender with 453 while one plays', { timeout: 20_000 }, async () => {
    const emu = await speaker();
    const rec = record(emu);
    await driver(emu).load(load());
    await expect(driver(emu).load(load())).rejects.toThrow(/busy with another sender/);
    expect(rec.events.some((e) => e.event === 'refused' && e.status === 453)).toBe(true);
  });
});

describe('Two AirPlay speaker emulators on one RaopGroup timeline', () => {
  async function groupRun(delayMs: number, latencyFramesB?: number): Promise<number[]> {
    const a = await speaker();
    const b = await speaker(latencyFramesB !== undefined ? { latencyFrames: latencyFramesB } : {});
    const ra = record(a);
    const rb = record(b);
    const group = await RaopGroup.open([{ host: a.host, port: a.port }, { host: b.host, port: b.port, delayMs }]);
    try {
      const pcm = source.subarray(0, 44100 * 4); // 1 s
      await group.play((async function* () {
        yield pcm;
      })());
      // Until both have played (nearly) all 126 packets sent.
      const done = (r: typeof ra) => r.audio.length >= 120;
      await Promise.all([[a, ra] as const, [b, rb] as const].map(([e, r]) => (done(r) ? undefined : when(e.events as unknown as EventEmitter, 'audio', () => done(r)))));
    } finally {
      await group.stop();
    }
    // The same RTP timestamps on both: compare when each speaker plays each of them.
    const atB = new Map(b.schedule.filter((r) => r.outcome === 'played').map((r) => [r.rtptime, r.playAtNs]));
    return a.schedule.filter((r) => r.outcome === 'played' && atB.has(r.rtptime)).map((r) => Number(atB.get(r.rtptime)! - r.playAtNs) / 1e6);
  }

  it('schedules every packet at the same moment on both', { timeout: 30_000 }, async () => {
    const diffs = await groupRun(0);
    expect(diffs.length).toBeGreaterThan(100);
    for (const d of diffs) expect(Math.abs(d)).toBeLessThan(1);
  });

  it('plays 0.25 s earlier on a speaker whose fixed latency offset is 0 instead of 11025 frames', { timeout: 30_000 }, async () => {
    const diffs = await groupRun(0, 0);
    expect(diffs.length).toBeGreaterThan(100);
    for (const d of diffs) expect(d).toBeCloseTo(-250, 0);
  });

  it('measures a member delayed by 10 ms as 10 ms later', { timeout: 30_000 }, async () => {
    const diffs = await groupRun(10);
    expect(diffs.length).toBeGreaterThan(100);
    for (const d of diffs) expect(d).toBeCloseTo(10, 0);
  });
});
