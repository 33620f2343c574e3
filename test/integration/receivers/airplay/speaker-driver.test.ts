// The AirPlay receiver driver against a real speaker: shairport-sync 3.3.8 in a network namespace
// (shairport.ts), playing a FLAC file that a small HTTP server inside the namespace serves, as our
// media routes would. The driver runs inside the namespace too (a vitest worker cannot enter one):
// an inline script takes commands on stdin and prints every status as a JSON line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { readLines, type LineReader } from '../../../helpers/lines.js';
import { projectRoot } from '../../../helpers/paths.js';
import { startShairport, type Shairport } from './shairport.js';

const PORT = 5055;
const RATE = 44100;
let ns: Netns;
let speaker: Shairport;
let dir: string;

const runner = (host: string, port: number, file: string): string => `
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
const { connectReceiver } = await import(${JSON.stringify(pathToFileURL(join(projectRoot, 'dist/receivers/airplay/driver.js')).href)});
const say = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
const file = ${JSON.stringify(file)};
const server = createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'audio/flac', 'Content-Length': statSync(file).size });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = 'http://127.0.0.1:' + server.address().port + '/media/1';
const r = connectReceiver({ id: 'airplay:2AC8B05365F3', kind: 'airplay', name: 'Kitchen', model: 'ShairportSync', host: ${JSON.stringify(host)}, port: ${port}, type: 'speaker', online: true, lastSeen: Date.now(), source: 'mdns' });
r.on('status', (s) => say({ event: 'status', ...s }));
r.on('gone', (why) => say({ event: 'gone', why }));
const run = async (cmd, arg) => {
  if (cmd === 'connect') await r.connect();
  else if (cmd === 'load') await r.load({ url, contentType: 'audio/flac', metadata: { title: 'tone', kind: 'audio' }, duration: 12, startAt: Number(arg || 0), live: false });
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
  await run(cmd, arg).catch((e) => say({ event: 'failed', cmd, message: e.message }));
}
`;

interface Driver {
  out: LineReader;
  send(line: string): void;
  /** Sends a command and waits for its 'done'; throws on 'failed'. */
  cmd(line: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** The driver's status() now. */
  now(): Promise<Record<string, unknown>>;
  /** Waits for a status event matching `pred` from line `after` on. */
  status(pred: (s: Record<string, unknown>) => boolean, after: number, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function startDriver(file: string): Driver {
  const child = ns.spawn(process.execPath, ['--input-type=module', '-e', runner(ns.addr, PORT, file)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = readLines(child, 'airplay-driver');
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
      if (l.event === 'failed') throw new Error(`${line}: ${String(l.message)}`);
      return l;
    },
    async now() {
      const after = out.lines.length;
      send('status');
      return json(await out.wait(/"event":"now"/, 5000, after));
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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airplay-driver-'));
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=12', '-ac', '2', '-c:a', 'flac', join(dir, 'tone.flac')]);
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr.toString()}`);
  ns = await createNetns();
  speaker = startShairport(ns, { port: PORT, name: 'Kitchen' });
  await speaker.waitLog(/service '[0-9A-F]+@Kitchen' successfully added/, 20_000);
});

afterAll(async () => {
  await speaker?.stop();
  await ns?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('AirPlay driver → shairport-sync', () => {
  it('loads a FLAC over HTTP, plays, pauses, resumes and stops', { timeout: 30_000 }, async () => {
    const d = startDriver(join(dir, 'tone.flac'));
    await d.cmd('connect');
    const loudStart = speaker.pcm.loudFrames;
    let mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'loading', mark);
    const playing = await d.status((s) => s.state === 'playing', mark, 8000);
    expect(playing.rate).toBe(1);
    expect(playing.duration).toBe(12);

    // The speaker's output is the tone, not silence.
    await speaker.pcm.until(() => speaker.pcm.loudFrames >= loudStart + RATE / 2, 6000, '0.5 s of tone');
    const a = await d.now();
    await delay(1000);
    const b = await d.now();
    expect(b.state).toBe('playing');
    expect(Number(b.position) - Number(a.position)).toBeGreaterThan(0.7);
    expect(Number(b.position) - Number(a.position)).toBeLessThan(1.3);

    mark = d.out.lines.length;
    await d.cmd('pause');
    const paused = await d.status((s) => s.state === 'paused', mark);
    await delay(500);
    const held = await d.now();
    expect(held.state).toBe('paused');
    expect(held.position).toBe(paused.position);
    expect(Number(paused.position)).toBeGreaterThan(1);

    mark = d.out.lines.length;
    const loudAtResume = speaker.pcm.loudFrames;
    await d.cmd('play');
    await d.status((s) => s.state === 'playing', mark, 8000);
    await speaker.pcm.until(() => speaker.pcm.loudFrames >= loudAtResume + RATE / 4, 6000, 'tone after resume');
    const resumed = await d.now();
    expect(Number(resumed.position)).toBeGreaterThanOrEqual(Number(paused.position));

    mark = d.out.lines.length;
    await d.cmd('stop');
    const stopped = await d.status((s) => s.state === 'idle', mark);
    expect(stopped.idleReason).toBe('stopped');
    await d.cmd('close');
  });

  it('seeks near the end, then reports the item finished', { timeout: 20_000 }, async () => {
    const d = startDriver(join(dir, 'tone.flac'));
    let mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    mark = d.out.lines.length;
    await d.cmd('seek 9.5');
    await d.status((s) => s.state === 'buffering' && s.position === 9.5, mark);
    const after = await d.status((s) => s.state === 'playing', mark, 8000);
    expect(Number(after.position)).toBeCloseTo(9.5, 1);
    const done = await d.status((s) => s.state === 'idle', mark, 8000);
    expect(done.idleReason).toBe('finished');
    expect(done.position).toBe(12);
    await d.cmd('close');
  });

  it('fails a load whose media cannot be read, with the reason', { timeout: 20_000 }, async () => {
    const d = startDriver(join(dir, 'tone.flac'));
    const mark = d.out.lines.length;
    await expect(d.cmd('loadurl http://127.0.0.1:1/media/404')).rejects.toThrow(/Kitchen cannot play missing/);
    const failed = await d.status((s) => s.state === 'idle', mark);
    expect(failed.idleReason).toBe('error');
    expect(String(failed.error)).toMatch(/cannot play missing/);
    await d.cmd('close');
  });

  // Last: it takes the speaker away.
  it('reports the speaker going away while playing', { timeout: 20_000 }, async () => {
    const d = startDriver(join(dir, 'tone.flac'));
    const mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    speaker.process.kill('SIGTERM');
    const gone = await d.status((s) => s.state === 'idle', mark, 5000);
    expect(gone.idleReason).toBe('gone');
    await d.out.wait(/"event":"gone"/, 2000);
    await d.cmd('close');
  });
});
