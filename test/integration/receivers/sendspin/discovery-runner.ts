// Our Sendspin server as the main program will run it, inside a test network namespace: listening
// on argv[2]:8927, advertising `_sendspin-server._tcp`, and browsing `_sendspin._tcp` (bonjour-service,
// as server/discovery does) to connect to each player found (describe + connectUrl + connectTo).
// stdout: one JSON line per event; stops on SIGTERM.
import { Bonjour, type Service } from 'bonjour-service';
import { advertiseSendspinServer } from '../../../../receivers/sendspin/advert.js';
import { connectUrl, describe, serviceTypes } from '../../../../receivers/sendspin/describe.js';
import { SendspinServer } from '../../../../receivers/sendspin/server.js';

const host = process.argv[2];
if (!host) throw new Error('usage: discovery-runner.js <address>');
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

const server = new SendspinServer({ id: 'hc-netns', name: 'Homecast Test', log: (l) => out({ event: 'log', ...l }) });
const { port } = await server.listen({ host });
server.on('player', (d) => out({ event: 'player', descriptor: d }));
server.on('playerGone', (id, reason) => out({ event: 'playerGone', id, reason }));
const advert = await advertiseSendspinServer({ name: 'Homecast Test', port, addresses: [host], hostLabel: 'homecast-test', interface: host });
const bonjour = new Bonjour();
const browser = bonjour.find({ type: serviceTypes[0] });
browser.on('up', (s: Service) => {
  const d = describe({ name: s.name, type: s.type, host: s.host, port: s.port, addresses: s.addresses ?? [], txt: s.txt as Record<string, unknown> });
  out({ event: 'found', descriptor: d ?? null });
  if (!d) return;
  server.connectTo(connectUrl(d)).then(
    (id) => out({ event: 'connected', id, url: connectUrl(d) }),
    (err: Error) => out({ event: 'connect-failed', error: err.message }),
  );
});
out({ event: 'ready', port });
// `connect <url>`: what the main program does when discovery sees a player again.
process.stdin.on('data', (d: Buffer) => {
  const [cmd, url] = d.toString().trim().split(/\s+/);
  if (cmd === 'connect' && url) server.connectTo(url).then((id) => out({ event: 'connected', id, url, again: true }), (err: Error) => out({ event: 'connect-failed', error: err.message }));
});
process.on('SIGTERM', () => {
  browser.stop();
  void Promise.all([advert.close(), server.close()]).then(() => bonjour.destroy(() => process.exit(0)));
});
