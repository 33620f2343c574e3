// Real AirPlay speakers for the AirPlay benchmarks: shairport-sync instances in one network
// namespace (the tests' launcher, each with its own port, name, D-Bus and avahi), every output
// read with stamped reads so the bench can say when a sample plays (schedule.ts), and the checks
// the benchmarks make on what came out: where sound starts, and whether it ever dropped out.
import { spawnSync } from 'node:child_process';
import type { Netns } from '../../helpers/netns.js';
import { LOUD } from '../../integration/receivers/airplay/pcm-compare.js';
import { StampedOutput } from '../../integration/receivers/airplay/schedule.js';
import { startShairport, type Shairport } from '../../integration/receivers/airplay/shairport.js';

export const RATE = 44100;
/** Frames per RAOP packet: a dropout shows as at least this many silent frames in a row. */
export const PACKET_FRAMES = 352;

export interface Speaker {
  name: string;
  port: number;
  sp: Shairport;
  out: StampedOutput;
  /** Resolves once the output holds at least `frames` frames. */
  reach(frames: number, timeoutMs: number): Promise<void>;
}

/** More than three speakers in one namespace need a UDP port base each (see shairport.ts). */
export async function startSpeakers(ns: Netns, list: Array<{ name: string; port: number; udpPortBase?: number }>): Promise<Speaker[]> {
  const speakers: Speaker[] = list.map(({ name, port, udpPortBase }) => {
    const sp = startShairport(ns, { port, name, ...(udpPortBase !== undefined ? { udpPortBase } : {}) });
    const out = new StampedOutput(sp.process.stdout!);
    // PcmCapture reads the same stream and counts the same bytes (its listener runs first).
    const reach = (frames: number, timeoutMs: number): Promise<void> =>
      sp.pcm.until(() => sp.pcm.frames >= frames, timeoutMs, `${frames} frames from ${name}`);
    return { name, port, sp, out, reach };
  });
  try {
    await Promise.all(speakers.map((s) => s.sp.advertised(60_000)));
  } catch (err) {
    await stopSpeakers(speakers);
    throw err;
  }
  strays.set(speakers, namespacePids(ns));
  return speakers;
}

export async function stopSpeakers(speakers: Speaker[]): Promise<void> {
  await Promise.all(speakers.map((s) => s.sp.stop()));
  strays.delete(speakers);
}

// Each speaker's D-Bus and avahi daemonize, so a bench stopped by Ctrl-C or its time limit would
// leave them running (netns.ts kills only its direct children): whatever ran in the namespace once
// the speakers were up is killed on exit, unless stopSpeakers already stopped them.
const strays = new Map<Speaker[], number[]>();
function namespacePids(ns: Netns): number[] {
  return spawnSync('ip', ['netns', 'pids', ns.name], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean).map(Number);
}
process.once('exit', () => {
  for (const pids of strays.values()) {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

const loud = (s: Int16Array, i: number): boolean => Math.abs(s[2 * i]!) > LOUD || Math.abs(s[2 * i + 1]!) > LOUD;

/** The first output frame at or after `from` with sound (a channel above LOUD), or -1. */
export function firstLoudFrame(out: StampedOutput, from: number): number {
  const s = out.samples(from);
  for (let i = 0; i < s.length / 2; i++) if (loud(s, i)) return from + i;
  return -1;
}

/** The last output frame at or after `from` with sound, or -1. */
export function lastLoudFrame(out: StampedOutput, from: number): number {
  const s = out.samples(from);
  for (let i = s.length / 2 - 1; i >= 0; i--) if (loud(s, i)) return from + i;
  return -1;
}

/**
 * Checks output frames [from, to) for sound: how many are loud, and the longest run of silent
 * frames. A run of a packet's length or more inside a continuous tone is a dropout (shairport-sync
 * writes a missing packet as 352 silent frames; docs/testing.md).
 */
export function soundCheck(out: StampedOutput, from: number, to: number): { loudFrames: number; longestSilence: number } {
  const s = out.samples(from, to);
  let loudFrames = 0;
  let run = 0;
  let longestSilence = 0;
  for (let i = 0; i < s.length / 2; i++) {
    if (loud(s, i)) {
      loudFrames++;
      run = 0;
    } else longestSilence = Math.max(longestSilence, ++run);
  }
  return { loudFrames, longestSilence };
}

/** performance.now() (ms) of a process.hrtime.bigint() reading from any process on this machine. */
export function perfMsOfHrNs(ns: bigint): number {
  const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  return Number(ns) / 1e6 - offset;
}

