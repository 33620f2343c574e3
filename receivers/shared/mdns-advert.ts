// One DNS-SD service advertised with raw multicast-dns, shared by the emulators (Chromecast, AirPlay
// video, RAOP speaker). Every answer to a PTR query carries PTR + SRV + TXT + A in one packet, with
// the addresses we were given: bonjour-service's publish() leaves loopback out and picks its own, so
// python-zeroconf and others cannot resolve the service [docs/protocols.md §2]. Legacy resolvers get a
// unicast reply; a goodbye (TTL 0) on close so browsers drop us at once.
import makeMdns from 'multicast-dns';
import type { Answer, Question } from 'dns-packet';

export interface ServiceAdvertOptions {
  /** Service type with `.local`, e.g. `_googlecast._tcp.local`. */
  service: string;
  /** Instance label (first DNS label of the service name). */
  instance: string;
  /** Host name for SRV target and A records, e.g. `<id>.local`. */
  host: string;
  port: number;
  /** TXT strings; read on every answer so they may change (see announce()). */
  txt: () => string[];
  /** IPv4 addresses for the A records. */
  addresses: string[];
  /** Interface address to join the group on; all interfaces when absent. */
  interface?: string;
  onWarning?: (line: string) => void;
}

export interface ServiceAdvert {
  /** Sends the records again (after the TXT changed). No-op once closed. */
  announce(): void;
  close(): Promise<void>;
}

const META = '_services._dns-sd._udp.local';
const TTL = 120;

export async function startServiceAdvert(opts: ServiceAdvertOptions): Promise<ServiceAdvert> {
  const { service, host } = opts;
  const fqdn = `${opts.instance}.${service}`;
  const records = (ttl: number) => ({
    ptr: { name: service, type: 'PTR', ttl, data: fqdn } as Answer,
    srv: { name: fqdn, type: 'SRV', ttl, flush: true, data: { port: opts.port, target: host, priority: 0, weight: 0 } } as Answer,
    txt: { name: fqdn, type: 'TXT', ttl, flush: true, data: opts.txt() } as Answer,
    a: opts.addresses.map((address) => ({ name: host, type: 'A', ttl, flush: true, data: address }) as Answer),
  });

  // Bound to 0.0.0.0: a socket bound to the interface address receives no multicast.
  const mdns = makeMdns({ interface: opts.interface, bind: '0.0.0.0', reuseAddr: true, loopback: true });
  mdns.on('warning', (err: Error) => opts.onWarning?.(`mdns: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    mdns.once('ready', resolve);
    mdns.once('error', reject);
  });
  mdns.on('error', (err: Error) => opts.onWarning?.(`mdns: ${err.message}`));

  const answersFor = (q: Question): { answers: Answer[]; additionals: Answer[] } => {
    const r = records(TTL);
    const name = q.name.toLowerCase().replace(/\.$/, '');
    const any = (q.type as string) === 'ANY';
    if (name === service && (any || q.type === 'PTR')) return { answers: [r.ptr], additionals: [r.srv, r.txt, ...r.a] };
    if (name === META && (any || q.type === 'PTR')) return { answers: [{ name: META, type: 'PTR', ttl: TTL, data: service }], additionals: [] };
    if (name === fqdn.toLowerCase()) {
      const answers = [...(any || q.type === 'SRV' ? [r.srv] : []), ...(any || q.type === 'TXT' ? [r.txt] : [])];
      return { answers, additionals: answers.length ? r.a : [] };
    }
    if (name === host.toLowerCase() && (any || q.type === 'A')) return { answers: r.a, additionals: [] };
    return { answers: [], additionals: [] };
  };

  mdns.on('query', (query, rinfo) => {
    const answers: Answer[] = [];
    const additionals: Answer[] = [];
    for (const q of query.questions) {
      const r = answersFor(q);
      answers.push(...r.answers);
      additionals.push(...r.additionals);
    }
    if (!answers.length) return;
    // A legacy resolver (source port ≠ 5353) wants a unicast reply echoing its id and questions (RFC 6762 §6.7).
    if (rinfo.port !== 5353) mdns.respond({ id: query.id, questions: query.questions, answers, additionals }, { port: rinfo.port, address: rinfo.address });
    else mdns.respond({ answers, additionals });
  });

  const announce = (ttl: number): Promise<void> => {
    const r = records(ttl);
    return new Promise((resolve) => mdns.respond({ answers: [r.ptr, r.srv, r.txt, ...r.a] }, () => resolve()));
  };
  await announce(TTL);
  // RFC 6762 §8.3: announce at least twice, one second apart.
  const again = setTimeout(() => void announce(TTL), 1000);
  again.unref();

  let closed = false;
  return {
    announce() {
      if (!closed) void announce(TTL);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(again);
      await announce(0);
      await new Promise<void>((resolve) => mdns.destroy(() => resolve()));
    },
  };
}
