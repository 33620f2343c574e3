// PCM for RAOP: ffmpeg decodes any input to s16le 44.1 kHz stereo; `packets` cuts a byte stream
// into 352-frame packets (the last one may be short).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { PCM_BYTES_PER_PACKET } from './alac.js';

export interface PcmDecoder {
  readonly stdout: Readable;
  readonly process: ChildProcess;
  stop(): void;
}

/** ffmpeg argument list (pure, so tests can assert it). `input` is a path, URL or lavfi graph. */
export function ffmpegPcmArgs(input: string, opts: { startAt?: number; lavfi?: boolean } = {}): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...(opts.startAt ? ['-ss', String(opts.startAt)] : []),
    ...(opts.lavfi ? ['-f', 'lavfi'] : []),
    '-i', input,
    '-vn', '-f', 's16le', '-acodec', 'pcm_s16le', '-ar', '44100', '-ac', '2', 'pipe:1',
  ];
}

export function decodeToPcm(input: string, opts: { startAt?: number; lavfi?: boolean } = {}): PcmDecoder {
  const child = spawn('ffmpeg', ffmpegPcmArgs(input, opts), { stdio: ['ignore', 'pipe', 'inherit'] });
  return {
    stdout: child.stdout!,
    process: child,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** Packet-sized PCM chunks from a byte stream. */
export async function* packets(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    while (pending.length - off >= PCM_BYTES_PER_PACKET) {
      yield pending.subarray(off, off + PCM_BYTES_PER_PACKET);
      off += PCM_BYTES_PER_PACKET;
    }
    pending = pending.subarray(off);
  }
  if (pending.length >= 4) yield pending.subarray(0, pending.length - (pending.length % 4));
}
