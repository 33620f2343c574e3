// GENA eventing for one service (UDA 1.1 §4): SUBSCRIBE / renew / UNSUBSCRIBE with SID and
// TIMEOUT, then NOTIFY (NT upnp:event, NTS upnp:propchange, SEQ 0 for the initial event with every
// evented variable, then +1, wrapping to 1). Each subscriber's NOTIFYs go out one at a time, in
// order. Callbacks are accepted only to private addresses (a device must not be turned into a
// request cannon aimed at the internet), and subscribers are bounded.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { isPrivateAddress } from './private-address.js';
import { escapeXml } from './xml.js';

export interface GenaOptions {
  /** Every evented variable's current value, for the initial event. */
  initial: () => Record<string, string>;
  /** Seconds granted when the subscriber asks for more, "infinite" or nothing (UDA: ≥ 1800 recommended). */
  maxTimeoutSeconds?: number;
  maxSubscribers?: number;
  /** NOTIFY request timeout. */
  notifyTimeoutMs?: number;
  onWarning?: (msg: string, fields: Record<string, string | number>) => void;
}

interface Subscriber {
  sid: string;
  callbacks: URL[];
  seq: number;
  expires: number;
  queue: Promise<void>;
}

export function propertySetXml(vars: Record<string, string>): string {
  const props = Object.entries(vars).map(([k, v]) => `<e:property><${k}>${escapeXml(v)}</${k}></e:property>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<e:propertyset xmlns:e="urn:schemas-upnp-org:event-1-0">${props}</e:propertyset>`;
}

/**
 * A LastChange value (AVTransport / RenderingControl style): `<Event xmlns=ns><InstanceID val="0">
 * <Var val="..."/>...</InstanceID></Event>`, as text to put in the `LastChange` variable.
 */
export function lastChangeXml(ns: string, vars: Record<string, string | { val: string; attrs: Record<string, string> }>, instanceId = 0): string {
  const body = Object.entries(vars)
    .map(([k, v]) => {
      if (typeof v === 'string') return `<${k} val="${escapeXml(v)}"/>`;
      const attrs = Object.entries(v.attrs).map(([a, x]) => ` ${a}="${escapeXml(x)}"`).join('');
      return `<${k}${attrs} val="${escapeXml(v.val)}"/>`;
    })
    .join('');
  return `<Event xmlns="${escapeXml(ns)}"><InstanceID val="${instanceId}">${body}</InstanceID></Event>`;
}

export class GenaPublisher {
  private subs = new Map<string, Subscriber>();
  private readonly maxTimeout: number;
  private readonly maxSubscribers: number;
  private readonly agent = new http.Agent({ keepAlive: false });
  private closed = false;

  constructor(private opts: GenaOptions) {
    this.maxTimeout = opts.maxTimeoutSeconds ?? 1800;
    this.maxSubscribers = opts.maxSubscribers ?? 64;
  }

  get size(): number {
    this.prune();
    return this.subs.size;
  }

  /** Answers a SUBSCRIBE or UNSUBSCRIBE on this service's eventSubURL (any other method: 405). */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const h = req.headers;
    const sid = typeof h.sid === 'string' ? h.sid.trim() : undefined;
    const end = (status: number, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Length': '0', ...headers });
      res.end();
    };
    this.prune();
    if (req.method === 'UNSUBSCRIBE') {
      if (!sid) return end(412);
      if (h.callback || h.nt) return end(400);
      return end(this.subs.delete(sid) ? 200 : 412);
    }
    if (req.method !== 'SUBSCRIBE') return end(405, { Allow: 'SUBSCRIBE, UNSUBSCRIBE' });
    const timeout = this.timeoutFrom(h.timeout);
    if (sid) {
      // Renewal: no CALLBACK/NT allowed with a SID (UDA 1.1 §4.1.2).
      if (h.callback || h.nt) return end(400);
      const s = this.subs.get(sid);
      if (!s) return end(412);
      s.expires = Date.now() + timeout * 1000;
      return end(200, { SID: sid, TIMEOUT: `Second-${timeout}`, Server: SERVER_HEADER });
    }
    if (h.nt !== 'upnp:event') return end(412);
    const callbacks = parseCallbacks(typeof h.callback === 'string' ? h.callback : '');
    if (callbacks.length === 0) return end(412);
    if (this.subs.size >= this.maxSubscribers) return end(503);
    const s: Subscriber = { sid: `uuid:${randomUUID()}`, callbacks, seq: 0, expires: Date.now() + timeout * 1000, queue: Promise.resolve() };
    this.subs.set(s.sid, s);
    end(200, { SID: s.sid, TIMEOUT: `Second-${timeout}`, Server: SERVER_HEADER });
    // The initial event follows the response (UDA: after the subscriber has its SID).
    res.once('finish', () => this.send(s, this.opts.initial()));
  }

  /** Every evented variable's current value (also what QueryStateVariable answers). */
  values(): Record<string, string> {
    return this.opts.initial();
  }

  /** Sends changed variables to every live subscriber. */
  notify(vars: Record<string, string>): void {
    this.prune();
    for (const s of this.subs.values()) this.send(s, vars);
  }

  close(): void {
    this.closed = true;
    this.subs.clear();
    this.agent.destroy();
  }

  private send(s: Subscriber, vars: Record<string, string>): void {
    if (this.closed) return;
    const seq = s.seq;
    s.seq = s.seq >= 0xffffffff ? 1 : s.seq + 1;
    const body = propertySetXml(vars);
    s.queue = s.queue.then(() => this.post(s, seq, body));
  }

  private async post(s: Subscriber, seq: number, body: string): Promise<void> {
    // Callbacks are tried in order until one accepts (UDA 1.1 §4.2).
    for (const url of s.callbacks) {
      if (this.closed || !this.subs.has(s.sid)) return;
      const ok = await new Promise<boolean>((resolve) => {
        const req = http.request(
          url,
          {
            method: 'NOTIFY',
            agent: this.agent,
            timeout: this.opts.notifyTimeoutMs ?? 5000,
            headers: { HOST: url.host, 'CONTENT-TYPE': 'text/xml; charset="utf-8"', NT: 'upnp:event', NTS: 'upnp:propchange', SID: s.sid, SEQ: String(seq), 'Content-Length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            resolve((res.statusCode ?? 500) < 300);
          },
        );
        req.once('timeout', () => req.destroy(new Error('timeout')));
        req.once('error', (e) => {
          this.opts.onWarning?.('event not delivered', { sid: s.sid, url: url.href, reason: e.message });
          resolve(false);
        });
        req.end(body);
      });
      if (ok) return;
    }
  }

  private timeoutFrom(v: string | string[] | undefined): number {
    const m = /^Second-(\d{1,9})$/i.exec(String(v ?? '').trim());
    const asked = m ? Number(m[1]) : this.maxTimeout;
    return Math.max(60, Math.min(asked, this.maxTimeout));
  }

  private prune(): void {
    const now = Date.now();
    for (const [sid, s] of this.subs) if (s.expires <= now) this.subs.delete(sid);
  }
}

export const SERVER_HEADER = `${process.platform === 'linux' ? 'Linux' : process.platform}/1.0 UPnP/1.0 homecast/0.1`;

/** `<http://a/b><http://c/d>` → URLs; only http to private addresses, at most 4. */
export function parseCallbacks(header: string): URL[] {
  const out: URL[] = [];
  for (const m of header.matchAll(/<([^>]{1,512})>/g)) {
    try {
      const u = new URL(m[1]!);
      const host = u.hostname.replace(/^\[|\]$/g, '');
      if (u.protocol === 'http:' && isPrivateAddress(host)) out.push(u);
    } catch {
      /* not a URL */
    }
    if (out.length === 4) break;
  }
  return out;
}
