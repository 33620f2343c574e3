// Starts discovery: manual receivers from the config, mDNS browsers for every registered kind,
// the SSDP search of kinds that have one (DLNA renderers),
// and the heartbeat that marks receivers offline and back online.
import { kinds } from '../../receivers/index.js';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../util/log.js';
import { startLiveness } from './liveness.js';
import { manualDescriptors } from './manual.js';
import { startMdnsDiscovery } from './mdns.js';
import { ReceiverRegistry } from './registry.js';

export interface Discovery {
  registry: ReceiverRegistry;
  /** Turns mDNS browsing and the SSDP search on or off (the owner's settings), at once. */
  setMulticast(d: { mdns: boolean; ssdp: boolean }): void;
  /** The receivers added by address now: new ones appear, removed ones go. */
  setManual(list: Config['receivers']): void;
  stop(): void;
}

/** SSDP (DLNA renderers) follows `mdns` unless set: a server told not to multicast sends neither. */
export function ssdpOn(d: Pick<Config['discovery'], 'mdns' | 'ssdp'>): boolean {
  return d.ssdp ?? d.mdns;
}

export function startDiscovery(config: Pick<Config, 'receivers' | 'discovery'>, log: Logger): Discovery {
  const registry = new ReceiverRegistry();
  // Groups are made here, not discovered (server/groups logs them); their member states change often.
  // The registry keeps why a receiver went offline (a goodbye, a missed heartbeat) beside the descriptor.
  const reason = (d: ReceiverDescriptor) => (d as { offlineReason?: string }).offlineReason;
  registry.on('changed', (d) => d.source !== 'group' && log.info(d.online ? 'receiver online' : 'receiver offline', { id: d.id, name: d.name, kind: d.kind, type: d.type, host: d.host, port: d.port, ...(!d.online && reason(d) ? { reason: reason(d) } : {}) }));
  let manual = manualDescriptors(config.receivers, kinds);
  for (const d of manual) registry.seen(d);
  const startMdns = () => startMdnsDiscovery({ kinds, registry, log });
  const startSsdp = () => {
    log.info('ssdp search started', { kinds: kinds.filter((k) => 'discover' in k).map((k) => k.name).join(',') });
    return kinds.flatMap((k) => ('discover' in k ? [k.discover({ seen: (d) => registry.seen(d), gone: (id, reason) => registry.markOffline(id, reason), warn: (m, f) => log.warn(m, f) })] : []));
  };
  let mdns = config.discovery.mdns ? startMdns() : undefined;
  let ssdp = ssdpOn(config.discovery) ? startSsdp() : undefined;
  const liveness = startLiveness({ registry, intervalMs: config.discovery.heartbeatSeconds * 1000 });
  return {
    registry,
    setMulticast(d) {
      if (d.mdns && !mdns) mdns = startMdns();
      if (!d.mdns && mdns) (mdns.stop(), (mdns = undefined), log.info('mdns discovery stopped'));
      if (d.ssdp && !ssdp) ssdp = startSsdp();
      if (!d.ssdp && ssdp) (ssdp.forEach((x) => x.stop()), (ssdp = undefined), log.info('ssdp search stopped'));
    },
    setManual(list) {
      const next = manualDescriptors(list, kinds);
      for (const d of manual) if (!next.some((n) => n.id === d.id)) registry.remove(d.id);
      for (const d of next) registry.seen(d);
      manual = next;
    },
    stop() {
      mdns?.stop();
      for (const s of ssdp ?? []) s.stop();
      liveness.stop();
    },
  };
}
