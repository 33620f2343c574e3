// A TV recognised by its own device description: a renderer that says "Samsung Electronics" in its
// description (our software renderer, given a Samsung's maker and model) is found by the server's
// renderer discovery; when it then browses us with a bare User-Agent from its address, it gets
// what a Samsung takes (the FLAC as is), while another address with the same headers gets the
// generic DLNA profile (an AAC transcode listed first). Real SSDP and HTTP in a network namespace.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines } from '../../helpers/lines.js';
import { createNetns, type Netns } from '../../helpers/netns.js';
import { projectRoot } from '../../helpers/paths.js';
import { onlineLine, startDlnaTestServer } from '../receivers/dlna/renderer-flow.js';

const CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1';
const NAME = 'Lounge TV';

let ns: Netns;
let env: Awaited<ReturnType<typeof startDlnaTestServer>>;
let tvHost: string;

beforeAll(async () => {
  ns = await createNetns();
  env = await startDlnaTestServer(ns);
  const proc = ns.spawn(process.execPath, [join(projectRoot, 'dist/receivers/cli.js'), 'dlna', '--name', NAME, '--host', ns.peerAddr, '--port', '0', '--manufacturer', 'Samsung Electronics', '--model', 'UE55MU8000']);
  readLines(proc, 'samsung-like renderer');
  const line = await onlineLine(env.server, NAME);
  tvHost = /host=(\S+)/.exec(line)![1]!;
}, 120_000);

afterAll(async () => {
  await ns?.close();
});

/** The `<res>` MIME types of the track "Cover" (a FLAC) as a browse from `from` lists them. */
async function coverResFrom(from: string): Promise<string[]> {
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Browse xmlns:u="${CDS}"><ObjectID>music/tracks</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria></u:Browse></s:Body></s:Envelope>`;
  const plan = { http: [{ method: 'POST', url: `http://${ns.addr}:8420/dlna/control/cds`, from, body, headers: { 'Content-Type': 'text/xml; charset="utf-8"', SOAPACTION: `"${CDS}#Browse"`, 'User-Agent': 'UPnP/1.0 DLNADOC/1.50' } }] };
  const r = await ns.run(process.execPath, [join(projectRoot, 'dist/test/integration/dlna/raw-peer.js'), JSON.stringify(plan)]);
  const [answer] = (JSON.parse(r.stdout) as { http: Array<{ status: number; body: string }> }).http;
  expect(answer!.status).toBe(200);
  const didl = answer!.body.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const item = didl.split('<item ').find((i) => i.includes('<dc:title>Cover</dc:title>'));
  expect(item, 'the FLAC "Cover" is listed').toBeTruthy();
  return [...item!.matchAll(/protocolInfo="http-get:\*:([^:"]+):/g)].map((m) => m[1]!);
}

describe('a TV recognised from its own device description', () => {
  it('browsing from the address of the renderer described as a Samsung gets the FLAC alone; another address gets the generic AAC transcode first', { timeout: 60_000 }, async () => {
    expect(await coverResFrom(tvHost)).toEqual(['audio/flac']);
    const other = tvHost === ns.addr ? ns.peerAddr : ns.addr;
    expect((await coverResFrom(other))[0]).toBe('audio/aac');
  });
});
