// A speaker alone is a synced stream of one RAOP member (airplay/speaker-stream.ts): the one
// pacing loop of group/stream.ts, not one of its own in the RAOP session. Over loopback to the
// software speaker: its packets arrive paced on the stream's timeline, the stream's volume is the
// speaker's, and the speaker's loss is the stream's error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelToDb } from '../../../../receivers/airplay/driver.js';
import { startSpeakerEmulator, type SpeakerEmulator } from '../../../../receivers/airplay/emulator/speaker.js';
import { RaopSession } from '../../../../receivers/airplay/raop/sender.js';
import { openSpeakerStream } from '../../../../receivers/airplay/speaker-stream.js';
import { GroupStream } from '../../../../receivers/group/stream.js';
import type { ReceiverDescriptor } from '../../../../receivers/types.js';

let speaker: SpeakerEmulator;

beforeAll(async () => {
  speaker = await startSpeakerEmulator({ name: 'Kitchen', host: '127.0.0.1', port: 0, mdns: false });
});

afterAll(async () => {
  await speaker?.close().catch(() => undefined);
});

/** `n` packets of silence, as a decoder would yield them. */
async function* silence(n: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < n; i++) yield Buffer.alloc(352 * 4);
}

describe('one AirPlay speaker', () => {
  it('plays through the group stream\'s pacing (the RAOP session paces nothing); volume is the speaker\'s; its loss is the stream\'s error', { timeout: 20_000 }, async () => {
    expect('play' in RaopSession.prototype).toBe(false);
    const d: ReceiverDescriptor = { id: 'airplay:kitchen', kind: 'airplay', name: 'Kitchen', model: null, host: speaker.host, port: speaker.port, type: 'speaker', online: true, lastSeen: Date.now(), source: 'config' };
    const stream = await openSpeakerStream(d, { volume: 0.8, muted: false });
    expect(stream).toBeInstanceOf(GroupStream);
    expect(speaker.volume).toBe(levelToDb(0.8));
    const t0 = performance.now();
    // 0.5 s of audio beyond what goes out ahead: real-time pacing, not all at once.
    await stream.play(silence(Math.ceil((0.6 * 44100) / 352)));
    expect(performance.now() - t0).toBeGreaterThan(400);
    expect(stream.packetsSent).toBe(Math.ceil((0.6 * 44100) / 352));
    await stream.setVolume(0.5, false);
    expect(speaker.volume).toBe(levelToDb(0.5));
    const lost = new Promise<Error>((resolve) => stream.once('error', resolve));
    await speaker.close();
    expect((await lost).message).toBeTruthy();
    await stream.stop();
  });
});
