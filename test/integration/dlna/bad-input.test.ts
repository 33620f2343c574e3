// Bad input to the MediaServer, from a peer inside the server's network namespace: malformed SOAP,
// unknown actions, huge or invalid counts, bad ObjectIDs, bad criteria, oversized bodies, GENA
// subscriptions we must refuse, requests from a non-private address, and an M-SEARCH flood. Each
// gets a UPnP fault (or nothing), and the server keeps answering everyone else.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_TIMEOUT_MS } from '../../helpers/fixtures.js';
import { projectRoot } from '../../helpers/paths.js';
import { startDlnaFixture, type DlnaFixture } from './fixture.js';
import { execFileSync } from 'node:child_process';

let f: DlnaFixture;
let base: string;
const PUBLIC = '203.0.113.2'; // TEST-NET-3: a "public" address that exists only inside the namespace
const OTHER = '10.77.0.3';
beforeAll(async () => {
  f = await startDlnaFixture('bad');
  base = `http://${f.ns.addr}:${f.server.port}`;
  for (const a of [PUBLIC, OTHER]) execFileSync('ip', ['-n', f.ns.name, 'addr', 'add', `${a}/24`, 'dev', 'v1']);
}, FIXTURES_TIMEOUT_MS + 60_000);
afterAll(async () => {
  await f?.close();
});

type Res = { status: number; body: string; headers: Record<string, string> } & { error?: string };
const CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1';

async function peer(plan: unknown): Promise<{ http?: Res[]; ssdp?: { sent: number; replies: number; sts: string[] } }> {
  const r = await f.ns.run(process.execPath, [join(projectRoot, 'dist/test/integration/dlna/raw-peer.js'), JSON.stringify(plan)]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const envelope = (action: string, inner: string) =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:${action} xmlns:u="${CDS}">${inner}</u:${action}></s:Body></s:Envelope>`;
const browseArgs = (id: string, flag = 'BrowseDirectChildren', start = '0', count = '10', sort = '') =>
  `<ObjectID>${id}</ObjectID><BrowseFlag>${flag}</BrowseFlag><Filter>*</Filter><StartingIndex>${start}</StartingIndex><RequestedCount>${count}</RequestedCount><SortCriteria>${sort}</SortCriteria>`;
interface Step { method: string; url: string; body: string; headers: Record<string, string>; from?: string; bodyRepeat?: number }
const soap = (action: string, body: string): Step => ({
  method: 'POST', url: `${base}/dlna/control/cds`, body,
  headers: { 'Content-Type': 'text/xml; charset="utf-8"', SOAPACTION: `"${CDS}#${action}"` },
});
const errorCode = (r: Res) => Number(/<errorCode>(\d+)<\/errorCode>/.exec(r.body)?.[1]);

describe('bad input', () => {
  it('malformed SOAP, unknown actions, bad arguments and ObjectIDs get UPnP faults with the right codes', async () => {
    const first = (await peer({ http: [soap('Browse', envelope('Browse', browseArgs('music/tracks', 'BrowseDirectChildren', '0', '1')))] })).http![0]!;
    const itemId = /item id=&quot;(i\d+)&quot;/.exec(first.body)![1]!;
    const cases: Array<[string, Step, number]> = [
      ['truncated body', soap('Browse', '<s:Envelope><s:Body><u:Browse'), 402],
      ['not XML', soap('Browse', 'hello'), 402],
      ['entity bomb', soap('Browse', `<!DOCTYPE x [<!ENTITY a "${'a'.repeat(100)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>${envelope('Browse', browseArgs('&b;'))}`), 402],
      ['unknown action', soap('Frobnicate', envelope('Frobnicate', '')), 401],
      ['no SOAPACTION', { ...soap('Browse', envelope('Browse', browseArgs('0'))), headers: { 'Content-Type': 'text/xml' } }, 401],
      ['header and body disagree', soap('Search', envelope('Browse', browseArgs('0'))), 401],
      ['another service type', { ...soap('Browse', envelope('Browse', browseArgs('0'))), headers: { SOAPACTION: '"urn:schemas-upnp-org:service:AVTransport:1#Browse"' } }, 401],
      ['no ObjectID', soap('Browse', envelope('Browse', '<BrowseFlag>BrowseDirectChildren</BrowseFlag><StartingIndex>0</StartingIndex><RequestedCount>1</RequestedCount>')), 402],
      ['bad BrowseFlag', soap('Browse', envelope('Browse', browseArgs('0', 'BrowseEverything'))), 402],
      ['negative StartingIndex', soap('Browse', envelope('Browse', browseArgs('0', 'BrowseDirectChildren', '-1'))), 402],
      ['RequestedCount past ui4', soap('Browse', envelope('Browse', browseArgs('0', 'BrowseDirectChildren', '0', '99999999999'))), 402],
      ['unknown ObjectID', soap('Browse', envelope('Browse', browseArgs('music/albums/999999'))), 701],
      ['path-like ObjectID', soap('Browse', envelope('Browse', browseArgs('../../etc/passwd'))), 701],
      ['huge ObjectID', soap('Browse', envelope('Browse', browseArgs('x'.repeat(30_000)))), 701],
      ['children of an item', soap('Browse', envelope('Browse', browseArgs(itemId))), 710],
      ['bad sort', soap('Browse', envelope('Browse', browseArgs('music/tracks', 'BrowseDirectChildren', '0', '5', '+upnp:nonsense'))), 709],
      ['bad search', soap('Search', envelope('Search', `<ContainerID>0</ContainerID><SearchCriteria>dc:title contains</SearchCriteria><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>5</RequestedCount><SortCriteria></SortCriteria>`)), 708],
      ['search under an unknown container', soap('Search', envelope('Search', `<ContainerID>nope</ContainerID><SearchCriteria>*</SearchCriteria><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>5</RequestedCount><SortCriteria></SortCriteria>`)), 701],
    ];
    const { http } = await peer({ http: cases.map(([, step]) => step) });
    cases.forEach(([label, , code], i) => {
      expect(http![i]!.status, label).toBe(500);
      expect(errorCode(http![i]!), `${label}: ${http![i]!.body.slice(0, 300)}`).toBe(code);
      expect(http![i]!.body, label).toMatch(/<errorDescription>[^<]+<\/errorDescription>/);
    });
  });

  it('a huge RequestedCount is answered with what there is (capped), and paging past the end is empty', async () => {
    const { http } = await peer({ http: [
      soap('Browse', envelope('Browse', browseArgs('music/tracks', 'BrowseDirectChildren', '0', '4294967295'))),
      soap('Browse', envelope('Browse', browseArgs('music/tracks', 'BrowseDirectChildren', '4294967295', '10'))),
    ] });
    const total = f.expected.audio.size;
    expect(http![0]!.status).toBe(200);
    expect(http![0]!.body).toContain(`<NumberReturned>${total}</NumberReturned><TotalMatches>${total}</TotalMatches>`);
    expect(http![1]!.body).toContain(`<NumberReturned>0</NumberReturned><TotalMatches>${total}</TotalMatches>`);
  });

  it('oversized bodies, bad GENA subscriptions and non-LAN peers are refused', async () => {
    const { http } = await peer({ http: [
      { ...soap('Browse', 'x'), bodyRepeat: 200_000 },
      { method: 'SUBSCRIBE', url: `${base}/dlna/event/cds`, headers: { NT: 'upnp:event', TIMEOUT: 'Second-300' } },
      { method: 'SUBSCRIBE', url: `${base}/dlna/event/cds`, headers: { CALLBACK: '<http://8.8.8.8/cb>', NT: 'upnp:event' } },
      { method: 'SUBSCRIBE', url: `${base}/dlna/event/cds`, headers: { SID: 'uuid:not-ours' } },
      { ...soap('Browse', envelope('Browse', browseArgs('0'))), from: PUBLIC },
      { method: 'GET', url: `${base}/dlna/description.xml`, from: PUBLIC },
    ] });
    expect(http!.map((r) => r.status ?? r.error)).toEqual([413, 412, 412, 412, 403, 403]);
  });

  it('an M-SEARCH flood gets a bounded number of answers, a non-LAN asker none, and everyone else is still served', async () => {
    const flood = (await peer({ ssdp: { from: f.ns.peerAddr, count: 3000, st: 'ssdp:all', mx: 2, listenMs: 2500 } })).ssdp!;
    expect(flood.sent).toBe(3000);
    // ssdp:all is 6 answers (root, UDN, device, 3 services); unbounded this would be 18,000.
    expect(flood.replies).toBeGreaterThan(0);
    expect(flood.replies).toBeLessThanOrEqual(6 * 16 * 3);
    const outsider = (await peer({ ssdp: { from: PUBLIC, count: 5, st: 'ssdp:all', mx: 1, listenMs: 1500, unicastTo: f.ns.addr } })).ssdp!;
    expect(outsider.replies).toBe(0);
    const other = (await peer({ ssdp: { from: OTHER, count: 1, st: 'urn:schemas-upnp-org:device:MediaServer:1', mx: 1, listenMs: 1500 } })).ssdp!;
    expect(other.sts).toEqual(['urn:schemas-upnp-org:device:MediaServer:1']);
    const { http } = await peer({ http: [soap('Browse', envelope('Browse', browseArgs('0')))] });
    expect(http![0]!.status).toBe(200);
    expect(http![0]!.body).toContain('<NumberReturned>3</NumberReturned>');
  });
});
