// The direct-play copy (direct.ts → copy-range.ts) over a real file and a real loopback socket:
// exact bytes, a long download through two reused buffers (not a fresh one per read, which costs
// the streaming bench its CPU), and the descriptor closed when the client goes away.
import { fstatSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRange } from '../../../server/media/copy-range.js';
import { sendOpenFile } from '../../../server/media/direct.js';

const SIZE = 6 * (1 << 20) + 12345;
let dir: string;
let file: string;
let data: Buffer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'homecast-copy-range-'));
  file = join(dir, 'big.bin');
  data = Buffer.alloc(SIZE);
  for (let i = 0; i + 4 <= SIZE; i += 4) data.writeUInt32LE(i, i);
  writeFileSync(file, data);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A loopback server whose handler gets the response; `port` once listening. */
async function serve(handler: (res: ServerResponse, range: string | undefined) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => handler(res, req.headers.range));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('direct play copy', () => {
  it('sends the exact bytes of the whole file and of a range, through two reused buffers', async () => {
    const buffers = new Set<ArrayBufferLike>();
    const { server, port } = await serve((res) => {
      const write = res.write.bind(res) as (chunk: Buffer, cb?: () => void) => boolean;
      res.write = ((chunk: Buffer, cb?: () => void) => (buffers.add(chunk.buffer), write(chunk, cb))) as typeof res.write;
      sendOpenFile(res.req, res, openSync(file, 'r'), statSync(file), { mime: 'application/octet-stream', cacheControl: 'private' });
    });
    try {
      const whole = await fetch(`http://127.0.0.1:${port}/`);
      expect(whole.status).toBe(200);
      expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);
      // 7 reads of 1 MiB: a fresh buffer each would make 7.
      expect(buffers.size).toBe(2);
      const part = await fetch(`http://127.0.0.1:${port}/`, { headers: { range: 'bytes=1048570-3145730' } });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(1048570, 3145731))).toBe(true);
    } finally {
      server.close();
    }
  });

  it('closes the file when the client goes away mid-transfer', async () => {
    let copied: Promise<void> | undefined;
    let fd = -1;
    const { server, port } = await serve((res) => {
      fd = openSync(file, 'r');
      res.writeHead(200, { 'Content-Length': SIZE });
      copied = copyRange(fd, 0, SIZE - 1, res);
    });
    try {
      await new Promise<void>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => res.once('data', () => (req.destroy(), resolve())));
        req.end();
      });
      await copied;
      expect(() => fstatSync(fd)).toThrow(/EBADF/);
    } finally {
      server.close();
    }
  });
});
