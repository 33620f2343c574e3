// The browser as a Sendspin player (issue 16, "the phone as a speaker"): the remote's own player
// module (ui/src/data/device-player.ts, the "Play on this device" switch's, with the published
// @sendspin/sendspin-js it loads), in Debian's Chromium, switched on in a page whose origin
// carries the server's `/sendspin` as the remote's does, given a beep track by
// SendspinServer.member() on a timeline of the server clock, plays each beep at its timeline
// time. Its audio goes to a private PulseAudio null sink whose monitor is recorded with stamped
// reads; the sink's playback clock is placed on this host's monotonic clock from those reads
// (test/helpers/browser-speaker.ts, validated in test/integration/browser-speaker.test.ts), so
// "heard at" is measured, not taken from the browser. A 20 ms delay given to the player on purpose
// must be measured as 20 ms. Chromium plays with 2048-frame output buffers (46 ms, what a phone's
// output path holds, and what keeps it on time on this loaded machine: browser-speaker.ts).
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
import { beepTrack, newContext, paceOnTimeline, perfMsOfServerNs, sourceOnsets } from './fixture.js';

const PAGE = `<!doctype html><title>Play on this device</title><script type="module">
import { devicePlayer } from '/device-player.js';
window.devicePlayer = devicePlayer;
</script>`;

interface PageWindow {
  devicePlayer: { switchOn(): Promise<void>; switchOff(): void; receiverId: string; state: { synced: boolean }; player: { syncInfo: unknown; scheduler: { timeFilter: { computeClientTime(us: number): number } } } };
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
  speaker = await startBrowserSpeaker();
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

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Plays the beep track to the browser (`delayMs` late on purpose); each beep's error in ms vs its timeline time. */
async function playAndMeasure(delayMs: number): Promise<number[]> {
  const track = beepTrack(6);
  const beeps = sourceOnsets(track);
  expect(beeps).toHaveLength(12);
  const rec = speaker.recording;
  const start = rec.frames;
  const ctx = newContext(200);
  const member = sendspin.member(playerId, ctx, { delayMs });
  await paceOnTimeline([member], track, ctx);
  // Every beep heard (the last one 5.8 s in, 2 s of latency after it was sent), and half a second after.
  const enough = () => {
    const on = rec.onsets(1000, 2205, start);
    return on.length >= beeps.length && rec.frames > on[beeps.length - 1]! + 0.5 * SAMPLE_RATE;
  };
  await expect.poll(enough, { timeout: 20_000, interval: 100 }).toBe(true);
  await member.stop();
  const onsets = rec.onsets(1000, 2205, start);
  expect(onsets).toHaveLength(beeps.length);
  return onsets.map((o, k) => rec.msOfFrame(o) - perfMsOfServerNs(ctx.timeline.nsAtFrames(beeps[k]! + ctx.latency)));
}

/** Each beep on time within this (ms); the on-purpose delay measured within DELAY_TOLERANCE_MS of it. */
const BOUND_MS = 10;
const DELAY_MS = 20;
const DELAY_TOLERANCE_MS = 3;

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
  it(`after a warm-up, plays each beep of a stream within ${BOUND_MS} ms of its timeline time; a ${DELAY_MS} ms delay, between two steady on-time streams, is measured as ${DELAY_MS} ± ${DELAY_TOLERANCE_MS} ms`, { timeout: 300_000 }, async () => {
    const line = (e: number[]) => `median ${median(e).toFixed(2)} ms, ${Math.min(...e).toFixed(2)}…${Math.max(...e).toFixed(2)}`;
    // Chromium's own output estimate, which the player schedules by, wanders by several ms for
    // seconds at a time when this 2-core machine is loaded (browser-speaker.ts), and here drifts
    // from the sink by ~0.4 ms/s over an AudioContext's life (README, Groups): up to three
    // sessions, each a fresh switch-on and a warm-up stream, and one must hold throughout. The delayed stream sits
    // between two on-time ones, so that drift does not count as delay.
    const sessions: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await switchOn();
      // A warm-up stream: a freshly opened output under this load often starts with an underrun,
      // 46 ms or more late, which the library takes seconds to correct.
      await playAndMeasure(0);
      const onTime = await playAndMeasure(0);
      const late = await playAndMeasure(DELAY_MS);
      const after = await playAndMeasure(0);
      const delay = median(late) - (median(onTime) + median(after)) / 2;
      sessions.push(`vs timeline: ${line(onTime)}; with ${DELAY_MS} ms delay: ${line(late)}; on time again: ${line(after)} (measured delay ${delay.toFixed(2)} ms)`);
      process.stdout.write(`browser Sendspin player, session ${attempt + 1}: ${sessions.at(-1)}\n`);
      if (process.env.SHOW_OFFSETS) {
        process.stdout.write(`per beep (ms): ${[onTime, late, after].map((e) => e.map((x) => x.toFixed(1)).join(' ')).join(' | ')}\n`);
        const info = await page.evaluate(() => (window as unknown as PageWindow).devicePlayer.player.syncInfo);
        process.stdout.write(`player's sync info: ${JSON.stringify(info)}\nits clock filter vs the server clock (ms): ${await clockFilterErrors()}\n`);
      }
      // The streams around the delay must be steady too (no underrun inside them), or their medians mean little.
      const steady = (e: number[]) => Math.max(...e) - Math.min(...e) <= BOUND_MS;
      if (onTime.every((e) => Math.abs(e) <= BOUND_MS) && steady(late) && steady(after) && Math.abs(delay - DELAY_MS) <= DELAY_TOLERANCE_MS) return;
    }
    expect.fail(`no session of the browser player within ${BOUND_MS} ms and its delay within ${DELAY_TOLERANCE_MS} ms:\n${sessions.join('\n')}`);
  });
});
