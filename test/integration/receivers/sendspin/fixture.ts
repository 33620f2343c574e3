// What the Sendspin integration tests share: our emulated player as a child process (its PCM on
// stdout placed in time by StampedOutput, its events on stderr), a beep track, and a pacer that
// feeds members packet by packet on a timeline of the server clock, as a group stream does.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { FRAMES_PER_PACKET, SAMPLE_RATE, Timeline } from '../../../../receivers/airplay/raop/clock.js';
import { serverClock } from '../../../../receivers/shared/server-clock.js';
import type { TimelineContext, TimelineMember } from '../../../../receivers/shared/timeline-member.js';
import { projectRoot } from '../../../helpers/paths.js';
import { StampedOutput } from '../airplay/schedule.js';
import { JsonLines } from '../chromecast/json-lines.js';

export const EMULATOR = join(projectRoot, 'dist/receivers/sendspin/emulator/cli.js');

export interface Emulator {
  proc: ChildProcess;
  events: JsonLines;
  output: StampedOutput;
  stop(): Promise<void>;
}

/** Starts the emulated player; `spawnFn` runs it elsewhere (inside a network namespace). */
export function startEmulator(args: string[], spawnFn: (cmd: string, args: string[]) => ChildProcess = (c, a) => spawn(c, a, { stdio: ['ignore', 'pipe', 'pipe'] })): Emulator {
  const proc = spawnFn(process.execPath, [EMULATOR, ...args]);
  const events = new JsonLines(proc.stderr!, `sendspin emulator ${args.join(' ')}`);
  const output = new StampedOutput(proc.stdout!);
  return {
    proc,
    events,
    output,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/**
 * Resolves once `pred` holds, checked every 0.1 s of the emulator's output (onsets() scans the
 * whole output: checking on every read would load this process, which also answers client/time).
 */
export function untilOutput(e: Pick<Emulator, 'proc' | 'output'>, pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  let checkedAt = -Infinity;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (e.output.frames - checkedAt < 4410) return;
      checkedAt = e.output.frames;
      if (!pred()) return;
      clearTimeout(timer);
      e.proc.stdout!.off('data', check);
      resolve();
    };
    const timer = setTimeout(() => {
      e.proc.stdout!.off('data', check);
      reject(new Error(`no ${what} in the emulator's output within ${timeoutMs} ms`));
    }, timeoutMs);
    e.proc.stdout!.on('data', check);
    check();
  });
}

/** `seconds` of s16le stereo: 50 ms 1 kHz beeps (amplitude 0.5) at 0.25 s, 0.75 s, …: sharp onsets after silence. */
export function beepTrack(seconds: number): Buffer {
  const frames = Math.round(seconds * SAMPLE_RATE);
  const buf = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    const t = i / SAMPLE_RATE;
    if ((t % 0.5) < 0.25 || (t % 0.5) >= 0.3) continue;
    const s = Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * 1000 * t));
    buf.writeInt16LE(s, i * 4);
    buf.writeInt16LE(s, i * 4 + 2);
  }
  return buf;
}

/** A timeline starting `leadMs` from now, with RAOP's 2 s latency. */
export function newContext(leadMs = 200, latency = 2 * SAMPLE_RATE): TimelineContext {
  return { clock: serverClock, timeline: new Timeline(0, serverClock.nowNs() + BigInt(leadMs * 1e6)), latency };
}

/**
 * Sends `pcm` to the members packet by packet, each packet when the timeline reaches its frame
 * (so `latency` ahead of when it is heard), as the group stream paces; `beforePacket` may change
 * `members` (a join). Resolves when all are sent.
 */
export function paceOnTimeline(members: TimelineMember[], pcm: Buffer, ctx: TimelineContext, firstFrame = 0, beforePacket?: (frame: number) => void): Promise<void> {
  const frames = pcm.length / 4;
  let f = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const due = ctx.timeline.framesAt(serverClock.nowNs()) - firstFrame;
      while (f < frames && f <= due) {
        const n = Math.min(FRAMES_PER_PACKET, frames - f);
        const packet = pcm.subarray(f * 4, (f + n) * 4);
        beforePacket?.(firstFrame + f);
        for (const m of members) m.sendAt(packet, firstFrame + f);
        f += n;
      }
      if (f >= frames) return resolve();
      setTimeout(tick, 5);
    };
    tick();
  });
}

/** performance.now() (ms, this process) of a server-clock time: both run on the same monotonic clock. */
export function perfMsOfServerNs(ns: bigint): number {
  const perf = performance.now();
  const now = serverClock.nowNs();
  return perf + Number(ns - now) / 1e6;
}

/** Frames where sound starts after ≥ 50 ms of silence in s16le stereo `pcm` (as StampedOutput.onsets). */
export function sourceOnsets(pcm: Buffer, threshold = 1000, quietFrames = 2205): number[] {
  const out: number[] = [];
  let quiet = quietFrames;
  for (let i = 0; i < pcm.length / 4; i++) {
    const loud = Math.abs(pcm.readInt16LE(i * 4)) > threshold || Math.abs(pcm.readInt16LE(i * 4 + 2)) > threshold;
    if (loud) {
      if (quiet >= quietFrames) out.push(i);
      quiet = 0;
    } else quiet++;
  }
  return out;
}
