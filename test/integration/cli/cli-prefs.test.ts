// A person's own audio languages (migration 13, /api/me/preferences) through the real command line
// against a real server and an emulated Chromecast: a member's `prefs audio fr en` starts the
// two-language video in French on the TV (880 Hz in what the TV is given) while the server's
// setting says English, which the owner, with none of their own, still gets; bad input is refused
// in words and keeps what was there; `prefs audio none` gives the server's back.
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
let ann: string;

async function ok(token: string, ...args: string[]): Promise<string> {
  const r = await runCli(args, { server: server.url, token });
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}
/** Plays the video as the person with `token`; the audio stream the TV was given (null: the default) and its tone. */
async function playAs(token: string): Promise<{ as: string | null; hz: number }> {
  const load = emulatorEvent(emu, 'load', () => true, 60_000);
  await ok(token, 'play', 'Dubbed', '--from-start', '--to', TV);
  const url = new URL(String((await load).url));
  const hz = await toneOf(url.href);
  await ok(token, 'stop', '--to', TV);
  return { as: url.searchParams.get('as'), hz };
}

beforeAll(async () => {
  bed = await startDubbedTv('hc-cli-prefs-', { audioLanguages: ['en'] });
  ({ emu, server } = bed);
  const post = (path: string, body: unknown) => server.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await post('/api/auth/users', { name: 'Ann', role: 'member', password: 'ann-password' })).status).toBe(201);
  ann = ((await (await post('/api/auth/login', { name: 'Ann', password: 'ann-password', bearer: true })).json()) as { token: string }).token;
}, 120_000);

afterAll(async () => {
  await bed?.close();
});

describe('npm run cli -- prefs', () => {
  it("a member's own audio language wins over the server's; the owner keeps the server's", { timeout: 120_000 }, async () => {
    expect(await ok(ann, 'prefs')).toBe("audio: none of your own (the server's apply)\n");
    expect(await playAs(ann)).toMatchObject({ as: null });

    expect(await ok(ann, 'prefs', 'audio', 'fr', 'en')).toBe('audio: fr, en\n');
    expect(await ok(ann, 'prefs', '--json')).toBe('{"audioLanguages":["fr","en"]}\n');
    const french = await playAs(ann);
    expect(french.as).toBe('1');
    expect(french.hz).toBeCloseTo(FRENCH_HZ, -1);

    const owners = await playAs(server.token!);
    expect(owners.as).toBeNull();
    expect(owners.hz).toBeCloseTo(ENGLISH_HZ, -1);
  });

  it('refuses what is not a language and keeps what was kept; none gives the server back', { timeout: 120_000 }, async () => {
    const bad = await runCli(['prefs', 'audio', 'French!'], { server: server.url, token: ann });
    expect([bad.code, bad.stderr]).toEqual([1, 'error: audioLanguages.0: must be a language such as "fr", "fra" or "pt-BR"\n']);
    expect(await ok(ann, 'prefs')).toBe('audio: fr, en\n');

    expect(await ok(ann, 'prefs', 'audio', 'none')).toBe("audio: none of your own (the server's apply)\n");
    expect((await playAs(ann)).as).toBeNull();
  });
});
