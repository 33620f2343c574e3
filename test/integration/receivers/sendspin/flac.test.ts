// A Sendspin player that takes FLAC and no PCM gets the stream in FLAC: stream/start carries the
// stream header as codec_header, each chunk is one frame stamped with the play time of its first
// sample, and header + chunks decode (ffmpeg) to the source samples exactly, to the last one.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAC_BLOCK_SIZE } from '../../../../receivers/sendspin/flac.js';
import { SendspinServer } from '../../../../receivers/sendspin/server.js';
import { beepTrack, newContext, paceOnTimeline } from './fixture.js';
import { helloPayload, rawClient, type RawClient } from './raw-client.js';

let server: SendspinServer;
let client: RawClient;

beforeAll(async () => {
  server = new SendspinServer({ id: 'hc', name: 'Homecast' });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  client = await rawClient(`ws://127.0.0.1:${port}/sendspin`);
  client.send('client/hello', helloPayload('flacky', { formats: [{ codec: 'opus', sample_rate: 48000, channels: 2, bit_depth: 16 }, { codec: 'flac', sample_rate: 44100, channels: 2, bit_depth: 16 }] }));
  await client.next('server/hello');
});

afterAll(async () => {
  client?.ws.terminate();
  await server?.close();
});

describe('Sendspin FLAC', () => {
  it('sends FLAC frames stamped with their play time that decode to the source', { timeout: 20_000 }, async () => {
    const ctx = newContext();
    const m = server.member('sendspin:flacky', ctx, { delayMs: 3 });
    const track = beepTrack(1.5);
    await paceOnTimeline([m], track, ctx);
    // All of it, the last short block too: when packets stop, the member ends the encoder.
    const frames = track.length / 4;
    const blocks = Math.ceil(frames / FLAC_BLOCK_SIZE);
    while (client.chunks.length < blocks) await new Promise((r) => client.ws.once('message', r));
    const start = (await client.next('stream/start')).payload.player as Record<string, unknown>;
    expect(start).toMatchObject({ codec: 'flac', sample_rate: 44100, channels: 2, bit_depth: 16 });
    const header = Buffer.from(start.codec_header as string, 'base64');
    expect(header.subarray(0, 4).toString()).toBe('fLaC');
    const chunks = client.chunks;
    expect(chunks).toHaveLength(blocks);
    chunks.forEach((c, k) => {
      expect(c.type).toBe(4);
      expect(c.timestampUs).toBe(Number((ctx.timeline.nsAtFrames(k * FLAC_BLOCK_SIZE + ctx.latency) + 500n) / 1000n) + 3000);
    });
    const decoded = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'flac', '-i', 'pipe:0', '-f', 's16le', 'pipe:1'], { input: Buffer.concat([header, ...chunks.map((c) => c.data)]), maxBuffer: 64 * 1024 * 1024 });
    expect(decoded.stderr.toString()).toBe('');
    expect(decoded.stdout.equals(track)).toBe(true);
    // The reference client decodes each chunk alone behind the header (sendspin-js dist/audio/decoder.js decodeFLAC).
    for (const k of [0, 3]) {
      const one = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'flac', '-i', 'pipe:0', '-f', 's16le', 'pipe:1'], { input: Buffer.concat([header, chunks[k]!.data]) });
      expect(one.stdout.equals(track.subarray(k * FLAC_BLOCK_SIZE * 4, (k + 1) * FLAC_BLOCK_SIZE * 4))).toBe(true);
    }
    // Smaller than the PCM it carries (the beeps are mostly silence).
    expect(chunks.reduce((n, c) => n + c.data.length, 0)).toBeLessThan(decoded.stdout.length / 2);
    await m.flush(0);
    await client.next('stream/clear');
    await m.stop();
    await client.next('stream/end');
  });
});
