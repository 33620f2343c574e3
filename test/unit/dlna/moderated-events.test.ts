// ContentDirectory events are moderated (at most one every 2 s): a burst of 100 library changes reaches
// a GENA subscriber (real HTTP on loopback) as a few events, the last with the newest state.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { GenaPublisher } from '../../../receivers/shared/upnp/gena.js';
import { parseXml } from '../../../receivers/shared/upnp/xml.js';
import { CDS_EVENT_INTERVAL_MS, ModeratedCdsEvents } from '../../../server/dlna/moderated-events.js';
import { closeServer, listenOnLoopback } from '../../helpers/http.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function listen(handler: http.RequestListener): Promise<number> {
  const s = http.createServer(handler);
  cleanups.push(() => closeServer(s));
  return listenOnLoopback(s);
}

describe('moderated ContentDirectory events', () => {
  it('sends a burst of 100 changes as a bounded number of events, the last with the newest state', async () => {
    let systemUpdateId = 1;
    const gena = new GenaPublisher({ initial: () => ({ SystemUpdateID: String(systemUpdateId), ContainerUpdateIDs: '' }) });
    cleanups.push(() => gena.close());
    const moderated = new ModeratedCdsEvents((vars) => gena.notify(vars));
    cleanups.push(() => moderated.close());
    const device = await listen((req, res) => gena.handle(req, res));
    const got: Array<{ seq: number; at: number; vars: Record<string, string> }> = [];
    let wake = () => {};
    const sink = await listen((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const doc = parseXml(body) as any;
        got.push({ seq: Number(req.headers.seq), at: Date.now(), vars: Object.assign({}, ...[doc.propertyset.property].flat()) });
        res.end();
        wake();
      });
    });
    const until = (ok: () => boolean) => new Promise<void>((r) => ((wake = () => ok() && r()), wake()));
    await new Promise<void>((resolve, reject) => {
      const r = http.request({ host: '127.0.0.1', port: device, method: 'SUBSCRIBE', path: '/evt', agent: false, headers: { CALLBACK: `<http://127.0.0.1:${sink}/>`, NT: 'upnp:event', TIMEOUT: 'Second-300' } }, (res) => (res.resume(), resolve()));
      r.once('error', reject);
      r.end();
    });
    await until(() => got.length >= 1);

    // 100 changes, 30 ms apart (3 s in all: longer than one interval), each touching its own container
    // and the shared "music/tracks".
    const start = Date.now();
    for (let i = 0; i < 100; i++) {
      systemUpdateId++;
      moderated.push({ systemUpdateId, containers: [`music/albums/${i}`, 'music/tracks'] });
      await new Promise((r) => setTimeout(r, 30));
    }
    const span = Date.now() - start;
    await until(() => got.at(-1)?.vars.SystemUpdateID === String(systemUpdateId));
    const events = got.slice(1);

    // At most one event per interval over the burst (plus the first, sent at once, and the trailing one).
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.length).toBeLessThanOrEqual(Math.floor(span / CDS_EVENT_INTERVAL_MS) + 2);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // Nothing lost: every container shows up, each time with the update ID of the event that carries it.
    const seen = new Set<string>();
    for (const e of events) {
      const parts = e.vars.ContainerUpdateIDs!.split(',');
      for (let i = 0; i < parts.length; i += 2) {
        seen.add(parts[i]!);
        expect(Number(parts[i + 1])).toBeLessThanOrEqual(Number(e.vars.SystemUpdateID));
      }
    }
    expect(seen.size).toBe(101);
    const last = events.at(-1)!.vars;
    expect(last.SystemUpdateID).toBe('101');
    expect(last.ContainerUpdateIDs).toContain('music/tracks,101');
    expect(last.ContainerUpdateIDs).toContain('music/albums/99,101');
    // 'music/tracks' changed with every push, so each event lists it once, at the newest ID.
    for (const e of events) expect(e.vars.ContainerUpdateIDs!.match(/music\/tracks,/g)).toHaveLength(1);
  });
});
