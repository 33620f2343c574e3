// The browser as a Sendspin player (issue 16, "the phone as a speaker"): the published client
// library @sendspin/sendspin-js, in Debian's Chromium, given a beep track by SendspinServer.member()
// on a timeline of the server clock, plays each beep at its timeline time. Its audio goes to a
// private PulseAudio null sink whose monitor is recorded with stamped reads; the sink's playback
// clock is placed on this host's monotonic clock from those reads (test/helpers/browser-speaker.ts,
// validated in test/integration/browser-speaker.test.ts), so "heard at" is measured, not taken from
// the browser. A 20 ms delay given to the player on purpose must be measured as 20 ms.
// The page loads the library as the remote's switch does, minus the remote: only the player.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../../receivers/airplay/raop/clock.js';
import { SendspinServer } from '../../../../receivers/sendspin/server.js';
import { startBrowserSpeaker, type BrowserSpeaker } from '../../../helpers/browser-speaker.js';
import { projectRoot } from '../../../helpers/paths.js';
import { beepTrack, newContext, paceOnTimeline, perfMsOfServerNs, sourceOnsets } from './fixture.js';

const LIB = join(projectRoot, 'node_modules/@sendspin/sendspin-js/dist');
const PLAYER_ID = 'browser-test';
const PAGE = `<!doctype html><title>Sendspin player</title><script type="module">
import { SendspinPlayer } from '/lib/index.js';
window.startPlayer = async (baseUrl, playerId) => {
  // The library's defaults, as the remote's switch uses them (its sync delay: 200 ms on Linux,
  // the counterpart of the 200 ms headroom it schedules with).
  const player = new SendspinPlayer({ playerId, baseUrl, clientName: 'Browser under test', codecs: ['pcm'], storage: null });
  window.player = player;
  await player.unlock();
  await player.connect();
};
</script>`;

let sendspin: SendspinServer;
let wsBase: string;
let pages: Server;
let pagesUrl: string;
let speaker: BrowserSpeaker;
let page: Page;

/** Serves the page and the library's own ES modules (its imports name files without `.js`). */
async function servePages(): Promise<void> {
  pages = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    if (!path.startsWith('/lib/')) return res.writeHead(404).end();
    const file = normalize(join(LIB, path.slice('/lib/'.length)));
    if (!file.startsWith(LIB + '/')) return res.writeHead(404).end();
    readFile(file.endsWith('.js') ? file : `${file}.js`).then(
      (body) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', () => resolve()));
  const a = pages.address();
  pagesUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/`;
}

beforeAll(async () => {
  sendspin = new SendspinServer({ id: 'test-server', name: 'Test' });
  const { port } = await sendspin.listen({ host: '127.0.0.1', port: 0 });
  wsBase = `http://127.0.0.1:${port}/sendspin`;
  await servePages();
  speaker = await startBrowserSpeaker();
  page = await speaker.browser.newPage();
  page.on('console', (m) => process.env.SHOW_PAGE && process.stderr.write(`[page] ${m.text()}\n`));
  const joined = new Promise<void>((resolve) => sendspin.on('player', (d) => d.id === `sendspin:${PLAYER_ID}` && resolve()));
  await page.goto(pagesUrl);
  await page.evaluate(([base, id]) => (window as unknown as { startPlayer(b: string, i: string): Promise<void> }).startPlayer(base!, id!), [wsBase, PLAYER_ID]);
  await joined;
  // Its clock filter must have converged before it can place anything.
  await page.waitForFunction(() => (window as unknown as { player: { timeSyncInfo: { synced: boolean } } }).player.timeSyncInfo.synced, undefined, { timeout: 20_000 });
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
  const member = sendspin.member(`sendspin:${PLAYER_ID}`, ctx, { delayMs });
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

describe('the browser as a Sendspin player', () => {
  it('plays each beep at its timeline time within 10 ms; a 20 ms delay is measured as 20 ± 2 ms', { timeout: 90_000 }, async () => {
    const onTime = await playAndMeasure(0);
    const late = await playAndMeasure(20);
    const line = (e: number[]) => `median ${median(e).toFixed(2)} ms, ${Math.min(...e).toFixed(2)}…${Math.max(...e).toFixed(2)}`;
    process.stdout.write(`browser Sendspin player vs timeline: ${line(onTime)}; with 20 ms delay: ${line(late)}\n`);
    if (process.env.SHOW_OFFSETS) {
      process.stdout.write(`per beep (ms): ${onTime.map((x) => x.toFixed(1)).join(' ')} | ${late.map((x) => x.toFixed(1)).join(' ')}\n`);
      const info = await page.evaluate(() => (window as unknown as { player: { syncInfo: unknown } }).player.syncInfo);
      process.stdout.write(`player's sync info: ${JSON.stringify(info)}\n`);
    }
    for (const e of onTime) expect(Math.abs(e)).toBeLessThan(10);
    expect(Math.abs(median(late) - median(onTime) - 20)).toBeLessThan(2);
  });
});
