// The SOAP client for one action on one service (UPnP Device Architecture 1.0 §3.2): POST to the
// controlURL with SOAPACTION, out arguments read by name from `<u:ActionResponse>`. A renderer's
// fault (HTTP 500 with `<UPnPError>`) becomes a SoapFault carrying its code and description;
// anything else unreadable is an error that says what came back. No keep-alive: libupnp renderers
// (gmediarender) hang up on reused sockets ("socket hang up" from Node's keep-alive agent, seen in a lab).
import { Agent, request } from 'node:http';
import { child, escapeXml, parseXml, text, type XmlNode } from './xml.js';

const agent = new Agent({ keepAlive: false });
/** Renderers answer in a few hundred bytes; a body past this is not a SOAP answer. */
const MAX_BODY = 1 << 20;

/** A UPnP error from the renderer: `errorCode` (e.g. 701 "Transition not available") and its words. */
export class SoapFault extends Error {
  constructor(message: string, readonly code: number | null, readonly description: string) {
    super(message);
    this.name = 'SoapFault';
  }
}

/** The renderer answered, but not with something a SOAP client can read. */
export class BadSoapAnswer extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadSoapAnswer';
  }
}

export interface SoapCall {
  controlUrl: string;
  serviceType: string;
  action: string;
  args?: Record<string, string | number>;
  timeoutMs?: number;
  /** Who is asked, for error messages ("Living room"). */
  device?: string;
}

export function soapEnvelope(serviceType: string, action: string, args: Record<string, string | number>): string {
  const inner = Object.entries(args).map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('');
  return '<?xml version="1.0" encoding="utf-8"?>\n'
    + '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">'
    + `<s:Body><u:${action} xmlns:u="${escapeXml(serviceType)}">${inner}</u:${action}></s:Body></s:Envelope>`;
}

/** Sends one action; resolves its out arguments by name (all strings). */
export async function soap(c: SoapCall): Promise<Record<string, string>> {
  const who = c.device ?? new URL(c.controlUrl).host;
  const body = soapEnvelope(c.serviceType, c.action, c.args ?? {});
  const res = await post(c.controlUrl, body, `"${c.serviceType}#${c.action}"`, c.timeoutMs ?? 10_000).catch((e: Error) => {
    throw new Error(`${who} did not answer ${c.action}: ${e.message}`);
  });
  return readSoapResponse(res.status, res.body, c.action, who);
}

/** A SOAP answer → out arguments, a SoapFault, or an Error naming what was wrong with it. */
export function readSoapResponse(status: number, body: string, action: string, who: string): Record<string, string> {
  let doc: XmlNode;
  try {
    doc = parseXml(body);
  } catch (e) {
    throw new BadSoapAnswer(`${who} answered ${action} with HTTP ${status} and a body that is not SOAP (${(e as Error).message})`);
  }
  const soapBody = child(child(doc, 'Envelope'), 'Body');
  if (!soapBody) throw new BadSoapAnswer(`${who} answered ${action} with HTTP ${status} and no SOAP Envelope/Body`);
  const fault = child(soapBody, 'Fault');
  if (fault) {
    const upnp = child(child(fault, 'detail'), 'UPnPError');
    const code = Number(text(upnp, 'errorCode'));
    const desc = (text(upnp, 'errorDescription') ?? text(fault, 'faultstring') ?? '').trim();
    const known = Number.isInteger(code) && code > 0;
    throw new SoapFault(`${who} refused ${action}${known ? ` (UPnP error ${code}${desc ? `: ${desc}` : ''})` : desc ? `: ${desc}` : ''}`, known ? code : null, desc);
  }
  if (status < 200 || status >= 300) throw new BadSoapAnswer(`${who} answered ${action} with HTTP ${status} and no UPnP fault`);
  if (!(`${action}Response` in soapBody)) throw new BadSoapAnswer(`${who} answered ${action} without a ${action}Response element`);
  // An action without out arguments answers with an empty element (parsed as '').
  const out = child(soapBody, `${action}Response`) ?? {};
  const args: Record<string, string> = {};
  for (const k of Object.keys(out)) if (!k.startsWith('@')) args[k] = text(out, k) ?? '';
  return args;
}

function post(url: string, body: string, soapAction: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'text/xml; charset="utf-8"', SOAPACTION: soapAction, 'Content-Length': Buffer.byteLength(body) },
      timeout: timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > MAX_BODY) return void req.destroy(new Error(`answer larger than ${MAX_BODY} bytes`));
        chunks.push(d);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** GET with the same agent (descriptions, SCPDs): the body as text, bounded in size and time. */
export function httpGetText(url: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > MAX_BODY) return void req.destroy(new Error(`${url}: larger than ${MAX_BODY} bytes`));
        chunks.push(d);
      });
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
