// Advertises the emulator as `_googlecast._tcp` (records and answering in receivers/shared/mdns-advert.ts;
// python-zeroconf, i.e. pychromecast, needs PTR + SRV + TXT + A in one answer [docs/protocols.md §2]).
import { startServiceAdvert } from '../../shared/mdns-advert.js';

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

export async function startAdvert(opts: AdvertOptions): Promise<Advert> {
  const label = `${opts.model}-${opts.id}`.replace(/[\s.]+/g, '-');
  let status = { busy: false, text: '' };

  const txt = (): string[] => {
    const t = [`id=${opts.id}`, `cd=${opts.id.toUpperCase()}`, 've=05', `md=${opts.model}`, 'ic=/setup/icon.png', `fn=${opts.name}`, `ca=${opts.ca}`, `st=${status.busy ? 1 : 0}`, `bs=FA${opts.id.slice(0, 10).toUpperCase()}`, 'nf=1'];
    // bonjour-service turns an empty value into a mangled key: leave `rs` out when there is no text.
    if (status.text) t.push(`rs=${status.text}`);
    return t;
  };

  const advert = await startServiceAdvert({
    service: '_googlecast._tcp.local',
    instance: label,
    host: `${opts.id}.local`,
    port: opts.port,
    txt,
    addresses: opts.addresses,
    interface: opts.interface,
    onWarning: opts.onWarning,
  });
  return {
    instance: label,
    setStatus(busy, text) {
      status = { busy, text };
      advert.announce();
    },
    close: () => advert.close(),
  };
}
