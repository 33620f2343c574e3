// A browser as a speaker whose output can be placed in time: a private PulseAudio (a null sink
// clocked by CLOCK_MONOTONIC, in a temp runtime dir, never the user's), Xvfb, headful Debian
// Chromium playing into that sink (headless Chromium opens no PulseAudio stream at all:
// docs/testing.md "A browser as a speaker"), and `parec` recording the sink's monitor with
// every read stamped on arrival (StampedOutput, performance.now(): CLOCK_MONOTONIC, the clock the
// AirPlay speakers' outputs are stamped on).
//
// When does the sink "play" frame f? module-null-sink (PulseAudio 16.1, src/modules/module-null-sink.c)
// keeps a virtual playback clock `timestamp` on CLOCK_MONOTONIC: when it runs out
// (timestamp <= now) it renders the next block (block_usec: the smallest latency its clients ask
// for, here the recorder's 10 ms) from its inputs, posts it to the monitor at once, and advances
// timestamp by the block's length; its reported latency, which Chromium's outputLatency and
// getOutputTimestamp() build on, is timestamp − now. So each block reaches the monitor when its
// FIRST frame plays, and the recorder sees one burst of reads per block, never early. The lower
// envelope of (burst arrival − its first frame / 44.1 kHz) near a frame places that frame
// (SinkRecording.msOfFrame). Validated against pages that schedule beeps at known host times
// (test/integration/browser-speaker.test.ts): 0.3–1.1 ms mean, ≤ 0.3 ms sd from where Chromium
// says it put them. Under heavy load (load average 7–12 on 2 cores) Chromium's output itself slips
// by up to tens of ms for seconds at a time without its estimate saying so: measure after a
// warm-up, and expect the browser to be the noisy member then.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from '../e2e/browser.js';
import type { Netns } from './netns.js';

export const SINK = 'hc_speaker';
const RATE = 44100;
const FRAME_BYTES = 4;

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'];

/** One read of the recorder: performance.now() on arrival and the output frame of its first byte. */
export interface SinkRead {
  atMs: number;
  frame: number;
  frames: number;
}

/** The sink's monitor, recorded as s16le 44.1 kHz stereo, every read stamped on arrival. */
export class SinkRecording {
  readonly reads: SinkRead[] = [];
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  constructor(stream: NodeJS.ReadableStream) {
    stream.on('data', (d: Buffer) => {
      this.reads.push({ atMs: performance.now(), frame: Math.floor(this.bytes / FRAME_BYTES), frames: d.length / FRAME_BYTES });
      this.bytes += d.length;
      this.chunks.push(d);
    });
  }

  get frames(): number {
    return Math.floor(this.bytes / FRAME_BYTES);
  }

  /** Samples (interleaved L/R) of frames [from, to). */
  samples(from = 0, to = this.frames): Int16Array {
    const b = Buffer.concat(this.chunks).subarray(from * FRAME_BYTES, to * FRAME_BYTES);
    return new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  }

  /**
   * Arrivals of the reads that start a burst (one block the sink rendered), as points
   * (frame, arrival − frame / 44.1): the first frame of a block is played when the block arrives.
   */
  private bursts(from: number, to: number, burstGapMs = 1): { x: number; y: number }[] {
    const out: { x: number; y: number }[] = [];
    let prevAt = -Infinity;
    for (const r of this.reads) {
      const starts = r.atMs - prevAt > burstGapMs;
      prevAt = r.atMs;
      if (starts && r.frame >= from && r.frame < to) out.push({ x: r.frame, y: r.atMs - (r.frame / RATE) * 1000 });
    }
    return out;
  }

  /**
   * When frame `frame` plays in the sink (performance.now() ms), from the bursts within
   * `windowFrames` of it. The sink's clock is not exactly 44.1 kHz on CLOCK_MONOTONIC: it advances
   * its clock by each block's length truncated to whole µs (pa_bytes_to_usec), a few hundred ppm
   * fast with 2 ms blocks. So one origin for a whole recording drifts; instead this takes the lower
   * convex hull of the burst points near the frame (every arrival is at or after its block's play
   * time, so the truth lies on or below every point) and evaluates it at the frame.
   */
  msOfFrame(frame: number, windowFrames = RATE): number {
    const pts = this.bursts(frame - windowFrames, frame + windowFrames);
    if (pts.length < 20) throw new Error(`only ${pts.length} bursts of the sink's output within ${windowFrames} frames of frame ${frame}: too few to place it in time`);
    const hull: { x: number; y: number }[] = [];
    for (const p of pts) {
      // Monotone chain, lower hull: drop the last point while it lies on or above the new chord.
      while (hull.length >= 2) {
        const a = hull[hull.length - 2]!;
        const b = hull[hull.length - 1]!;
        if ((b.y - a.y) * (p.x - a.x) >= (p.y - a.y) * (b.x - a.x)) hull.pop();
        else break;
      }
      hull.push(p);
    }
    let y: number;
    if (frame <= hull[0]!.x) y = hull[0]!.y;
    else if (frame >= hull[hull.length - 1]!.x) y = hull[hull.length - 1]!.y;
    else {
      let i = 1;
      while (hull[i]!.x < frame) i++;
      const a = hull[i - 1]!;
      const b = hull[i]!;
      y = a.y + ((b.y - a.y) * (frame - a.x)) / (b.x - a.x);
    }
    return y + (frame / RATE) * 1000;
  }

  /** Frames where sound starts after at least `quietFrames` of near-silence (|sample| ≤ threshold). */
  onsets(threshold = 1000, quietFrames = 2205, from = 0, to = this.frames): number[] {
    const s = this.samples(from, to);
    const out: number[] = [];
    let quiet = 0;
    for (let i = 0; i < s.length / 2; i++) {
      const loud = Math.abs(s[2 * i]!) > threshold || Math.abs(s[2 * i + 1]!) > threshold;
      if (loud) {
        if (quiet >= quietFrames) out.push(from + i);
        quiet = 0;
      } else quiet++;
    }
    return out;
  }
}

export interface BrowserSpeakerOptions {
  /** Run Chromium inside this namespace (its pages then reach servers there). */
  netns?: Netns;
  /**
   * Latency the recorder asks of PulseAudio (ms, default 10): the sink renders blocks this long, so
   * the recording has one burst per block to place it in time.
   */
  latencyMsec?: number;
  /**
   * Chromium's audio output buffer (frames, default 2048): with its default (512) on this loaded
   * 2-core machine its renderer misses deadlines and its output slides by up to tens of ms
   * without its getOutputTimestamp() saying so; with 2048 it keeps to what it says within 1 ms.
   * The minute-long sync tests take 4096 (93 ms) for more slack: at load average 10–30 both still
   * underran now and then (README, Sendspin).
   */
  audioBufferFrames?: number;
  /**
   * A private D-Bus session bus for Chromium, on which it offers its media session as an MPRIS
   * player (org.mpris.MediaPlayer2.chromium.instance<pid>): the desktop's media controls, what a
   * lock screen or the media keys drive (BrowserSpeaker.sessionBus).
   */
  sessionBus?: boolean;
}

export interface BrowserSpeaker {
  readonly browser: Browser;
  readonly recording: SinkRecording;
  /** PULSE_SERVER of the private PulseAudio. */
  readonly pulseServer: string;
  /** DBUS_SESSION_BUS_ADDRESS of the private session bus (with `sessionBus`). */
  readonly sessionBus: string | undefined;
  /** Runs pactl against the private PulseAudio. */
  pactl(args: string[]): Promise<string>;
  /** Closes the browser and stops every process it started; removes its temp dir. */
  close(): Promise<void>;
}

function exited(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => c.once('exit', () => resolve()));
}

async function stop(c: ChildProcess, graceMs = 3000): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  c.kill('SIGTERM');
  const t = setTimeout(() => c.kill('SIGKILL'), graceMs);
  await exited(c);
  clearTimeout(t);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    c.once('error', reject);
    c.once('close', (code) => resolve({ code, out }));
  });
}

function requireProgram(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`no ${path}: install the Debian package ${pkg} (npm test's set-up does)`);
}

/** The display number Xvfb picked (it writes it to the -displayfd pipe once it listens). */
function xvfbDisplay(x: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    x.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    (x.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(Number(buf.trim()));
    });
    x.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it listened: ${err.trim()}`)));
  });
}

export async function startBrowserSpeaker(opts: BrowserSpeakerOptions = {}): Promise<BrowserSpeaker> {
  requireProgram('/usr/bin/pulseaudio', 'pulseaudio');
  requireProgram('/usr/bin/parec', 'pulseaudio-utils');
  requireProgram('/usr/bin/Xvfb', 'xvfb');
  requireProgram(CHROMIUM, 'chromium');
  const dir = mkdtempSync(join(tmpdir(), 'hc-speaker-'));
  const socket = join(dir, 'pulse-native');
  const pulseServer = `unix:${socket}`;
  // HOME and the runtime/config dirs are the temp dir, so nothing of the user's PulseAudio is used or written.
  const paEnv: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir, XDG_CONFIG_HOME: join(dir, 'config'), PULSE_RUNTIME_PATH: join(dir, 'pulse') };
  const clientEnv: NodeJS.ProcessEnv = { ...paEnv, PULSE_SERVER: pulseServer, PULSE_SINK: SINK };
  const procs: ChildProcess[] = [];
  let browser: Browser | undefined;

  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    // The recorder first, PulseAudio last (a client outliving its server only logs errors).
    for (const p of [...procs].reverse()) await stop(p);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const pa = spawn(
      'pulseaudio',
      [
        '-n', '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no', '--log-target=stderr',
        `--load=module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
        // 44.1 kHz s16le stereo like the recording, so nothing resamples; no rewinds, so what the
        // monitor has delivered is never taken back and re-rendered.
        `--load=module-null-sink sink_name=${SINK} rate=${RATE} format=s16le channels=2 norewinds=1`,
      ],
      { env: paEnv, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    procs.push(pa);
    let paLog = '';
    pa.stderr!.on('data', (d: Buffer) => (paLog = (paLog + d.toString()).slice(-4000)));
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (pa.exitCode !== null) throw new Error(`pulseaudio exited (${pa.exitCode}): ${paLog.trim()}`);
      if (existsSync(socket) && (await run('pactl', ['info'], clientEnv)).code === 0) break;
      if (Date.now() > deadline) throw new Error(`pulseaudio did not answer within 15 s: ${paLog.trim()}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    let sessionBus: string | undefined;
    if (opts.sessionBus) {
      requireProgram('/usr/bin/dbus-daemon', 'dbus-daemon');
      sessionBus = `unix:path=${join(dir, 'session-bus')}`;
      const bus = spawn('dbus-daemon', ['--session', '--nofork', `--address=${sessionBus}`, '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
      procs.push(bus);
      await new Promise<void>((resolve, reject) => {
        bus.stdout!.once('data', () => resolve());
        bus.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code}) before it listened`)));
      });
    }

    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x800x24'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    procs.push(xvfb);
    const display = await xvfbDisplay(xvfb);

    const parec = spawn('parec', ['-d', `${SINK}.monitor`, '--format=s16le', `--rate=${RATE}`, '--channels=2', `--latency-msec=${opts.latencyMsec ?? 10}`], { env: clientEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push(parec);
    const recording = new SinkRecording(parec.stdout);

    let executablePath = CHROMIUM;
    if (opts.netns) {
      // exec keeps the pid and the pipes playwright talks over; the unix sockets of PulseAudio and
      // X are paths, reachable from any network namespace.
      executablePath = join(dir, 'chromium');
      writeFileSync(executablePath, `#!/bin/sh\nexec ip netns exec ${opts.netns.name} ${CHROMIUM} "$@"\n`);
      chmodSync(executablePath, 0o755);
    }
    browser = await chromium.launch({ executablePath, headless: false, args: [...FLAGS, `--audio-buffer-size=${opts.audioBufferFrames ?? 2048}`], env: { ...clientEnv, DISPLAY: `:${display}`, ...(sessionBus ? { DBUS_SESSION_BUS_ADDRESS: sessionBus } : {}) } });

    return {
      browser,
      recording,
      pulseServer,
      sessionBus,
      async pactl(args) {
        const r = await run('pactl', args, clientEnv);
        if (r.code !== 0) throw new Error(`pactl ${args.join(' ')} failed: ${r.out.trim()}`);
        return r.out;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
