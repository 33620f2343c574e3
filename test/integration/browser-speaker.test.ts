// The instrument that places a browser's audio output in time (test/helpers/browser-speaker.ts),
// checked against the browser itself: a page served from inside a network namespace schedules
// 50 ms beeps with Web Audio at host times it is given, and says (from getOutputTimestamp(),
// read after each beep plays) when it put each one; the recorded sink must have each onset there.
// Measured here (2 cores, loaded): recorded − claimed 0.07…0.98 ms mean, 0.05–0.2 ms sd; under
// heavier load Chromium's own estimate wanders in some sessions (up to ±9 ms): see below.
import { describe, expect, it } from 'vitest';
import { startBrowserSpeaker } from '../helpers/browser-speaker.js';
import { withNetns } from '../helpers/netns.js';
import { pageClock } from '../helpers/page-clock.js';

const BEEPS = 12;

// Runs in the page: each beep is scheduled 300 ms ahead with a fresh output timestamp, and its
// claimed time is the median mapping (performanceTime − contextTime) read over the 100 ms after it.
async function beepAt({ hostMs, offsetMs }: { hostMs: number[]; offsetMs: number }): Promise<number[]> {
  const ctx = new AudioContext();
  await ctx.resume();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
  const claims: number[] = [];
  for (const h of hostMs) {
    const at = h + offsetMs;
    await sleep(at - 300 - performance.now());
    const ts = ctx.getOutputTimestamp();
    const t = ts.contextTime! + (at - ts.performanceTime!) / 1000;
    const osc = new OscillatorNode(ctx, { frequency: 1000 });
    osc.connect(new GainNode(ctx, { gain: 0.8 })).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.05);
    const map: number[] = [];
    while (performance.now() < at + 100) {
      const x = ctx.getOutputTimestamp();
      map.push(x.performanceTime! - x.contextTime! * 1000);
      await sleep(7);
    }
    map.sort((a, b) => a - b);
    claims.push(map[map.length >> 1]! + t * 1000 - offsetMs);
  }
  await ctx.close();
  return claims;
}

describe('browser speaker: a browser’s audio output placed on the host clock', () => {
  it('records each Web Audio beep within 3 ms of where the page says it played it', async () => {
    await withNetns(async (ns) => {
      // The page comes from a server inside the namespace: Chromium runs there.
      const server = ns.spawn(process.execPath, [
        '-e',
        `require('http').createServer((q, s) => { s.setHeader('content-type', 'text/html'); s.end('<!doctype html><title>beeps</title>'); })
           .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
      ]);
      const port = await new Promise<number>((resolve, reject) => {
        server.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        server.once('exit', (code) => reject(new Error(`page server exited (${code})`)));
      });
      const speaker = await startBrowserSpeaker({ netns: ns });
      try {
        const page = await speaker.browser.newPage();
        await page.goto(`http://127.0.0.1:${port}/`);
        const rec = speaker.recording;
        // Chromium's own estimate, the reference here, wanders by several ms for seconds at a time
        // when the machine is loaded (seen at load average 7–12, in both directions); an error of
        // this instrument would be systematic and show in every session. So up to three sessions,
        // and one must agree throughout.
        const sessions: string[] = [];
        for (let attempt = 0; attempt < 3; attempt++) {
          const clock = await pageClock(page, 100);
          const from = rec.frames;
          const first = performance.now() + 1500;
          const asked = Array.from({ length: BEEPS }, (_, i) => first + i * 500 + Math.random() * 100);
          const claims = await page.evaluate(beepAt, { hostMs: asked, offsetMs: clock.offsetMs });
          // Wait for the recording to cover half a second past the last beep (from the data, not a sleep).
          const lastFrame = rec.frames + 44100 * 0.5;
          await expect.poll(() => rec.frames, { timeout: 10_000, interval: 50 }).toBeGreaterThan(lastFrame);
          const onsets = rec.onsets(1000, 2205, from);
          expect(onsets).toHaveLength(BEEPS);
          const residuals = onsets.map((f, i) => rec.msOfFrame(f) - claims[i]!);
          const mean = residuals.reduce((a, b) => a + b, 0) / BEEPS;
          const sd = Math.sqrt(residuals.reduce((a, r) => a + (r - mean) ** 2, 0) / BEEPS);
          sessions.push(
            `recorded − claimed onset mean ${mean.toFixed(2)} ms, sd ${sd.toFixed(2)} ms, ` +
              `range ${Math.min(...residuals).toFixed(2)}…${Math.max(...residuals).toFixed(2)} ms (page clock ±${clock.uncertaintyMs.toFixed(2)} ms)`,
          );
          console.log(`browser speaker, session ${attempt + 1}: ${sessions.at(-1)}`);
          // The page's clock is mapped to ours within ±uncertaintyMs: that much more is allowed.
          if (residuals.every((r) => Math.abs(r) < 3 + clock.uncertaintyMs) && Math.abs(mean) < 1.5 + clock.uncertaintyMs) return;
        }
        expect.fail(`no session placed every beep within 3 ms of where the page put it:\n${sessions.join('\n')}`);
      } finally {
        await speaker.close();
      }
    });
  });
});
