// A renderer that misbehaves on request, for the bad-input test: our software renderer behind an
// HTTP proxy of its own, advertised by SSDP with the proxy's address. Everything goes through to
// the renderer, except the action named by a line on stdin, which gets a bad answer instead:
//   `garbage ACTION`  → HTTP 200 with a body that is not XML
//   `nobody ACTION`   → HTTP 200 with a SOAP envelope that has no ACTIONResponse
//   `fault ACTION CODE` → HTTP 500 with a UPnP fault CODE "Injected fault"
//   `ok`              → everything through again
// Usage: faulty-renderer.js <address> <name>; one JSON line per event on stdout (`ready`, `bad`).
import { randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { soapFault } from '../../../../receivers/shared/upnp/soap.js';
import { lanInterfaces, startSsdpDevice } from '../../../../receivers/shared/upnp/ssdp.js';
import { AV_TRANSPORT, CONNECTION_MANAGER, MEDIA_RENDERER, RENDERING_CONTROL } from '../../../../receivers/dlna/device.js';
import { startDlnaRenderer } from '../../../../receivers/dlna/emulator/renderer.js';

const [host, name] = process.argv.slice(2);
if (!host || !name) throw new Error('usage: faulty-renderer.js <address> <name>');
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

const uuid = randomUUID();
const renderer = await startDlnaRenderer({ name, host, port: 0, uuid, audioOnly: true, ssdp: false });
renderer.events.on('event', out);
let bad: { how: string; action: string; code?: number } | null = null;
createInterface({ input: process.stdin }).on('line', (line) => {
  const [how, action, code] = line.trim().split(/\s+/);
  bad = how === 'ok' || !how || !action ? null : { how, action, code: Number(code) };
  out({ event: 'mode', bad });
});

const proxy = createServer((req, res) => {
  const action = /#(\w+)"?$/.exec(String(req.headers.soapaction ?? ''))?.[1];
  if (bad && action === bad.action) {
    req.resume();
    out({ event: 'bad', action, how: bad.how });
    if (bad.how === 'garbage') return void res.writeHead(200, { 'Content-Type': 'text/xml' }).end('this is not <xml');
    if (bad.how === 'nobody') return void res.writeHead(200, { 'Content-Type': 'text/xml' }).end('<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Other xmlns:u="x"/></s:Body></s:Envelope>');
    return void res.writeHead(500, { 'Content-Type': 'text/xml' }).end(soapFault(bad.code ?? 501, 'Injected fault'));
  }
  const upstream = request({ host, port: renderer.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
});
await new Promise<void>((resolve) => proxy.listen(0, host, resolve));
const port = (proxy.address() as AddressInfo).port;
const ssdp = await startSsdpDevice({
  udn: `uuid:${uuid}`, deviceType: MEDIA_RENDERER, serviceTypes: [AV_TRANSPORT, RENDERING_CONTROL, CONNECTION_MANAGER],
  location: (addr) => `http://${addr}:${port}/description.xml`, interfaces: () => lanInterfaces(host),
});
out({ event: 'ready', port });
process.once('SIGTERM', () => void Promise.all([ssdp.stop(), renderer.close()]).then(() => process.exit(0)));
