// A video's audio language through the real command line (dist/server/cli/main.js) against a real
// server and an emulated Chromecast: `audio` lists the playing video's tracks (the playing one
// starred), `audio fra` / `audio 1` choose one (the TV reloads and what it is given carries that
// tone: 440 Hz English, 880 Hz French), `status` names it, and a language the file lacks is
// refused in words, naming the tracks there are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CastEmulator } from '../../../receivers/chromecast/emulator.js';
import { emulatorEvent } from '../../e2e/emulator-events.js';
import { runCli } from '../../helpers/cli.js';
import { DUBBED_TV, startDubbedTv, type DubbedTv } from '../../helpers/dubbed-tv.js';
import { ENGLISH_HZ, FRENCH_HZ, toneOf } from '../../helpers/dubbed-video.js';
import type { RunningServer } from '../../helpers/server.js';

const TV = DUBBED_TV;
let bed: DubbedTv | undefined;
let emu: CastEmulator;
let server: RunningServer;

const cli = (...args: string[]) => runCli(args, { server: server.url, token: server.token });
async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}
/** Runs the CLI command and returns the URL of the load it makes the TV take. */
async function reloadBy(...args: string[]): Promise<{ out: string; url: URL }> {
  const load = emulatorEvent(emu, 'load', () => true, 60_000);
  const out = await ok(...args);
  return { out, url: new URL(String((await load).url)) };
}

beforeAll(async () => {
  bed = await startDubbedTv('hc-cli-audio-');
  ({ emu, server } = bed);
}, 120_000);

afterAll(async () => {
  await bed?.close();
});

describe('npm run cli -- audio', () => {
  it('says nothing is playing before anything plays', async () => {
    expect(await ok('audio', '--to', TV)).toBe('nothing is playing\n');
    const r = await cli('audio', 'fra', '--to', TV);
    expect([r.code, r.stderr]).toEqual([1, 'error: nothing is playing\n']);
  });

  it('lists the tracks, chooses French by its code and English by its number', { timeout: 90_000 }, async () => {
    const first = await reloadBy('play', 'Dubbed', '--to', TV);
    expect(first.url.searchParams.has('as')).toBe(false);
    expect(await ok('audio', '--to', TV)).toBe('* 1. English · Stereo (eng)\n  2. French · Stereo (fra)\n');

    const french = await reloadBy('audio', 'fra', '--to', TV);
    expect(french.out).toBe('  1. English · Stereo (eng)\n* 2. French · Stereo (fra)\n');
    expect(french.url.searchParams.get('as')).toBe('1');
    expect(await toneOf(french.url.href)).toBeCloseTo(FRENCH_HZ, -1);
    expect(await ok('status', '--to', TV)).toContain('\n  audio: French · Stereo\n');

    const english = await reloadBy('audio', '1', '--to', TV);
    expect(english.out).toBe('* 1. English · Stereo (eng)\n  2. French · Stereo (fra)\n');
    expect(english.url.searchParams.has('as')).toBe(false);
    expect(await toneOf(english.url.href)).toBeCloseTo(ENGLISH_HZ, -1);
    // By name, as a person says it.
    expect((await reloadBy('audio', 'French', '--to', TV)).url.searchParams.get('as')).toBe('1');
  });

  it('refuses a language the video does not have, naming those it has', async () => {
    for (const said of ['de', '3', 'Klingon']) {
      const r = await cli('audio', said, '--to', TV);
      expect(r.code, said).toBe(1);
      expect(r.stderr).toBe(`error: "Dubbed" has no audio track "${said}": give a number (1-2) or one of English · Stereo, French · Stereo\n`);
    }
    // Still French: nothing was changed by the refusals.
    expect(await ok('audio', '--to', TV)).toContain('* 2. French');
    await ok('stop', '--to', TV);
  });
});
