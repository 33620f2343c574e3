// Advertises the emulated Apple TV as `_airplay._tcp` (records and answering in
// receivers/shared/mdns-advert.ts), with the address we were given. TXT as an Apple TV 3 sends it
// [docs/protocols.md §4; airplay-spec service_discovery.md].
import { startServiceAdvert } from '../../shared/mdns-advert.js';

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

export async function startVideoAdvert(opts: VideoAdvertOptions): Promise<{ close(): Promise<void> }> {
  const txt = [`deviceid=${opts.deviceId}`, `features=${opts.features}`, `model=${opts.model}`, `srcvers=${opts.srcvers}`, 'flags=0x4', 'vv=2'];
  const advert = await startServiceAdvert({
    service: '_airplay._tcp.local',
    instance: opts.name,
    host: `${opts.deviceId.replace(/:/g, '')}.local`,
    port: opts.port,
    txt: () => txt,
    addresses: opts.addresses,
    interface: opts.interface,
    onWarning: opts.onWarning,
  });
  return { close: () => advert.close() };
}
