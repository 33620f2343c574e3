// GENA over real sockets on loopback: a subscriber's HTTP server receives the NOTIFYs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GenaPublisher, lastChangeXml } from '../../../../receivers/shared/upnp/gena.js';
import { parseXml } from '../../../../receivers/shared/upnp/xml.js';

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

async function listen(handler: http.RequestListener): Promise<number> {
  const s = http.createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closers.push(() => s.close());
  return (s.address() as AddressInfo).port;
}

function request(port: number, method: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method, path: '/evt', headers, agent: false }, (res) => (res.resume(), resolve({ status: res.statusCode!, headers: res.headers })));
    r.once('error', reject);
    r.end();
  });
}

describe('GENA publisher', () => {
  it('subscribes, sends the initial event then changes in SEQ order, renews and unsubscribes', async () => {
    let id = 1;
    const gena = new GenaPublisher({ initial: () => ({ SystemUpdateID: String(id), ContainerUpdateIDs: '' }) });
    closers.push(() => gena.close());
    const device = await listen((req, res) => gena.handle(req, res));
    const got: Array<{ seq: string; sid: string; vars: Record<string, string> }> = [];
    let wake: () => void = () => {};
    const sink = await listen((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const doc = parseXml(body) as any;
        const props = [doc.propertyset.property].flat() as Record<string, string>[];
        got.push({ seq: String(req.headers.seq), sid: String(req.headers.sid), vars: Object.assign({}, ...props) });
        res.end();
        wake();
      });
    });
    const until = (n: number) => new Promise<void>((r) => { wake = () => got.length >= n && r(); wake(); });

    const sub = await request(device, 'SUBSCRIBE', { CALLBACK: `<http://127.0.0.1:${sink}/cb>`, NT: 'upnp:event', TIMEOUT: 'Second-300' });
    expect(sub.status).toBe(200);
    expect(sub.headers.timeout).toBe('Second-300');
    const sid = String(sub.headers.sid);
    await until(1);
    id = 2;
    gena.notify({ SystemUpdateID: '2' });
    gena.notify({ SystemUpdateID: '3' });
    await until(3);
    expect(got.map((g) => g.seq)).toEqual(['0', '1', '2']);
    expect(got.every((g) => g.sid === sid)).toBe(true);
    expect(got[0]!.vars).toEqual({ SystemUpdateID: '1', ContainerUpdateIDs: '' });
    expect(got[2]!.vars).toEqual({ SystemUpdateID: '3' });

    expect((await request(device, 'SUBSCRIBE', { SID: sid, TIMEOUT: 'Second-600' })).status).toBe(200);
    expect((await request(device, 'SUBSCRIBE', { SID: sid, NT: 'upnp:event', CALLBACK: '<http://127.0.0.1/>' })).status).toBe(400);
    expect((await request(device, 'SUBSCRIBE', { SID: 'uuid:nope' })).status).toBe(412);
    expect((await request(device, 'UNSUBSCRIBE', { SID: sid })).status).toBe(200);
    expect(gena.size).toBe(0);
    expect((await request(device, 'UNSUBSCRIBE', { SID: sid })).status).toBe(412);
  });

  it('refuses callbacks to public addresses and bounds subscribers', async () => {
    const gena = new GenaPublisher({ initial: () => ({}), maxSubscribers: 2 });
    closers.push(() => gena.close());
    const device = await listen((req, res) => gena.handle(req, res));
    expect((await request(device, 'SUBSCRIBE', { CALLBACK: '<http://8.8.8.8/cb>', NT: 'upnp:event' })).status).toBe(412);
    expect((await request(device, 'SUBSCRIBE', { CALLBACK: '<http://127.0.0.1:9/a>', NT: 'upnp:event' })).status).toBe(200);
    expect((await request(device, 'SUBSCRIBE', { CALLBACK: '<http://127.0.0.1:9/b>', NT: 'upnp:event' })).status).toBe(200);
    expect((await request(device, 'SUBSCRIBE', { CALLBACK: '<http://127.0.0.1:9/c>', NT: 'upnp:event' })).status).toBe(503);
  });

  it('writes LastChange documents', () => {
    const x = lastChangeXml('urn:schemas-upnp-org:metadata-1-0/AVT/', { TransportState: 'PLAYING', Volume: { val: '30', attrs: { channel: 'Master' } } });
    expect(x).toBe('<Event xmlns="urn:schemas-upnp-org:metadata-1-0/AVT/"><InstanceID val="0"><TransportState val="PLAYING"/><Volume channel="Master" val="30"/></InstanceID></Event>');
  });
});
