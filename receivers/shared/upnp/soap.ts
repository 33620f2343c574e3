// SOAP control for UPnP devices (UDA 1.1 §3.2): parse an action request, build its response or a
// UPnP fault (HTTP 500, errorCode + errorDescription: upnp-device-client calls .trim() on the
// latter [npm upnp-device-client 1.0.2, index.js]).
import type { IncomingMessage } from 'node:http';
import { el, escapeXml, parseXml, textOf } from './xml.js';

export class UpnpError extends Error {
  constructor(readonly code: number, description: string) {
    super(description);
  }
}

/** UDA 1.1 Table 3-3 and the ContentDirectory/AVTransport ones we use. */
export const UpnpErrors = {
  invalidAction: () => new UpnpError(401, 'Invalid Action'),
  invalidArgs: (why = 'Invalid Args') => new UpnpError(402, why),
  actionFailed: (why = 'Action Failed') => new UpnpError(501, why),
  argumentValueInvalid: (why = 'Argument Value Invalid') => new UpnpError(600, why),
  argumentOutOfRange: (why = 'Argument Value Out of Range') => new UpnpError(601, why),
  optionalNotImplemented: () => new UpnpError(602, 'Optional Action Not Implemented'),
} as const;

export interface SoapRequest {
  serviceType: string;
  action: string;
  args: Record<string, string>;
}

const ENVELOPE_OPEN = '<?xml version="1.0" encoding="utf-8"?>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>';
const ENVELOPE_CLOSE = '</s:Body></s:Envelope>';

/** The SOAPACTION header: `"urn:...:service:X:1#Action"` (quotes optional). */
export function parseSoapAction(header: string | string[] | undefined): { serviceType: string; action: string } | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  const m = /^\s*"?([^"#\s]+)#([A-Za-z_][\w.-]{0,63})"?\s*$/.exec(h ?? '');
  return m ? { serviceType: m[1]!, action: m[2]! } : undefined;
}

/**
 * The request's action and its `in` arguments (text only). Throws UpnpError 401 when the header and
 * body disagree or are missing, 402 when the body is not a SOAP envelope or an argument is not text.
 */
export function parseSoapRequest(body: string, soapActionHeader: string | string[] | undefined): SoapRequest {
  const head = parseSoapAction(soapActionHeader);
  if (!head) throw UpnpErrors.invalidAction();
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(body);
  } catch {
    throw UpnpErrors.invalidArgs('Malformed SOAP body');
  }
  const envelope = doc.Envelope as Record<string, unknown> | undefined;
  const soapBody = envelope && typeof envelope === 'object' ? (envelope.Body as Record<string, unknown> | undefined) : undefined;
  if (!soapBody || typeof soapBody !== 'object') throw UpnpErrors.invalidArgs('No SOAP Body');
  const names = Object.keys(soapBody).filter((k) => !k.startsWith('@') && k !== '#text');
  if (names.length !== 1 || names[0] !== head.action) throw UpnpErrors.invalidAction();
  const call = soapBody[head.action];
  const args: Record<string, string> = {};
  if (call && typeof call === 'object') {
    for (const [k, v] of Object.entries(call as Record<string, unknown>)) {
      if (k.startsWith('@') || k === '#text') continue;
      const t = textOf(v);
      if (t === undefined) throw UpnpErrors.invalidArgs(`Argument ${k} is not text`);
      args[k] = t;
    }
  }
  return { ...head, args };
}

/** The body of a successful action response; `out` in the SCPD's order. */
export function soapResponse(serviceType: string, action: string, out: Array<[string, string | number]>): string {
  return `${ENVELOPE_OPEN}<u:${action}Response xmlns:u="${escapeXml(serviceType)}">${out.map(([k, v]) => el(k, v)).join('')}</u:${action}Response>${ENVELOPE_CLOSE}`;
}

/** UDA 1.0's QueryStateVariable (deprecated, still sent by older control points such as Net::UPnP). */
export const QUERY_STATE_VARIABLE = { serviceType: 'urn:schemas-upnp-org:control-1-0', action: 'QueryStateVariable' } as const;

export function queryStateVariableResponse(value: string): string {
  return `${ENVELOPE_OPEN}<u:QueryStateVariableResponse xmlns:u="${QUERY_STATE_VARIABLE.serviceType}">${el('return', value)}</u:QueryStateVariableResponse>${ENVELOPE_CLOSE}`;
}

/** A UPnP fault body (send it with HTTP 500). */
export function soapFault(code: number, description: string): string {
  return `${ENVELOPE_OPEN}<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0">${el('errorCode', code)}${el('errorDescription', description)}</UPnPError></detail></s:Fault>${ENVELOPE_CLOSE}`;
}

export const SOAP_CONTENT_TYPE = 'text/xml; charset="utf-8"';

/** Reads a request body up to `limit` bytes; past it the promise rejects (and the caller answers 413). */
export function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('body too large'));
        return;
      }
      chunks.push(c);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
