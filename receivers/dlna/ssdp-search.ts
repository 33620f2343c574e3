// Finding renderers (UPnP Device Architecture 1.0 §1): M-SEARCH for MediaRenderer:1 from one socket
// per LAN address (answers come back unicast to it), repeated every `refreshMs` as a heartbeat of
// sorts, and the NOTIFYs renderers multicast on 239.255.255.250:1900 (alive: seen, byebye: gone).
// Only messages whose LOCATION points at the sender are followed: a spoofed NOTIFY cannot make us
// fetch from another host. Parsing and SSDP constants are the device side's (receivers/shared/upnp).
import { createSocket, type Socket } from 'node:dgram';
import { lanInterfaces, parseSsdp, SSDP_ADDRESS, SSDP_PORT } from '../shared/upnp/ssdp.js';
import { MEDIA_RENDERER } from './device.js';

export interface SsdpSighting {
  kind: 'alive' | 'byebye';
  /** `uuid:…` from the USN. */
  udn: string;
  location: string | null;
  /** Sender address. */
  from: string;
  maxAge: number | null;
}

/** A search answer or NOTIFY about a MediaRenderer:1 → sighting; undefined for anything else. */
export function rendererSighting(msg: Buffer | string, from: string): SsdpSighting | undefined {
  const m = parseSsdp(typeof msg === 'string' ? msg : msg.toString('utf8'));
  if (!m) return undefined;
  const h = m.headers;
  const isAnswer = /^HTTP\/1\.[01] 200/i.test(m.start);
  const isNotify = /^NOTIFY \* HTTP\/1\.[01]$/i.test(m.start);
  if (!isAnswer && !isNotify) return undefined;
  const type = isAnswer ? h.ST : h.NT;
  const udn = /^(uuid:[^:\s]+)/i.exec(h.USN ?? '')?.[1];
  if (!udn) return undefined;
  const byebye = isNotify && h.NTS === 'ssdp:byebye';
  // A byebye for any of the device's USNs means the device is leaving; alive only for the renderer type.
  if (!byebye && type !== MEDIA_RENDERER) return undefined;
  let location: string | null = null;
  if (!byebye) {
    try {
      const u = new URL(h.LOCATION ?? '');
      if (u.protocol !== 'http:' || u.hostname !== from) return undefined;
      location = u.toString();
    } catch {
      return undefined;
    }
  }
  const maxAge = Number(/max-age\s*=\s*(\d+)/i.exec(h['CACHE-CONTROL'] ?? '')?.[1]);
  return { kind: byebye ? 'byebye' : 'alive', udn, location, from, maxAge: Number.isFinite(maxAge) ? maxAge : null };
}

export function mSearch(st: string, mx = 2): string {
  return ['M-SEARCH * HTTP/1.1', `HOST: ${SSDP_ADDRESS}:${SSDP_PORT}`, 'MAN: "ssdp:discover"', `MX: ${mx}`, `ST: ${st}`, 'USER-AGENT: Node/homecast UPnP/1.0 homecast/1', '', ''].join('\r\n');
}

export interface RendererSearchOptions {
  onSighting(s: SsdpSighting): void;
  onWarning?(message: string): void;
  /** Between searches (default 30 s). */
  refreshMs?: number;
  /** Addresses to search from (default: every private LAN IPv4 address). */
  addresses?: string[];
}

export function searchRenderers(o: RendererSearchOptions): { stop(): void; searchNow(): void } {
  const sockets: Socket[] = [];
  const onMessage = (msg: Buffer, rinfo: { address: string }) => {
    const s = rendererSighting(msg, rinfo.address);
    if (s) o.onSighting(s);
  };
  // NOTIFYs: the shared port, with every other UPnP program on this host (SO_REUSEADDR).
  const listener = createSocket({ type: 'udp4', reuseAddr: true });
  listener.on('message', onMessage);
  listener.on('error', (e) => o.onWarning?.(`SSDP listener: ${e.message} (renderers are still found by searching)`));
  const addresses = o.addresses ?? lanInterfaces().map((i) => i.address);
  listener.bind(SSDP_PORT, () => {
    for (const a of addresses) {
      try {
        listener.addMembership(SSDP_ADDRESS, a);
      } catch (e) {
        o.onWarning?.(`SSDP: cannot join ${SSDP_ADDRESS} on ${a}: ${(e as Error).message}`);
      }
    }
  });
  sockets.push(listener);
  const searchers = addresses.map((a) => {
    const s = createSocket({ type: 'udp4' });
    s.on('message', onMessage);
    s.on('error', (e) => o.onWarning?.(`SSDP search from ${a}: ${e.message}`));
    s.bind(0, a, () => {
      s.setMulticastTTL(2);
      search(s);
    });
    sockets.push(s);
    return s;
  });
  if (!addresses.length) o.onWarning?.('SSDP: no LAN IPv4 address to search for DLNA renderers from');
  function search(s: Socket): void {
    const msg = Buffer.from(mSearch(MEDIA_RENDERER));
    // Twice: UDP may lose one (UDA 1.0 §1.1.2 suggests repeating).
    for (const delay of [0, 300]) setTimeout(() => s.send(msg, SSDP_PORT, SSDP_ADDRESS, () => undefined), delay).unref();
  }
  const searchAll = () => searchers.forEach((s) => {
    try {
      search(s);
    } catch {
      /* not bound yet: its bind callback searches */
    }
  });
  const timer = setInterval(searchAll, o.refreshMs ?? 30_000);
  timer.unref();
  return {
    searchNow: searchAll,
    stop() {
      clearInterval(timer);
      for (const s of sockets) s.close();
    },
  };
}
