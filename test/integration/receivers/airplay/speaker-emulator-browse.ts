// A Node mDNS browser (bonjour-service, as the server's discovery) looking for `_raop._tcp`, run
// as a child process inside a test network namespace. Prints one JSON line per service that comes
// up or goes down (a goodbye); stops on SIGTERM.
import { Bonjour, type Service } from 'bonjour-service';

const bonjour = new Bonjour();
const browser = bonjour.find({ type: 'raop' });
const print = (event: string, s: Service) =>
  process.stdout.write(`${JSON.stringify({ event, name: s.name, type: s.type, host: s.host, port: s.port, addresses: s.addresses ?? [], txt: s.txt ?? {} })}\n`);
browser.on('up', (s: Service) => print('up', s));
browser.on('down', (s: Service) => print('down', s));
process.stdout.write(`${JSON.stringify({ event: 'browsing' })}\n`);
process.on('SIGTERM', () => {
  browser.stop();
  bonjour.destroy(() => process.exit(0));
});
