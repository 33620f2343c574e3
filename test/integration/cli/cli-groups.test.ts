// Groups and "move" from the command line (built dist/server/cli/main.js), as a person types them,
// against the real server and two software Chromecasts: made with --with, listed with each
// member's state, changed, deleted; refusals are one clear line and exit 1; `move FROM TO` goes on
// on the other receiver where the first one was.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../../receivers/chromecast/emulator.js';
import type { EmulatorEvent } from '../../../receivers/chromecast/emulator/events.js';
import { projectRoot } from '../../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';
import { makeFlac } from '../receivers/airplay/speaker-emulator-helpers.js';

let dir: string;
let kitchen: CastEmulator;
let living: CastEmulator;
let server: RunningServer;

interface Run { code: number | null; stdout: string; stderr: string }

function cli(...args: string[]): Promise<Run> {
  const { PORT: _p, HOST: _h, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [join(projectRoot, 'dist/server/cli/main.js'), ...args, '--server', server.url], { cwd: dir, env: { ...env, HOMECAST_TOKEN: server.token!, XDG_CONFIG_HOME: join(dir, 'xdg') }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code, args.join(' ')).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hc-cli-groups-'));
  mkdirSync(join(dir, 'music'));
  makeFlac('sine=frequency=440:sample_rate=44100:duration=30', join(dir, 'music', 'long.flac'), { title: 'Long Tone', artist: 'Tester' });
  kitchen = await startCastEmulator({ name: 'Kitchen', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  living = await startCastEmulator({ name: 'Living Room', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: join(dir, 'music'), kind: 'music' }],
      receivers: [
        { kind: 'chromecast', name: 'Kitchen', host: kitchen.host, port: kitchen.port, model: 'Google Home', type: 'speaker' },
        { kind: 'chromecast', name: 'Living Room', host: living.host, port: living.port, model: 'Google Home', type: 'speaker' },
      ],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
});

afterAll(async () => {
  await server?.stop();
  await kitchen?.close();
  await living?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('groups from the command line', () => {
  it('makes a group with --with, lists it among the receivers and with its members', async () => {
    expect(await ok('group', 'create', 'Downstairs', '--with', 'Kitchen', '--with', 'living room')).toBe('● Downstairs\n  Kitchen: idle, volume 100%\n  Living Room: idle, volume 100%\n');
    expect(await ok('receivers')).toMatch(/^● Downstairs {2}\(group: Kitchen, Living Room\)$/m);
    const json = JSON.parse(await ok('receivers', '--json')) as { name: string; type: string; members?: string[] }[];
    expect(json.find((r) => r.name === 'Downstairs')).toMatchObject({ type: 'group', members: [expect.stringMatching(/^chromecast/), expect.stringMatching(/^chromecast/)] });
  });

  it('refuses what it cannot do in one line, exit 1, and changes nothing', async () => {
    const cases: [string[], string][] = [
      [['group', 'create', 'Upstairs', '--with', 'Kichen'], 'error: unknown receiver "Kichen"\n'],
      [['group', 'create', 'Upstairs'], 'error: group create needs its members: --with RECEIVER, once for each\n'],
      [['group', 'create', 'Up', 'stairs', '--with', 'Kitchen'], 'error: usage: group create NAME (names with spaces go in quotes)\n'],
      [['group', 'create', 'All', '--with', 'Kitchen', '--with', 'Downstairs'], 'error: Downstairs is a group: a group\'s members are single receivers\n'],
      [['group', 'volume', 'Downstairs', 'Kitchen', '150'], 'error: group volume 150: the level (percent) must be a number from 0 to 100\n'],
      [['group', 'delay', 'Downstairs', 'Kitchen', '2.5'], 'error: group delay 2.5: the delay is whole milliseconds\n'],
      [['group', 'delay', 'Downstairs', 'Kitchen', '5000'], 'error: group delay 5000: the delay (ms) must be a number from 0 to 2000\n'],
      [['group', 'add', 'Attic', 'Kitchen'], 'error: unknown group "Attic"\n'],
      [['move', 'Kitchen'], 'error: usage: move FROM TO (names with spaces go in quotes)\n'],
      [['move', 'Kitchen', 'Living Room'], 'error: nothing to move: nothing is playing here\n'],
    ];
    for (const [args, error] of cases) {
      const r = await cli(...args);
      expect([r.code, r.stderr], args.join(' ')).toEqual([1, error]);
    }
    expect(await ok('group', 'list')).toBe('● Downstairs\n  Kitchen: idle, volume 100%\n  Living Room: idle, volume 100%\n');
  });

  it('sets a member\'s volume, mute and delay; removes, adds, renames and deletes', async () => {
    await ok('group', 'volume', 'Downstairs', 'Kitchen', '40');
    await ok('group', 'mute', 'Downstairs', 'Kitchen', 'on');
    expect(await ok('group', 'delay', 'downstairs', 'Kitchen', '120')).toMatch(/^ {2}Kitchen: idle, volume 40% \(muted\), delay 120 ms$/m);
    expect(await ok('group', 'remove', 'Downstairs', 'Living Room')).toBe('● Downstairs\n  Kitchen: idle, volume 40% (muted), delay 120 ms\n');
    expect(await ok('group', 'add', 'Downstairs', 'Living Room')).toMatch(/Kitchen.*\n {2}Living Room: idle/);
    expect(await ok('group', 'rename', 'Downstairs', 'Ground Floor')).toMatch(/^● Ground Floor\n/);
    expect(await ok('group', 'delete', 'Ground Floor')).toBe('deleted Ground Floor\n');
    expect(await ok('group', 'list')).toBe('no groups yet: group create NAME --with RECEIVER --with RECEIVER\n');
  });

  it('says how to use groups in --help', async () => {
    const help = await ok('--help');
    expect(help).toContain('group create NAME --with RECEIVER [--with RECEIVER …]');
    expect(help).toContain('move FROM TO');
  });

  it('moves what plays on one receiver to another, at the position it left', async () => {
    const events = (emu: CastEmulator) => {
      const seen: EmulatorEvent[] = [];
      emu.events.on('event', (e: EmulatorEvent) => seen.push(e));
      return seen;
    };
    const onKitchen = events(kitchen);
    const onLiving = events(living);
    const playing = new Promise<EmulatorEvent>((resolve) => kitchen.events.once('playing', resolve));
    await ok('play', '--to', 'Kitchen', 'Long Tone');
    await playing;
    const loaded = new Promise<Extract<EmulatorEvent, { event: 'load' }>>((resolve) => living.events.once('load', resolve));
    const out = await ok('move', 'Kitchen', 'Living Room');
    expect(out).toMatch(/^Living Room: \w+ Tester – Long Tone /);
    const load = await loaded;
    const left = onKitchen.find((e): e is Extract<EmulatorEvent, { event: 'idle' }> => e.event === 'idle');
    expect(left, JSON.stringify(onKitchen)).toBeDefined();
    // Where Kitchen was when it stopped, and where Living Room was told to start: the same place.
    expect(Math.abs(load.position - left!.position), JSON.stringify({ load, left })).toBeLessThan(1);
    expect(load.position).toBeGreaterThan(0);
    expect(onLiving.some((e) => e.event === 'load')).toBe(true);
    const status = JSON.parse(await ok('status', '--json')) as { receiverId: string; state: string; queue: unknown[] }[];
    expect(status.map((s) => [s.state, s.queue.length])).toEqual(expect.arrayContaining([['idle', 1], [expect.stringMatching(/playing|buffering|loading/), 1]]));
  });
});
