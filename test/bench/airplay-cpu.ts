// CPU per streamed AirPlay speaker with 10 speakers at once: ten real speakers (shairport-sync
// 3.3.8) in one network namespace, one FLAC track (pink noise: as costly to decode as music)
// streamed to all ten by our sender (a) as one RaopGroup (one decoder) and (b) as ten independent
// AirPlayReceiver drivers (ten decoders), measured over 20 s of steady play after 5 s (10 s after
// 3 s in the whole run: cpuWindow) (airplay-cpu-runner.ts: our process plus its ffmpeg children). Reference in the same run:
// PulseAudio 16, ten module-raop-sink (ALAC) under one module-combine-sink, fed the same track
// decoded by ffmpeg into pacat (pulseaudio + pacat + ffmpeg, from /proc).
// Every run is checked: all ten outputs have sound and no dropout (no run of a packet's worth of
// silent frames once the sound began), else the note says which did not.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createNetns, type Netns } from '../helpers/netns.js';
import { readLines } from '../helpers/lines.js';
import { projectRoot } from '../helpers/paths.js';
import { firstLoudFrame, PACKET_FRAMES, RATE, soundCheck, startSpeakers, stopSpeakers, type Speaker } from './lib/airplay-speakers.js';
import { cpuOver } from './lib/cpu.js';
import { startPulse } from './lib/pulse.js';
import type { Row } from './lib/table.js';

const execFileP = promisify(execFile);
const SPEAKERS = 10;

/** Steady play before and during a CPU measurement (this, the group and the Cast CPU benches). */
export interface CpuWindow {
  warmupS: number;
  measureS: number;
}

/** 20 s after 5 s when the section runs alone; 10 s after 3 s in the whole run (its 10 minutes). */
export const cpuWindow = (full: boolean): CpuWindow => (full ? { warmupS: 5, measureS: 20 } : { warmupS: 3, measureS: 10 });

/** The bench result PulseAudio's RAOP sinks gave, kept for the group CPU bench of the same run. */
export interface PulseRun extends Run {
  crashes: string[];
  sinks: number;
  window: CpuWindow;
}
const runner = join(projectRoot, 'dist/test/bench/airplay-cpu-runner.js');

export interface Run {
  /** CPU ms over the window, all our processes. */
  cpuMs: number;
  wallMs: number;
  /** Problems seen in the outputs ('' when all ten played cleanly). */
  problems: string;
}

/** Sound and dropouts in each output from its first sound up to frame marks[i]. */
export function checkOutputs(speakers: Array<Pick<Speaker, 'name' | 'out'>>, starts: number[], ends: number[], measureS: number): string {
  const bad: string[] = [];
  speakers.forEach((s, i) => {
    const first = firstLoudFrame(s.out, starts[i]!);
    if (first < 0 || first >= ends[i]!) return void bad.push(`${s.name} silent`);
    const c = soundCheck(s.out, first, ends[i]!);
    if (c.longestSilence >= PACKET_FRAMES) bad.push(`${s.name} dropout (${c.longestSilence} silent frames)`);
    if (c.loudFrames < measureS * RATE) bad.push(`${s.name} short (${(c.loudFrames / RATE).toFixed(1)} s of sound)`);
  });
  return bad.join('; ');
}

async function runOurs(ns: Netns, speakers: Speaker[], mode: 'group' | 'drivers', file: string, w: CpuWindow): Promise<Run> {
  const starts = speakers.map((s) => s.sp.pcm.frames);
  const child = ns.spawn(process.execPath, [runner, mode, ns.addr, file, String(w.warmupS), String(w.measureS), ...speakers.map((s) => String(s.port))], { cwd: projectRoot });
  const out = readLines(child, `airplay cpu runner (${mode})`);
  const line = await out.wait(/"event":"(cpu|error)"/, (w.warmupS + w.measureS + 30) * 1000);
  const ends = speakers.map((s) => s.sp.pcm.frames);
  const r = JSON.parse(line) as { event: string; message?: string; oursMs: number; childrenMs: number; wallMs: number };
  if (r.event === 'error') throw new Error(`our sender (${mode}): ${r.message}`);
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  const errors = out.json<{ event: string; message?: string }>().filter((l) => l.event === 'problem').map((l) => l.message);
  return { cpuMs: r.oursMs + r.childrenMs, wallMs: r.wallMs, problems: [checkOutputs(speakers, starts, ends, w.measureS), ...errors].filter(Boolean).join('; ') };
}

/**
 * PulseAudio 16 aborts now and then when its RAOP sinks go RUNNING together ("Assertion 'pollfd'
 * failed at raop-sink.c:570", four times in six here with ten sinks): a daemon that died before
 * the measurement starts is restarted, up to `attempts` times, and the note says how often.
 */
export async function runPulse(ns: Netns, speakers: Speaker[], file: string, w: CpuWindow, attempts = 6): Promise<PulseRun> {
  const crashes: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const pulse = await startPulse(ns, speakers.map((s) => ({ host: ns.addr, port: s.port })), { combine: true });
    try {
      const starts = speakers.map((s) => s.sp.pcm.frames);
      const play = pulse.playDecoded(file, 'combined');
      await delay(w.warmupS * 1000);
      if (!pulse.alive() || play.failure()) {
        crashes.push(pulse.lastError() || play.failure());
        await play.stop();
        continue;
      }
      const cpu = cpuOver([pulse.pid, ...play.pids]);
      const t0 = performance.now();
      await delay(w.measureS * 1000);
      const cpuMs = cpu.stop();
      const wallMs = performance.now() - t0;
      const ends = speakers.map((s) => s.sp.pcm.frames);
      const failure = play.failure();
      await play.stop();
      return { cpuMs, wallMs, crashes, sinks: speakers.length, window: w, problems: [failure, checkOutputs(speakers, starts, ends, w.measureS)].filter(Boolean).join('; ') };
    } finally {
      await pulse.stop();
    }
  }
  return { cpuMs: NaN, wallMs: 1, crashes, sinks: speakers.length, window: w, problems: `PulseAudio died before playing in all ${attempts} attempts` };
}

/** The played track: pink noise (as costly to decode as music), long enough for a measured play. */
export async function noiseFile(dir: string, w: CpuWindow): Promise<string> {
  const file = join(dir, 'noise.flac');
  const noise = `anoisesrc=color=pink:amplitude=0.5:sample_rate=44100:duration=${w.warmupS + w.measureS + 8}`;
  await execFileP('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', noise, '-ac', '2', '-sample_fmt', 's16', '-c:a', 'flac', file]);
  return file;
}

/** `keep` receives PulseAudio's run, for the group CPU bench of the same run. */
export async function benchAirPlayCpu(work: string, progress: (s: string) => void, w: CpuWindow, keep?: (pa: PulseRun) => void): Promise<Row[]> {
  const dir = join(work, 'airplay-cpu');
  await mkdir(dir, { recursive: true });
  const file = await noiseFile(dir, w);
  const ns = await createNetns();
  let speakers: Speaker[] = [];
  try {
    progress(`airplay cpu: starting ${SPEAKERS} shairport-sync speakers`);
    speakers = await startSpeakers(ns, Array.from({ length: SPEAKERS }, (_, i) => ({ name: `Room${i + 1}`, port: 5101 + i, udpPortBase: 6101 + 10 * i })));
    progress('airplay cpu: ours, one RaopGroup');
    const group = await runOurs(ns, speakers, 'group', file, w);
    progress('airplay cpu: ours, ten drivers');
    const drivers = await runOurs(ns, speakers, 'drivers', file, w);
    progress('airplay cpu: PulseAudio, ten RAOP sinks under a combine sink');
    const pa = await runPulse(ns, speakers, file, w);
    keep?.(pa);

    const pct = (r: Run) => (100 * r.cpuMs) / r.wallMs;
    const paCrashes = pa.crashes.length ? ` (after ${pa.crashes.length} restart(s): pulseaudio aborted with "${pa.crashes[0]}")` : '';
    const said = (r: Run) => r.problems || 'all ten played without a dropout';
    const refName = 'PulseAudio 10 raop-sinks + combine-sink';
    const note = `${SPEAKERS} shairport-sync speakers, ${w.measureS} s of steady play after ${w.warmupS} s; our node process + its ffmpeg children vs pulseaudio + pacat + ffmpeg; group: ${said(group)}; drivers: ${said(drivers)}; PulseAudio: ${said(pa)}${paCrashes}`;
    const rows = (label: string, r: Run, withNote: boolean): Row[] => [
      { section: 'airplay', metric: `CPU per speaker, 10 speakers, ${label}, ${w.measureS} s`, unit: '% of a core', better: 'lower', ours: pct(r) / SPEAKERS, ref: pct(pa) / SPEAKERS, refName, ...(withNote ? { note } : {}) },
      { section: 'airplay', metric: `CPU for all 10 speakers, ${label}`, unit: '% of a core', better: 'lower', ours: pct(r), ref: pct(pa), refName },
    ];
    return [...rows('one RaopGroup (one decoder)', group, true), ...rows('ten drivers (ten decoders)', drivers, false)];
  } finally {
    await stopSpeakers(speakers);
    await ns.close();
  }
}
