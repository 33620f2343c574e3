import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchArtwork, imageType, progressAt } from '../../../../../receivers/airplay/raop/metadata.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

describe('progress in RTP timestamps', () => {
  it('start is second 0 of the item, end its last frame, curr the segment start', () => {
    expect(progressAt(1_000_000, 10, 180)).toEqual({ start: 1_000_000 - 441_000, curr: 1_000_000, end: 1_000_000 - 441_000 + 180 * 44100 });
  });

  it('wraps at 2^32 both ways', () => {
    const p = progressAt(100, 1, 2);
    expect(p.start).toBe(2 ** 32 + 100 - 44100);
    expect(p.end).toBe(100 + 44100);
  });
});

describe('cover art', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = { '/a.jpg': JPEG, '/b.png': PNG, '/c.webp': Buffer.from('RIFF....WEBP') }[req.url ?? ''];
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('knows JPEG and PNG by their bytes', () => {
    expect(imageType(JPEG)).toBe('image/jpeg');
    expect(imageType(PNG)).toBe('image/png');
    expect(imageType(Buffer.from('GIF89a'))).toBeUndefined();
  });

  it('fetches JPEG and PNG whatever the Content-Type says, skips the rest with a reason', async () => {
    expect(await fetchArtwork(`${base}/a.jpg`)).toEqual({ type: 'image/jpeg', data: JPEG });
    expect(await fetchArtwork(`${base}/b.png`)).toEqual({ type: 'image/png', data: PNG });
    expect(await fetchArtwork(`${base}/c.webp`)).toEqual({ skipped: expect.stringMatching(/not JPEG or PNG/) });
    expect(await fetchArtwork(`${base}/missing`)).toEqual({ skipped: 'art URL answered 404' });
    expect(await fetchArtwork(undefined)).toEqual({ skipped: 'no art URL' });
  });
});
