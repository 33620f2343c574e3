// Browses mDNS for every service type that a receiver kind declares (receivers/index.ts) and
// hands each record to that kind's describe(). Knows no protocol by name.
// bonjour-service's browser reports a service once and never again while it is cached, so a
// fresh browser is started every refresh period: devices that came back or moved are seen anew.
import { Bonjour, type Browser, type Service } from 'bonjour-service';
import type { ReceiverKind } from '../../receivers/index.js';
import type { Logger } from '../util/log.js';
import type { ReceiverRegistry } from './registry.js';

export interface MdnsDiscoveryOptions {
  kinds: readonly ReceiverKind[];
  registry: ReceiverRegistry;
  log: Logger;
  refreshMs?: number;
}

export function startMdnsDiscovery(o: MdnsDiscoveryOptions): { stop(): void } {
  const bonjour = new Bonjour(undefined, (err: Error) => o.log.warn('mdns error', { reason: err.message }));
  let browsers: Browser[] = [];
  const browse = () => {
    const old = browsers;
    browsers = o.kinds.flatMap((kind) =>
      kind.serviceTypes.map((type) => {
        const b = bonjour.find({ type });
        const onRecord = (s: Service) => {
          const d = kind.describe(s);
          if (d) o.registry.seen(d);
        };
        b.on('up', onRecord);
        b.on('txt-update', onRecord);
        b.on('srv-update', onRecord);
        b.on('down', (s: Service) => {
          const d = kind.describe(s);
          if (d) o.registry.markOffline(d.id, 'said goodbye on mDNS');
        });
        return b;
      }),
    );
    for (const b of old) b.stop();
  };
  browse();
  const timer = setInterval(browse, o.refreshMs ?? 30_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      for (const b of browsers) b.stop();
      bonjour.destroy();
    },
  };
}
