// Runs the AirPlay receiver driver inside a test's network namespace (a vitest worker cannot enter
// one): an inline script serves the media file (and a cover) over HTTP inside the namespace, as our
// media routes would, takes commands on stdin and prints every status as a JSON line.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import type { Netns } from '../../../helpers/netns.js';
import { readLines, type LineReader } from '../../../helpers/lines.js';
import { projectRoot } from '../../../helpers/paths.js';

export interface RunnerOptions {
  host: string;
  port: number;
  /** The media file served at /media/1 (FLAC). A second one at /media/2 for `load2`. */
  file: string;
  file2?: string;
  /** Served at /art with this type; the load's metadata.artUrl points there. */
  art?: { file: string; type: string };
  /** The speaker's `_raop._tcp` TXT: when given, describe() sees it first (codec from `cn`). */
  txt?: Record<string, string>;
  /** Driver options (password, codec). */
  driver?: Record<string, unknown>;
  /** Metadata of every load (title defaults to 'tone'). */
  metadata?: { title?: string; artist?: string; album?: string };
  /** Duration the loads announce (s). */
  duration?: number;
  /** Duration of file2's load. */
  duration2?: number;
  /** Metadata of file2's loads (title defaults to 'tone 2'). */
  metadata2?: { title?: string; artist?: string; album?: string };
}

const script = (o: RunnerOptions): string => `
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
const { connectReceiver } = await import(${JSON.stringify(pathToFileURL(join(projectRoot, 'dist/receivers/airplay/driver.js')).href)});
const { describe } = await import(${JSON.stringify(pathToFileURL(join(projectRoot, 'dist/receivers/airplay/describe.js')).href)});
const o = ${JSON.stringify(o)};
if (o.txt) describe({ name: '2AC8B05365F3@Kitchen', type: 'raop', host: 'kitchen.local', port: o.port, addresses: [o.host], txt: o.txt });
const say = (x) => process.stdout.write(JSON.stringify(x) + '\\n');
const files = { '/media/1': [o.file, 'audio/flac'], '/media/2': [o.file2, 'audio/flac'], '/art': o.art ? [o.art.file, o.art.type] : undefined };
const server = createServer((req, res) => {
  const f = files[req.url];
  if (req.url === '/art') say({ event: 'served', url: req.url });
  if (!f || !f[0]) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'Content-Type': f[1], 'Content-Length': statSync(f[0]).size });
  createReadStream(f[0]).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = 'http://127.0.0.1:' + server.address().port;
const log = (msg, fields) => say({ event: 'log', msg, ...fields });
const r = connectReceiver({ id: 'airplay:2AC8B05365F3', kind: 'airplay', name: 'Kitchen', model: 'ShairportSync', host: o.host, port: o.port, type: 'speaker', online: true, lastSeen: Date.now(), source: 'mdns' }, { log, ...(o.driver ?? {}) });
r.on('status', (s) => say({ event: 'status', ...s }));
r.on('gone', (why) => say({ event: 'gone', why }));
const metadata = { title: 'tone', ...(o.metadata ?? {}), kind: 'audio', ...(o.art ? { artUrl: base + '/art' } : {}) };
const metadata2 = { title: 'tone 2', ...(o.metadata2 ?? {}), kind: 'audio' };
const req = (path, startAt, duration) => ({ url: base + path, contentType: 'audio/flac', metadata: path === '/media/2' ? metadata2 : metadata, duration, startAt, live: false });
const run = async (cmd, arg) => {
  if (cmd === 'connect') await r.connect();
  else if (cmd === 'load') await r.load(req('/media/1', Number(arg || 0), o.duration ?? 12));
  else if (cmd === 'load2') await r.load(req('/media/2', Number(arg || 0), o.duration2 ?? 12));
  else if (cmd === 'preload2') r.preload(req('/media/2', 0, o.duration2 ?? 12));
  else if (cmd === 'loadurl') await r.load({ url: arg, contentType: 'audio/flac', metadata: { title: 'missing', kind: 'audio' }, duration: 12, startAt: 0, live: false });
  else if (cmd === 'pause') await r.pause();
  else if (cmd === 'play') await r.play();
  else if (cmd === 'seek') await r.seek(Number(arg));
  else if (cmd === 'volume') await r.setVolume(Number(arg));
  else if (cmd === 'stop') await r.stop();
  else if (cmd === 'status') return say({ event: 'now', ...r.status() });
  else if (cmd === 'close') { await r.close(); server.close(); say({ event: 'done', cmd }); process.exit(0); }
  say({ event: 'done', cmd });
};
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, arg] = line.trim().split(' ');
  await run(cmd, arg).catch((e) => say({ event: 'failed', cmd, message: e.message, name: e.name, code: e.code, wrong: e.wrong }));
}
`;

export interface Driver {
  out: LineReader;
  send(line: string): void;
  /** Sends a command and waits for its 'done'; throws on 'failed' (the error carries name, code, wrong). */
  cmd(line: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** The driver's status() now. */
  now(): Promise<Record<string, unknown>>;
  /** Waits for a status event matching `pred` from line `after` on. */
  status(pred: (s: Record<string, unknown>) => boolean, after: number, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Ends the runner if a test left it running (its RTSP connection closes, the speaker is free). */
  kill(): void;
}

export class DriverCommandError extends Error {
  constructor(message: string, readonly detail: Record<string, unknown>) {
    super(message);
  }
}

export function startDriver(ns: Netns, opts: RunnerOptions): Driver {
  const child = ns.spawn(process.execPath, ['--input-type=module', '-e', script(opts)], { stdio: ['pipe', 'pipe', 'pipe'] });
  return driverOver(child, 'airplay-driver');
}

/**
 * Commands to a runner process and its answers: one command a line on stdin; JSON lines on stdout
 * ({event: 'done' | 'failed', cmd}, {event: 'status', ...}, {event: 'now', ...}).
 */
export function driverOver(child: ChildProcess, label: string): Driver {
  const out = readLines(child, label);
  const json = (l: string): Record<string, unknown> => JSON.parse(l) as Record<string, unknown>;
  const send = (l: string): void => void child.stdin!.write(`${l}\n`);
  return {
    out,
    send,
    async cmd(line, timeoutMs = 15_000) {
      const after = out.lines.length;
      const name = line.split(' ')[0]!;
      send(line);
      const l = json(await out.wait(new RegExp(`"event":"(done|failed)","cmd":"${name}"`), timeoutMs, after));
      if (l.event === 'failed') throw new DriverCommandError(`${line}: ${String(l.message)}`, l);
      return l;
    },
    async now() {
      const after = out.lines.length;
      send('status');
      return json(await out.wait(/"event":"now"/, 5000, after));
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    async status(pred, after, timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const hit = out.lines.slice(after).filter((l) => l.startsWith('{"event":"status"')).map(json).find(pred);
        if (hit) return hit;
        if (performance.now() > deadline) throw new Error(`no matching status; last lines:\n${out.lines.slice(-10).join('\n')}`);
        await delay(50);
      }
    },
  };
}
