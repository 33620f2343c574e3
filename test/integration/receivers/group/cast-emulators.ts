// Software Chromecasts for the group tests, each a `npm run receiver -- chromecast --pcm` process in
// the test's network namespace: what it plays by Cast Streaming comes on stdout in shairport-sync's
// convention (placed in time by StampedOutput, as the speakers' outputs), its JSON events on stderr.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { onTestFailed, onTestFinished } from 'vitest';
import type { Netns } from '../../../helpers/netns.js';
import { readLines, type LineReader } from '../../../helpers/lines.js';
import { projectRoot } from '../../../helpers/paths.js';
import { OUTPUT_LEAD_MS } from '../../../../receivers/chromecast/emulator/streaming/session.js';
import { StampedOutput } from '../airplay/schedule.js';
import { driverOver, type Driver } from '../airplay/speaker-runner.js';
import type { GroupRunnerOptions } from './group-driver.js';

export interface CastKnobs {
  skewPpm?: number;
  jitterMs?: number;
  netDelayMs?: number;
  loss?: number;
  outputLatencyMs?: number;
  mirroring?: boolean;
}

export interface SoftCast {
  readonly port: number;
  readonly process: ChildProcess;
  readonly output: StampedOutput;
  /** Its events and warnings (stderr). */
  readonly log: LineReader;
  stop(): Promise<void>;
}

export async function startSoftCast(ns: Netns, port: number, k: CastKnobs = {}): Promise<SoftCast> {
  const args = [join(projectRoot, 'dist/receivers/cli.js'), 'chromecast', '--name', `Cast${port}`, '--model', 'Google Home', '--host', ns.addr, '--port', String(port), '--no-mdns', '--pcm'];
  const knob = (flag: string, v: number | undefined) => v !== undefined && args.push(`--${flag}`, String(v));
  knob('skew-ppm', k.skewPpm);
  knob('jitter-ms', k.jitterMs);
  knob('net-delay-ms', k.netDelayMs);
  knob('loss', k.loss);
  knob('output-latency-ms', k.outputLatencyMs);
  if (k.mirroring === false) args.push('--no-mirroring');
  const child = ns.spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Its DAC takes each period OUTPUT_LEAD_MS before play (a device's buffer), not shairport-sync's 1 s.
  const output = new StampedOutput(child.stdout!, OUTPUT_LEAD_MS);
  // Lines from stderr only: stdout is the audio.
  const log = readLines({ stdout: null, stderr: child.stderr, once: (e: string, f: () => void) => child.once(e, f) } as unknown as ChildProcess, `cast${port}`);
  await log.wait(/"event":"listening"/, 15_000);
  return {
    port, process: child, output, log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Waits until `o` has written `frames` frames in all (polled: a StampedOutput has no events). */
export const outputUntil = (o: StampedOutput, frames: number, what: string, timeoutMs: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const t0 = performance.now();
    const tick = (): void => {
      if (o.frames >= frames) return resolve();
      if (performance.now() - t0 > timeoutMs) return reject(new Error(`${what}: ${o.frames} of ${frames} frames within ${timeoutMs} ms`));
      setTimeout(tick, 100);
    };
    tick();
  });

/** The group driver (group-driver.ts) in the namespace for this test; on failure its last lines and the Chromecasts' are printed. */
export function startGroupDriver(ns: Netns, o: GroupRunnerOptions, casts: () => SoftCast[]): Driver {
  const child = ns.spawn(process.execPath, [join(projectRoot, 'dist/test/integration/receivers/group/group-driver.js'), JSON.stringify(o)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const d = driverOver(child, 'group-driver');
  onTestFinished(() => d.kill());
  onTestFailed(() => console.error(`group driver:\n${d.out.lines.slice(-30).join('\n')}\n${casts().map((c) => c.log.lines.slice(-20).join('\n')).join('\n----\n')}`));
  return d;
}

/**
 * Signs that the software Chromecast `c` was starved of CPU (a loaded machine, not the sender)
 * while it played output frames [from, to) of the session whose output began at frame
 * `sessionStart` (its warnings after log line `logMark`): audio decoded after its play time and
 * dropped, Sender Reports read late (which move its output through the clock smoother) or read
 * after its event loop stood still (left out of the smoother, read-watch.ts).
 */
export function starvedSigns(c: SoftCast, logMark: number, sessionStart: number, from: number, to: number): string[] {
  return c.log.lines.slice(logMark).flatMap((l) => {
    const late = /decoded after its play time \((\d+) samples dropped at session output frame (\d+)\)/.exec(l);
    const sr = /Sender Report read (\d+) ms after the earliest ones \(session output frame (\d+)\)/.exec(l);
    const stood = /Sender Report read after this process stood still (\d+) ms: not a clock sample \(session output frame (\d+)\)/.exec(l);
    const at = sessionStart + Number((late ?? sr ?? stood)?.[2] ?? NaN);
    if (!(at + Number(late?.[1] ?? 0) > from && at < to)) return [];
    if (late) return [`${late[1]} samples decoded after their play time at output frame ${at}`];
    return [sr ? `a Sender Report read ${sr[1]} ms late at output frame ${at}` : `the receiver stood still ${stood![1]} ms before reading a Sender Report at output frame ${at}`];
  });
}

/** The message for a sync check of Cast `c`'s output over [from, to): whether its receiver was starved (then the failure says so). */
export function starvedNote(c: SoftCast, logMark: number, sessionStart: number, from: number, to: number): string {
  const signs = starvedSigns(c, logMark, sessionStart, from, to);
  const list = (xs: string[]) => `${xs.slice(0, 8).join('; ')}${xs.length > 8 ? ` (+${xs.length - 8})` : ''}`;
  // A stall before a Sender Report is already left out of the receiver's clock: alone it does not explain an offset.
  const moving = signs.filter((x) => !x.startsWith('the receiver stood still'));
  if (moving.length) return `the software Chromecast ${c.port} was starved of CPU (a loaded machine, not a sync error of the sender): ${list(signs)}`;
  if (signs.length) return `Cast ${c.port}: a sync error; its receiver only stood still before Sender Reports it left out of its clock: ${list(signs)}`;
  return `Cast ${c.port}: a sync error (its receiver shows no sign of starvation)`;
}
