// "Move to…" on the path the remote uses (playback:move over the socket), between two software
// receivers of different kinds: the AirPlay speaker emulator and the Chromecast emulator. The
// track is a rising DC ramp (0.1 → 0.9 of full scale over 30 s), so every frame the speaker plays
// says where in the track it is: the position a receiver left and the one the other started at
// are read from what the devices themselves report and play, not from the server's word. The
// issue asks for 1 s; the first pauses before the second loads, so it is much closer (~5 ms here).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startSpeakerEmulator, type SpeakerEmulator } from '../../../receivers/airplay/emulator/speaker.js';
import { startCastEmulator, type CastEmulator, type EmulatorEvent } from '../../../receivers/chromecast/emulator.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import { command, makeGroup } from '../../helpers/groups.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';
import { makeFlac, record } from '../receivers/airplay/speaker-emulator-helpers.js';

const SECONDS = 30;
const LOW = 0.1;
const HIGH = 0.9;
let dir: string;
let speaker: SpeakerEmulator;
let locked: SpeakerEmulator;
let cast: CastEmulator;
let server: RunningServer;
let socket: Socket;

/** Where in the ramp track a packet of played PCM is (its first frame), in seconds; null for silence. */
function rampPosition(pcm: Buffer): number | null {
  const v = pcm.readInt16LE(0) / 32768;
  return v < LOW / 2 ? null : ((v - LOW) / (HIGH - LOW)) * SECONDS;
}

/** Where in the ramp the speaker's first sound from now on is (seconds). */
function speakerFirstSound(rec: ReturnType<typeof record>): Promise<number> {
  const from = rec.audio.length;
  return new Promise<number>((resolve) => {
    const on = () => {
      const p = rec.audio.slice(from).map((a) => rampPosition(a.pcm)).find((x) => x !== null);
      if (p !== undefined && p !== null) (speaker.events.off('audio', on), resolve(p));
    };
    speaker.events.on('audio', on);
  });
}

async function send<T = SessionSnapshot>(event: string, args: unknown): Promise<T> {
  const ack = await command<T>(socket, event, args);
  if (!ack.ok) throw new Error(`${event}: ${ack.error}`);
  return ack.data;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hc-move-'));
  mkdirSync(join(dir, 'music', 'Ramp'), { recursive: true });
  const ramp = `${LOW}+${HIGH - LOW}*t/${SECONDS}`;
  makeFlac(`aevalsrc=${ramp}|${ramp}:s=44100:d=${SECONDS}`, join(dir, 'music', 'Ramp', '1.flac'), { title: 'Ramp', album: 'Ramp', artist: 'Mover', track: '1' });
  makeFlac('sine=frequency=440:sample_rate=44100:duration=5', join(dir, 'music', 'Ramp', '2.flac'), { title: 'After', album: 'Ramp', artist: 'Mover', track: '2' });
  speaker = await startSpeakerEmulator({ name: 'Den Speaker', host: '127.0.0.1', port: 0, mdns: false });
  locked = await startSpeakerEmulator({ name: 'Locked Speaker', host: '127.0.0.1', port: 0, mdns: false, password: 'sesame' });
  cast = await startCastEmulator({ name: 'Kitchen', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: join(dir, 'music'), kind: 'music' }],
      receivers: [
        { kind: 'airplay', name: 'Den Speaker', host: speaker.host, port: speaker.port },
        { kind: 'chromecast', name: 'Kitchen', host: cast.host, port: cast.port, model: 'Google Home', type: 'speaker' },
        { kind: 'airplay', name: 'Locked Speaker', host: locked.host, port: locked.port },
        // Listed but not there (nothing listens on port 9): a move to it must lose nothing.
        { kind: 'chromecast', name: 'Nowhere', host: '127.0.0.1', port: 9, model: 'Google Home', type: 'speaker' },
      ],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
  socket = server.io();
  await new Promise((resolve) => socket.once('snapshot', resolve));
});

afterAll(async () => {
  socket?.close();
  await server?.stop();
  await speaker?.close();
  await locked?.close();
  await cast?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('move to another receiver', () => {
  it('goes on from an AirPlay speaker to a Chromecast and back where it left, with the same queue', async () => {
    const rec = record(speaker);
    const castEvents: EmulatorEvent[] = [];
    cast.events.on('event', (e: EmulatorEvent) => castEvents.push(e));
    onTestFailed(() => console.error(`speaker: ${rec.events.filter((e) => e.event !== 'stats' && e.event !== 'clock').map((e) => JSON.stringify(e)).join('\n')}\ncast: ${castEvents.map((e) => JSON.stringify(e)).join('\n')}\nserver:\n${server.lines.slice(-30).join('\n')}`));
    const tracks = (await server.get<{ items: { id: number }[] }>('/api/library/tracks?q=Mover')).body.items.map((t) => t.id);
    expect(tracks).toHaveLength(2);
    await send('playback:play', { receiver: 'Den Speaker', what: tracks });
    await send('playback:repeat', { receiver: 'Den Speaker', mode: 'all' });

    // 3 s into the track as the speaker plays it.
    const heard = () => rec.audio.map((a) => rampPosition(a.pcm)).filter((p): p is number => p !== null);
    await new Promise<void>((resolve) => {
      const on = () => (heard().at(-1) ?? 0) >= 3 && (speaker.events.off('audio', on), resolve());
      speaker.events.on('audio', on);
    });
    const loaded = new Promise<Extract<EmulatorEvent, { event: 'load' }>>((resolve) => cast.events.once('load', resolve));
    const torn = rec.next('teardown', () => true, rec.events.length, 20_000);
    const moved = await send('playback:move', { receiver: 'Den Speaker', to: 'Kitchen' });
    await torn;
    const left = heard().at(-1)!;
    const started = (await loaded).position;
    // The Chromecast starts where the speaker was last heard (the speaker plays on while the Cast loads).
    expect(Math.abs(started - left), `speaker left at ${left} s, Chromecast started at ${started} s`).toBeLessThan(0.2);
    expect(left).toBeGreaterThanOrEqual(3);
    // The same queue and mode, and the speaker's session stopped.
    expect(moved).toMatchObject({ queue: [expect.objectContaining({ itemId: tracks[0] }), expect.objectContaining({ itemId: tracks[1] })], index: 0, repeat: 'all', shuffle: false, item: { title: 'Ramp' } });
    const [den] = await send<SessionSnapshot[]>('playback:status', { receiver: 'Den Speaker' });
    expect(den).toMatchObject({ state: 'idle' });

    // And back: the speaker's first sound is where the Chromecast stopped.
    if (!castEvents.some((e) => e.event === 'playing')) await new Promise((resolve) => cast.events.once('playing', resolve));
    const castStopped = new Promise<Extract<EmulatorEvent, { event: 'idle' }>>((resolve) => cast.events.once('idle', resolve));
    const firstSound = speakerFirstSound(rec);
    const back = await send('playback:move', { receiver: 'Kitchen', to: 'Den Speaker' });
    const castLeft = (await castStopped).position;
    const speakerStarted = await firstSound;
    expect(Math.abs(speakerStarted - castLeft), `Chromecast left at ${castLeft} s, speaker started at ${speakerStarted} s`).toBeLessThan(0.2);
    expect(back).toMatchObject({ receiverId: den!.receiverId, repeat: 'all', index: 0, queue: moved.queue });
  });

  it('refuses a move when nothing plays, or to where it already plays, and keeps playing', async () => {
    expect(await command(socket, 'playback:move', { receiver: 'Kitchen', to: 'Den Speaker' })).toEqual({ ok: false, error: 'nothing to move: nothing is playing here' });
    expect(await command(socket, 'playback:move', { receiver: 'Den Speaker', to: 'den speaker' })).toEqual({ ok: false, error: 'it already plays there' });
    expect(await command(socket, 'playback:move', { receiver: 'Den Speaker', to: 'Garage' })).toEqual({ ok: false, error: 'unknown receiver "Garage"' });
    const [den] = await send<SessionSnapshot[]>('playback:status', { receiver: 'Den Speaker' });
    expect(den?.state).toMatch(/playing|buffering|loading/);
  });

  it('refused by the receiver it goes to, leaves the first playing where it was', async () => {
    const rec = record(speaker);
    const [before] = await send<SessionSnapshot[]>('playback:status', { receiver: 'Den Speaker' });
    const ack = await command(socket, 'playback:move', { receiver: 'Den Speaker', to: 'Nowhere' });
    expect(ack).toEqual({ ok: false, error: expect.stringMatching(/^cannot reach Nowhere: /) });
    // The speaker plays again (it was paused for the move), the same item, the same queue.
    await rec.next('playing', () => true, 0, 20_000);
    const [after] = await send<SessionSnapshot[]>('playback:status', { receiver: 'Den Speaker' });
    expect(after).toMatchObject({ state: expect.stringMatching(/playing|buffering|loading/), index: before!.index, queue: before!.queue });
    const [nowhere] = await send<SessionSnapshot[]>('playback:status', { receiver: 'Nowhere' });
    expect(nowhere).toMatchObject({ queue: [], item: null });
    // A speaker that wants a password: the answer says so, naming it, so the remote asks for it.
    const resumed = rec.events.length;
    const asked = await command(socket, 'playback:move', { receiver: 'Den Speaker', to: 'Locked Speaker' });
    const lockedId = (await server.get<{ items: { id: string; name: string }[] }>('/api/receivers')).body.items.find((r) => r.name === 'Locked Speaker')!.id;
    expect(asked).toEqual({ ok: false, code: 'needs-password', receiver: lockedId, wrong: false, error: 'Locked Speaker needs a password' });
    await rec.next('playing', () => true, resumed, 20_000);
  });

  it('goes on from a Chromecast to a group where it left (the group\'s speaker\'s first sound)', async () => {
    const rec = record(speaker);
    // What plays on the speaker goes to the Chromecast first, then from there to a group holding the speaker.
    const castPlaying = new Promise((resolve) => cast.events.once('playing', resolve));
    await send('playback:move', { receiver: 'Den Speaker', to: 'Kitchen' });
    await castPlaying;
    await makeGroup(socket, 'Downstairs', ['Den Speaker']);
    const castStopped = new Promise<Extract<EmulatorEvent, { event: 'idle' }>>((resolve) => cast.events.once('idle', resolve));
    const firstSound = speakerFirstSound(rec);
    const moved = await send('playback:move', { receiver: 'Kitchen', to: 'Downstairs' });
    const castLeft = (await castStopped).position;
    const groupStarted = await firstSound;
    expect(Math.abs(groupStarted - castLeft), `Chromecast left at ${castLeft} s, the group started at ${groupStarted} s`).toBeLessThan(1);
    expect(moved).toMatchObject({ repeat: 'all', index: 0, item: { title: 'Ramp' } });
    const [kitchen] = await send<SessionSnapshot[]>('playback:status', { receiver: 'Kitchen' });
    expect(kitchen?.state).toBe('idle');
  });
});
