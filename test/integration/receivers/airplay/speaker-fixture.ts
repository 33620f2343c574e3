// Set-up the AirPlay speaker tests share: test signals made with ffmpeg in a temp dir, shairport-sync
// 3.3.8 as "Kitchen" in a fresh network namespace (shairport.ts), and the driver runner pointed at it
// (speaker-runner.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { MetadataPipe } from './metadata-pipe.js';
import { startShairport, type Shairport, type ShairportOptions } from './shairport.js';
import { startDriver, type Driver, type RunnerOptions } from './speaker-runner.js';

/** Runs ffmpeg quietly; its stdout (for `pipe:1` outputs). */
export function ffmpeg(args: string[]): Buffer {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], { maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr.toString()}`);
  return r.stdout;
}

export interface Signals {
  dir: string;
  /** A path in the dir. */
  path(name: string): string;
  /** A 16-bit stereo FLAC of a lavfi source (e.g. `sine=…` or `aevalsrc=…`); its path. */
  flac(name: string, lavfi: string): string;
  /** A file's samples as the driver's decoder makes them (s16le, 44.1 kHz, stereo). */
  pcm(name: string): Buffer;
  close(): void;
}

export function makeSignals(prefix: string): Signals {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = (name: string): string => join(dir, name);
  return {
    dir,
    path,
    flac(name, lavfi) {
      ffmpeg(['-f', 'lavfi', '-i', lavfi, '-ac', '2', '-sample_fmt', 's16', '-c:a', 'flac', path(name)]);
      return path(name);
    },
    pcm: (name) => ffmpeg(['-i', path(name), '-f', 's16le', '-ar', '44100', '-ac', '2', 'pipe:1']),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** PCM bytes as samples. */
export const samples = (b: Buffer): Int16Array => new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));

export interface Kitchen {
  ns: Netns;
  speaker: Shairport;
  port: number;
  /** Reader of its metadata pipe, when started with `metadataPipe`. */
  pipe: MetadataPipe | undefined;
  /** The driver runner on this speaker; killed when the test ends if still running. */
  driver(opts: Omit<RunnerOptions, 'host' | 'port'>): Driver;
  /** Stops shairport-sync and removes the namespace. */
  close(): Promise<void>;
}

/**
 * shairport-sync as "Kitchen" in a new namespace, once it has registered over mDNS; with
 * `metadataPipe`, a reader attached to that FIFO from the start.
 */
export async function startKitchen(opts: Omit<ShairportOptions, 'name'>): Promise<Kitchen> {
  const ns = await createNetns();
  let pipe: MetadataPipe | undefined;
  let speaker: Shairport | undefined;
  const close = async (): Promise<void> => {
    pipe?.close();
    await speaker?.stop();
    await ns.close();
  };
  try {
    if (opts.metadataPipe !== undefined) pipe = new MetadataPipe(opts.metadataPipe);
    speaker = startShairport(ns, { ...opts, name: 'Kitchen' });
    // mDNS registration comes after the RTSP socket listens (rtsp.c rtsp_listen_loop); logged at -vv.
    await speaker.advertised(20_000);
  } catch (e) {
    await close();
    throw e;
  }
  return {
    ns,
    speaker,
    port: opts.port,
    pipe,
    driver(o) {
      const d = startDriver(ns, { host: ns.addr, port: opts.port, ...o });
      onTestFinished(() => d.kill());
      return d;
    },
    close,
  };
}
