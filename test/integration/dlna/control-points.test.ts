// Control points nobody here wrote browse our MediaServer as a TV would: GUPnP (with GUPnP-AV's
// DIDL-Lite parser) and Perl's Net::UPnP, both finding it by SSDP inside a network namespace.
// Each sees every track, video and photo of the fixture library with its title and duration,
// fetches one item of each kind from the signed URLs as given, and sees SystemUpdateID move
// when a file is added (GUPnP through a GENA event, Net::UPnP by asking again).
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_TIMEOUT_MS } from '../../helpers/fixtures.js';
import { readLines } from '../../helpers/lines.js';
import { projectRoot } from '../../helpers/paths.js';
import { scriptPath, seconds, startDlnaFixture, type DlnaFixture } from './fixture.js';

let f: DlnaFixture;
beforeAll(async () => {
  f = await startDlnaFixture('cp');
}, FIXTURES_TIMEOUT_MS + 60_000);
afterAll(async () => {
  await f?.close();
});

type Json = Record<string, any>;

function kindOf(upnpClass: string): 'audio' | 'video' | 'photo' {
  return upnpClass.startsWith('object.item.audioItem') ? 'audio' : upnpClass.startsWith('object.item.videoItem') ? 'video' : 'photo';
}

describe('control points browse us', () => {
  it('GUPnP finds us by SSDP, pages through the tree, searches, parses the DIDL with GUPnP-AV, fetches each kind, and hears SystemUpdateID change', async () => {
    const cp = readLines(f.ns.spawn('/usr/bin/python3', [scriptPath('gupnp_browse.py'), '--iface', 'v1', '--name', f.name, '--page', '3', '--watch', '60', '--timeout', '30']), 'gupnp');
    await cp.wait(/"event": "(subscribed|error)"/, 90_000);
    const ev = (name: string) => cp.json<Json>().find((e) => e.event === name);
    expect(ev('error'), JSON.stringify(ev('error'))).toBeUndefined();

    const browsed = ev('browsed')!;
    expect(browsed.badCounts).toEqual([]); // every container's childCount is what browsing it gives
    const byKind = { audio: new Map<string, number>(), video: new Map<string, number>(), photo: new Map<string, number>() };
    for (const it of browsed.items as Json[]) {
      expect(it.res.length, it.title).toBeGreaterThan(0);
      byKind[kindOf(it.class)].set(it.title, it.res[it.res.length - 1].duration);
    }
    expect([...byKind.audio.keys()].sort()).toEqual([...f.expected.audio.keys()].sort());
    expect([...byKind.video.keys()].sort()).toEqual([...f.expected.video.keys()].sort());
    expect([...byKind.photo.keys()].sort()).toEqual([...f.expected.photo].sort());
    // GUPnP-AV rounds res@duration down to whole seconds.
    for (const [title, d] of [...f.expected.audio, ...f.expected.video]) {
      const got = byKind.audio.get(title) ?? byKind.video.get(title)!;
      expect(Math.abs(got - d), title).toBeLessThanOrEqual(1);
    }

    expect(ev('searched')!.titles).toEqual(
      [...f.expected.audio.keys()].filter((t) => t.toLowerCase().includes('o')).sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })),
    );
    const fetched = ev('fetched')!.kinds as Record<string, Json>;
    expect(Object.keys(fetched).sort()).toEqual(['audioItem', 'imageItem', 'videoItem']);
    for (const k of Object.values(fetched)) {
      expect(k).toMatchObject({ status: 206, bytes: 1024, transferMode: expect.stringMatching(/Streaming|Interactive/) });
      expect(k.contentFeatures).toMatch(/DLNA\.ORG_OP=0[01];DLNA\.ORG_CI=0;DLNA\.ORG_FLAGS=[0-9a-f]{32}/);
    }

    const first = ev('updateId')!.id as number;
    const mark = cp.lines.length;
    await mkdir(join(f.lib.music, 'Added'), { recursive: true });
    await copyFile(f.lib.at('music/Various/Hits/01 One.mp3'), join(f.lib.music, 'Added', '03 Three.mp3'));
    await cp.wait(/"event": "(changed|error)"/, 60_000, mark);
    const changed = ev('changed')!;
    expect(changed.systemUpdateId).toBeGreaterThan(first);
    expect(changed.polled).toBe(changed.systemUpdateId);
  }, 180_000);

  it('Net::UPnP finds us by SSDP and browses every item with its title, duration and a fetchable res', async () => {
    const run = await f.ns.run('perl', [scriptPath('net_upnp_browse.pl'), f.name, '4']);
    const out = run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Json);
    const ev = (name: string) => out.find((e) => e.event === name);
    expect(ev('error'), run.stderr).toBeUndefined();
    const items = ev('browsed')!.items as Json[];
    const titles = (k: string) => items.filter((i) => kindOf(i.class) === k).map((i) => i.title).sort();
    // The GUPnP test may have added "One" a second time (Added/03 Three.mp3 has One's tags).
    expect([...new Set(titles('audio'))]).toEqual([...f.expected.audio.keys()].sort());
    expect(titles('video')).toEqual([...f.expected.video.keys()].sort());
    expect(titles('photo')).toEqual([...f.expected.photo].sort());
    for (const i of items.filter((x) => kindOf(x.class) !== 'photo')) {
      const want = f.expected.audio.get(i.title) ?? f.expected.video.get(i.title)!;
      expect(Math.abs(seconds(i.duration) - want), i.title).toBeLessThanOrEqual(0.15);
    }
    const fetched = ev('fetched')!.kinds as Record<string, { status: string; bytes: number; transcode: boolean }>;
    expect(Object.keys(fetched).sort()).toEqual(['audioItem', 'imageItem', 'videoItem']);
    // An original: the first KiB, or the whole file when smaller (the PNG is 469 bytes). Which video
    // comes first depends on scan order; the Matroska one is offered to this generic client as a
    // live transcode first, which ignores the byte range and sends the whole stream.
    for (const k of Object.values(fetched)) {
      const ok = k.transcode ? k.status === '200' && k.bytes > 1024 : k.status === '206' && k.bytes > 0 && k.bytes <= 1024;
      expect(ok, JSON.stringify(k)).toBe(true);
    }

    // Asked again after a file is added (QueryStateVariable, as Net::UPnP does it), the ID has moved.
    const before = Number(ev('updateId')!.id);
    expect(before).toBeGreaterThan(0);
    const mark = f.server.lines.length;
    await copyFile(f.lib.at('music/Various/Hits/02 Two.mp3'), join(f.lib.music, 'Various', 'Hits', '04 Four.mp3'));
    await f.server.waitForLine(/ dlna library changed /, 60_000, mark);
    const again = await f.ns.run('perl', ['-MNet::UPnP::ControlPoint', '-MNet::UPnP::AV::MediaServer', '-e',
      'my ($d) = grep { $_->getfriendlyname() eq $ARGV[0] } Net::UPnP::ControlPoint->new()->search(st => "urn:schemas-upnp-org:device:MediaServer:1", mx => 2); my $m = Net::UPnP::AV::MediaServer->new(); $m->setdevice($d); print $m->getsystemupdateid(), "\\n";', f.name]);
    expect(Number(again.stdout.trim()), again.stderr).toBeGreaterThan(before);
  }, 180_000);
});

describe('media as DLNA renderers fetch it', () => {
  it('a transcode offered to a generic renderer seeks by TimeSeekRange.dlna.org; an original refuses time seeks and takes byte ranges', async () => {
    const CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1';
    const base = `http://${f.ns.addr}:${f.server.port}`;
    const browse = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Browse xmlns:u="${CDS}"><ObjectID>music/tracks</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria></u:Browse></s:Body></s:Envelope>`;
    const peer = async (plan: unknown) => {
      const r = await f.ns.run(process.execPath, [join(projectRoot, 'dist/test/integration/dlna/raw-peer.js'), JSON.stringify(plan)]);
      return (JSON.parse(r.stdout) as { http: Array<{ status: number; body: string; headers: Record<string, string> }> }).http;
    };
    const [listing] = await peer({ http: [{ method: 'POST', url: `${base}/dlna/control/cds`, body: browse, headers: { SOAPACTION: `"${CDS}#Browse"`, 'User-Agent': 'SomeTV DLNADOC/1.50' } }] });
    const didl = listing!.body.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    // The FLAC "Cover" (3 s): a generic DLNA renderer gets an AAC transcode first, then the original.
    const cover = /<item[^>]*>(?:(?!<\/item>).)*?<dc:title>Cover<\/dc:title>(?:(?!<\/item>).)*<\/item>/s.exec(didl)![0];
    const res = [...cover.matchAll(/<res protocolInfo="([^"]+)"[^>]*>([^<]+)<\/res>/g)].map((m) => ({ info: m[1]!, url: m[2]!.replace(/&amp;/g, '&') }));
    expect(res.map((r) => r.info.split(':')[2])).toEqual(['audio/aac', 'audio/flac']);
    expect(res[0]!.info).toContain('DLNA.ORG_OP=10;DLNA.ORG_CI=1');
    const [whole, seeked, original] = await peer({ http: [
      { method: 'GET', url: res[0]!.url, headers: { 'getcontentFeatures.dlna.org': '1' } },
      { method: 'GET', url: res[0]!.url, headers: { 'TimeSeekRange.dlna.org': 'npt=2.000-', 'getcontentFeatures.dlna.org': '1' } },
      { method: 'GET', url: res[1]!.url, headers: { 'TimeSeekRange.dlna.org': 'npt=1-' } },
    ] });
    expect(whole!.status).toBe(200);
    expect(whole!.headers['contentfeatures.dlna.org']).toMatch(/^DLNA\.ORG_OP=10;DLNA\.ORG_CI=1;/);
    expect(seeked!.headers['timeseekrange.dlna.org']).toBe('npt=2.000-3.000/3.000');
    // From 2 s of 3 s: about a third of the AAC stream (its frames are near constant size).
    expect(seeked!.body.length).toBeLessThan(whole!.body.length * 0.6);
    expect(seeked!.body.length).toBeGreaterThan(0);
    expect(original!.status).toBe(406);
  });

  it('a Samsung TV gets SubRip subtitles: sec:CaptionInfoEx in the DIDL and CaptionInfo.sec with the media', async () => {
    const CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1';
    const base = `http://${f.ns.addr}:${f.server.port}`;
    const browse = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Browse xmlns:u="${CDS}"><ObjectID>video/all</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria></u:Browse></s:Body></s:Envelope>`;
    const peer = async (plan: unknown) => {
      const r = await f.ns.run(process.execPath, [join(projectRoot, 'dist/test/integration/dlna/raw-peer.js'), JSON.stringify(plan)]);
      return (JSON.parse(r.stdout) as { http: Array<{ status: number; body: string; headers: Record<string, string> }> }).http;
    };
    const samsung = { SOAPACTION: `"${CDS}#Browse"`, 'User-Agent': 'SEC_HHP_[TV] Samsung Q7 Series (55)/1.0 DLNADOC/1.50' };
    const [listing] = await peer({ http: [{ method: 'POST', url: `${base}/dlna/control/cds`, body: browse, headers: samsung }] });
    const didl = listing!.body.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const item = (title: string): string => [...didl.matchAll(/<item[^>]*>.*?<\/item>/gs)].map((m) => m[0]).find((x) => x.includes(`<dc:title>${title}</dc:title>`))!;
    expect(item('Test Clip')).not.toContain('CaptionInfoEx');
    const talk = item('Subtitled Talk');
    const caption = /<sec:CaptionInfoEx sec:type="srt">([^<]+)<\/sec:CaptionInfoEx>/.exec(talk)![1]!.replace(/&amp;/g, '&');
    expect(talk).toContain('<res protocolInfo="http-get:*:text/srt:*">');
    const original = /<res protocolInfo="http-get:\*:video\/mp4:[^"]*"[^>]*>([^<]+)<\/res>/.exec(talk)![1]!.replace(/&amp;/g, '&');
    const [srt, media] = await peer({ http: [
      { method: 'GET', url: caption },
      { method: 'HEAD', url: original, headers: { 'getCaptionInfo.sec': '1' } },
    ] });
    expect(srt!.status).toBe(200);
    expect(srt!.headers['content-type']).toMatch(/^text\/srt/);
    // The default stream of Subtitled Talk is the French one (fixtures: SRT_CUES_FRA).
    expect(srt!.body).toMatch(/^1\r?\n00:00:0\d,\d{3} --> 00:00:\d\d,\d{3}\r?\n/);
    expect(srt!.body).toContain(f.lib.fx.files.subtitled.embeddedSubtitles.find((s) => s.default)!.cues![0]);
    expect(media!.headers['captioninfo.sec']).toBe(caption);
  });
});
