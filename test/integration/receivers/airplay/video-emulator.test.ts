// The emulated Apple TV's HTTP API as clients use it, over real loopback sockets: airplay-protocol's
// own client gets its reverse events (so they carry a Host header its parser accepts), events sent
// before /reverse exists wait for it, iOS's binary-plist /play works, and the plain endpoints answer
// with the exact Content-Types clients match on.
import AirPlay from 'airplay-protocol';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAirPlayVideoEmulator, type AirPlayVideoEmulator } from '../../../../receivers/airplay/emulator/video.js';
import { parseXmlPlist, toBinaryPlist } from '../../../../receivers/airplay/video/plist.js';
import { FIXTURES_TIMEOUT_MS, loadFixtures } from '../../../helpers/fixtures.js';
import { startFileServer, type FileServer } from '../chromecast/file-server.js';

let dir: string;
let files: FileServer;
let tv: AirPlayVideoEmulator;
let base: string;

function event(name: string, timeoutMs = 15_000, emu: AirPlayVideoEmulator = tv): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (emu.events.off(name, on), reject(new Error(`no ${name} event`))), timeoutMs);
    const on = (x: Record<string, unknown>) => (clearTimeout(t), emu.events.off(name, on), resolve(x));
    emu.events.on(name, on);
  });
}

beforeAll(async () => {
  const fx = await loadFixtures();
  dir = await mkdtemp(join(tmpdir(), 'hc-atv-emu-'));
  await copyFile(join(fx.dir, 'video/Clip.mp4'), join(dir, 'clip.mp4'));
  files = await startFileServer(dir);
  tv = await startAirPlayVideoEmulator({ name: 'Lab TV', model: 'AppleTV3,2', host: '127.0.0.1', port: 0, mdns: false, deviceId: '58:55:CA:1A:E2:88' });
  base = `http://${tv.host}:${tv.port}`;
}, FIXTURES_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([tv?.close(), files?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('emulated Apple TV', () => {
  it('answers server-info, slideshow-features and unknown paths with exact Content-Types', async () => {
    const info = await fetch(`${base}/server-info`);
    expect(info.headers.get('content-type')).toBe('text/x-apple-plist+xml');
    expect(parseXmlPlist(await info.text())).toMatchObject({ deviceid: '58:55:CA:1A:E2:88', model: 'AppleTV3,2', protovers: '1.0' });
    const themes = parseXmlPlist(await (await fetch(`${base}/slideshow-features`)).text()) as { themes: { key: string }[] };
    expect(themes.themes.map((t) => t.key)).toContain('Dissolve');
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
    expect((await fetch(`${base}/play`, { method: 'POST', headers: { 'Content-Type': 'text/parameters' }, body: 'Start-Position: 0\n' })).status).toBe(400);
  });

  it('airplay-protocol\'s own client: play, scrub as text/parameters, its reverse events arrive, stop', async () => {
    const ap = new AirPlay(tv.host, tv.port);
    const states: string[] = [];
    const playingEvent = new Promise<void>((resolve) => ap.on('event', (e) => {
      if (!Buffer.isBuffer(e) && typeof e.state === 'string') states.push(e.state);
      if (!Buffer.isBuffer(e) && e.state === 'playing') resolve();
    }));
    const played = new Promise<number>((resolve, reject) => ap.play(`${files.url}/clip.mp4`, 0, (err, res) => (err ? reject(err) : resolve(res.statusCode!))));
    expect(await played).toBe(200);
    await playingEvent;
    expect(states.slice(0, 2)).toEqual(['loading', 'playing']);
    const scrub = await new Promise<Record<string, unknown>>((resolve, reject) => ap.scrub((err, _res, body) => (err ? reject(err) : resolve(body as Record<string, unknown>))));
    expect(scrub.duration as number).toBeCloseTo(3, 0);
    expect(typeof scrub.position).toBe('number');
    const stopped = new Promise<void>((resolve) => ap.on('event', (e) => !Buffer.isBuffer(e) && e.state === 'stopped' && resolve()));
    await new Promise<void>((resolve, reject) => ap.stop((err) => (err ? reject(err) : resolve())));
    await stopped;
    ap.destroy();
  });

  it('queues events until a /reverse socket exists, then sends them with a Host header', async () => {
    // A TV of its own: no reverse socket of an earlier client may linger.
    const fresh = await startAirPlayVideoEmulator({ name: 'Fresh TV', host: '127.0.0.1', port: 0, mdns: false });
    const base = `http://${fresh.host}:${fresh.port}`;
    const playing = event('playing', 15_000, fresh);
    // iOS style: a binary plist body, and no reverse channel yet.
    const body = toBinaryPlist({ 'Content-Location': `${files.url}/clip.mp4`, 'Start-Position': 0 });
    const res = await fetch(`${base}/play`, { method: 'POST', headers: { 'Content-Type': 'application/x-apple-binary-plist' }, body: new Uint8Array(body) });
    expect(res.status).toBe(200);
    expect(await playing).toMatchObject({ videoCodec: 'h264', width: 320 });
    // Now the reverse channel, by hand: 101, then the queued events as HTTP requests to us.
    const socket = connect(fresh.port, fresh.host);
    let got = '';
    const twoEvents = new Promise<void>((resolve) => socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      if ((got.match(/POST \/event HTTP\/1\.1/g) ?? []).length >= 2 && got.trimEnd().endsWith('</plist>')) resolve();
    }));
    socket.write('POST /reverse HTTP/1.1\r\nHost: lab\r\nUpgrade: PTTH/1.0\r\nConnection: Upgrade\r\nX-Apple-Purpose: event\r\nContent-Length: 0\r\n\r\n');
    await twoEvents;
    socket.destroy();
    expect(got).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(got).toMatch(/\r\nUpgrade: PTTH\/1\.0\r\n/);
    const requests = got.split('POST /event HTTP/1.1\r\n').slice(1);
    for (const r of requests) {
      expect(r).toMatch(/^Host: \S+\r\n/m);
      expect(r).toMatch(/^Content-Type: text\/x-apple-plist\+xml\r\n/m);
    }
    expect(requests.map((r) => /<key>state<\/key>\s*<string>(\w+)<\/string>/.exec(r)?.[1])).toEqual(['loading', 'playing']);
    await fetch(`${base}/stop`, { method: 'POST' });
    await fresh.close();
  });
});
