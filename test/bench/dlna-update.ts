// DLNA: time from a file added to the library folder (renamed in, as a finished download lands) to
// the ContentDirectory's SystemUpdateID telling a TV so. Ours: its GENA event (the server's watcher,
// rescan and moderated event). minidlna 1.3 (inotify=yes): its inotify logs no finished scan, so
// its SystemUpdateID is polled with GetSystemUpdateID every POLL_MS (the figure is within POLL_MS of
// the change). A few adds each on a small tree of their own, after a quiet spell longer than the
// 2 s event moderation; the median is reported.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateBigLibrary } from '../fixtures/big-library.js';
import { freePort } from './lib/net.js';
import { startOurs, waitScanFinished } from './lib/ours.js';
import { start } from './lib/proc.js';
import type { Row } from './lib/table.js';
import { median } from '../helpers/stats.js';

const CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1';
const ADDS = 3;
const POLL_MS = 20;
const QUIET_MS = 2_200;
const TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function systemUpdateId(controlUrl: string): Promise<number> {
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:GetSystemUpdateID xmlns:u="${CDS}"/></s:Body></s:Envelope>`;
  const res = await fetch(controlUrl, { method: 'POST', body, headers: { 'Content-Type': 'text/xml; charset="utf-8"', SOAPACTION: `"${CDS}#GetSystemUpdateID"` } });
  const text = await res.text();
  const id = /<Id>(\d+)<\/Id>/.exec(text)?.[1];
  if (res.status !== 200 || id === undefined) throw new Error(`GetSystemUpdateID at ${controlUrl}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return Number(id);
}

/** Adds one MP3 to `tree` (written beside it, then renamed in) and returns when it was renamed. */
async function addFile(source: string, staging: string, tree: string, n: number): Promise<number> {
  const tmp = join(staging, `new-${n}.mp3`);
  await copyFile(source, tmp);
  await mkdir(join(tree, 'Added'), { recursive: true });
  const t0 = performance.now();
  await rename(tmp, join(tree, 'Added', `${String(n).padStart(2, '0')} Added ${n}.mp3`));
  return t0;
}

/** A GENA subscriber on loopback: resolves each SystemUpdateID event with its arrival time. */
async function subscribe(eventUrl: string): Promise<{ next: (after: number) => Promise<{ id: number; at: number }>; close: () => void }> {
  const events: Array<{ id: number; at: number }> = [];
  let wake = () => {};
  const sink = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const id = /<SystemUpdateID>(\d+)</.exec(body)?.[1];
      if (id !== undefined) events.push({ id: Number(id), at: performance.now() });
      res.end();
      wake();
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const port = (sink.address() as AddressInfo).port;
  const res = await fetch(eventUrl, { method: 'SUBSCRIBE', headers: { CALLBACK: `<http://127.0.0.1:${port}/>`, NT: 'upnp:event', TIMEOUT: 'Second-300' } });
  if (res.status !== 200) throw new Error(`SUBSCRIBE ${eventUrl}: HTTP ${res.status}`);
  const next = (after: number) =>
    new Promise<{ id: number; at: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SystemUpdateID event above ${after} in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      wake = () => {
        const e = events.find((x) => x.id > after);
        if (e) (clearTimeout(timer), resolve(e));
      };
      wake();
    });
  return { next, close: () => sink.close() };
}

async function ours(tree: string, dataDir: string, source: string, staging: string): Promise<number[]> {
  const s = await startOurs(dataDir, [{ name: 'Added', path: tree, kind: 'music' }], { watch: true });
  try {
    await waitScanFinished(s, 'Added', 60_000);
    await s.proc.waitFor(/ dlna library changed /, 30_000);
    const sub = await subscribe(`${s.url}/dlna/event/cds`);
    try {
      let id = (await sub.next(-1)).id;
      const ms: number[] = [];
      for (let n = 1; n <= ADDS; n++) {
        await sleep(QUIET_MS);
        const t0 = await addFile(source, staging, tree, n);
        const e = await sub.next(id);
        ms.push(e.at - t0);
        id = e.id;
      }
      return ms;
    } finally {
      sub.close();
    }
  } finally {
    await s.proc.stop();
  }
}

async function minidlna(tree: string, dir: string, source: string, staging: string): Promise<number[]> {
  const port = await freePort();
  await writeFile(join(dir, 'minidlna.conf'), [`media_dir=A,${tree}`, `db_dir=${dir}`, `log_dir=${dir}`, `port=${port}`, 'network_interface=lo', 'inotify=yes', 'friendly_name=homecast-bench', ''].join('\n'));
  const md = start('minidlnad', 'minidlnad', ['-d', '-f', join(dir, 'minidlna.conf'), '-P', join(dir, 'minidlna.pid')]);
  try {
    await md.waitFor(/Scanning .* finished \((\d+) files\)!/, 60_000);
    const url = `http://127.0.0.1:${port}/ctl/ContentDir`;
    const ms: number[] = [];
    for (let n = 1; n <= ADDS; n++) {
      await sleep(QUIET_MS);
      const before = await systemUpdateId(url);
      const t0 = await addFile(source, staging, tree, n);
      for (;;) {
        const id = await systemUpdateId(url);
        if (id !== before) break;
        if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`minidlna's SystemUpdateID stayed ${before} for ${TIMEOUT_MS} ms after a file was added`);
        await sleep(POLL_MS);
      }
      ms.push(performance.now() - t0);
    }
    return ms;
  } finally {
    await md.stop();
  }
}

export async function benchDlnaUpdate(work: string, progress: (s: string) => void): Promise<Row[]> {
  const base = join(work, 'dlna-update');
  const trees = { ours: join(base, 'ours-tree'), minidlna: join(base, 'minidlna-tree') };
  const staging = join(base, 'staging');
  await mkdir(staging, { recursive: true });
  for (const t of Object.values(trees)) await generateBigLibrary(t, { files: 20, artists: 2 });
  const source = join(trees.ours, 'Artist 01', 'Album 01', '01 Title 01.mp3');
  progress('dlna: file added → SystemUpdateID, ours (GENA event)');
  const o = await ours(trees.ours, join(base, 'ours-data'), source, staging);
  progress('dlna: file added → SystemUpdateID, minidlna (inotify, GetSystemUpdateID polled)');
  await mkdir(join(base, 'minidlna-data'), { recursive: true });
  const m = await minidlna(trees.minidlna, join(base, 'minidlna-data'), source, staging);
  const note = `median of ${ADDS} adds; ours ${o.map((x) => Math.round(x)).join('/')} ms (GENA event), minidlna ${m.map((x) => Math.round(x)).join('/')} ms (GetSystemUpdateID polled every ${POLL_MS} ms)`;
  return [{ section: 'dlna', metric: 'file added → SystemUpdateID changed', unit: 'ms', ours: median(o), ref: median(m), refName: 'minidlna', better: 'lower', note }];
}
