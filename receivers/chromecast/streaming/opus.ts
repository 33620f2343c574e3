// Opus through ffmpeg (libopus): an encoder of s16le 44.1 kHz stereo into 20 ms Opus packets at
// 48 kHz, and a decoder of Opus packets back to s16le 44.1 kHz stereo. Each is one ffmpeg process
// on pipes, Ogg between (ogg.ts). ffmpeg is what the project already runs for media.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { OggReader, OggWriter, opusPreSkip } from './ogg.js';

/** 20 ms at 48 kHz. */
export const OPUS_FRAME_SAMPLES = 960;
export const OPUS_RATE = 48000;
/** 44.1 kHz frames of one 20 ms Opus frame. */
export const OUT_FRAMES_PER_OPUS_FRAME = 882;

type Proc = ChildProcessByStdio<Writable, Readable, Readable>;

function ffmpeg(path: string, args: string[], onExit: (why: string) => void): Proc {
  const p = spawn(path, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d: Buffer) => void (err = (err + d.toString()).slice(-2000)));
  p.stdin.on('error', () => undefined);
  p.on('error', (e) => onExit(`ffmpeg: ${e.message}`));
  p.on('exit', (code, sig) => onExit(`ffmpeg exited (${sig ?? code})${err ? `: ${err.trim()}` : ''}`));
  return p;
}

export interface OpusPacketOut {
  /** Packet index since the encoder started (0, 1, …). */
  index: number;
  data: Buffer;
}

/**
 * s16le 44.1 kHz stereo in, Opus packets out. Packet n decodes to 48 kHz samples
 * [n·960 − preSkip, (n+1)·960 − preSkip) of the input: the libopus lookahead (OpusHead pre-skip,
 * 312 samples = 6.5 ms) is what a Cast sender shifts its RTP timestamps by, as Cast RTP has no
 * pre-skip of its own.
 */
export class OpusEncoder {
  preSkip = 312;
  private readonly p: Proc;
  private readonly ogg = new OggReader();
  private headers = 0;
  private index = 0;
  private closed = false;

  constructor(onPacket: (p: OpusPacketOut) => void, onError: (e: Error) => void, opts: { ffmpegPath?: string; bitRate?: number } = {}) {
    this.p = ffmpeg(opts.ffmpegPath ?? 'ffmpeg', [
      '-f', 's16le', '-ar', '44100', '-ac', '2', '-i', 'pipe:0',
      '-af', 'aresample=48000', '-c:a', 'libopus', '-b:a', String(opts.bitRate ?? 128000), '-frame_duration', '20', '-application', 'audio',
      '-f', 'ogg', '-page_duration', '20000', '-flush_packets', '1', 'pipe:1',
    ], (why) => {
      if (!this.closed) onError(new Error(`Opus encoder stopped: ${why}`));
    });
    this.p.stdout.on('data', (d: Buffer) => {
      if (this.closed) return;
      for (const pkt of this.ogg.push(d)) {
        if (this.headers < 2) {
          if (this.headers++ === 0) this.preSkip = opusPreSkip(pkt);
          continue;
        }
        onPacket({ index: this.index++, data: pkt });
      }
    });
  }

  write(pcm: Buffer): void {
    if (!this.closed) this.p.stdin.write(pcm);
  }

  close(): void {
    this.closed = true;
    this.p.stdin.end();
    this.p.kill('SIGKILL');
  }
}

/**
 * Opus packets in (in order), s16le 44.1 kHz stereo out: each packet's 882 frames are handed back
 * with the tag it was given, in order, as ffmpeg delivers them.
 */
export class OpusDecoder<T> {
  private readonly p: Proc;
  private readonly ogg = new OggWriter();
  private readonly tags: T[] = [];
  private pending = Buffer.alloc(0);
  private granule = 0n;
  private closed = false;
  /** Resolves once ffmpeg has decoded a first packet (a silent one): from then on a packet is decoded at once. */
  readonly ready: Promise<void>;

  constructor(onFrame: (tag: T, pcm: Buffer) => void, onError: (e: Error) => void, ffmpegPath = 'ffmpeg') {
    this.p = ffmpeg(ffmpegPath, [
      '-probesize', '32', '-analyzeduration', '0', '-fflags', 'nobuffer', '-f', 'ogg', '-i', 'pipe:0',
      '-af', 'aresample=44100', '-f', 's16le', '-ac', '2', '-flush_packets', '1', 'pipe:1',
    ], (why) => {
      if (!this.closed) onError(new Error(`Opus decoder stopped: ${why}`));
    });
    this.p.stdin.write(this.ogg.opusHeaders(2, OPUS_RATE));
    // ffmpeg's Ogg Opus input drops the first packet's output (measured: one packet's worth, from
    // the start, with pre-skip 0): a first packet of silence (a TOC byte alone, CELT fullband
    // 20 ms stereo, an empty frame) takes that loss, and output n is then packet n's.
    // A second one comes out as the decoder's first output (866 frames at once, the resampler
    // holding 16 until the next): its arrival says ffmpeg is up and decoding (`ready`), and one
    // packet's worth is discarded, so output n is still packet n's.
    for (let i = 0; i < 2; i++) {
      this.granule += BigInt(OPUS_FRAME_SAMPLES);
      this.p.stdin.write(this.ogg.page(Buffer.from([0xfc]), this.granule));
    }
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    let primeBytes = OUT_FRAMES_PER_OPUS_FRAME * 4;
    const bytes = OUT_FRAMES_PER_OPUS_FRAME * 4;
    this.p.stdout.on('data', (d: Buffer) => {
      if (this.closed) return; // what ffmpeg had already written when it was stopped
      markReady();
      this.pending = Buffer.concat([this.pending, d]);
      if (primeBytes) {
        const n = Math.min(primeBytes, this.pending.length);
        this.pending = this.pending.subarray(n);
        primeBytes -= n;
      }
      while (this.pending.length >= bytes && this.tags.length) {
        onFrame(this.tags.shift()!, this.pending.subarray(0, bytes));
        this.pending = this.pending.subarray(bytes);
      }
    });
  }

  decode(packet: Buffer, tag: T): void {
    if (this.closed) return;
    this.tags.push(tag);
    this.granule += BigInt(OPUS_FRAME_SAMPLES);
    this.p.stdin.write(this.ogg.page(packet, this.granule));
  }

  close(): void {
    this.closed = true;
    this.p.stdin.end();
    this.p.kill('SIGKILL');
  }
}
