// The browser as a Sendspin player (issue 16, "the phone as a speaker"): the remote's own player
// module (ui/src/data/device-player.ts, the "Play on this device" switch's, with the published
// @sendspin/sendspin-js it loads), in Debian's Chromium, switched on in a page whose origin
// carries the server's `/sendspin` as the remote's does, given a beep track by
// SendspinServer.member() on a timeline of the server clock, plays each beep at its timeline
// time, for as long as a stream lasts: 75 s of beeps (a player that drifts by 0.5 ms/s, as this
// one did with its AudioContext at another rate than its output, leaves the bound within 20–40 s).
// Its audio goes to a private PulseAudio null sink whose monitor is recorded with stamped
// reads; the sink's playback clock is placed on this host's monotonic clock from those reads
// (test/helpers/browser-speaker.ts, validated in test/integration/browser-speaker.test.ts), so
// "heard at" is measured, not taken from the browser. A 20 ms delay given to the player on purpose
// must be measured as 20 ms. Chromium plays with 4096-frame output buffers (93 ms, for slack: on
// this loaded machine Chromium misses output deadlines now and then: browser-speaker.ts).
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../../receivers/airplay/raop/clock.js';
import { serverClock } from '../../../../receivers/shared/server-clock.js';
import { SendspinServer } from '../../../../receivers/sendspin/server.js';
import { startBrowserSpeaker, type BrowserSpeaker } from '../../../helpers/browser-speaker.js';
import { pageClock } from '../../../helpers/page-clock.js';
import { projectRoot } from '../../../helpers/paths.js';
import { median } from '../../../helpers/stats.js';
import { beepTrack, newContext, paceOnTimeline, perfMsOfServerNs, sourceOnsets } from './fixture.js';

const PAGE = `<!doctype html><title>Play on this device</title><script type="module">
import { devicePlayer } from '/device-player.js';
window.devicePlayer = devicePlayer;
</script>`;

interface PageWindow {
  devicePlayer: { switchOn(): Promise<void>; switchOff(): void; receiverId: string; state: { synced: boolean }; player: { syncInfo: unknown; scheduler: { timeFilter: { computeClientTime(us: number): number }; audioContext: { playbackStats?: { underrunEvents: number; underrunDuration: number } } | null } } };
}

let sendspin: SendspinServer;
let playerId: string;
let pages: Server;
let pagesUrl: string;
let speaker: BrowserSpeaker;
let page: Page;

/** The remote's player module with the library it imports, as one ES module. */
async function bundleDevicePlayer(): Promise<string> {
  const out = (await build({
    configFile: false,
    logLevel: 'error',
    root: projectRoot,
    build: { write: false, minify: false, lib: { entry: join(projectRoot, 'ui/src/data/device-player.ts'), formats: ['es'], fileName: 'device-player' }, rollupOptions: { output: { inlineDynamicImports: true } } },
  })) as Rollup.RollupOutput[];
  const chunk = out[0]!.output.find((o) => o.type === 'chunk');
  if (!chunk) throw new Error('no chunk built of ui/src/data/device-player.ts');
  return chunk.code;
}

/** Serves the page and the player module; its `/sendspin` is the Sendspin server's, for this origin only. */
async function servePages(): Promise<void> {
  const code = await bundleDevicePlayer();
  pages = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    if (path === '/device-player.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', () => resolve()));
  const a = pages.address();
  pagesUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  sendspin.attach(pages, { allowOrigin: (o) => o === pagesUrl });
}

/**
 * Turns the player on as the switch does (off first, so each session has a fresh player and
 * AudioContext, as after a tap) and waits until the server has it and its clock has converged.
 */
async function switchOn(): Promise<void> {
  await page.evaluate(() => (window as unknown as PageWindow).devicePlayer.switchOff());
  const joined = new Promise<void>((resolve) => {
    const on = (d: { id: string }) => d.id === playerId && (sendspin.off('player', on), resolve());
    sendspin.on('player', on);
  });
  // Chromium runs with autoplay allowed, so no gesture is needed for unlock().
  await page.evaluate(() => (window as unknown as PageWindow).devicePlayer.switchOn());
  await joined;
  await page.waitForFunction(() => (window as unknown as PageWindow).devicePlayer.state.synced, undefined, { timeout: 20_000 });
}

beforeAll(async () => {
  sendspin = new SendspinServer({ id: 'test-server', name: 'Test' });
  await servePages();
  speaker = await startBrowserSpeaker({ audioBufferFrames: 4096 });
  page = await speaker.browser.newPage();
  page.on('console', (m) => process.env.SHOW_PAGE && process.stderr.write(`[page] ${m.text()}\n`));
  await page.goto(`${pagesUrl}/`);
  await page.waitForFunction(() => 'devicePlayer' in window);
  playerId = await page.evaluate(() => (window as unknown as PageWindow).devicePlayer.receiverId);
}, 120_000);

afterAll(async () => {
  await speaker?.close();
  await sendspin?.close();
  await new Promise<void>((resolve) => (pages ? pages.close(() => resolve()) : resolve()));
});

/**
 * How fast the player's error moves as a rule, in ms per second of playback: the median of the
 * changes from each beep to the next (0.5 s apart). A player drifting as a whole moves every step
 * (this one, with its AudioContext at 48 kHz on a 44.1 kHz output: 0.4 ms/s); an underrun is one
 * jump and its correction a few seconds at the library's 0.3 % speed, which the median passes over.
 */
function driftMsPerS(errors: number[]): number {
  return median(errors.slice(1).map((e, k) => (e - errors[k]!) * 2));
}

/** What Chromium counts of its own output falling short (AudioContext.playbackStats): events, and ms of silence it inserted. */
async function underruns(): Promise<{ events: number; ms: number }> {
  const st = await page.evaluate(() => (window as unknown as PageWindow).devicePlayer.player.scheduler.audioContext?.playbackStats);
  return { events: st?.underrunEvents ?? 0, ms: (st?.underrunDuration ?? 0) * 1000 };
}

interface Measured {
  /** Each beep's error in ms vs its timeline time, in order; null when the beeps could not all be found. */
  errors: number[] | null;
  why: string;
  /** Underruns Chromium counted while it played. */
  underruns: { events: number; ms: number };
}

/** Plays `seconds` of beeps to the browser (`delayMs` late on purpose) and places each beep heard. */
async function playAndMeasure(seconds: number, delayMs: number): Promise<Measured> {
  const track = beepTrack(seconds);
  const beeps = sourceOnsets(track);
  expect(beeps).toHaveLength(2 * seconds);
  const rec = speaker.recording;
  const start = rec.frames;
  const before = await underruns();
  const ctx = newContext(200);
  const member = sendspin.member(playerId, ctx, { delayMs });
  await paceOnTimeline([member], track, ctx);
  // The last packet is sent when the timeline reaches it, 2 s (the latency) before it is heard:
  // the recording then goes on 2.5 s more (the sink records silence too, in real time).
  const end = rec.frames + 2.5 * SAMPLE_RATE;
  await expect.poll(() => rec.frames >= end, { timeout: 20_000, interval: 200 }).toBe(true);
  await member.stop();
  const after = await underruns();
  const u = { events: after.events - before.events, ms: after.ms - before.ms };
  // Each onset heard, as the beep whose timeline time is nearest (a beep cut in two by an underrun
  // is two onsets, the second not a beep's start; a beep not played has none).
  const due = beeps.map((b) => perfMsOfServerNs(ctx.timeline.nsAtFrames(b + ctx.latency)));
  const errors: (number | undefined)[] = new Array(beeps.length).fill(undefined);
  for (const o of rec.onsets(1000, 2205, start, end)) {
    const at = rec.msOfFrame(o);
    const k = Math.min(beeps.length - 1, Math.max(0, Math.round((at - due[0]!) / 500)));
    if (errors[k] === undefined && Math.abs(at - due[k]!) < 250) errors[k] = at - due[k]!;
  }
  const missing = errors.flatMap((e, k) => (e === undefined ? [k] : []));
  if (missing.length) return { errors: null, why: `beeps ${missing.join(', ')} of ${beeps.length} not heard (heard: ${errors.map((e) => e?.toFixed(1) ?? '-').join(' ')})`, underruns: u };
  return { errors: errors as number[], why: '', underruns: u };
}

/** Every beep on time within this (ms); the on-purpose delay measured within DELAY_TOLERANCE_MS of it. */
const BOUND_MS = 10;
const LONG_S = 75;
const DELAY_MS = 20;
const DELAY_TOLERANCE_MS = 3;
/** The drift allowed (ms/s): 10 ms in 100 s at most; the library as published drifted 0.4–0.5 ms/s here. */
const DRIFT_MS_PER_S = 0.1;

/** Where its clock filter puts server time on the page's clock, vs where it is (pageClock), ms. */
async function clockFilterErrors(): Promise<string> {
  const pc = await pageClock(page);
  const tf: number[] = [];
  for (let i = 0; i < 10; i++) {
    const ns = serverClock.nowNs();
    const client = await page.evaluate((us) => (window as unknown as PageWindow).devicePlayer.player.scheduler.timeFilter.computeClientTime(us), Number(ns / 1000n));
    tf.push(client / 1000 - (perfMsOfServerNs(ns) + pc.offsetMs));
  }
  return `${tf.map((x) => x.toFixed(2)).join(' ')} (page clock ± ${pc.uncertaintyMs.toFixed(2)})`;
}

describe('the browser as a Sendspin player (the remote’s "Play on this device" module)', () => {
  it(`after a warm-up, plays every beep of a ${LONG_S} s stream within ${BOUND_MS} ms of its timeline time; a ${DELAY_MS} ms delay is then measured as ${DELAY_MS} ± ${DELAY_TOLERANCE_MS} ms`, { timeout: 900_000 }, async () => {
    const line = (e: number[]) => `median ${median(e).toFixed(2)} ms, ${Math.min(...e).toFixed(2)}…${Math.max(...e).toFixed(2)}`;
    const bySecond = (e: number[], from: number, to: number) => line(e.slice(2 * from, 2 * to));
    const told = (m: Measured) => `${m.errors ? line(m.errors) : m.why}; Chromium's underruns ${m.underruns.events} (${m.underruns.ms.toFixed(0)} ms)`;
    // Under heavy load (load average above ~10 on these 2 cores) Chromium's output misses its
    // deadlines: silence is played and everything after it comes late, by tens of ms, which the
    // library then takes seconds to take back (at 0.3 % speed); Chromium counts some of these in
    // AudioContext.playbackStats (shown), not all. So up to three sessions, each a fresh
    // switch-on, and one must hold for the whole stream, every beep.
    const sessions: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await switchOn();
      // A warm-up stream: a freshly opened output under this load often starts with an underrun,
      // 46 ms or more late, which the library takes seconds to correct.
      await playAndMeasure(6, 0);
      const long = await playAndMeasure(LONG_S, 0);
      const e = long.errors;
      let summary = `${LONG_S} s stream vs timeline: ${told(long)}`;
      if (e) summary += ` (0–20 s: ${bySecond(e, 0, 20)}; 20–50 s: ${bySecond(e, 20, 50)}; 50–${LONG_S} s: ${bySecond(e, 50, LONG_S)})`;
      const onTime = e !== null && e.every((x) => Math.abs(x) <= BOUND_MS);
      // Drifting is the player's own doing, whatever the load: no session may drift.
      if (e) {
        const drift = driftMsPerS(e);
        summary += `; drift ${drift.toFixed(3)} ms/s`;
        if (Math.abs(drift) > DRIFT_MS_PER_S) expect.fail(`the browser player drifts by ${drift.toFixed(3)} ms/s (at most ${DRIFT_MS_PER_S}): ${summary}\nper beep (ms): ${e.map((x) => x.toFixed(1)).join(' ')}`);
      }
      let late: Measured | null = null;
      let delay = NaN;
      if (onTime) {
        late = await playAndMeasure(6, DELAY_MS);
        // Against the end of the long stream, just before.
        if (late.errors) delay = median(late.errors) - median(e!.slice(-12));
        summary += `; with ${DELAY_MS} ms delay: ${told(late)} (measured delay ${delay.toFixed(2)} ms)`;
      }
      sessions.push(summary);
      process.stdout.write(`browser Sendspin player, session ${attempt + 1}: ${summary}\n`);
      if (process.env.SHOW_OFFSETS) {
        process.stdout.write(`per beep (ms): ${[long, late].map((m) => m?.errors?.map((x) => x.toFixed(1)).join(' ') ?? '-').join(' | ')}\n`);
        const info = await page.evaluate(() => (window as unknown as PageWindow).devicePlayer.player.syncInfo);
        process.stdout.write(`player's sync info: ${JSON.stringify(info)}\nits clock filter vs the server clock (ms): ${await clockFilterErrors()}\n`);
      }
      if (onTime && late?.errors && Math.max(...late.errors) - Math.min(...late.errors) <= BOUND_MS && Math.abs(delay - DELAY_MS) <= DELAY_TOLERANCE_MS) return;
    }
    expect.fail(`no session of the browser player within ${BOUND_MS} ms for ${LONG_S} s and its delay within ${DELAY_TOLERANCE_MS} ms:\n${sessions.join('\n')}`);
  });
});
