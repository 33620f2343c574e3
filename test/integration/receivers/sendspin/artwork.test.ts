// The artwork role: a client with two artwork channels (album cover as JPEG, artist as PNG) gets
// the item's cover fetched from its URL, scaled to fit its channel and stamped with the time the
// item is heard; the artist channel (which we have no image for) is cleared; a request for
// another format is answered with the cover in that format at once.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendspinServer } from '../../../../receivers/sendspin/server.js';
import { newContext } from './fixture.js';
import { helloPayload, rawClient, type RawClient } from './raw-client.js';

let server: SendspinServer;
let client: RawClient;
let images: Server;
let coverUrl: string;

beforeAll(async () => {
  const png = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=640x480', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1']).stdout;
  images = createServer((req, res) => (req.url === '/cover.png' ? res.writeHead(200, { 'content-type': 'image/png' }).end(png) : res.writeHead(404).end()));
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  coverUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/cover.png`;
  server = new SendspinServer({ id: 'hc', name: 'Homecast' });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  client = await rawClient(`ws://127.0.0.1:${port}/sendspin`);
  client.send('client/hello', {
    ...helloPayload('frame', { roles: ['player@v1', 'artwork@v1'] }),
    'artwork@v1_support': { channels: [{ source: 'album', format: 'jpeg', media_width: 300, media_height: 300 }, { source: 'artist', format: 'png', media_width: 100, media_height: 100 }] },
  });
  expect((await client.next('server/hello')).payload.active_roles).toEqual(['player@v1', 'artwork@v1']);
});

afterAll(async () => {
  client?.ws.terminate();
  await server?.close();
  await new Promise<void>((resolve) => images.close(() => resolve()));
});

const binaries = (type: number) => client.chunks.filter((c) => c.type === type);
async function until(pred: () => boolean): Promise<void> {
  while (!pred()) await new Promise((r) => client.ws.once('message', r));
}

describe('Sendspin artwork', () => {
  it('sends the cover scaled to each channel, stamped with the time the item is heard', { timeout: 20_000 }, async () => {
    const ctx = newContext();
    const m = server.member('sendspin:frame', ctx);
    m.nowPlaying!({ frame: 0, position: 0, duration: 10, title: 'Red', artUrl: coverUrl });
    const start = await client.next('stream/start');
    expect(start.payload).toEqual({ artwork: { channels: [{ source: 'album', format: 'jpeg', width: 300, height: 225 }, { source: 'artist', format: 'png', width: 0, height: 0 }] } });
    await until(() => binaries(8).length >= 1 && binaries(9).length >= 1);
    const playUs = Number((ctx.timeline.nsAtFrames(ctx.latency) + 500n) / 1000n);
    const [album] = binaries(8);
    expect(album!.timestampUs).toBe(playUs);
    expect([...album!.data.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]); // JPEG
    expect(binaries(9)[0]!.data.length).toBe(0); // cleared

    client.send('stream/request-format', { artwork: { channel: 0, format: 'png', media_width: 64, media_height: 64 } });
    expect((await client.next('stream/start')).payload.artwork.channels[0]).toEqual({ source: 'album', format: 'png', width: 64, height: 48 });
    await until(() => binaries(8).length >= 2);
    expect(binaries(8)[1]!.data.subarray(1, 4).toString()).toBe('PNG');

    m.nowPlaying!({ frame: 44100, position: 0, duration: 10, title: 'No cover' });
    await until(() => binaries(8).length >= 3);
    expect(binaries(8)[2]!.data.length).toBe(0);
    await m.stop();
  });
});
