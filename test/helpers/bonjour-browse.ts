// A Node mDNS browser (bonjour-service, as the server's discovery) for one service type given as
// argv[2] ('googlecast', 'raop', ...), run as a child process inside a test network namespace.
// Prints one JSON line per service that comes up or goes down (a goodbye); stops on SIGTERM.
import { Bonjour, type Service } from 'bonjour-service';

const type = process.argv[2];
if (!type) throw new Error('usage: bonjour-browse.js <service type>');
const bonjour = new Bonjour();
const browser = bonjour.find({ type });
const print = (event: string, s: Service) =>
  process.stdout.write(`${JSON.stringify({ event, name: s.name, type: s.type, fqdn: s.fqdn, host: s.host, port: s.port, addresses: s.addresses ?? [], txt: s.txt ?? {} })}\n`);
browser.on('up', (s: Service) => print('up', s));
browser.on('down', (s: Service) => print('down', s));
process.stdout.write(`${JSON.stringify({ event: 'browsing' })}\n`);
process.on('SIGTERM', () => {
  browser.stop();
  bonjour.destroy(() => process.exit(0));
});
