// The software renderer's player on its own, over HTTP from a file server on loopback: sought to
// 4 s before the end, it plays those 4 s and ends where the data ends. (It once waited forever:
// after a seek ffmpeg's last timestamp falls a few ms short of the probed duration, and the clock,
// held at what had been read, never reached the duration.)
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RendererPlayer } from '../../../../receivers/dlna/emulator/player.js';
import { sinkProtocols } from '../../../../receivers/dlna/emulator/services.js';
import { profileFromSink } from '../../../../receivers/dlna/profile.js';
import { LONG_ALBUM, makeLongAlbum } from '../../../e2e/long-album.js';
import { startFileServer, type FileServer } from '../chromecast/file-server.js';

let files: FileServer;
const track = LONG_ALBUM.tracks[0]!;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hc-dlna-player-'));
  await makeLongAlbum(dir);
  files = await startFileServer(dir);
}, 60_000);

afterAll(async () => {
  await files?.close();
});

describe('software renderer player', () => {
  it('sought near the end, plays the rest in real time and ends', { timeout: 60_000 }, async () => {
    const url = `${files.url}/${encodeURIComponent(LONG_ALBUM.artist)}/${encodeURIComponent(LONG_ALBUM.album)}/01%20${encodeURIComponent(track.title)}.mp3`;
    const player = new RendererPlayer(url, profileFromSink('test', sinkProtocols(true)), { ffprobePath: 'ffprobe', ffmpegPath: 'ffmpeg', probeTimeoutMs: 20_000 });
    const ready = new Promise((resolve, reject) => (player.once('ready', resolve), player.once('failed', reject)));
    await player.open();
    await ready;
    const from = track.seconds - 4;
    player.seek(from);
    const soughtAt = Date.now();
    const ended = new Promise<void>((resolve, reject) => (player.once('ended', resolve), player.once('failed', reject)));
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not ended 30 s after the seek, at ${player.position()}`)), 30_000));
    try {
      await Promise.race([ended, timeout]);
    } finally {
      player.stop();
    }
    // Real time: the 4 s left took at least that long (load only makes it longer).
    expect(Date.now() - soughtAt).toBeGreaterThanOrEqual(3_900);
    expect(player.position()).toBeGreaterThan(track.seconds - 0.1);
  });
});
