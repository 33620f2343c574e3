// Advertises the speaker as `_raop._tcp` (records and answering in receivers/shared/mdns-advert.ts,
// as for the software Chromecast). Instance `<12 HEX>@<Name>`, TXT as shairport-sync 3.3.8 sends it
// (docs/protocols.md §5) except `et=0` alone: we cannot decrypt.
import { startServiceAdvert } from '../../../shared/mdns-advert.js';

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

export function raopTxt(password: boolean): string[] {
  return ['txtvers=1', 'ch=2', 'cn=0,1', 'da=true', 'et=0', 'md=0,1,2', `pw=${password}`, 'sr=44100', 'ss=16', 'sv=false', 'tp=UDP', 'vn=65537', 'vs=105.1', 'am=HomecastSpeaker', 'sf=0x4'];
}

export async function startRaopAdvert(opts: RaopAdvertOptions): Promise<RaopAdvert> {
  // A dot would split the DNS label; nothing else in a name needs escaping.
  const instance = `${opts.id}@${opts.name.replace(/\./g, ' ')}`;
  const advert = await startServiceAdvert({
    service: '_raop._tcp.local',
    instance,
    host: `homecast-${opts.id.toLowerCase()}.local`,
    port: opts.port,
    txt: () => raopTxt(opts.password),
    addresses: opts.addresses,
    interface: opts.interface,
    onWarning: opts.onWarning,
  });
  return { instance, close: () => advert.close() };
}
