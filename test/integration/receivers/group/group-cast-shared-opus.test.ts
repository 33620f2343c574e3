// One Opus encoder per synced stream, whatever its number of Cast members (issue 17: "Opus encode
// once per group, encrypt per member"): three software Chromecasts on loopback, opened through the
// Cast kind's openMember as the server opens them, on one GroupStream (two from the start, one
// joining while it plays). The encoders running are counted as this process's ffmpeg children
// encoding libopus (the emulators' decoders are ffmpeg children too, decoding), through a leave and
// a pause. And the shared encoder itself: a tap attached mid-stream gets the very packets of the
// first, from a packet boundary, at the same places on the timeline.
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RATE, Timeline } from '../../../../receivers/airplay/raop/clock.js';
import { startCastEmulator, type CastEmulator } from '../../../../receivers/chromecast/emulator.js';
import { openMember } from '../../../../receivers/chromecast/open-member.js';
import { OPUS_FRAME_SAMPLES } from '../../../../receivers/chromecast/streaming/opus.js';
import { SharedOpus, type PlacedOpus } from '../../../../receivers/chromecast/streaming/shared-opus.js';
import { GroupStream } from '../../../../receivers/group/stream.js';
import type { ReceiverDescriptor } from '../../../../receivers/types.js';
import { childrenNamed } from '../../../helpers/processes.js';

interface Heard {
  emu: CastEmulator;
  loud: number;
}

const casts: Heard[] = [];

beforeAll(async () => {
  for (const name of ['A', 'B', 'C']) {
    const out = new PassThrough();
    const h: Heard = { emu: undefined as unknown as CastEmulator, loud: 0 };
    out.on('data', (d: Buffer) => {
      for (let i = 0; i + 1 < d.length; i += 4) if (Math.abs(d.readInt16LE(i)) > 1000) h.loud++;
    });
    h.emu = await startCastEmulator({ name, model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false, pcmOut: out });
    casts.push(h);
  }
});

afterAll(async () => {
  await Promise.all(casts.map((c) => c.emu.close()));
});

const descriptor = (e: CastEmulator): ReceiverDescriptor => ({ id: `chromecast:${e.name}`, kind: 'chromecast', name: e.name, model: 'Google Home', host: e.host, port: e.port, type: 'speaker', online: true, lastSeen: Date.now(), source: 'config' });

/** `seconds` of a 440 Hz tone, s16le 44.1 kHz stereo, in 4096-frame chunks. */
async function* tone(seconds: number): AsyncGenerator<Buffer> {
  for (let f0 = 0; f0 < seconds * SAMPLE_RATE; f0 += 4096) {
    const b = Buffer.alloc(4096 * 4);
    for (let i = 0; i < 4096; i++) {
      const v = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (f0 + i)) / SAMPLE_RATE));
      b.writeInt16LE(v, 4 * i);
      b.writeInt16LE(v, 4 * i + 2);
    }
    yield b;
  }
}

/** This process's ffmpeg children that encode Opus. */
const opusEncoders = (): number[] => childrenNamed(process.pid, 'ffmpeg').filter((pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('libopus');
  } catch {
    return false;
  }
});

async function until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = performance.now();
  while (!pred()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Opus encoded once per stream for its Cast members', () => {
  it('three Cast members (one joining mid-stream) play from one encoder, through a leave and a pause', { timeout: 90_000 }, async () => {
    const gs = new GroupStream();
    const playing = gs.play(tone(60));
    try {
      for (const c of casts.slice(0, 2)) gs.join(await openMember(descriptor(c.emu), gs.ctx, {}));
      await until(() => casts.slice(0, 2).every((c) => c.loud > SAMPLE_RATE), 30_000, 'the first two Cast members heard 1 s of tone');
      const joiner = casts[2]!;
      gs.join(await openMember(descriptor(joiner.emu), gs.ctx, {}));
      await until(() => joiner.loud > SAMPLE_RATE, 30_000, 'the joining Cast member heard 1 s of tone');
      expect(gs.members().map((m) => m.id)).toEqual(casts.map((c) => `chromecast:${c.emu.name}`));
      expect(opusEncoders()).toHaveLength(1);
      // Still the one encoder after a member leaves; none once the last has.
      await gs.leave('chromecast:A');
      expect(opusEncoders()).toHaveLength(1);
      const before = [casts[1]!.loud, joiner.loud];
      await until(() => casts[1]!.loud > before[0]! + SAMPLE_RATE && joiner.loud > before[1]! + SAMPLE_RATE, 30_000, 'the other two played on');
      // A pause flushes both (each a new Cast Streaming session): the encoder stops and starts again once.
      await gs.pause();
      await until(() => opusEncoders().length === 0, 5000, 'no Opus encoder while paused');
      gs.resume();
      const paused = [casts[1]!.loud, joiner.loud];
      await until(() => casts[1]!.loud > paused[0]! + SAMPLE_RATE && joiner.loud > paused[1]! + SAMPLE_RATE, 30_000, 'both played on after the pause');
      expect(opusEncoders()).toHaveLength(1);
    } finally {
      await gs.stop();
      await playing;
    }
    await until(() => opusEncoders().length === 0, 5000, 'no Opus encoder left');
  });

  it('a tap attached mid-stream gets the same packets as the first, from a packet boundary', { timeout: 30_000 }, async () => {
    const opus = SharedOpus.forTimeline(new Timeline(0, 0n));
    expect(SharedOpus.forTimeline(new Timeline(0, 0n))).not.toBe(opus);
    const got: PlacedOpus[][] = [[], []];
    const errors: Error[] = [];
    const taps = [0, 1].map((i) => ({ onPacket: (p: PlacedOpus) => void got[i]!.push(p), onError: (e: Error) => void errors.push(e) }));
    const started = SharedOpus.started;
    const chunks: { pcm: Buffer; frame: number }[] = [];
    let frame = 1000;
    for await (const pcm of tone(6)) {
      chunks.push({ pcm, frame });
      frame += pcm.length / 4;
    }
    const half = chunks.length >> 1;
    // The joiner's first chunk: a stream backfills a joiner with recent chunks the others had.
    const joinChunk = half - 16;
    const joinAt = chunks[joinChunk]!.frame;
    try {
      opus.attach(taps[0]!, chunks[0]!.frame);
      for (const c of chunks.slice(0, half)) opus.write(c.pcm, c.frame);
      // Encoded past the joiner's first frame: it gets those from the recent packets, the rest as they come.
      await until(() => (got[0]!.at(-1)?.at ?? -Infinity) > (joinAt * 48000) / SAMPLE_RATE + 24000, 10_000, 'packets past the join');
      opus.attach(taps[1]!, joinAt);
      // Both hand over every chunk from theirs on, as a stream does its members: encoded once.
      for (const c of chunks.slice(joinChunk)) for (const _ of taps) opus.write(c.pcm, c.frame);
      await until(() => got[0]!.length >= Math.floor((6 * 48000) / OPUS_FRAME_SAMPLES) - 2, 10_000, 'the packets of 6 s');
    } finally {
      for (const t of taps) opus.detach(t);
    }
    expect(errors).toEqual([]);
    expect(SharedOpus.started - started).toBe(1);
    const [first, second] = got as [PlacedOpus[], PlacedOpus[]];
    // The joiner starts at the first packet at or after its frame; every packet it got is the first tap's, byte for byte.
    expect(second[0]!.at).toBe(first.find((p) => p.at >= Math.ceil((joinAt * 48000) / SAMPLE_RATE))!.at);
    expect(second.length).toBeGreaterThan(100);
    for (const p of second) expect(first.find((q) => q.at === p.at)?.data.equals(p.data)).toBe(true);
    // One run, 20 ms apart on the timeline, none twice.
    for (const xs of got) expect(xs.every((p, i) => i === 0 || p.at - xs[i - 1]!.at === OPUS_FRAME_SAMPLES)).toBe(true);
  });
});
