// The software Chromecast writes each message in a TLS record of its own, as a device's cast
// transport does (one write per message). Several answers written at once must not share a
// record: pychromecast reads exactly one message after select() says the socket is readable, so
// a second message decrypted into the same record waits in its TLS buffer, unseen, until other
// bytes come (its next heartbeat): the "GET_STATUS unanswered" seen under load.
// Over real TLS on loopback; a Node TLS socket emits one 'data' chunk per record it decrypts.
import tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../../../receivers/chromecast/emulator.js';
import { NS, PLATFORM_ID } from '../../../../receivers/chromecast/protocol.js';
import { decodeMessage, encodeMessage, frame } from '../../../../receivers/chromecast/emulator/wire.js';

let emu: CastEmulator;

beforeAll(async () => {
  emu = await startCastEmulator({ name: 'Records TV', host: '127.0.0.1', port: 0, mdns: false });
});

afterAll(async () => {
  await emu?.close();
});

const message = (namespace: string, payload: object) =>
  frame(encodeMessage({ protocolVersion: 0, sourceId: 'sender-0', destinationId: PLATFORM_ID, namespace, payloadUtf8: JSON.stringify(payload) }));

it('answers several requests sent at once with one TLS record per message', async () => {
  const socket = tls.connect({ host: '127.0.0.1', port: emu.port, rejectUnauthorized: false });
  const chunks: Buffer[] = [];
  const ANSWERS = 5;
  const all = new Promise<void>((resolve, reject) => {
    let frames = 0;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      for (let off = 0; off + 4 <= chunk.length; off += 4 + chunk.readUInt32BE(off)) frames++;
      if (frames >= ANSWERS) resolve();
    });
    socket.once('error', reject);
  });
  await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
  // One write: the emulator reads all of it in one chunk and answers each in the same tick.
  socket.write(Buffer.concat([message(NS.connection, { type: 'CONNECT' }), ...Array.from({ length: ANSWERS }, (_, i) => message(NS.receiver, { type: 'GET_STATUS', requestId: i + 1 }))]));
  await all;
  socket.destroy();
  // Each chunk (record) is exactly one whole frame: a length, then that many bytes.
  for (const chunk of chunks) expect(chunk.length).toBe(4 + chunk.readUInt32BE(0));
  const answers = chunks.map((c) => JSON.parse(decodeMessage(c.subarray(4)).payloadUtf8!) as { type: string; requestId: number });
  expect(answers.map((a) => [a.type, a.requestId])).toEqual(Array.from({ length: ANSWERS }, (_, i) => ['RECEIVER_STATUS', i + 1]));
});
