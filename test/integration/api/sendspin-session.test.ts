// The Sendspin endpoints of the real server with accounts on: the remote's own player on the main
// port's /sendspin needs the device cookie its page sends with the WebSocket upgrade (same origin),
// and a page of our own origin without it gets 401; Sendspin's own port is for players on the LAN
// (no cookies, the protocol has no auth): a device connects there as it is, but a browser page
// (any Origin, our own too) is refused, so no page gets a player around the session check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEVICE_COOKIE, sendspinPort, startServer, type RunningServer } from '../../helpers/server.js';
import { helloPayload, rawClient, type RawClient } from '../receivers/sendspin/raw-client.js';

let server: RunningServer;
let devicePort: number;
const clients: RawClient[] = [];

/** The status a WebSocket upgrade gets (101 when taken). */
const upgrade = (url: string, headers: Record<string, string>) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => (ws.close(), resolve(101)));
    ws.on('error', () => {});
  });

beforeAll(async () => {
  server = await startServer({ config: { libraries: [], discovery: { mdns: false }, scan: { watch: false, onStart: false } } });
  devicePort = await sendspinPort(server);
});

afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  await server?.stop();
});

describe('Sendspin with accounts on', () => {
  it('the main port\'s /sendspin takes the remote\'s page with its device cookie and refuses it without (401) or with a wrong one', async () => {
    const page = `ws://127.0.0.1:${server.port}/sendspin`;
    const cookie = `${DEVICE_COOKIE}=${server.token!}`;
    expect(await upgrade(page, { Origin: server.url })).toBe(401);
    expect(await upgrade(page, { Origin: server.url, Cookie: `${DEVICE_COOKIE}=not-a-token` })).toBe(401);
    await server.waitForLine(/ sendspin .*session-refused/);
    // Another site is refused for its Origin even with a valid cookie.
    expect(await upgrade(page, { Origin: 'http://evil.example', Cookie: cookie })).toBe(403);
    const player = await rawClient(page, { Origin: server.url, Cookie: cookie });
    clients.push(player);
    player.send('client/hello', helloPayload('this-phone'));
    await player.next('server/hello');
  });

  it('Sendspin\'s own port takes a player on the LAN without a session, and refuses any browser page (403)', async () => {
    const port = `ws://127.0.0.1:${devicePort}/sendspin`;
    expect(await upgrade(port, { Origin: server.url, Cookie: `${DEVICE_COOKIE}=${server.token!}` })).toBe(403);
    expect(await upgrade(port, { Origin: 'http://evil.example' })).toBe(403);
    await server.waitForLine(/ sendspin .*origin-refused/);
    const device = await rawClient(port);
    clients.push(device);
    device.send('client/hello', helloPayload('kitchen'));
    await device.next('server/hello');
    await expect.poll(async () => (await server.get<{ items: { id: string }[] }>('/api/receivers')).body.items.map((r) => r.id), { timeout: 10_000 }).toContain('sendspin:kitchen');
  });

  it('600 refused pages on Sendspin\'s own port give a bounded number of log lines, and a count', async () => {
    const port = `ws://127.0.0.1:${devicePort}/sendspin`;
    const mark = server.lines.length;
    for (let i = 0; i < 600; i += 50) {
      const statuses = await Promise.all(Array.from({ length: 50 }, () => upgrade(port, { Origin: 'http://evil.example' })));
      expect(statuses.every((st) => st === 403)).toBe(true);
    }
    // The rest are counted in one line within the refusal log's flush period (10 s).
    const summary = await server.waitForLine(/ requests refused \(not logged one by one\) count=\d+/, 30_000, mark);
    const lines = server.lines.slice(mark).filter((l) => / sendspin .*origin-refused/.test(l)).length;
    // A burst of 30 (fewer: the tests above used some), then about one a second.
    expect(lines).toBeLessThanOrEqual(60);
    expect(lines + Number(/count=(\d+)/.exec(summary)![1])).toBeLessThanOrEqual(600);
  });
});
