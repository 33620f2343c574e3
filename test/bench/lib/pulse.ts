// Debian's PulseAudio as a second AirPlay sender, for the AirPlay benchmarks: a user-less daemon
// inside a network namespace (`pulseaudio -n -F script`), nothing of the host's sound setup read
// or touched (HOME, XDG_* and the runtime dir point into a temp folder), one module-raop-sink per
// speaker (ALAC: PulseAudio 16 sends zeros with codec=PCM), and optionally module-combine-sink
// over them, loaded only once every RAOP sink finished its OPTIONS exchange: a sink made RUNNING
// before then never sends ANNOUNCE [docs/testing.md "PulseAudio as a second AirPlay sender"].
// Clients (pactl, paplay) reach it over a Unix socket path, so they can run outside the namespace.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Netns } from '../../helpers/netns.js';

const execFileP = promisify(execFile);

export interface Pulse {
  /** The daemon's pid (ip netns exec execs it, so the child is pulseaudio itself). */
  readonly pid: number;
  /** Sink names, one per target, in order; 'combined' when asked for. */
  readonly sinks: string[];
  /** Environment for pactl/paplay. */
  readonly env: NodeJS.ProcessEnv;
  /** Starts `paplay -d sink file` (resolves on exit). */
  play(file: string, sink: string): { child: ChildProcess; done: Promise<number | null> };
  /**
   * Plays any file as our sender does: ffmpeg decodes it to s16le 44.1 kHz stereo, piped straight
   * into `pacat --raw` (paplay's libsndfile reads ffmpeg's FLAC as noise here). Kill both to stop.
   */
  playDecoded(file: string, sink: string): { pids: number[]; failure(): string; stop(): Promise<void> };
  log(): string;
  /** False once the daemon has exited (PulseAudio 16's RAOP sink can abort: see airplay-cpu.ts). */
  alive(): boolean;
  /** The daemon's last error line ('E: ...'), for reports. */
  lastError(): string;
  stop(): Promise<void>;
}

// Runtime folders of daemons not stopped yet, removed on exit too (a bench stopped by Ctrl-C; the
// daemon itself is a child of the namespace, which netns.ts stops).
const dirs = new Set<string>();
process.once('exit', () => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

export async function startPulse(ns: Netns, targets: Array<{ host: string; port: number }>, opts: { combine?: boolean } = {}): Promise<Pulse> {
  const dir = mkdtempSync(join(tmpdir(), 'homecast-bench-pulse-'));
  dirs.add(dir);
  const socket = join(dir, 'native');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir, XDG_CONFIG_HOME: dir, PULSE_RUNTIME_PATH: dir, PULSE_STATE_PATH: dir };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.DISPLAY;
  const sinks = targets.map((_, i) => `raop${i}`);
  const script = [
    `load-module module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
    ...targets.map((t, i) => `load-module module-raop-sink server=[${t.host}]:${t.port} sink_name=${sinks[i]} protocol=UDP encryption=none codec=ALAC`),
  ];
  writeFileSync(join(dir, 'default.pa'), `${script.join('\n')}\n`);
  const child = ns.spawn('pulseaudio', [
    '-n', '-F', join(dir, 'default.pa'), '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no',
    '--realtime=no', '--high-priority=no', '--log-target=stderr', '--log-level=debug',
  ], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const waiters = new Set<() => void>();
  let exited = false;
  for (const s of [child.stdout!, child.stderr!]) s.on('data', (d: Buffer) => ((log = (log + d.toString()).slice(-400_000)), waiters.forEach((w) => w())));
  child.once('exit', () => ((exited = true), waiters.forEach((w) => w())));
  const clientEnv = { ...env, PULSE_SERVER: `unix:${socket}` };

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      await new Promise((r) => child.once('exit', r));
      clearTimeout(kill);
    }
    rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
  };

  /** Resolves once the log holds `count` matches of `pattern`. */
  const logCount = (pattern: RegExp, count: number, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if ((log.match(new RegExp(pattern.source, 'g')) ?? []).length >= count) return done(resolve);
        if (exited) done(() => reject(new Error(`pulseaudio exited before ${what}; log:\n${log.slice(-3000)}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`pulseaudio: no ${what} within ${timeoutMs} ms; log:\n${log.slice(-3000)}`))), timeoutMs);
      const done = (f: () => void) => (clearTimeout(timer), waiters.delete(check), f());
      waiters.add(check);
      check();
    });

  try {
    await logCount(/RAOP: OPTIONS \(auth cb\)/, targets.length, 20_000, `the OPTIONS exchange with all ${targets.length} speakers`);
    if (opts.combine) {
      await execFileP('pactl', ['load-module', 'module-combine-sink', 'sink_name=combined', `slaves=${sinks.join(',')}`], { env: clientEnv, timeout: 10_000 });
      sinks.push('combined');
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    pid: child.pid ?? -1,
    sinks,
    env: clientEnv,
    play(file, sink) {
      const p = spawn('paplay', ['-d', sink, file], { env: clientEnv, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const done = new Promise<number | null>((resolve, reject) => {
        p.once('error', reject);
        p.once('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`paplay exited ${code}: ${err.trim()}`))));
      });
      return { child: p, done };
    },
    playDecoded(file, sink) {
      const ff = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', file, '-f', 's16le', '-acodec', 'pcm_s16le', '-ar', '44100', '-ac', '2', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      // pacat reads ffmpeg's pipe itself: the bytes do not pass through this process.
      const pa = spawn('pacat', ['--raw', '--format=s16le', '--rate=44100', '--channels=2', '-d', sink], { env: clientEnv, stdio: [ff.stdout!, 'ignore', 'pipe'] });
      ff.stdout!.destroy(); // our copy of the pipe's read end: only pacat reads it
      let stopping = false;
      let failure = '';
      for (const [name, c] of [['ffmpeg', ff], ['pacat', pa]] as const) {
        let err = '';
        c.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
        c.once('exit', (code, signal) => {
          if (!stopping) failure ||= `${name} exited early (${code ?? signal}): ${err.trim()}`;
        });
      }
      const gone = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())));
      return {
        pids: [ff.pid ?? -1, pa.pid ?? -1],
        failure: () => failure,
        async stop() {
          stopping = true;
          for (const c of [pa, ff]) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
          await Promise.all([gone(pa), gone(ff)]);
        },
      };
    },
    log: () => log,
    alive: () => !exited,
    lastError: () => log.split('\n').filter((l) => l.startsWith('E: ')).pop()?.replace(/^E: .*?\] (?=[\w-]+\.c:)/, '') ?? '',
    stop,
  };
}
