// A group of two software AirPlay speakers (synced members, openRaopMember) and a software
// Chromecast (a follower: the Cast driver, unsynced), all in this process on loopback, media from a
// local HTTP server. The group volume moves both speakers keeping their balance (read from the
// dB each speaker was given); the Chromecast is given the group's load, pause, play and seek; when
// it goes away the group plays on. A Chromecast that refuses an item (a model without its codec)
// is shown failed with the device's reason, not playing, and takes the next item.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpeakerEmulator, type SpeakerEmulator } from '../../../../receivers/airplay/emulator/speaker.js';
import { openRaopMember } from '../../../../receivers/airplay/member.js';
import { levelToDb } from '../../../../receivers/airplay/driver.js';
import { CastReceiver } from '../../../../receivers/chromecast/driver.js';
import { profileForModel } from '../../../../receivers/chromecast/profile.js';
import { startCastEmulator, type CastEmulator, type ReceivedCommand } from '../../../../receivers/chromecast/emulator.js';
import { createGroupReceiver } from '../../../../receivers/group/receiver.js';
import type { GroupMemberState, GroupReceiver, MemberFactory } from '../../../../receivers/group/types.js';
import type { ReceiverDescriptor, ReceiverStatus } from '../../../../receivers/types.js';
import { startFileServer, type FileServer } from '../chromecast/file-server.js';

let dir: string;
let files: FileServer;
const speakers: SpeakerEmulator[] = [];
let cast: CastEmulator;
const commands: ReceivedCommand[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'group-mixed-'));
  for (const name of ['tone.flac', 'tone.wav']) {
    const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=30', '-ac', '2', join(dir, name)]);
    expect(r.status).toBe(0);
  }
  files = await startFileServer(dir);
  for (const name of ['Kitchen', 'Den']) speakers.push(await startSpeakerEmulator({ name, host: '127.0.0.1', port: 0, mdns: false }));
  cast = await startCastEmulator({ name: 'Living Room', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  cast.events.on('command', (c) => commands.push(c));
});

afterAll(async () => {
  await Promise.all(speakers.map((s) => s.close()));
  await cast?.close().catch(() => undefined);
  await files?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const descriptor = (id: string): ReceiverDescriptor => {
  const base = { online: true, lastSeen: Date.now(), source: 'config' as const, model: null };
  if (id === 'chromecast:lr') return { ...base, id, kind: 'chromecast', name: 'Living Room', model: 'Chromecast', host: cast.host, port: cast.port, type: 'tv' };
  const s = speakers[id === 'airplay:kitchen' ? 0 : 1]!;
  return { ...base, id, kind: 'airplay', name: s.name, host: s.host, port: s.port, type: 'speaker' };
};

const factory: MemberFactory = {
  name: (id) => descriptor(id).name,
  async open(spec, ctx) {
    const d = descriptor(spec.id);
    if (d.kind === 'chromecast') return { kind: 'follower', receiver: new CastReceiver(d, { timing: { firstRetryMs: 100, reconnectWindowMs: 2000, pingIntervalMs: 500, deadAfterMs: 1500 } }) };
    return { kind: 'timeline', member: await openRaopMember(d, ctx, spec) };
  },
};

/** The first value of `get()` matching `pred`, checked on every event `on` subscribes to. */
function when<T>(on: (f: () => void) => () => void, get: () => T, pred: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!pred(get())) return;
      clearTimeout(timer);
      off();
      resolve(get());
    };
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${what}: not within ${timeoutMs} ms (now ${JSON.stringify(get())})`));
    }, timeoutMs);
    const off = on(check);
    check();
  });
}

const mediaCommands = (): string[] => commands.filter((c) => c.namespace === 'urn:x-cast:com.google.cast.media').map((c) => String(c.data?.type));
const onCommand = (f: () => void): (() => void) => (cast.events.on('command', f), () => cast.events.off('command', f));
const onStatus = (g: GroupReceiver) => (f: () => void): (() => void) => (g.on('status', f), () => g.off('status', f));
const onMembers = (g: GroupReceiver, seen: GroupMemberState[][]) => (f: () => void): (() => void) => {
  g.onMembers((m) => {
    seen.push(m);
    f();
  });
  return () => undefined;
};

describe('a group of AirPlay speakers and a Chromecast that follows', () => {
  it('moves the speakers with the group volume keeping their balance; the Chromecast follows the group and its loss does not stop it', { timeout: 40_000 }, async () => {
    const specs = [
      { id: 'airplay:kitchen', delayMs: 0, volume: 0.8, muted: false },
      { id: 'airplay:den', delayMs: 0, volume: 0.4, muted: false },
      { id: 'chromecast:lr', delayMs: 0, volume: 0.5, muted: false },
    ];
    const g = createGroupReceiver({ ...descriptor('airplay:kitchen'), id: 'group:1', kind: 'group', name: 'Downstairs', type: 'group' }, specs, factory);
    const seen: GroupMemberState[][] = [];
    const members = when(onMembers(g, seen), () => seen.at(-1), (m) => m?.every((x) => x.state === 'playing') ?? false, 'every member playing');
    await g.load({ url: `${files.url}/tone.flac`, contentType: 'audio/flac', metadata: { title: 'Tone', kind: 'audio' }, duration: 30, startAt: 2, live: false });
    const all = (await members)!;
    expect(all.map((m) => [m.id, m.synced])).toEqual([['airplay:kitchen', true], ['airplay:den', true], ['chromecast:lr', false]]);
    await when(onStatus(g), () => g.status(), (s: ReceiverStatus) => s.state === 'playing', 'the group playing');
    // The Chromecast was given the same item at the same position.
    await when(onCommand, mediaCommands, (c) => c.includes('LOAD'), 'LOAD on the Chromecast');
    const load = commands.find((c) => c.data?.type === 'LOAD')!.data!;
    expect((load.media as { contentId: string }).contentId).toBe(`${files.url}/tone.flac`);
    expect(load.currentTime).toBe(2);

    expect(speakers.map((s) => s.volume)).toEqual([levelToDb(0.8), levelToDb(0.4)]);
    await g.setVolume(0.4);
    expect(g.members().map((m) => m.volume)).toEqual([0.4, 0.2, 0.25]);
    expect(speakers.map((s) => s.volume)).toEqual([levelToDb(0.4), levelToDb(0.2)]);
    expect(g.status().volume.level).toBe(0.4);

    await g.pause();
    await when(onCommand, mediaCommands, (c) => c.includes('PAUSE'), 'PAUSE on the Chromecast');
    await g.play();
    await when(onCommand, mediaCommands, (c) => c.includes('PLAY'), 'PLAY on the Chromecast');
    await g.seek(10);
    await when(onCommand, mediaCommands, (c) => c.includes('SEEK'), 'SEEK on the Chromecast');
    expect(commands.find((c) => c.data?.type === 'SEEK')!.data!.currentTime).toBe(10);
    await when(onStatus(g), () => g.status(), (s: ReceiverStatus) => s.state === 'playing', 'the group playing after the seek');

    // The Chromecast goes away: it is gone, the group plays on to its speakers.
    await cast.close();
    await when(onMembers(g, seen), () => seen.at(-1), (m) => m?.find((x) => x.id === 'chromecast:lr')?.state === 'gone', 'the Chromecast gone');
    const packets = speakers[1]!.schedule.length;
    await when((f) => (speakers[1]!.events.on('audio', f), () => speakers[1]!.events.off('audio', f)), () => speakers[1]!.schedule.length, (n) => n > packets + 100, 'more audio on the speaker');
    expect(g.status().state).toBe('playing');
    expect(g.members().filter((m) => m.state === 'playing').map((m) => m.id)).toEqual(['airplay:kitchen', 'airplay:den']);
    await g.close();
  });
});

describe('a Chromecast follower that refuses an item', () => {
  it('is shown failed with the reason, not playing, while the speakers play; it is given the next item and plays it', { timeout: 40_000 }, async () => {
    // A device whose model has no FLAC decoder: it answers LOAD_FAILED, as a real one does.
    const base = profileForModel('Chromecast');
    const picky = await startCastEmulator({
      name: 'Study', host: '127.0.0.1', port: 0, mdns: false,
      profile: { ...base, containers: base.containers.filter((c) => c !== 'flac'), audioCodecs: base.audioCodecs.filter((c) => c.codec !== 'flac') },
    });
    const loads: string[] = [];
    picky.events.on('command', (c) => {
      if (c.data?.type === 'LOAD') loads.push((c.data.media as { contentId: string }).contentId);
    });
    const study: ReceiverDescriptor = { online: true, lastSeen: Date.now(), source: 'config', id: 'chromecast:study', kind: 'chromecast', name: 'Study', model: 'Chromecast', host: picky.host, port: picky.port, type: 'tv' };
    const withStudy: MemberFactory = {
      name: (id) => (id === study.id ? study.name : factory.name(id)),
      open: async (spec, ctx) => (spec.id === study.id ? { kind: 'follower', receiver: new CastReceiver(study) } : factory.open(spec, ctx)),
    };
    const specs = [{ id: 'airplay:kitchen', delayMs: 0, volume: 1, muted: false }, { id: study.id, delayMs: 0, volume: 1, muted: false }];
    const g = createGroupReceiver({ ...study, id: 'group:2', kind: 'group', name: 'Upstairs', type: 'group' }, specs, withStudy);
    const seen: GroupMemberState[][] = [];
    const studyIn = (m: GroupMemberState[] | undefined) => m?.find((x) => x.id === study.id);
    try {
      const item = (file: string, contentType: string) => ({ url: `${files.url}/${file}`, contentType, metadata: { title: file, kind: 'audio' as const }, duration: 30, startAt: 0, live: false });
      const failed = when(onMembers(g, seen), () => seen.at(-1), (m) => studyIn(m)?.state === 'failed', 'the Chromecast failed');
      await g.load(item('tone.flac', 'audio/flac'));
      const members = (await failed)!;
      expect(studyIn(members)!.error).toMatch(/LOAD_FAILED.*flac/i);
      // Never shown playing while it refused the item; the speaker plays.
      expect(seen.some((m) => studyIn(m)?.state === 'playing')).toBe(false);
      await when(onStatus(g), () => g.status(), (st: ReceiverStatus) => st.state === 'playing', 'the group playing');
      expect(g.members().map((m) => [m.id, m.state])).toEqual([['airplay:kitchen', 'playing'], [study.id, 'failed']]);
      // The next item (one it decodes) is given to it again and it plays.
      const playing = when(onMembers(g, seen), () => seen.at(-1), (m) => studyIn(m)?.state === 'playing', 'the Chromecast playing the next item');
      await g.load(item('tone.wav', 'audio/wav'));
      await playing;
      expect(studyIn(g.members())!.error).toBeUndefined();
      expect(loads).toEqual([`${files.url}/tone.flac`, `${files.url}/tone.wav`]);
    } finally {
      await g.close();
      await picky.close().catch(() => undefined);
    }
  });
});
