// The receivers we know of, from mDNS, the config's manual list, or the demo. One entry per
// descriptor id; a receiver that stops answering is kept and marked offline (its queue and
// sessions refer to it by id), and comes back online when it is seen again.
// One device may announce several services under one id; each sighting is merged into what is
// known (see merge()).
import { EventEmitter } from 'node:events';
import type { ReceiverDescriptor } from '../../receivers/types.js';

export interface RegistryEvents {
  /** A receiver appeared, changed (address, name) or went on/offline. */
  changed: [ReceiverDescriptor];
  removed: [string];
}

export class ReceiverRegistry extends EventEmitter<RegistryEvents> {
  private byId = new Map<string, ReceiverDescriptor & { offlineReason?: string }>();

  list(): ReceiverDescriptor[] {
    return [...this.byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): ReceiverDescriptor | undefined {
    return this.byId.get(id);
  }

  /** Finds by id, or by name case-insensitively (for the CLI and manual use). */
  find(idOrName: string): ReceiverDescriptor | undefined {
    const lower = idOrName.toLowerCase();
    return this.byId.get(idOrName) ?? this.list().find((d) => d.name.toLowerCase() === lower);
  }

  /** A sighting: adds, updates, or brings back online. Emits only when something changed. */
  seen(d: ReceiverDescriptor): void {
    const old = this.byId.get(d.id);
    // A manual entry stays manual even when mDNS also finds it.
    const next = { ...merge(old, d), online: true, source: old?.source === 'config' ? old.source : d.source };
    this.byId.set(d.id, next);
    if (!old || differs(old, next)) this.emit('changed', next);
  }

  /** A receiver made here, not seen on the network (a group): kept as given, always announced. */
  put(d: ReceiverDescriptor): void {
    this.byId.set(d.id, d);
    this.emit('changed', d);
  }

  markOffline(id: string, reason: string): void {
    const d = this.byId.get(id);
    if (!d || !d.online) return;
    const next = { ...d, online: false, offlineReason: reason };
    this.byId.set(id, next);
    this.emit('changed', next);
  }

  markOnline(id: string): void {
    const d = this.byId.get(id);
    if (!d || d.online) return;
    const { offlineReason: _gone, ...rest } = d;
    const next = { ...rest, online: true, lastSeen: Date.now() };
    this.byId.set(id, next);
    this.emit('changed', next);
  }

  remove(id: string): void {
    if (this.byId.delete(id)) this.emit('removed', id);
  }
}

/**
 * A new sighting of a known receiver: the union of both endpoints, 'tv' over 'speaker' (a screen
 * seen on one service is still there), the model (and its name) from whichever has one, needsPassword from the
 * sighting that says it. host/port stay those of the main service when the new sighting is only
 * a secondary one (the kind's describe() says which), so the heartbeat keeps probing the main one.
 */
export function merge(old: ReceiverDescriptor | undefined, d: ReceiverDescriptor): ReceiverDescriptor {
  if (!old?.endpoints || !d.endpoints) return d;
  const endpoints = { ...old.endpoints, ...d.endpoints };
  const type = old.type === 'tv' || d.type === 'tv' ? 'tv' : d.type;
  const needsPassword = d.needsPassword ?? old.needsPassword;
  const keepAddress = d.secondary === true && old.secondary !== true;
  const { secondary: _s, ...rest } = d;
  return {
    ...rest,
    endpoints,
    type,
    model: d.model ?? old.model,
    ...(!d.model && old.modelName ? { modelName: old.modelName } : {}),
    ...(keepAddress ? { host: old.host, port: old.port } : {}),
    ...(d.secondary && old.secondary ? { secondary: true } : {}),
    ...(needsPassword !== undefined ? { needsPassword } : {}),
  };
}

function sameEndpoints(a: Record<string, number> | undefined, b: Record<string, number> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a![k] === b?.[k]);
}

function differs(a: ReceiverDescriptor, b: ReceiverDescriptor): boolean {
  return a.online !== b.online || a.host !== b.host || a.port !== b.port || a.name !== b.name || a.model !== b.model || a.type !== b.type
    || a.needsPassword !== b.needsPassword || !sameEndpoints(a.endpoints, b.endpoints);
}
