// Advertises the speaker as `_raop._tcp` with raw multicast-dns, the way the software Chromecast
// does (receivers/chromecast/emulator/mdns-advert.ts: every answer carries PTR + SRV + TXT + A,
// legacy resolvers get a unicast reply, goodbye with TTL 0 on close). Instance `<12 HEX>@<Name>`,
// TXT as shairport-sync 3.3.8 sends it (PROTOCOLS.md §5) except `et=0` alone: we cannot decrypt.
import makeMdns from 'multicast-dns';
import type { Answer, Question } from 'dns-packet';

export interface RaopAdvertOptions {
  name: string;
  /** 12 hex digits (the MAC of a real device). */
  id: string;
  port: number;
  password: boolean;
  /** IPv4 addresses for the A records. */
  addresses: string[];
  /** Interface address to join the group on; all interfaces when absent. */
  interface?: string;
  onWarning?: (line: string) => void;
}

export interface RaopAdvert {
  /** `<ID>@<Name>`. */
  readonly instance: string;
  close(): Promise<void>;
}

const SERVICE = '_raop._tcp.local';
const META = '_services._dns-sd._udp.local';
const TTL = 120;

export function raopTxt(password: boolean): string[] {
  return ['txtvers=1', 'ch=2', 'cn=0,1', 'da=true', 'et=0', 'md=0,1,2', `pw=${password}`, 'sr=44100', 'ss=16', 'sv=false', 'tp=UDP', 'vn=65537', 'vs=105.1', 'am=HomecastSpeaker', 'sf=0x4'];
}

export async function startRaopAdvert(opts: RaopAdvertOptions): Promise<RaopAdvert> {
  // A dot would split the DNS label; nothing else in a name needs escaping.
  const instance = `${opts.id}@${opts.name.replace(/\./g, ' ')}`;
  const fqdn = `${instance}.${SERVICE}`;
  const host = `homecast-${opts.id.toLowerCase()}.local`;
  const records = (ttl: number) => ({
    ptr: { name: SERVICE, type: 'PTR', ttl, data: fqdn } as Answer,
    srv: { name: fqdn, type: 'SRV', ttl, flush: true, data: { port: opts.port, target: host, priority: 0, weight: 0 } } as Answer,
    txt: { name: fqdn, type: 'TXT', ttl, flush: true, data: raopTxt(opts.password) } as Answer,
    a: opts.addresses.map((address) => ({ name: host, type: 'A', ttl, flush: true, data: address }) as Answer),
  });

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
    if (name === SERVICE && (any || q.type === 'PTR')) return { answers: [r.ptr], additionals: [r.srv, r.txt, ...r.a] };
    if (name === META && (any || q.type === 'PTR')) return { answers: [{ name: META, type: 'PTR', ttl: TTL, data: SERVICE }], additionals: [] };
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
    instance,
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(again);
      await announce(0);
      await new Promise<void>((resolve) => mdns.destroy(() => resolve()));
    },
  };
}
