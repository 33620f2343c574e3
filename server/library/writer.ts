// The scan's single writer: turns probe results into rows (file, artist, album, track /
// video / photo, artwork) in batches, one transaction per batch, so a kill -9 loses at most
// the batch in flight and the next scan picks those files up again.
import type { Db } from '../db/connection.js';
import type { WalkEntry } from './walk.js';
import type { ArtRef, AudioInfo, PhotoInfo, ProbeResult, VideoInfo } from './probe-types.js';
import { basename } from 'node:path';

export interface ScannedFile {
  library: string;
  entry: WalkEntry;
  result: ProbeResult;
}

function sortName(name: string): string {
  return name.replace(/^(the|a|an)\s+/i, '').toLowerCase();
}

function searchText(...parts: (string | null | undefined)[]): string {
  return parts.filter(Boolean).join(' ').toLowerCase();
}

export class LibraryWriter {
  private artistIds = new Map<string, number>();
  private albumIds = new Map<string, number>();
  private artIds = new Map<string, number>();

  private s;

  constructor(private db: Db) {
    this.s = {
      upsertFile: db.prepare(
        `INSERT INTO files (library, path, rel, kind, size, mtime_ms, mime, error, scanned_at)
         VALUES (@library, @path, @rel, @kind, @size, @mtimeMs, @mime, @error, @now)
         ON CONFLICT (path) DO UPDATE SET library = excluded.library, rel = excluded.rel, kind = excluded.kind, size = excluded.size,
           mtime_ms = excluded.mtime_ms, mime = excluded.mime, error = excluded.error, scanned_at = excluded.scanned_at
         RETURNING id`,
      ),
      clearMedia: [db.prepare('DELETE FROM tracks WHERE id = ?'), db.prepare('DELETE FROM videos WHERE id = ?'), db.prepare('DELETE FROM photos WHERE id = ?')],
      artistId: db.prepare('SELECT id FROM artists WHERE name = ?'),
      insertArtist: db.prepare('INSERT INTO artists (name, sort_name) VALUES (?, ?) RETURNING id'),
      albumId: db.prepare('SELECT id FROM albums WHERE title = ? COLLATE NOCASE AND artist_id = ?'),
      insertAlbum: db.prepare('INSERT INTO albums (title, artist_id, year, compilation, art_id) VALUES (?, ?, ?, ?, ?) RETURNING id'),
      fillAlbum: db.prepare('UPDATE albums SET year = COALESCE(year, ?), art_id = COALESCE(art_id, ?), compilation = MAX(compilation, ?) WHERE id = ?'),
      artId: db.prepare('SELECT id FROM artwork WHERE hash = ?'),
      insertArt: db.prepare('INSERT INTO artwork (hash, mime, path) VALUES (?, ?, ?) RETURNING id'),
      track: db.prepare(
        `INSERT INTO tracks (id, title, artist_id, album_id, track_no, track_total, disc_no, disc_total, year, genre, duration, codec, container, lossless,
           sample_rate, bit_depth, channels, bitrate, rg_track_gain, rg_track_peak, rg_album_gain, rg_album_peak, art_id, search)
         VALUES (@id, @title, @artistId, @albumId, @trackNo, @trackTotal, @discNo, @discTotal, @year, @genre, @duration, @codec, @container, @lossless,
           @sampleRate, @bitDepth, @channels, @bitrate, @rgTrackGain, @rgTrackPeak, @rgAlbumGain, @rgAlbumPeak, @artId, @search)`,
      ),
      video: db.prepare(
        `INSERT INTO videos (id, title, year, container, duration, bitrate, width, height, video_codec, audio_codec, hdr, streams, subtitles, art_id, search)
         VALUES (@id, @title, @year, @container, @duration, @bitrate, @width, @height, @videoCodec, @audioCodec, @hdr, @streams, @subtitles, @artId, @search)`,
      ),
      photo: db.prepare(
        `INSERT INTO photos (id, title, taken_at, camera_make, camera_model, orientation, width, height, latitude, longitude, art_id, search)
         VALUES (@id, @title, @takenAt, @cameraMake, @cameraModel, @orientation, @width, @height, @latitude, @longitude, @artId, @search)`,
      ),
      deleteFile: db.prepare('DELETE FROM files WHERE id = ?'),
    };
  }

  /** Writes a batch in one transaction. */
  readonly writeBatch = (batch: ScannedFile[]): void => {
    this.db.transaction(() => {
      for (const f of batch) this.write(f);
    })();
  };

  readonly deleteFiles = (ids: number[]): void => {
    this.db.transaction(() => {
      for (const id of ids) this.s.deleteFile.run(id);
    })();
  };

  /** Albums, artists and artwork that no longer have anything pointing at them. */
  pruneOrphans(): void {
    this.db.transaction(() => {
      this.db.exec(`
        DELETE FROM albums WHERE id NOT IN (SELECT album_id FROM tracks WHERE album_id IS NOT NULL);
        DELETE FROM artists WHERE id NOT IN (SELECT artist_id FROM tracks) AND id NOT IN (SELECT artist_id FROM albums);
        DELETE FROM artwork WHERE id NOT IN (SELECT art_id FROM tracks WHERE art_id IS NOT NULL)
          AND id NOT IN (SELECT art_id FROM albums WHERE art_id IS NOT NULL)
          AND id NOT IN (SELECT art_id FROM videos WHERE art_id IS NOT NULL)
          AND id NOT IN (SELECT art_id FROM photos WHERE art_id IS NOT NULL);
      `);
    })();
    this.artistIds.clear();
    this.albumIds.clear();
    this.artIds.clear();
  }

  private write({ library, entry, result }: ScannedFile): void {
    const { id } = this.s.upsertFile.get({
      library,
      path: entry.path,
      rel: entry.rel,
      kind: entry.kind,
      size: entry.size,
      mtimeMs: entry.mtimeMs,
      mime: entry.mime,
      error: result.ok ? null : result.error,
      now: Date.now(),
    }) as { id: number };
    for (const stmt of this.s.clearMedia) stmt.run(id);
    if (!result.ok) return;
    const artId = this.art(result.art);
    const name = basename(entry.path);
    if (result.kind === 'audio') this.writeTrack(id, result.info, artId, name);
    else if (result.kind === 'video') this.writeVideo(id, result.info, artId, name);
    else this.writePhoto(id, result.info, artId, name);
  }

  private writeTrack(id: number, t: AudioInfo, artId: number | null, fileName: string): void {
    const artistId = this.artist(t.artist);
    const albumArtistId = t.albumArtist === t.artist ? artistId : this.artist(t.albumArtist);
    const albumId = t.album ? this.album(t.album, albumArtistId, t.year, t.compilation, artId) : null;
    const rg = t.replayGain;
    this.s.track.run({
      id, title: t.title, artistId, albumId, trackNo: t.trackNo, trackTotal: t.trackTotal, discNo: t.discNo, discTotal: t.discTotal,
      year: t.year, genre: t.genre, duration: t.duration, codec: t.codec, container: t.container, lossless: t.lossless === null ? null : Number(t.lossless),
      sampleRate: t.sampleRate, bitDepth: t.bitDepth, channels: t.channels, bitrate: t.bitrate,
      rgTrackGain: rg.trackGain, rgTrackPeak: rg.trackPeak, rgAlbumGain: rg.albumGain, rgAlbumPeak: rg.albumPeak,
      artId, search: searchText(t.title, t.artist, t.albumArtist !== t.artist ? t.albumArtist : null, t.album, fileName),
    });
  }

  private writeVideo(id: number, v: VideoInfo, artId: number | null, fileName: string): void {
    this.s.video.run({
      id, title: v.title, year: v.year, container: v.container, duration: v.duration, bitrate: v.bitrate, width: v.width, height: v.height,
      videoCodec: v.videoCodec, audioCodec: v.audioCodec, hdr: v.hdr, streams: JSON.stringify(v.streams), subtitles: JSON.stringify(v.subtitles),
      artId, search: searchText(v.title, v.year === null ? null : String(v.year), fileName),
    });
  }

  private writePhoto(id: number, p: PhotoInfo, artId: number | null, fileName: string): void {
    this.s.photo.run({ id, ...p, artId, search: searchText(p.title, p.cameraMake, p.cameraModel, fileName) });
  }

  private artist(name: string): number {
    const key = name.toLowerCase();
    let id = this.artistIds.get(key);
    if (id === undefined) {
      id = ((this.s.artistId.get(name) ?? this.s.insertArtist.get(name, sortName(name))) as { id: number }).id;
      this.artistIds.set(key, id);
    }
    return id;
  }

  private album(title: string, artistId: number, year: number | null, compilation: boolean, artId: number | null): number {
    const key = `${artistId}\0${title.toLowerCase()}`;
    let id = this.albumIds.get(key);
    if (id === undefined) {
      const found = this.s.albumId.get(title, artistId) as { id: number } | undefined;
      id = found?.id ?? (this.s.insertAlbum.get(title, artistId, year, Number(compilation), artId) as { id: number }).id;
      this.albumIds.set(key, id);
      if (!found) return id;
    }
    this.s.fillAlbum.run(year, artId, Number(compilation), id);
    return id;
  }

  private art(ref: ArtRef | null): number | null {
    if (!ref) return null;
    let id = this.artIds.get(ref.hash);
    if (id === undefined) {
      id = ((this.s.artId.get(ref.hash) ?? this.s.insertArt.get(ref.hash, ref.mime, ref.path)) as { id: number }).id;
      this.artIds.set(ref.hash, id);
    }
    return id;
  }
}
