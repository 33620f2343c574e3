// Side by side with minidlna (1.3.0) and gerbera (1.1.0), Debian's, on the same fixture tree in
// one network namespace: the same GUPnP control point browses each whole tree (gerbera: its
// "PC Directory", the one view where an object is a file; its other views copy objects without
// refID), parses every DIDL with GUPnP-AV, and counts the distinct media reachable by browsing.
// Where the counts differ it is what each server indexes, pinned here so a change shows:
//   minidlna: no Opus, no PNG, and lists the truncated FLAC (no audio frames) as a track;
//   gerbera: lists the truncated FLAC, the music folder's cover (folder.jpg) as a photo, and the
//   .srt beside the movie as a plain object.item.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_TIMEOUT_MS } from '../../helpers/fixtures.js';
import { readLines, type LineReader } from '../../helpers/lines.js';
import { scriptPath, startDlnaFixture, type DlnaFixture } from './fixture.js';

let f: DlnaFixture;
const refs: LineReader[] = [];
beforeAll(async () => {
  f = await startDlnaFixture('side');
  const dir = mkdtempSync(join(tmpdir(), 'hc-refs-'));
  writeFileSync(join(dir, 'minidlna.conf'), [
    `media_dir=A,${f.lib.music}`, `media_dir=V,${f.lib.video}`, `media_dir=P,${f.lib.photos}`,
    `db_dir=${dir}/minidlna-db`, `log_dir=${dir}`, 'port=8200', 'network_interface=v0,v1', `friendly_name=minidlna ${process.pid}`, 'inotify=no', '',
  ].join('\n'));
  mkdirSync(join(dir, 'gerbera'));
  refs.push(readLines(f.ns.spawn('minidlnad', ['-f', join(dir, 'minidlna.conf'), '-P', join(dir, 'minidlna.pid'), '-d']), 'minidlna'));
  refs.push(readLines(f.ns.spawn('gerbera', ['-m', join(dir, 'gerbera'), '-f', 'cfg', '-e', 'v0', '-p', '49200', '-a', f.lib.music, '-a', f.lib.video, '-a', f.lib.photos]), 'gerbera'));
}, FIXTURES_TIMEOUT_MS + 60_000);
afterAll(async () => {
  await f?.close();
});

type Json = Record<string, any>;
type Counts = Record<string, number>;

async function browse(name: string, extra: string[] = []): Promise<{ counts: Counts; events: Json[] }> {
  const r = await f.ns.run('/usr/bin/python3', [scriptPath('gupnp_browse.py'), '--iface', 'v1', '--name', name, '--page', '10', '--timeout', '15', ...extra]);
  const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Json);
  const browsed = events.find((e) => e.event === 'browsed');
  const media = new Map<string, Set<string>>();
  for (const it of (browsed?.items ?? []) as Json[]) {
    const kind = String(it.class).split('.')[2] ?? 'other';
    // One file, one URL path (minidlna and we list a file under several containers with one URL).
    if (it.res.length) media.set(kind, (media.get(kind) ?? new Set()).add(new URL(it.res[it.res.length - 1].uri).pathname));
  }
  return { counts: Object.fromEntries([...media].map(([k, v]) => [k, v.size])), events };
}

/** The reference servers scan on their own and say nothing when done: browse until the counts are the expected ones. */
async function browseUntil(name: string, want: Counts, extra: string[] = []): Promise<{ counts: Counts; events: Json[] }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const got = await browse(name, extra);
    if (JSON.stringify(sorted(got.counts)) === JSON.stringify(want) || Date.now() > deadline) return got;
  }
}

const sorted = (c: Counts) => Object.fromEntries(Object.entries(c).sort(([a], [b]) => a.localeCompare(b)));

describe('side by side with minidlna and gerbera', () => {
  it('every server is found by SSDP, its DIDL parses with GUPnP-AV, and each reaches the media it indexes', async () => {
    const ours = await browse(f.name);
    const minidlna = await browseUntil(`minidlna ${process.pid}`, sorted({ audioItem: 9, videoItem: 3, imageItem: 1 }));
    const gerbera = await browseUntil('gerbera', sorted({ audioItem: 10, videoItem: 3, imageItem: 3, other: 1 }), ['--start-title', 'PC Directory']);
    for (const s of [ours, minidlna, gerbera]) {
      expect(s.events.find((e) => e.event === 'error'), refs.map((r) => r.lines.slice(-5).join('\n')).join('\n')).toBeUndefined();
      expect(s.events.find((e) => e.event === 'browsed')!.badCounts).toEqual([]);
    }
    const fx = f.lib.fx;
    expect(sorted(ours.counts)).toEqual(sorted({ audioItem: fx.audio.length + fx.broken.filter((b) => b.ffprobeReads).length, videoItem: fx.video.length, imageItem: fx.photo.length }));
    expect(sorted(minidlna.counts)).toEqual(sorted({ audioItem: 9, videoItem: 3, imageItem: 1 }));
    expect(sorted(gerbera.counts)).toEqual(sorted({ audioItem: 10, videoItem: 3, imageItem: 3, other: 1 }));
    // The videos are the same three everywhere.
    expect(new Set([ours.counts.videoItem, minidlna.counts.videoItem, gerbera.counts.videoItem])).toEqual(new Set([3]));
  }, 240_000);
});
