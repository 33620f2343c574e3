// DLNA browsing: every track of the 5,000-file library read through ContentDirectory Browse in
// pages of 100, as a TV scrolling "All tracks" does, from our server ("music/tracks") and from
// minidlna 1.3 ("1$4", its All Music) over the same tree, on loopback (no SSDP: the control URLs
// are known). Both run at once: one warm-up pass each, then 3 timed passes in turn (the median). In the whole run both servers start on
// the data folders the scan section left (the same tree, scanned): no second scan of each.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from './lib/net.js';
import { startOurs, waitScanFinished } from './lib/ours.js';
import { start } from './lib/proc.js';
import type { Row } from './lib/table.js';

const CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1';
const PAGE = 100;
const PASSES = 3;

interface Browsed {
  ms: number;
  requests: number;
  items: number;
}

async function browseAll(controlUrl: string, objectId: string): Promise<Browsed> {
  let start = 0;
  let requests = 0;
  let items = 0;
  const t0 = performance.now();
  for (;;) {
    const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:Browse xmlns:u="${CDS}"><ObjectID>${objectId}</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>${start}</StartingIndex><RequestedCount>${PAGE}</RequestedCount><SortCriteria></SortCriteria></u:Browse></s:Body></s:Envelope>`;
    const res = await fetch(controlUrl, { method: 'POST', body, headers: { 'Content-Type': 'text/xml; charset="utf-8"', SOAPACTION: `"${CDS}#Browse"` } });
    const text = await res.text();
    requests++;
    if (res.status !== 200) throw new Error(`${controlUrl} ${objectId}@${start}: HTTP ${res.status} ${text.slice(0, 200)}`);
    const got = Number(/<NumberReturned>(\d+)</.exec(text)?.[1]);
    const total = Number(/<TotalMatches>(\d+)</.exec(text)?.[1]);
    items += got;
    start += got;
    if (got === 0 || start >= total) break;
  }
  return { ms: performance.now() - t0, requests, items };
}

/** Resolves once a first page says the whole library is there (a server on a scanned database may still be starting). */
async function untilAll(controlUrl: string, objectId: string, files: number, timeoutMs: number): Promise<void> {
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:Browse xmlns:u="${CDS}"><ObjectID>${objectId}</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>1</RequestedCount><SortCriteria></SortCriteria></u:Browse></s:Body></s:Envelope>`;
  let last = '';
  for (const end = performance.now() + timeoutMs; performance.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    const res = await fetch(controlUrl, { method: 'POST', body, headers: { 'Content-Type': 'text/xml; charset="utf-8"', SOAPACTION: `"${CDS}#Browse"` } }).catch((err: Error) => err);
    if (res instanceof Error) (last = res.message);
    else {
      const text = await res.text();
      const total = Number(/<TotalMatches>(\d+)</.exec(text)?.[1]);
      if (total >= files) return;
      last = `HTTP ${res.status}, ${total} of ${files}`;
    }
  }
  throw new Error(`${controlUrl}: the library was not all there after ${timeoutMs} ms (${last})`);
}

/** `scanned`: data folders the scan section left (ours: its data folder; minidlna: its db_dir), else each scans here. */
export async function benchDlnaBrowse(tree: string, files: number, work: string, progress: (s: string) => void, scanned?: { ours: string | null; minidlna: string | null }): Promise<Row[]> {
  progress(scanned?.ours ? 'dlna: our server on the scan section\'s data' : 'dlna: our server scans the library');
  const ours = await startOurs(scanned?.ours ?? join(work, 'dlna-ours'), [{ name: 'Bench', path: tree, kind: 'music' }]);
  const running = [ours.proc];
  try {
    await waitScanFinished(ours, 'Bench', 300_000);
    if (!scanned?.ours) await ours.proc.waitFor(/ dlna library changed /, 60_000);
    const oursUrl = `${ours.url}/dlna/control/cds`;

    progress(scanned?.minidlna ? 'dlna: minidlna on the scan section\'s database' : 'dlna: minidlna scans the library');
    const dir = scanned?.minidlna ?? join(work, 'dlna-minidlna');
    await mkdir(dir, { recursive: true });
    const port = await freePort();
    await writeFile(join(dir, 'minidlna.conf'), [`media_dir=A,${tree}`, `db_dir=${dir}`, `log_dir=${dir}`, `port=${port}`, 'network_interface=lo', 'inotify=no', 'friendly_name=homecast-bench', ''].join('\n'));
    const md = start('minidlnad', 'minidlnad', ['-d', '-f', join(dir, 'minidlna.conf'), '-P', join(dir, 'minidlna.pid')]);
    running.push(md);
    const mdUrl = `http://127.0.0.1:${port}/ctl/ContentDir`;
    // On its scanned database minidlna starts without scanning (no -r): it answers once it listens.
    if (scanned?.minidlna) await untilAll(mdUrl, '1$4', files, 60_000);
    else await md.waitFor(/Scanning .* finished \((\d+) files\)!/, 300_000);

    // One warm-up pass each, then passes taken in turn (load elsewhere weighs on both alike); the median.
    await browseAll(oursUrl, 'music/tracks');
    await browseAll(mdUrl, '1$4');
    const oursRuns: Browsed[] = [];
    const mdRuns: Browsed[] = [];
    for (let i = 0; i < PASSES; i++) {
      oursRuns.push(await browseAll(oursUrl, 'music/tracks'));
      mdRuns.push(await browseAll(mdUrl, '1$4'));
    }
    const mid = (xs: Browsed[]) => [...xs].sort((x, y) => x.ms - y.ms)[Math.floor(xs.length / 2)]!;
    return rowsOf(mid(oursRuns), mid(mdRuns), files, oursRuns, mdRuns, !!(scanned?.ours && scanned.minidlna));
  } finally {
    await Promise.all(running.map((p) => p.stop()));
  }
}

function rowsOf(oursRun: Browsed, mdRun: Browsed, files: number, oursRuns: Browsed[], mdRuns: Browsed[], reused: boolean): Row[] {
  const each = (xs: Browsed[]) => xs.map((x) => Math.round(x.ms)).join('/');
  const note = `${oursRun.items} vs ${mdRun.items} tracks of ${files}, ${oursRun.requests} vs ${mdRun.requests} requests; passes in turn, ours ${each(oursRuns)} ms, minidlna ${each(mdRuns)} ms${reused ? '; both on the scan section\'s data' : ''}`;
  return [
    { section: 'dlna', metric: `browse all tracks in pages of ${PAGE}, median of ${PASSES}`, unit: 'ms', ours: oursRun.ms, ref: mdRun.ms, refName: 'minidlna', better: 'lower', note },
    { section: 'dlna', metric: 'Browse requests', unit: 'req/s', ours: oursRun.requests / (oursRun.ms / 1000), ref: mdRun.requests / (mdRun.ms / 1000), refName: 'minidlna', better: 'higher' },
  ];
}
