// Gapless through the playback session: a queue of two short tracks on shairport-sync 3.3.8. The
// session hands the second to the RAOP driver's preload() (within 10 s of the first one's end), and
// takes the driver's "finished, went on to the preloaded item" as its advance: one load, index 0 → 1,
// and no gap in what the speaker played. Session and driver run inside the test's network namespace
// (an inline script, as speaker-runner.ts does for the driver alone).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Netns } from '../../../helpers/netns.js';
import { readLines } from '../../../helpers/lines.js';
import { projectRoot } from '../../../helpers/paths.js';
import { LOUD } from './pcm-compare.js';
import type { Shairport } from './shairport.js';
import { makeSignals, startKitchen, type Kitchen, type Signals } from './speaker-fixture.js';

const PORT = 5061;
const RATE = 44100;
const SECONDS = 3;
let kitchen: Kitchen;
let ns: Netns;
let speaker: Shairport;
let signals: Signals;

const dist = (p: string): string => JSON.stringify(pathToFileURL(join(projectRoot, 'dist', p)).href);

const script = (host: string, files: string[]): string => `
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
const { Session } = await import(${dist('server/playback/session.js')});
const { connectReceiver } = await import(${dist('receivers/airplay/driver.js')});
const { profileForModel } = await import(${dist('receivers/airplay/profile.js')});
const files = ${JSON.stringify(files)};
const say = (x) => process.stdout.write(JSON.stringify(x) + '\\n');
const server = createServer((req, res) => {
  const f = files[Number(req.url.split('/').pop()) - 1];
  if (!f) return void res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': 'audio/flac', 'Content-Length': statSync(f).size });
  createReadStream(f).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = 'http://127.0.0.1:' + server.address().port;
const d = { id: 'airplay:2AC8B05365F3', kind: 'airplay', name: 'Kitchen', model: 'ShairportSync', host: ${JSON.stringify(host)}, port: ${PORT}, type: 'speaker', online: true, lastSeen: Date.now(), source: 'mdns' };
const item = (id) => id <= files.length ? { id, kind: 'audio', title: 'track ' + id, duration: ${SECONDS}, mime: 'audio/flac', artHash: null, media: null, hdr: null, subtitles: [] } : undefined;
const log = { debug() {}, info: (msg, f) => say({ event: 'log', msg, ...f }), warn: (msg, f) => say({ event: 'log', level: 'warn', msg, ...f }), error: (msg, f) => say({ event: 'log', level: 'error', msg, ...f }) };
const session = new Session(d.id, {
  descriptor: () => d,
  // Every load() the session makes is printed: the test counts them.
  connect: (desc) => {
    const r = connectReceiver(desc);
    const load = r.load.bind(r);
    r.load = (req) => (say({ event: 'load', url: req.url }), load(req));
    return r;
  },
  item,
  profile: (desc) => profileForModel(desc.model, { audioOnlyHint: true }),
  loadRequest: async (_d, it, _decision, startAt) => ({ url: base + '/media/' + it.id, contentType: 'audio/flac', metadata: { title: it.title, kind: 'audio' }, duration: it.duration, startAt, live: false }),
  log,
});
session.on('changed', (s) => say({ event: 'changed', state: s.state, index: s.index, idleReason: s.idleReason, title: s.item?.title, at: s.at }));
await session.play([1, 2]);
say({ event: 'played' });
`;

beforeAll(async () => {
  signals = makeSignals('airplay-session-');
  const track = (name: string, expr: string): string => signals.flac(name, `aevalsrc=${expr}|${expr}:s=${RATE}:d=${SECONDS}`);
  // Loud to the last sample: a sweep over a DC offset, +0.3 then −0.3 of full scale.
  track('one.flac', '0.3+0.1*sin(2*PI*(200*t+300*t*t))');
  track('two.flac', '-0.3+0.1*sin(2*PI*(2000*t-250*t*t))');
  kitchen = await startKitchen({ port: PORT });
  ({ ns, speaker } = kitchen);
});

afterAll(async () => {
  await kitchen?.close();
  signals?.close();
});

describe('playback session → AirPlay driver → shairport-sync, gapless', () => {
  it('advances to the preloaded next track without a second load and without a gap', { timeout: 40_000 }, async () => {
    onTestFailed(() => console.error(`shairport-sync log:\n${speaker.log()}`));
    const start = speaker.pcm.frames;
    const child = ns.spawn(process.execPath, ['--input-type=module', '-e', script(ns.addr, [signals.path('one.flac'), signals.path('two.flac')])], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = readLines(child, 'session');
    await out.wait(/"event":"played"/, 15_000);
    onTestFailed(() => console.error(`session lines:\n${out.lines.join('\n')}`));
    await out.wait(/"state":"playing","index":1/, 10_000);
    await out.wait(/"state":"idle","index":1,"idleReason":"finished"/, 10_000, out.lines.findIndex((l) => /"state":"playing","index":1/.test(l)));
    child.kill('SIGTERM');
    // One load (the first); the second track came by the receiver's own advance.
    expect(out.json<{ event: string; url?: string }>().filter((l) => l.event === 'load').map((l) => l.url?.split('/').pop())).toEqual(['1']);
    expect(out.json<{ msg?: string; gapless?: boolean; title?: string }>().filter((l) => l.msg === 'playing').map((l) => [l.title, l.gapless ?? false])).toEqual([['track 1', false], ['track 2', true]]);

    // No gap: from the last +0.3 frame to the first −0.3 frame is one frame step.
    const pcm = speaker.pcm.slice(start);
    let lastPos = -1;
    for (let f = 0; f < pcm.length / 2; f++) if (pcm[2 * f]! > LOUD) lastPos = f;
    let firstNeg = lastPos + 1;
    while (firstNeg < pcm.length / 2 && !(pcm[2 * firstNeg]! < -LOUD)) firstNeg++;
    expect(lastPos).toBeGreaterThan(0);
    expect(firstNeg - lastPos - 1).toBe(0);
  });
});
