// Sync across kinds on the path a person uses (issue 16): the real server in a network namespace,
// two real AirPlay speakers (shairport-sync 3.3.8) and the remote itself, opened in Debian's
// Chromium and made a speaker with its "Play on this device" switch, in one group made and
// played from the command line. The speakers' outputs are placed in time from their stamped reads
// (airplay/schedule.ts), the browser's from its PulseAudio sink's (helpers/browser-speaker.ts), the
// same beeps compared over a whole minute: AirPlay–AirPlay ≤ 1 ms, AirPlay–browser ≤ 10 ms for
// every beep (a browser that drifts shows it within that minute: README, Sendspin). The track is
// 50 ms beeps every 0.5 s after silence on both channels, paired across outputs by when they play
// (the outputs are far closer than the 0.5 s between beeps).
// ALIGN_DIR=<dir> also writes the three outputs in the format of the independent Python tool
// docs/testing.md names (NAME.pcm, NAME.tim, NAME.json; the sink's bursts of reads with a lead of
// 0 s, since a block reaches the monitor when its first frame plays), so one run can be checked.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserSpeaker, type BrowserSpeaker, type SinkRecording } from '../../helpers/browser-speaker.js';
import { cliOk } from '../../helpers/cli.js';
import { createNetns, type Netns } from '../../helpers/netns.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';
import { ensureUiBuilt } from '../../e2e/ui-build.js';
import { StampedOutput } from '../receivers/airplay/schedule.js';
import { startShairport, type Shairport } from '../receivers/airplay/shairport.js';
import { makeSignals, type Signals } from '../receivers/airplay/speaker-fixture.js';
import { makeFlac } from '../receivers/airplay/speaker-emulator-helpers.js';
import { playsAt, RATE } from '../receivers/group/group-signal.js';

const SECONDS = 70;
/** Seconds into the track from which the browser is held to the bound (see the end of the test). */
const SETTLE_S = 15;
const SPEAKERS = [{ name: 'Kitchen', port: 5081 }, { name: 'Lounge', port: 5082 }] as const;

let ns: Netns;
let signals: Signals;
let server: RunningServer;
let base: string;
let speaker: BrowserSpeaker;
let page: Page;
const speakers = new Map<string, Shairport>();
const stamped = new Map<string, StampedOutput>();
/** Every read of each speaker's output, for ALIGN_DIR: [CLOCK_MONOTONIC-based ns, bytes so far]. */
const readLog = new Map<string, [number, number][]>();

function logReads(name: string, stream: Readable): void {
  const log: [number, number][] = [];
  let total = 0;
  readLog.set(name, log);
  stream.on('data', (d: Buffer) => log.push([performance.now(), (total += d.length)]));
}

beforeAll(async () => {
  ensureUiBuilt();
  signals = makeSignals('group-browser-sync-');
  makeFlac(`aevalsrc=0.5*sin(2*PI*1000*t)*between(mod(t\\,0.5)\\,0.25\\,0.3):s=${RATE}:d=${SECONDS}`, signals.path('Beeps.flac'), { title: 'Beeps', artist: 'Tester' });
  ns = await createNetns();
  await Promise.all(SPEAKERS.map(async ({ name, port }, i) => {
    const s = startShairport(ns, { port, name, udpPortBase: 6300 + 100 * i });
    speakers.set(name, s);
    stamped.set(name, new StampedOutput(s.process.stdout!));
    logReads(name, s.process.stdout!);
    await s.advertised();
  }));
  server = await startServer({
    netns: ns,
    config: {
      host: ns.addr,
      libraries: [{ name: 'Music', path: signals.dir, kind: 'music' }],
      receivers: SPEAKERS.map(({ name, port }) => ({ kind: 'airplay', name, host: ns.addr, port })),
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  base = `http://${ns.addr}:${server.port}`;
  await scanFinished(server, 'Music');
  speaker = await startBrowserSpeaker({ netns: ns, audioBufferFrames: 4096 });
  page = await speaker.browser.newPage({ viewport: { width: 360, height: 740 }, hasTouch: true });
  await page.context().addCookies(server.cookieFor(base));
  await page.goto(base);
}, 120_000);

afterAll(async () => {
  await speaker?.close();
  await server?.stop();
  await Promise.all([...speakers.values()].map((s) => s.stop()));
  await ns?.close();
  signals?.close();
});

const ok = (...args: string[]): Promise<string> => cliOk(args, { server: base, token: server.token, netns: ns });

/** Frames of `s` (s16le stereo) from `from` where sound starts after ≥ 50 ms of near-silence. */
function onsetsIn(s: Int16Array, from: number): number[] {
  const out: number[] = [];
  let quiet = 0;
  for (let f = from; f < s.length / 2; f++) {
    if (Math.abs(s[2 * f]!) > 1000 || Math.abs(s[2 * f + 1]!) > 1000) {
      if (quiet >= 2205) out.push(f);
      quiet = 0;
    } else quiet++;
  }
  return out;
}

/** When each beep a speaker played from frame `from` on is heard (performance.now() ms), placed from its stamped reads. */
function speakerBeeps(o: StampedOutput, from: number): number[] {
  const on = onsetsIn(o.samples(0, o.frames), from).filter((f) => f + 4410 <= o.frames);
  return on.map((f) => playsAt(o, f, on[0]!));
}

/** When each beep the browser played in recorded frames [from, to) is heard, placed from the sink's reads. */
function browserBeeps(rec: SinkRecording, from: number, to: number): number[] {
  return rec.onsets(1000, 2205, from, to).map((f) => rec.msOfFrame(f));
}

/** For each beep of `ref`, how much later `other` played the same one (the nearest, within 250 ms). */
function offsets(ref: number[], other: number[]): number[] {
  return ref.flatMap((t) => {
    const near = other.reduce((a, b) => (Math.abs(b - t) < Math.abs(a - t) ? b : a), Infinity);
    return Math.abs(near - t) < 250 ? [near - t] : [];
  });
}

/** The three outputs in the alignment tool's format (see the header), under `dir`. */
function writeForAlign(dir: string, rec: SinkRecording): void {
  mkdirSync(dir, { recursive: true });
  const tim = (reads: [number, number][]) => {
    const b = Buffer.alloc(16 * reads.length);
    reads.forEach(([ms, total], i) => (b.writeBigInt64LE(BigInt(Math.round(ms * 1e6)), 16 * i), b.writeBigInt64LE(BigInt(total), 16 * i + 8)));
    return b;
  };
  for (const [name, out] of stamped) {
    const pcm = out.samples();
    writeFileSync(join(dir, `${name}.pcm`), Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    writeFileSync(join(dir, `${name}.tim`), tim(readLog.get(name)!));
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ buffer: 1.0, rate: RATE }));
  }
  const pcm = rec.samples();
  writeFileSync(join(dir, 'Browser.pcm'), Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  // One entry per burst of reads (one block the sink rendered, reads ≤ 1 ms apart), as
  // SinkRecording places them: the block's first frame plays when its first read arrives.
  const bursts: [number, number][] = [];
  let prev = -Infinity;
  for (const r of rec.reads) {
    const total = (r.frame + r.frames) * 4;
    if (r.atMs - prev > 1) bursts.push([r.atMs, total]);
    else bursts[bursts.length - 1]![1] = total;
    prev = r.atMs;
  }
  writeFileSync(join(dir, 'Browser.tim'), tim(bursts));
  writeFileSync(join(dir, 'Browser.json'), JSON.stringify({ buffer: 0.0, rate: RATE }));
}

const fmt = (xs: number[]) => `${Math.min(...xs).toFixed(2)}…${Math.max(...xs).toFixed(2)} ms (${xs.length} beeps)`;

describe('two AirPlay speakers and the remote’s own "Play on this device" in one group', () => {
  it(`play ${SECONDS} s in sync: AirPlay–AirPlay ≤ 1 ms every beep, AirPlay–browser ≤ 10 ms every beep from ${SETTLE_S} s on`, { timeout: 240_000 }, async () => {
    // The switch, as a person taps it on the Receivers page.
    await page.locator('nav [data-view="receivers"]').click();
    const theSwitch = page.getByRole('switch', { name: /Play on this device/ });
    await theSwitch.click();
    await expect.poll(() => theSwitch.locator('[role="status"]').innerText(), { timeout: 30_000 }).toMatch(/in sync/);
    const id = await page.evaluate(() => localStorage.getItem('homecast.devicePlayer.id'));
    const phone = (JSON.parse(await ok('receivers', '--json')) as { id: string; name: string }[]).find((r) => r.id === `sendspin:${id}`);
    expect(phone, 'the browser listed as a receiver').toBeDefined();

    await ok('group', 'create', 'Downstairs', '--with', 'Kitchen', '--with', 'Lounge', '--with', phone!.name);
    const rec = speaker.recording;
    const starts = { Kitchen: stamped.get('Kitchen')!.frames, Lounge: stamped.get('Lounge')!.frames, browser: rec.frames };
    await ok('play', '--to', 'Downstairs', 'Beeps');
    // The whole track heard everywhere: the speakers write it after a lead-in of about 2 s, 1 s
    // before it plays; the sink records in real time, the track starting about 2 s after the command.
    const enough = () => stamped.get('Kitchen')!.frames >= starts.Kitchen + (SECONDS + 1) * RATE && stamped.get('Lounge')!.frames >= starts.Lounge + (SECONDS + 1) * RATE && rec.frames >= starts.browser + (SECONDS + 6) * RATE;
    await expect.poll(enough, { timeout: (SECONDS + 60) * 1000, interval: 500 }).toBe(true);
    await ok('stop', '--to', 'Downstairs');
    if (process.env.ALIGN_DIR) writeForAlign(process.env.ALIGN_DIR, rec);

    const kitchen = speakerBeeps(stamped.get('Kitchen')!, starts.Kitchen);
    const airplay = offsets(kitchen, speakerBeeps(stamped.get('Lounge')!, starts.Lounge));
    const browser = offsets(kitchen, browserBeeps(rec, starts.browser, rec.frames));
    process.stdout.write(`Lounge after Kitchen: ${fmt(airplay)}; browser after Kitchen: ${fmt(browser)}, from ${SETTLE_S} s: ${fmt(browser.slice(2 * SETTLE_S))}\n`);
    if (process.env.SHOW_OFFSETS) process.stdout.write(`browser after Kitchen, per beep (ms): ${browser.map((x) => x.toFixed(1)).join(' ')}\n`);
    // Nearly every beep of the minute, on all three (a speaker mutes a session's first 72 ms).
    const expected = 2 * SECONDS - 2;
    expect(airplay.length).toBeGreaterThanOrEqual(expected);
    expect(browser.length).toBeGreaterThanOrEqual(expected);
    for (const x of airplay) expect(Math.abs(x), `Lounge after Kitchen: ${fmt(airplay)}`).toBeLessThanOrEqual(1);
    // The browser's first stream after the switch is tapped started up to 40 ms off here and was
    // taken back at the library's 0.3 % speed (README, Groups): bounded from SETTLE_S on, for the rest.
    const settled = browser.slice(2 * SETTLE_S);
    for (const x of settled) expect(Math.abs(x), `browser after Kitchen from ${SETTLE_S} s: ${browser.map((o) => o.toFixed(1)).join(' ')}`).toBeLessThanOrEqual(10);
  });
});
