// The real server scanning the fixture library: counts, tags, links between artists, albums
// and tracks, art, search and paging, all read back over HTTP.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }
type Item = Record<string, unknown> & { id: number; title: string; streamUrl: string; artUrl: string | null };

let lib: LibraryCopy;
let server: RunningServer;

async function all<T = Item>(kind: string, query = ''): Promise<List<T>> {
  const r = await server.get<List<T>>(`/api/library/${kind}?limit=500${query}`);
  expect(r.status).toBe(200);
  return r.body;
}

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  server = await startServer({
    config: {
      libraries: [
        { name: 'Music', path: lib.music, kind: 'music' },
        { name: 'Video', path: lib.video, kind: 'video' },
        { name: 'Photos', path: lib.photos, kind: 'photo' },
      ],
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Photos');
});

afterAll(async () => {
  await server?.stop();
});

describe('library scan', () => {
  it('counts every readable file once and records the broken one with its reason', async () => {
    const stats = (await server.get<Record<string, unknown>>('/api/library/stats')).body;
    expect(stats).toMatchObject({ tracks: lib.fx.audio.length + 1, videos: lib.fx.video.length, photos: 2, albums: 4 + 1, errors: 1, scanning: false });
    const errors = (await server.get<List<{ path: string; error: string }>>('/api/library/errors')).body;
    expect(errors.items).toEqual([expect.objectContaining({ path: 'Broken/truncated.flac', error: expect.stringMatching(/truncated/) })]);
  });

  it('reads the tags of every audio fixture', async () => {
    const tracks = (await all('tracks')).items;
    for (const f of lib.fx.audio) {
      const t = tracks.find((x) => x.path === f.rel.replace(/^music\//, ''));
      expect(t, f.rel).toBeDefined();
      // Untagged files are named from the path (checked below), not from the raw file name.
      if (f.hasTags) expect(t!.title, f.rel).toBe(f.displayTitle);
      expect(t, f.rel).toMatchObject({ codec: f.mmCodec, sampleRate: f.sampleRate, channels: f.channels, lossless: f.lossless });
      if (f.bitDepth) expect(t!.bitDepth, f.rel).toBe(f.bitDepth);
      expect(t!.duration as number).toBeCloseTo(f.durationSec, 0);
      if (f.hasTags) expect(t, f.rel).toMatchObject({ artist: f.artist, albumArtist: f.albumArtist, album: f.album, trackNo: f.trackNo, year: f.year, genre: f.genre });
      if (f.discNo) expect(t!.discNo).toBe(f.discNo);
      if (f.replayGain) expect(t!.replayGain).toMatchObject({ trackGain: f.replayGain.trackGainDb, trackPeak: f.replayGain.trackPeak, albumGain: f.replayGain.albumGainDb });
      expect(t!.streamUrl).toMatch(/^\/media\/\d+\?exp=\d+&sig=/);
      if (f.embeddedCover || f.folderArtPath) expect(t!.artUrl, f.rel).toMatch(/^\/art\/[0-9a-f]{40}\?/);
    }
  });

  it('names untagged files from the path and keeps a file with broken tags playable', async () => {
    const tracks = (await all('tracks')).items;
    const wav = tracks.find((t) => t.path === 'Gamma/Opus/02 Plain.wav')!;
    expect(wav).toMatchObject({ title: 'Plain', trackNo: 2, album: 'Opus', artist: 'Gamma' });
    const bad = tracks.find((t) => t.path === 'Broken/bad-tags.mp3')!;
    expect(bad).toMatchObject({ title: 'bad-tags', codec: 'mp3', album: 'Broken' });
    expect(server.lines.some((l) => / partly readable file .*bad-tags\.mp3/.test(l))).toBe(true);
  });

  it('links artists, albums and tracks; a compilation is one album under its album artist', async () => {
    const albums = (await all<Record<string, unknown> & { id: number }>('albums')).items;
    const folder = (p: string) => p.slice(0, p.lastIndexOf('/'));
    for (const a of lib.fx.albums) {
      // An untagged file joins the album of the folder it sits in.
      const folders = new Set(a.tracks.map((k) => folder(lib.fx.files[k].rel)));
      const untagged = lib.fx.audio.filter((f) => !f.hasTags && folders.has(folder(f.rel))).map((f) => f.displayTitle.replace(/^\d+ /, ''));
      const found = albums.find((x) => x.title === a.title)!;
      expect(found, a.title).toMatchObject({ artist: a.albumArtist, compilation: a.compilation, year: a.year, tracks: a.tracks.length + untagged.length });
      if (a.cover !== 'none') expect(found.artUrl, a.title).toMatch(/^\/art\//);
      const tracks = (await all('tracks', `&albumId=${found.id}`)).items;
      expect(tracks.map((t) => t.title)).toEqual([...a.tracks.map((k) => lib.fx.files[k].displayTitle), ...untagged]);
    }
    const hits = albums.find((x) => x.title === 'Hits')!;
    const hitTracks = (await all('tracks', `&albumId=${hits.id}`)).items;
    expect(hitTracks.map((t) => t.artist)).toEqual(['Solo One', 'Solo Two']);
    const artists = (await all<{ name: string; id: number; tracks: number }>('artists')).items;
    expect(artists.map((a) => a.name)).toEqual(expect.arrayContaining(['Alpha Artist', 'Beta Band', 'Gamma', 'Various Artists', 'Solo One', 'Solo Two']));
    const solo = artists.find((a) => a.name === 'Solo One')!;
    expect((await all('tracks', `&artistId=${solo.id}`)).total).toBe(1);
    const various = artists.find((a) => a.name === 'Various Artists')!;
    expect((await all('albums', `&artistId=${various.id}`)).items.map((a) => a.title)).toEqual(['Hits']);
  });

  it('reads video streams, HDR-free profiles, languages and subtitles (embedded and beside the file)', async () => {
    const videos = (await all('videos')).items;
    const movie = videos.find((v) => v.path === 'Movie.mkv')!;
    const m = lib.fx.files.movie;
    expect(movie).toMatchObject({ title: m.title, container: 'matroska', width: m.width, height: m.height, videoCodec: 'hevc', audioCodec: 'ac3', hdr: null });
    expect(movie.duration as number).toBeCloseTo(m.durationSec, 0);
    const streams = movie.streams as Record<string, unknown>[];
    expect(streams.find((s) => s.type === 'video')).toMatchObject({ codec: 'hevc', profile: m.videoProfile, frameRate: m.fps, pixFmt: 'yuv420p', bitDepth: 8 });
    expect(streams.find((s) => s.type === 'audio')).toMatchObject({ codec: 'ac3', channels: 6, sampleRate: 48000, language: 'eng' });
    expect(movie.subtitles).toEqual([
      expect.objectContaining({ source: 'embedded', format: 'subrip', language: 'fra', default: false, forced: false }),
      expect.objectContaining({ source: 'external', format: 'srt', path: lib.at('video/Movie.srt'), default: false, forced: false }),
    ]);
    const clip = videos.find((v) => v.path === 'Clip.mp4')!;
    expect(clip).toMatchObject({ title: lib.fx.files.clip.title, container: 'mp4', videoCodec: 'h264', audioCodec: 'aac' });
    expect((clip.streams as Record<string, unknown>[])[0]).toMatchObject({ profile: 'High', level: expect.any(Number) });
    expect(clip.artUrl).toMatch(/^\/art\//);
  });

  it('reads EXIF from photos', async () => {
    const photos = (await all('photos')).items;
    const cam = photos.find((p) => p.path === 'Camera.jpg')!;
    const e = lib.fx.files.camera.exif!;
    expect(cam).toMatchObject({ cameraMake: e.make, cameraModel: e.model, orientation: e.orientation, width: 640, height: 480 });
    expect(new Date(cam.takenAt as number)).toEqual(new Date(e.takenAt));
    expect(cam.latitude as number).toBeCloseTo(e.latitude, 3);
    expect(cam.longitude as number).toBeCloseTo(e.longitude, 3);
    expect(photos.find((p) => p.path === 'Plain.png')).toMatchObject({ width: 64, height: 48, takenAt: null });
    expect(photos[0]!.path).toBe('Camera.jpg'); // newest first; undated last
  });

  it('searches titles, artists, albums and file names, and pages with a stable total', async () => {
    expect((await all('tracks', '&q=ALPHA')).items.map((t) => t.title).sort()).toEqual(['Second', 'Tagged']);
    expect((await all('tracks', '&q=first album')).total).toBe(2);
    expect((await all('tracks', '&q=02 plain')).items.map((t) => t.title)).toEqual(['Plain']);
    expect((await all('tracks', '&q=100%')).total).toBe(0);
    expect((await all('albums', '&q=various')).items.map((a) => a.title)).toEqual(['Hits']);
    expect((await all('artists', '&q=solo')).total).toBe(2);
    expect((await all('videos', '&q=movie')).total).toBe(1);
    expect((await all('photos', '&q=fixture cam')).total).toBe(1);
    const page1 = (await server.get<List<Item>>('/api/library/tracks?limit=3&offset=0')).body;
    const page2 = (await server.get<List<Item>>('/api/library/tracks?limit=3&offset=3')).body;
    expect(page1.total).toBe(page2.total);
    expect(page1.items).toHaveLength(3);
    expect(new Set([...page1.items, ...page2.items].map((t) => t.id)).size).toBe(6);
  });

  it('answers bad query strings with 400 naming the parameter', async () => {
    expect(await server.get('/api/library/tracks?limit=0')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/limit/) } });
    expect(await server.get('/api/library/tracks?offset=-1')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/offset/) } });
    expect(await server.get('/api/library/albums?sort=1')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/sort/) } });
    expect(await server.get(`/api/library/tracks?q=${'x'.repeat(201)}`)).toMatchObject({ status: 400 });
    expect(await server.get('/api/health')).toMatchObject({ status: 200, body: { status: 'ok', version: expect.any(String) } });
  });

  it('starts a rescan for the remote and the CLI, never for a page of another site', async () => {
    const post = (headers: Record<string, string>) => server.fetch('/api/library/rescan', { method: 'POST', headers });
    const foreign = await post({ origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: string }).error).toMatch(/another site/);
    expect((await post({ origin: 'null' })).status).toBe(403);
    expect((await post({ origin: server.url })).status).toBe(202);
    expect((await post({})).status).toBe(202);
  });

  it('streams each item and its art through the signed URLs', async () => {
    const t = (await all('tracks', '&q=cover.flac')).items[0]!;
    const res = await fetch(server.url + t.streamUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/flac');
    expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(lib.fx.files.covered.path.replace(lib.fx.dir, lib.root)))).toBe(true);
    const art = await fetch(server.url + t.artUrl!);
    expect(art.status).toBe(200);
    expect(art.headers.get('content-type')).toMatch(/^image\/jpeg/);
    const photo = (await all('photos')).items.find((p) => p.path === 'Camera.jpg')!;
    const thumb = await fetch(server.url + photo.artUrl!);
    expect(thumb.status).toBe(200);
    expect((await thumb.arrayBuffer()).byteLength).toBeLessThan(lib.fx.files.camera.width * lib.fx.files.camera.height);
    const tampered = t.streamUrl.replace(/\/media\/\d+/, `/media/${t.id + 1}`);
    expect((await fetch(server.url + tampered)).status).toBe(403);
  });
});
