// Side-loaded text tracks on the software Chromecast, driven by castv2-client over real TLS on
// 127.0.0.1 with WebVTT files from a local HTTP server: only an active TEXT track is fetched (with
// an Origin, allowed by CORS, and read as WebVTT), EDIT_TRACKS_INFO changes the active tracks as
// cast.framework.messages.EditTracksInfoRequestData says, MEDIA_STATUS reports activeTrackIds,
// and a track that cannot be shown never stops the media.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../helpers/paths.js';
import { CastSender } from './cast-sender.js';
import { startFileServer, type FileServer } from './file-server.js';
import { JsonLines } from './json-lines.js';
import { makeTestMedia, type TestMedia } from './media.js';

let media: TestMedia;
let files: FileServer;
let emu: ChildProcess;
let out: JsonLines;
let sender: CastSender;

const vtt = (cues: string[]) => `WEBVTT\n\n${cues.map((c, i) => `00:00:0${i}.000 --> 00:00:0${i}.900\n${c}\n`).join('\n')}`;
const url = (file: string, query = '') => `${files.url}/${encodeURIComponent(basename(file))}${query}`;
const text = (trackId: number, file: string, language: string, query = '?cors=1') =>
  ({ trackId, type: 'TEXT', subtype: 'SUBTITLES', trackContentId: url(file, query), trackContentType: 'text/vtt', language, name: language });
/** Requests the file server saw for a file, from index `from` on. */
const fetched = (file: string, from: number) => files.requests.slice(from).filter((r) => r.path === `/${file}`);

beforeAll(async () => {
  media = await makeTestMedia();
  writeFileSync(join(media.dir, 'en.vtt'), vtt(['Hello', 'there', 'again']));
  writeFileSync(join(media.dir, 'fr.vtt'), vtt(['Bonjour']));
  writeFileSync(join(media.dir, 'notes.vtt'), '1\n00:00:00,000 --> 00:00:01,000\nSubRip, not WebVTT\n');
  files = await startFileServer(media.dir);
  emu = spawn(process.execPath, [join(projectRoot, 'dist/receivers/cli.js'), 'chromecast', '--name', 'Text TV', '--model', 'Chromecast', '--host', '127.0.0.1', '--port', '0', '--no-mdns'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  out = new JsonLines(emu.stdout!, 'emulator');
  const port = (await out.event('listening')).port as number;
  sender = await CastSender.connect('127.0.0.1', port);
  await sender.launch();
}, 60_000);

afterAll(async () => {
  sender?.close();
  if (emu && emu.exitCode === null) {
    const exited = new Promise((r) => emu.once('exit', r));
    emu.kill('SIGTERM');
    await exited;
  }
  await files?.close();
  media?.remove();
});

describe('Chromecast emulator: side-loaded text tracks', () => {
  const tracks = () => [text(1, 'en.vtt', 'en-US'), text(2, 'fr.vtt', 'fr'), text(3, 'fr.vtt', 'fr-CA', ''), text(4, 'notes.vtt', 'de')];

  it('LOAD fetches the active text track only, as an XHR from the receiver app (Origin, CORS), before PLAYING', async () => {
    const from = out.lines.length;
    const mark = files.requests.length;
    const reply = await sender.load(url(media.long), 'video/mp4', { tracks: tracks(), activeTrackIds: [1] });
    expect(reply).toMatchObject({ playerState: 'PLAYING', activeTrackIds: [1] });
    expect(await out.event('load', {}, 5000, from)).toMatchObject({ activeTrackIds: [1] });
    expect(await out.event('text-track', {}, 5000, from)).toMatchObject({ trackId: 1, cues: 3, mediaSessionId: reply.mediaSessionId });
    expect(fetched('en.vtt', mark)).toEqual([expect.objectContaining({ origin: expect.stringMatching(/^https:\/\//) })]);
    expect(fetched('fr.vtt', mark)).toEqual([]);
    expect(fetched('notes.vtt', mark)).toEqual([]);
  });

  it('EDIT_TRACKS_INFO: activeTrackIds replace the active tracks, the new one is fetched, MEDIA_STATUS says so', async () => {
    const from = out.lines.length;
    const mark = files.requests.length;
    const statuses = sender.mediaStatuses.length;
    expect(await sender.editTracks({ activeTrackIds: [2] })).toMatchObject({ type: 'MEDIA_STATUS', status: [{ activeTrackIds: [2], playerState: 'PLAYING' }] });
    expect(await out.event('tracks', {}, 5000, from)).toMatchObject({ activeTrackIds: [2] });
    expect(await out.event('text-track', {}, 5000, from)).toMatchObject({ trackId: 2, cues: 1 });
    expect(fetched('fr.vtt', mark)).toHaveLength(1);
    await sender.mediaStatus((m) => m.activeTrackIds?.join() === '2', statuses);
  });

  it('a track id that is not there is INVALID_PARAMS and changes nothing', async () => {
    await expect(sender.editTracks({ activeTrackIds: [9] })).rejects.toThrow(/Invalid request: INVALID_PARAMS/);
    await expect(sender.editTracks({ activeTrackIds: 'all' })).rejects.toThrow(/Invalid request: INVALID_PARAMS/);
    expect((await sender.status())?.activeTrackIds).toEqual([2]);
  });

  it('enableTextTracks false turns text off (nothing fetched); true brings back the previous one; language picks by language', async () => {
    let mark = files.requests.length;
    expect(await sender.editTracks({ enableTextTracks: false })).toMatchObject({ status: [{ activeTrackIds: [] }] });
    expect(files.requests.length).toBe(mark);
    const from = out.lines.length;
    expect(await sender.editTracks({ enableTextTracks: true })).toMatchObject({ status: [{ activeTrackIds: [2] }] });
    await out.event('text-track', { trackId: 2 }, 5000, from);
    mark = files.requests.length;
    expect(await sender.editTracks({ language: 'en', activeTrackIds: [2] })).toMatchObject({ status: [{ activeTrackIds: [1] }] });
    expect(fetched('en.vtt', mark)).toHaveLength(1);
    await expect(sender.editTracks({ language: 'ja' })).rejects.toThrow(/Invalid request: INVALID_PARAMS/);
  });

  it('a track the device cannot show (no CORS, not WebVTT) is reported, and the media plays on', async () => {
    let from = out.lines.length;
    await sender.editTracks({ activeTrackIds: [3] });
    expect((await out.event('text-track', {}, 5000, from)).error).toMatch(/CORS/);
    from = out.lines.length;
    await sender.editTracks({ activeTrackIds: [4] });
    expect((await out.event('text-track', {}, 5000, from)).error).toMatch(/not WebVTT/);
    const st = await sender.status();
    expect(st).toMatchObject({ playerState: 'PLAYING', activeTrackIds: [4] });
    expect(out.lines.slice(from).filter((l) => l.event === 'idle')).toEqual([]);
    await sender.stop();
  });
});
