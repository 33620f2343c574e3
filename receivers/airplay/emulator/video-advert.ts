// Advertises the emulated Apple TV as `_airplay._tcp` with raw multicast-dns: every answer to a PTR
// query carries PTR + SRV + TXT + A in one packet, with the address we were given (bonjour-service's
// publish() picks its own and leaves loopback out). TXT as an Apple TV 3 sends it [PROTOCOLS.md §4;
// airplay-spec service_discovery.md]. A goodbye (TTL 0) on close so browsers drop us at once.
import makeMdns from 'multicast-dns';
import type { Answer, Question } from 'dns-packet';

export interface VideoAdvertOptions {
  /** Instance name (what a sender lists). */
  name: string;
  model: string;
  /** MAC with colons (TXT deviceid). */
  deviceId: string;
  features: string;
  srcvers: string;
  port: number;
  addresses: string[];
  /** Interface address to join the group on; all interfaces when absent. */
  interface?: string;
  onWarning?: (line: string) => void;
}

const SERVICE = '_airplay._tcp.local';
const META = '_services._dns-sd._udp.local';
const TTL = 120;

export async function startVideoAdvert(opts: VideoAdvertOptions): Promise<{ close(): Promise<void> }> {
  const fqdn = `${opts.name}.${SERVICE}`;
  const host = `${opts.deviceId.replace(/:/g, '')}.local`;
  const txt = [`deviceid=${opts.deviceId}`, `features=${opts.features}`, `model=${opts.model}`, `srcvers=${opts.srcvers}`, 'flags=0x4', 'vv=2'];
  const records = (ttl: number) => ({
    ptr: { name: SERVICE, type: 'PTR', ttl, data: fqdn } as Answer,
    srv: { name: fqdn, type: 'SRV', ttl, flush: true, data: { port: opts.port, target: host, priority: 0, weight: 0 } } as Answer,
    txt: { name: fqdn, type: 'TXT', ttl, flush: true, data: txt } as Answer,
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
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(again);
      await announce(0);
      await new Promise<void>((resolve) => mdns.destroy(() => resolve()));
    },
  };
}
