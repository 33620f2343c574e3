// The DLNA renderer kind's manifest: found by SSDP, not mDNS (discover() below, started by server
// discovery like the mDNS browsers), its profile from the Sink list the renderer gave
// (profile.ts), and the descriptor the registry keeps: host and port are those of its description
// URL, which the heartbeat probes like any receiver's control port.
import type { Profile, ReceiverDescriptor } from '../types.js';
import { describeRenderer, idForUdn, knownDevice, rememberDevice, type RendererDevice } from './device.js';
import { defaultProfile, profileFromSink } from './profile.js';
import { searchRenderers } from './ssdp-search.js';

export const name = 'dlna';
/** None: DLNA renderers announce themselves over SSDP (discover()). */
export const serviceTypes = [] as const;
/** libupnp's first port; a config entry should give the description's port. */
export const defaultPort = 49152;

export function describe(): undefined {
  return undefined;
}

export function profileForModel(model?: string | null): Profile {
  return defaultProfile(model ? `${model} (DLNA)` : 'DLNA renderer');
}

export function profileFor(d: ReceiverDescriptor, _item: 'audio' | 'video'): Profile {
  const dev = knownDevice(d.id);
  return dev ? profileFromSink(dev.modelName ? `${d.name} (${dev.modelName})` : d.name, dev.sink) : profileForModel(d.model);
}

export function descriptorFor(dev: RendererDevice, now = Date.now()): ReceiverDescriptor {
  const u = new URL(dev.location);
  const audioOnly = profileFromSink(dev.friendlyName, dev.sink).audioOnly;
  return {
    id: dev.id,
    kind: name,
    name: dev.friendlyName,
    model: dev.modelName,
    host: u.hostname,
    port: Number(u.port || 80),
    type: audioOnly ? 'speaker' : 'tv',
    online: true,
    lastSeen: now,
    source: 'ssdp',
  };
}

export interface KindDiscoveryOptions {
  seen(d: ReceiverDescriptor): void;
  gone(id: string, reason: string): void;
  warn(message: string, fields?: Record<string, string | number>): void;
  refreshMs?: number;
}

/**
 * Searches for renderers and follows their NOTIFYs. A renderer is described (description, SCPD,
 * GetProtocolInfo) when first seen or when its LOCATION changes; later sightings only say it is there.
 */
export function discover(o: KindDiscoveryOptions): { stop(): void } {
  const describing = new Set<string>();
  const failed = new Set<string>();
  const search = searchRenderers({
    refreshMs: o.refreshMs,
    onWarning: (m) => o.warn(m),
    onSighting: (s) => {
      const id = idForUdn(s.udn);
      if (s.kind === 'byebye') return void (knownDevice(id) && o.gone(id, 'said goodbye on SSDP'));
      const location = s.location!;
      const dev = knownDevice(id);
      if (dev?.location === location) return o.seen(descriptorFor(dev));
      if (describing.has(location)) return;
      describing.add(location);
      describeRenderer(location)
        .then((d) => {
          failed.delete(location);
          rememberDevice(d);
          o.seen(descriptorFor(d));
        })
        .catch((e: Error) => {
          if (!failed.has(location)) o.warn('DLNA renderer not usable', { location, reason: e.message });
          failed.add(location);
        })
        .finally(() => describing.delete(location));
    },
  });
  return { stop: () => search.stop() };
}
