// 5 % packet loss on a Chromecast's Cast Streaming leg (the software receiver's netem knob drops
// what it receives: RTP, resends and Sender Reports alike): the receiver NACKs what is missing
// (Cast Feedback every 30 ms while a frame is incomplete, receiver.cc kNackFeedbackInterval), the
// sender (streaming/sender.ts) sends those packets again, and the receiver plays every frame: no
// hole in its output, and in step with a shairport-sync speaker within the group test's Cast–AirPlay
// bound (group-cast.test.ts: 5 ms). One Chromecast only: each adds an Opus encoder and decoder
// (ffmpeg processes) whose start on a loaded machine can leave the first seconds late for all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Netns } from '../../../helpers/netns.js';
import { StampedOutput } from '../airplay/schedule.js';
import { type Signals } from '../airplay/speaker-fixture.js';
import { outputUntil, starvedNote, startGroupDriver, type SoftCast } from './cast-emulators.js';
import { RATE } from './group-signal.js';
import { startCastBed, type CastBed } from './cast-bed.js';
import { beepsIn, holesAndJumps, offsetsBetween, showOffsets as show } from './placed-beeps.js';

const SPEAKER = 5097;
const LOSSY = 8122;
const SECONDS = 20;
/** Beeps (0.5 s apart) of the receivers' settling, as in group-cast.test.ts. */
const SETTLE_BEEPS = 4;
let ns: Netns;
let signals: Signals;
let src: Int16Array;
let speakerOutput: StampedOutput;
let casts: SoftCast[] = [];
let bed: CastBed | undefined;

beforeAll(async () => {
  bed = await startCastBed({ name: 'group-cast-loss', seconds: SECONDS + 20, speakerPort: SPEAKER, udpPortBase: 6700, casts: [{ port: LOSSY, knobs: { loss: 0.05 } }] });
  ({ ns, signals, src, speakerOutput, casts } = bed);
});

afterAll(async () => {
  await bed?.close();
});

describe('a Chromecast with 5 % packet loss on its leg', () => {
  it(`plays every frame (resends) in step with the group over ${SECONDS} s`, { timeout: 90_000 }, async () => {
    const lossy = casts[0]!;
    const outs = [speakerOutput, lossy.output];
    const d = startGroupDriver(ns, { host: ns.addr, members: [{ port: SPEAKER }], casts: [{ port: LOSSY }], file: signals.path('beeps.flac'), duration: SECONDS + 20 }, () => casts);
    const starts = outs.map((o) => o.frames);
    const logMark = lossy.log.lines.length;
    const mark = d.out.lines.length;
    await d.cmd('load 0', 30_000);
    await d.status((s) => s.state === 'playing', mark, 15_000);
    await Promise.all(outs.map((o, i) => outputUntil(o, starts[i]! + SECONDS * RATE, `output ${i}`, (SECONDS + 20) * 1000)));
    await d.cmd('close');
    const stopped = await lossy.log.wait(/"event":"streaming-stopped"/, 10_000, logMark);
    const sent = d.out.lines.map((l) => /"msg":"cast member: sent".*"receiver":"chromecast:C(\d+)".*"resends":(\d+)/.exec(l)).filter((m) => m !== null);
    if (process.env.SHOW_OFFSETS) process.stdout.write(`lossy receiver: ${stopped}; sender: ${sent.map((m) => `C${m[1]} resends ${m[2]}`).join(', ')}\n`);

    // The loss was there and was made good by resends (5 % of ~50 packets a second, resends lost again included).
    expect(Number(sent.find((m) => Number(m[1]) === LOSSY)?.[2])).toBeGreaterThanOrEqual(SECONDS * 50 * 0.02);
    const beeps = outs.map((o, i) => beepsIn(o, src, starts[i]!, o.frames, i > 0));
    // Every frame played after the settling (a frame never recovered is 20 ms of silence in the
    // output; at the start a loaded machine's encoder can be late for every receiver alike).
    const settled = beeps.map((b) => b.filter((x) => x.beep >= SETTLE_BEEPS));
    expect(settled[1]!.length).toBeGreaterThanOrEqual(SECONDS * 2 - SETTLE_BEEPS - 6);
    // A failure says whether the receiver was starved of CPU (starvedNote); it fails all the same.
    const note = starvedNote(lossy, logMark, starts[1]!, settled[1]![0]!.frame, settled[1]!.at(-1)!.frame);
    expect(holesAndJumps(lossy.output, settled[1]!), note).toEqual([]);

    // In step, after the receivers' settling (the first SRs; group-cast.test.ts).
    const vsSpeaker = offsetsBetween(outs[0]!, settled[0]!, outs[1]!, settled[1]!);
    show('lossy − speaker', vsSpeaker);
    const beepsExpected = SECONDS * 2 - SETTLE_BEEPS - 6;
    expect(vsSpeaker.length).toBeGreaterThanOrEqual(beepsExpected);
    for (const x of vsSpeaker) expect(Math.abs(x), note).toBeLessThanOrEqual(5);
  });
});
