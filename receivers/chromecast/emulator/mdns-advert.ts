// Advertises the emulator as `_googlecast._tcp` with raw multicast-dns: every answer to a PTR query
// carries PTR + SRV + TXT + A in one packet. bonjour-service's publish() cannot do this: it leaves
// loopback addresses out and picks its own, so python-zeroconf (pychromecast) cannot resolve the
// service [PROTOCOLS.md §2]. Sends a goodbye (TTL 0) on close so browsers drop us at once.
// Bound to 0.0.0.0: a socket bound to the interface address receives no multicast.
import makeMdns from 'multicast-dns';
import type { Answer, Question } from 'dns-packet';

export interface AdvertOptions {
  /** TXT fn. */
  name: string;
  /** TXT md. */
  model: string;
  /** 32 hex digits (TXT id). */
  id: string;
  /** TXT ca (capability bits). */
  ca: number;
  port: number;
  /** IPv4 addresses for the A records. */
  addresses: string[];
  /** Interface address to join the group on; all interfaces when absent. */
  interface?: string;
  onWarning?: (line: string) => void;
}

export interface Advert {
  /** Instance name, `<Model>-<id>`. */
  readonly instance: string;
  /** Re-announces with a new status (st, rs) after an app starts or stops. */
  setStatus(busy: boolean, statusText: string): void;
  close(): Promise<void>;
}

const SERVICE = '_googlecast._tcp.local';
const META = '_services._dns-sd._udp.local';
const TTL = 120;

export async function startAdvert(opts: AdvertOptions): Promise<Advert> {
  const label = `${opts.model}-${opts.id}`.replace(/[\s.]+/g, '-');
  const fqdn = `${label}.${SERVICE}`;
  const host = `${opts.id}.local`;
  let status = { busy: false, text: '' };

  const txt = (): string[] => {
    const t = [`id=${opts.id}`, `cd=${opts.id.toUpperCase()}`, 've=05', `md=${opts.model}`, 'ic=/setup/icon.png', `fn=${opts.name}`, `ca=${opts.ca}`, `st=${status.busy ? 1 : 0}`, `bs=FA${opts.id.slice(0, 10).toUpperCase()}`, 'nf=1'];
    // bonjour-service turns an empty value into a mangled key: leave `rs` out when there is no text.
    if (status.text) t.push(`rs=${status.text}`);
    return t;
  };
  const records = (ttl: number) => ({
    ptr: { name: SERVICE, type: 'PTR', ttl, data: fqdn } as Answer,
    srv: { name: fqdn, type: 'SRV', ttl, flush: true, data: { port: opts.port, target: host, priority: 0, weight: 0 } } as Answer,
    txt: { name: fqdn, type: 'TXT', ttl, flush: true, data: txt() } as Answer,
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
    instance: label,
    setStatus(busy, text) {
      status = { busy, text };
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
