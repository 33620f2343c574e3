// SSDP for a UPnP root device (UDA 1.1 §1): NOTIFY ssdp:alive on start, once more a second later
// (UDP is lossy) and every max-age/2; ssdp:byebye on stop; answers M-SEARCH for ssdp:all,
// upnp:rootdevice, the UDN, the device type and each service type (a lower version asked of a
// higher one is answered, §1.3.2), after a random delay up to MX (≤ 5 s). One socket on :1900 joined
// on each LAN interface, one sender per interface; nothing is sent to, or answered for, a
// non-private address, and pending answers are bounded (a flood costs a fixed amount of memory).
import dgram, { type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { isPrivateAddress } from './private-address.js';
import { SERVER_HEADER } from './gena.js';

export const SSDP_ADDRESS = '239.255.255.250';
export const SSDP_PORT = 1900;

export interface LanInterface {
  address: string;
  netmask: string;
}

export interface SsdpDeviceOptions {
  /** `uuid:...` */
  udn: string;
  deviceType: string;
  serviceTypes: string[];
  /** The description's URL as reached through this interface address. */
  location: (interfaceAddress: string) => string;
  maxAgeSeconds?: number;
  server?: string;
  /** IPv4 interfaces to advertise on (read again at each periodic announce); default: lanInterfaces(). */
  interfaces?: () => LanInterface[];
  /** Bound on answers waiting for their MX delay, in all and per asker. */
  maxPending?: number;
  maxPendingPerPeer?: number;
  onWarning?: (msg: string, fields?: Record<string, string | number>) => void;
}

export interface SsdpDevice {
  /** Sends ssdp:alive for every NT now (e.g. after the description changed). */
  announce(): void;
  /** Sends ssdp:byebye and closes the sockets. */
  stop(): Promise<void>;
}

/** Private, non-internal IPv4 addresses of this machine (optionally only `only`). */
export function lanInterfaces(only?: string): LanInterface[] {
  const out: LanInterface[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      if (i.family !== 'IPv4' || i.internal || !isPrivateAddress(i.address)) continue;
      if (only && only !== '0.0.0.0' && only !== i.address) continue;
      out.push({ address: i.address, netmask: i.netmask });
    }
  }
  return out;
}

function toInt(a: string): number {
  return a.split('.').reduce((n, x) => (n << 8) + Number(x), 0) >>> 0;
}

export function sameSubnet(a: string, i: LanInterface): boolean {
  const m = toInt(i.netmask);
  return ((toInt(a) & m) >>> 0) === ((toInt(i.address) & m) >>> 0);
}

/** A target ST and what we answer it with (the asked type/version when we serve that or higher). */
export function matchSearchTarget(st: string, o: Pick<SsdpDeviceOptions, 'udn' | 'deviceType' | 'serviceTypes'>): string[] {
  const all = ['upnp:rootdevice', o.udn, o.deviceType, ...o.serviceTypes];
  if (st === 'ssdp:all') return all;
  if (st === 'upnp:rootdevice' || st === o.udn) return [st];
  const m = /^(urn:[^:]+:(?:device|service):[^:]+):(\d+)$/.exec(st);
  if (!m) return [];
  for (const t of [o.deviceType, ...o.serviceTypes]) {
    const ours = /^(.*):(\d+)$/.exec(t);
    if (ours && ours[1] === m[1] && Number(m[2]) <= Number(ours[2])) return [st];
  }
  return [];
}

function usnFor(udn: string, nt: string): string {
  return nt === udn ? udn : `${udn}::${nt}`;
}

/** Headers of an SSDP message (names upper-cased); undefined when it is not one. */
export function parseSsdp(msg: string): { start: string; headers: Record<string, string> } | undefined {
  const lines = msg.split(/\r?\n/);
  const start = lines[0]?.trim() ?? '';
  if (!start || lines.length > 64) return undefined;
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const c = l.indexOf(':');
    if (c > 0) headers[l.slice(0, c).trim().toUpperCase()] = l.slice(c + 1).trim();
  }
  return { start, headers };
}

export async function startSsdpDevice(opts: SsdpDeviceOptions): Promise<SsdpDevice> {
  const maxAge = opts.maxAgeSeconds ?? 1800;
  const server = opts.server ?? SERVER_HEADER;
  const interfacesOf = opts.interfaces ?? (() => lanInterfaces());
  const maxPending = opts.maxPending ?? 256;
  const maxPerPeer = opts.maxPendingPerPeer ?? 16;
  const nts = ['upnp:rootdevice', opts.udn, opts.deviceType, ...opts.serviceTypes];
  let current: LanInterface[] = [];
  const senders = new Map<string, Socket>();
  const pending = new Map<NodeJS.Timeout, string>();
  let stopped = false;

  const listener = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  listener.on('error', (e) => opts.onWarning?.('ssdp socket error', { reason: e.message }));
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.bind(SSDP_PORT, () => (listener.off('error', reject), resolve()));
  });

  const refresh = async (): Promise<void> => {
    const next = interfacesOf().filter((i) => isPrivateAddress(i.address));
    for (const i of next) {
      if (senders.has(i.address)) continue;
      try {
        listener.addMembership(SSDP_ADDRESS, i.address);
      } catch (e) {
        opts.onWarning?.('ssdp join failed', { address: i.address, reason: (e as Error).message });
        continue;
      }
      const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
      s.on('error', (e) => opts.onWarning?.('ssdp sender error', { address: i.address, reason: e.message }));
      await new Promise<void>((resolve) => s.bind(0, i.address, () => resolve()));
      s.setMulticastInterface(i.address);
      s.setMulticastTTL(2);
      s.setMulticastLoopback(true);
      senders.set(i.address, s);
    }
    for (const [addr, s] of senders) {
      if (next.some((i) => i.address === addr)) continue;
      senders.delete(addr);
      s.close();
      try {
        listener.dropMembership(SSDP_ADDRESS, addr);
      } catch {
        /* the interface is gone */
      }
    }
    current = next;
  };

  const notify = (kind: 'alive' | 'byebye'): Promise<void> => {
    const sends: Promise<void>[] = [];
    for (const [addr, s] of senders) {
      for (const nt of nts) {
        const lines = ['NOTIFY * HTTP/1.1', `HOST: ${SSDP_ADDRESS}:${SSDP_PORT}`];
        if (kind === 'alive') lines.push(`CACHE-CONTROL: max-age=${maxAge}`, `LOCATION: ${opts.location(addr)}`, `SERVER: ${server}`);
        lines.push(`NT: ${nt}`, `NTS: ssdp:${kind}`, `USN: ${usnFor(opts.udn, nt)}`, '', '');
        sends.push(new Promise((resolve) => s.send(lines.join('\r\n'), SSDP_PORT, SSDP_ADDRESS, () => resolve())));
      }
    }
    return Promise.all(sends).then(() => undefined);
  };

  const reply = (to: { address: string; port: number }, sts: string[]) => {
    if (stopped) return;
    const iface = current.find((i) => i.address === to.address) ?? current.find((i) => sameSubnet(to.address, i)) ?? current[0];
    if (!iface) return;
    for (const st of sts) {
      const msg = ['HTTP/1.1 200 OK', `CACHE-CONTROL: max-age=${maxAge}`, `DATE: ${new Date().toUTCString()}`, 'EXT:', `LOCATION: ${opts.location(iface.address)}`, `SERVER: ${server}`, `ST: ${st}`, `USN: ${usnFor(opts.udn, st)}`, 'Content-Length: 0', '', ''].join('\r\n');
      listener.send(msg, to.port, to.address);
    }
  };

  listener.on('message', (buf, rinfo) => {
    if (stopped || buf.length > 2048 || !isPrivateAddress(rinfo.address)) return;
    const m = parseSsdp(buf.toString('latin1'));
    if (!m || !/^M-SEARCH \* HTTP\/1\.[01]$/i.test(m.start) || m.headers.MAN?.replace(/"/g, '') !== 'ssdp:discover') return;
    const sts = matchSearchTarget(m.headers.ST ?? '', opts);
    if (sts.length === 0) return;
    if (pending.size >= maxPending) return;
    let mine = 0;
    for (const peer of pending.values()) if (peer === rinfo.address && ++mine >= maxPerPeer) return;
    // Unicast searches carry no MX and want an answer at once (UDA 1.1 §1.3.3).
    const mx = Math.max(0, Math.min(5, Number(m.headers.MX) || 0));
    const t = setTimeout(() => (pending.delete(t), reply(rinfo, sts)), Math.floor(Math.random() * mx * 1000));
    pending.set(t, rinfo.address);
  });

  await refresh();
  void notify('alive');
  const again = setTimeout(() => void notify('alive'), 1000);
  const every = setInterval(() => void refresh().then(() => notify('alive')), (maxAge / 2) * 1000);
  again.unref();
  every.unref();

  return {
    announce: () => void notify('alive'),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(again);
      clearInterval(every);
      for (const t of pending.keys()) clearTimeout(t);
      pending.clear();
      await notify('byebye');
      for (const s of senders.values()) s.close();
      senders.clear();
      listener.close();
    },
  };
}
