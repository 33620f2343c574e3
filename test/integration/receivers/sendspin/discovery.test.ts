// Server-initiated connections over mDNS inside a network namespace: our emulated player advertises
// `_sendspin._tcp` (port, TXT path) and waits; our server, browsing as the main program does,
// connects to it, and the player becomes a receiver; the server's own `_sendspin-server._tcp`
// advert carries its port and path for clients that connect themselves.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { projectRoot } from '../../../helpers/paths.js';
import { JsonLines } from '../chromecast/json-lines.js';
import { startEmulator } from './fixture.js';

const dist = (p: string) => join(projectRoot, 'dist', p);
let ns: Netns | null = null;

afterEach(async () => {
  await ns?.close();
  ns = null;
});

describe('Sendspin discovery', () => {
  it('connects to a player advertising _sendspin._tcp and advertises _sendspin-server._tcp', { timeout: 40_000 }, async () => {
    const n = (ns = await createNetns());
    const serverProc = n.spawn(process.execPath, [dist('test/integration/receivers/sendspin/discovery-runner.js'), n.addr], { stdio: ['pipe', 'pipe', 'pipe'] });
    const server = new JsonLines(serverProc.stdout!, 'sendspin server', serverProc.stderr);
    expect((await server.waitFor((l) => l.event === 'ready')).port).toBe(8927);

    const player = startEmulator(['--listen', '8928', '--host', n.addr, '--name', 'Kitchen', '--id', 'kitchen'], (cmd, args) => n.spawn(cmd, args));
    await player.events.waitFor((l) => l.event === 'listening');
    const found = await server.waitFor((l) => l.event === 'found', 20_000);
    expect(found.descriptor).toMatchObject({ id: 'sendspin:kitchen', kind: 'sendspin', name: 'Kitchen', host: n.addr, port: 8928, type: 'speaker', source: 'mdns' });
    const joined = await server.waitFor((l) => l.event === 'player');
    expect(joined.descriptor).toMatchObject({ id: 'sendspin:kitchen', kind: 'sendspin', name: 'Kitchen', host: n.addr, port: 8928, source: 'sendspin' });
    expect(await server.waitFor((l) => l.event === 'connected')).toMatchObject({ id: 'sendspin:kitchen', url: `ws://${n.addr}:8928/sendspin` });
    expect(await player.events.waitFor((l) => l.event === 'hello')).toMatchObject({ server: 'hc-netns', name: 'Homecast Test', reason: 'discovery' });
    await player.events.waitFor((l) => l.event === 'synced');
    // Seen again by discovery while connected: the same connection, no second hello.
    serverProc.stdin!.write(`connect ws://${n.addr}:8928/sendspin\n`);
    expect(await server.waitFor((l) => l.event === 'connected' && l.again === true)).toMatchObject({ id: 'sendspin:kitchen' });
    expect(player.events.lines.filter((l) => l.event === 'hello')).toHaveLength(1);

    const b = n.spawn(process.execPath, [dist('test/helpers/bonjour-browse.js'), 'sendspin-server']);
    const browser = new JsonLines(b.stdout!, 'bonjour browser', b.stderr);
    const up = await browser.waitFor((l) => l.event === 'up', 20_000);
    expect(up).toMatchObject({ name: 'Homecast Test', port: 8927, addresses: expect.arrayContaining([n.addr]), txt: { path: '/sendspin', name: 'Homecast Test' } });

    // Lost without a goodbye (power cut): the server dials again until the player is back.
    let from = server.lines.length;
    player.proc.kill('SIGKILL');
    expect(await server.waitFor((l) => l.event === 'playerGone', 10_000, from)).toMatchObject({ id: 'sendspin:kitchen' });
    const again = startEmulator(['--listen', '8928', '--host', n.addr, '--name', 'Kitchen', '--id', 'kitchen'], (cmd, args) => n.spawn(cmd, args));
    expect((await server.waitFor((l) => l.event === 'player', 20_000, from)).descriptor).toMatchObject({ id: 'sendspin:kitchen', host: n.addr, port: 8928 });
    await again.events.waitFor((l) => l.event === 'hello');

    // A goodbye saying 'shutdown': gone, and not dialed again.
    from = server.lines.length;
    await again.stop();
    expect(await server.waitFor((l) => l.event === 'playerGone', 10_000, from)).toMatchObject({ id: 'sendspin:kitchen', reason: 'shutdown' });
    const exited = new Promise((resolve) => serverProc.once('exit', resolve));
    serverProc.kill('SIGTERM');
    await exited;
    expect(server.lines.slice(from).filter((l) => l.event === 'redial')).toEqual([]);
  });
});
