// The built server says where a phone opens the remote: at start in its log (every URL) and at
// GET /api/server (what the remote's QR code shows). Listening on all interfaces inside a network
// namespace whose default route goes out of v0, the first URL is v0's address and the others are
// every other non-loopback IPv4 of the namespace; a specific host is used as it is; a public URL
// comes first; on loopback only, the log says a phone cannot open it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../../helpers/netns.js';
import { startServer, type RunningServer } from '../../helpers/server.js';

const BASE = { libraries: [], discovery: { mdns: false }, scan: { watch: false, onStart: false } };
const started: RunningServer[] = [];
let ns: Netns;

async function start(config: Record<string, unknown>, netns?: Netns): Promise<RunningServer> {
  const s = await startServer({ config: { ...BASE, ...config }, ...(netns ? { netns } : {}) });
  started.push(s);
  return s;
}

const urlIn = (line: string) => /\burl=(\S+)/.exec(line)?.[1];
/** Every URL the start log gives: the listening line's, then each "remote also at". */
async function loggedUrls(s: RunningServer): Promise<string[]> {
  const first = urlIn(await s.waitForLine(/ listening /))!;
  return [first, ...s.lines.filter((l) => / remote also at /.test(l)).map((l) => urlIn(l)!)];
}

/** GET /api/server from inside the namespace (the server is reachable only there: get runs there). */
async function addressesInNs(s: RunningServer): Promise<unknown> {
  const r = await s.get('/api/server');
  expect(r.status).toBe(200);
  return r.body;
}

beforeAll(async () => {
  ns = await createNetns();
  // As on a home network: the default route leaves by one interface (v0; the interface list has v1
  // first, so the order shows the route was read). No packet is sent.
  const r = await ns.run('ip', ['route', 'add', 'default', 'dev', 'v0']);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await ns?.close();
});

describe('where the server says a phone opens the remote', () => {
  it('all interfaces: the routed LAN address first, then every other one; never localhost', async () => {
    const s = await start({ host: '0.0.0.0' }, ns);
    const own = (await ns.run('ip', ['-4', '-o', 'addr', 'show'])).stdout.split('\n').map((l) => /inet (\S+)\//.exec(l)?.[1]).filter((a): a is string => !!a && !a.startsWith('127.'));
    expect(own.sort()).toEqual(['10.77.0.1', '10.77.0.2']);
    const urls = await loggedUrls(s);
    expect(urls[0]).toBe(`http://10.77.0.1:${s.port}/`);
    expect([...urls].sort()).toEqual(own.map((a) => `http://${a}:${s.port}/`));
    expect(s.lines.join('\n')).not.toMatch(/localhost|only this computer/);
    expect(await addressesInNs(s)).toEqual({ urls, host: '0.0.0.0', loopbackOnly: false });
  });

  it('a specific host: that address only', async () => {
    const s = await start({ host: '10.77.0.2' }, ns);
    expect(await loggedUrls(s)).toEqual([`http://10.77.0.2:${s.port}/`]);
  });

  it('loopback only: the log says a phone cannot open it, and the route gives no URL', async () => {
    const s = await start({ host: '127.0.0.1' });
    expect(await loggedUrls(s)).toEqual([`http://127.0.0.1:${s.port}/`]);
    await s.waitForLine(/ warn only this computer can open the remote: the server listens on loopback/);
    expect((await s.get('/api/server')).body).toEqual({ urls: [], host: '127.0.0.1', loopbackOnly: true });
  });

  it('a configured public URL comes first (behind a proxy, also with a loopback host)', async () => {
    const s = await start({ host: '127.0.0.1', publicUrl: 'https://media.example.org/home/' });
    expect(await loggedUrls(s)).toEqual(['https://media.example.org/home/']);
    expect(s.lines.join('\n')).not.toMatch(/only this computer/);
    expect((await s.get('/api/server')).body).toEqual({ urls: ['https://media.example.org/home/'], host: '127.0.0.1', loopbackOnly: true });
  });
});
