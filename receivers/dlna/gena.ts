// GENA subscriptions from the control point's side (UPnP Device Architecture 1.0 §4): an HTTP
// server on the address the renderer reaches us by, SUBSCRIBE with CALLBACK/NT/TIMEOUT, renewal at
// half the granted time, NOTIFYs (only for our SIDs, bounded in size) read into their properties,
// UNSUBSCRIBE on close. Events are hints for the driver; polling stays the truth.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { children, child, parseXml } from './xml.js';

const agent = new Agent({ keepAlive: false });
const MAX_NOTIFY = 256 * 1024;

/** The local address a packet to `host` leaves from (no packet is sent: UDP connect only routes). */
export function localAddressFor(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', (e) => (s.close(), reject(e)));
    s.connect(port, host, () => {
      const a = s.address().address;
      s.close();
      resolve(a);
    });
  });
}

/** A GENA NOTIFY body → its properties by name (each property's text). */
export function readPropertySet(xml: string): Record<string, string> {
  const set = child(parseXml(xml), 'propertyset');
  const out: Record<string, string> = {};
  for (const p of children(set, 'property')) {
    for (const [k, v] of Object.entries(p)) if (!k.startsWith('@')) out[k] = typeof v === 'string' ? v : '';
  }
  return out;
}

/** A LastChange value (AVTransport/RenderingControl §2.3.1) → each variable's `val` (Master channel where there are channels). */
export function readLastChange(xml: string): Record<string, string> {
  const inst = child(child(parseXml(xml), 'Event'), 'InstanceID');
  const out: Record<string, string> = {};
  if (!inst) return out;
  for (const k of Object.keys(inst)) {
    if (k.startsWith('@')) continue;
    const nodes = children(inst, k);
    const node = nodes.find((n) => n['@channel'] === undefined || n['@channel'] === 'Master');
    if (node && typeof node['@val'] === 'string') out[k] = node['@val'];
  }
  return out;
}

interface Subscription { sid: string; url: string; serviceType: string; timer?: NodeJS.Timeout }

export class GenaSubscriber {
  private server: Server | undefined;
  private base = '';
  private readonly token = randomBytes(12).toString('hex');
  private readonly subs = new Map<string, Subscription>();
  private closed = false;

  constructor(private readonly onEvent: (serviceType: string, props: Record<string, string>) => void, private readonly timeoutMs = 5000) {}

  private async listen(localAddress: string): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      const sub = this.subs.get(String(req.headers.sid ?? ''));
      if (req.method !== 'NOTIFY' || req.url !== `/gena/${this.token}` || !sub) {
        req.resume();
        res.writeHead(412).end();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (d: Buffer) => {
        size += d.length;
        if (size > MAX_NOTIFY) req.destroy();
        else chunks.push(d);
      });
      req.on('end', () => {
        res.writeHead(200).end();
        try {
          this.onEvent(sub.serviceType, readPropertySet(Buffer.concat(chunks).toString('utf8')));
        } catch {
          /* a malformed event is dropped: the next poll has the truth */
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, localAddress, () => resolve());
    });
    this.server = server;
    this.base = `http://${localAddress}:${(server.address() as AddressInfo).port}/gena/${this.token}`;
  }

  /** Subscribes to one service's events; resolves once the renderer granted it. */
  async subscribe(eventUrl: string, serviceType: string, localAddress: string): Promise<void> {
    await this.listen(localAddress);
    const res = await this.send(eventUrl, 'SUBSCRIBE', { CALLBACK: `<${this.base}>`, NT: 'upnp:event', TIMEOUT: 'Second-300' });
    if (this.closed) return;
    this.keep({ sid: res.sid, url: eventUrl, serviceType }, res.seconds);
  }

  private keep(sub: Subscription, seconds: number): void {
    this.subs.set(sub.sid, sub);
    sub.timer = setTimeout(() => {
      void this.send(sub.url, 'SUBSCRIBE', { SID: sub.sid, TIMEOUT: 'Second-300' })
        .then((r) => !this.closed && this.keep(sub, r.seconds))
        .catch(() => this.subs.delete(sub.sid));
    }, Math.max(5, seconds / 2) * 1000);
    sub.timer.unref();
  }

  private send(url: string, method: string, headers: Record<string, string>): Promise<{ sid: string; seconds: number }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, agent, timeout: this.timeoutMs }, (res) => {
        res.resume();
        const sid = String(res.headers.sid ?? headers.SID ?? '');
        const seconds = Number(/Second-(\d+)/i.exec(String(res.headers.timeout ?? ''))?.[1] ?? 300);
        if (res.statusCode === 200 && sid) resolve({ sid, seconds });
        else reject(new Error(`${method} ${url}: HTTP ${res.statusCode}`));
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const sub of this.subs.values()) {
      clearTimeout(sub.timer);
      void this.send(sub.url, 'UNSUBSCRIBE', { SID: sub.sid }).catch(() => undefined);
    }
    this.subs.clear();
    this.server?.close();
    this.server?.closeAllConnections();
  }
}
