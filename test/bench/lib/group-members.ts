// What the group benchmarks run in their network namespace: shairport-sync speakers
// (airplay-speakers.ts), our software Sendspin players (the emulator CLI, connected to the group
// runner's Sendspin server), software Chromecasts (the emulator CLI, played by Cast Streaming,
// cast-emulators.ts), and the group runner (group-runner.ts) that plays to them. Every
// output is a StampedOutput, placed in time the same way (schedule.ts), so a figure for a speaker
// and one for a Sendspin player compare.
import { join } from 'node:path';
import type { Netns } from '../../helpers/netns.js';
import { projectRoot } from '../../helpers/paths.js';
import type { StampedOutput } from '../../integration/receivers/airplay/schedule.js';
import { driverOver, type Driver } from '../../integration/receivers/airplay/speaker-runner.js';
import { startSoftCast, type CastKnobs, type SoftCast } from '../../integration/receivers/group/cast-emulators.js';
import { startEmulator, untilOutput, type Emulator } from '../../integration/receivers/sendspin/fixture.js';
import type { RunnerOptions } from '../group-runner.js';
import { firstLoudFrame, perfMsOfHrNs, RATE, startSpeakers, stopSpeakers, type Speaker } from './airplay-speakers.js';

export const SENDSPIN_PORT = 8927;

/** A member's output, whatever its kind: its registry id and how to await its PCM. */
export interface Output {
  id: string;
  out: StampedOutput;
  /** Resolves once `pred` holds (checked as output comes). */
  until(pred: () => boolean, timeoutMs: number, what: string): Promise<void>;
}

export interface GroupBed {
  speakers: Speaker[];
  players: Emulator[];
  casts: SoftCast[];
  /** Speakers' outputs first, then the players', then the Chromecasts'. */
  outputs: Output[];
  runner: Driver;
  /** Sends a command; resolves with performance.now() of the moment the runner began it (NaN for `cpu`). */
  cmd(line: string, timeoutMs?: number): Promise<{ atMs: number; answer: Record<string, unknown> }>;
  close(): Promise<void>;
}

export const speakerOutput = (s: Speaker): Output => ({ id: `airplay:R${s.port}`, out: s.out, until: (p, t, w) => s.sp.pcm.until(p, t, w) });

/** First port of the software Chromecasts (8101, 8102, …). */
export const CAST_PORT = 8101;

/**
 * `speakers` shairport-sync speakers (ports from 5081), `players` Sendspin players (ids p1, p2, …)
 * and a software Chromecast for each of `casts` (ports from CAST_PORT, with those knobs).
 */
export async function startGroupBed(ns: Netns, file: string, duration: number, speakerCount: number, playerCount: number, casts: CastKnobs[] = []): Promise<GroupBed> {
  const speakers = await startSpeakers(ns, Array.from({ length: speakerCount }, (_, i) => ({ name: `Room${5081 + i}`, port: 5081 + i, udpPortBase: 6201 + 10 * i })));
  const players: Emulator[] = [];
  const softCasts: SoftCast[] = [];
  let runner: Driver | undefined;
  const close = async (): Promise<void> => {
    if (runner) await runner.cmd('close', 10_000).catch(() => runner!.kill());
    await Promise.all([...players, ...softCasts].map((p) => p.stop()));
    await stopSpeakers(speakers);
  };
  try {
    for (const [i, k] of casts.entries()) softCasts.push(await startSoftCast(ns, CAST_PORT + i, k));
    const o: RunnerOptions = { host: ns.addr, sendspinPort: SENDSPIN_PORT, file, duration };
    const child = ns.spawn(process.execPath, [join(projectRoot, 'dist/test/bench/group-runner.js'), JSON.stringify(o)], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    runner = driverOver(child, 'group runner');
    await runner.out.wait(/"event":"ready"/, 15_000);
    for (let i = 1; i <= playerCount; i++) {
      const args = ['--server', `ws://${ns.addr}:${SENDSPIN_PORT}/sendspin`, '--name', `Player ${i}`, '--id', `p${i}`];
      players.push(startEmulator(args, (cmd, a) => ns.spawn(cmd, a, { stdio: ['ignore', 'pipe', 'pipe'] })));
    }
    await Promise.all(players.map((p) => p.events.waitFor((l) => l.event === 'synced', 15_000)));
  } catch (err) {
    await close();
    throw err;
  }
  const outputs: Output[] = [
    ...speakers.map(speakerOutput),
    ...players.map((e, i) => ({ id: `sendspin:p${i + 1}`, out: e.output, until: (p: () => boolean, t: number, w: string) => untilOutput(e, p, t, w) })),
    ...softCasts.map((c) => ({ id: `chromecast:C${c.port}`, out: c.output, until: (p: () => boolean, t: number, w: string) => untilOutput({ proc: c.process, output: c.output }, p, t, w) })),
  ];
  return {
    speakers, players, casts: softCasts, outputs, runner: runner!, close,
    async cmd(line, timeoutMs = 30_000) {
      const answer = await runner!.cmd(line, timeoutMs);
      return { atMs: answer.atNs === undefined ? NaN : perfMsOfHrNs(BigInt(String(answer.atNs))), answer };
    },
  };
}

/**
 * Waits until output `o` has played 2.5 s of sound after frame `from`; returns the performance.now()
 * time at which its first non-silent frame plays (placed from the reads after the lead-in, which is
 * written at once: airplay-first-sound.ts does the same for a speaker).
 */
export async function firstSoundAt(o: Output, from: number, timeoutMs = 20_000): Promise<number> {
  let first = -1;
  let checkedAt = -Infinity;
  // Checked every 0.1 s of output: a scan copies the whole output.
  await o.until(() => {
    if (o.out.frames - checkedAt < RATE / 10) return false;
    checkedAt = o.out.frames;
    if (first < 0) first = firstLoudFrame(o.out, from);
    return first >= 0 && o.out.frames >= first + 2.5 * RATE;
  }, timeoutMs, `2.5 s of sound from ${o.id}`);
  return o.out.msOfFrame(first, first, first + 2 * RATE);
}
