// The server's own mDNS advert for clients that connect to it (spec "Client Initiated
// Connections"): `_sendspin-server._tcp`, its port, TXT `path` and `name`.
import { startServiceAdvert, type ServiceAdvert } from '../shared/mdns-advert.js';
import { DEFAULT_PATH } from './server.js';

export interface SendspinServerAdvertOptions {
  /** Instance name (the server's friendly name). */
  name: string;
  port: number;
  path?: string;
  /** IPv4 addresses clients reach the server at. */
  addresses: string[];
  /** Host label for the SRV target; `<label>.local`. */
  hostLabel: string;
  /** Interface address to multicast on; all when absent. */
  interface?: string;
  onWarning?: (line: string) => void;
}

export function advertiseSendspinServer(o: SendspinServerAdvertOptions): Promise<ServiceAdvert> {
  return startServiceAdvert({
    service: '_sendspin-server._tcp.local',
    instance: o.name,
    host: `${o.hostLabel}.local`,
    port: o.port,
    txt: () => [`path=${o.path ?? DEFAULT_PATH}`, `name=${o.name}`],
    addresses: o.addresses,
    ...(o.interface ? { interface: o.interface } : {}),
    ...(o.onWarning ? { onWarning: o.onWarning } : {}),
  });
}
