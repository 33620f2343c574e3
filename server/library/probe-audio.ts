// Audio tags and format through music-metadata. Missing tags fall back to the file's place
// in the tree (Artist/Album/NN Title.ext), the way most people lay out music.
import { parseBuffer, parseFile, type IAudioMetadata } from 'music-metadata';
import { flacAudioOffset, readHead } from './read-head.js';
import { oneOfFew } from './probe-children.js';
import { execFile } from 'node:child_process';
import { basename, dirname, extname } from 'node:path';
import { promisify } from 'node:util';
import type { AudioInfo } from './probe-types.js';
import { expectedContainer, probeVideo } from './probe-video.js';

const run = promisify(execFile);

const numberedName = /^(\d{1,3})(?:\s*[-._]\s*|\s+)(.+)$/;

function fromName(path: string, depth: number): { title: string; trackNo: number | null; album: string | null; artist: string | null } {
  const stem = basename(path, extname(path));
  const m = numberedName.exec(stem);
  const parent = basename(dirname(path));
  const grandparent = basename(dirname(dirname(path)));
  return {
    title: m?.[2]?.trim() || stem,
    trackNo: m?.[1] ? Number(m[1]) : null,
    album: depth >= 2 ? parent : null,
    artist: depth >= 3 ? grandparent : null,
  };
}

/** music-metadata leaves `lossless` unset for some formats (Ogg Opus); the codec says it. */
const losslessCodecs = /^(flac|alac|pcm|wavpack|ape|monkey|tta|dsd|wav)/i;

function gain(v: { dB: number } | undefined): number | null {
  return v && Number.isFinite(v.dB) ? Math.round(v.dB * 100) / 100 : null;
}

function peak(v: { ratio: number } | undefined): number | null {
  return v && Number.isFinite(v.ratio) ? v.ratio : null;
}

function clean(s: string | undefined | null): string | null {
  const t = s?.replace(/\0/g, '').trim();
  return t ? t : null;
}

/** depth: how many path parts the file is below the library root (1 = at the root). */
export function toAudioInfo(meta: IAudioMetadata, path: string, depth: number): AudioInfo {
  const c = meta.common;
  const f = meta.format;
  const guess = fromName(path, depth);
  const compilation = c.compilation === true;
  const artist = clean(c.artist) ?? clean(c.artists?.join(', ')) ?? guess.artist ?? 'Unknown Artist';
  const albumArtist = clean(c.albumartist) ?? (compilation ? 'Various Artists' : artist);
  return {
    title: clean(c.title) ?? guess.title,
    artist,
    albumArtist,
    album: clean(c.album) ?? guess.album,
    compilation,
    trackNo: c.track.no ?? (c.title ? null : guess.trackNo),
    trackTotal: c.track.of ?? null,
    discNo: c.disk.no ?? null,
    discTotal: c.disk.of ?? null,
    year: c.year ?? null,
    genre: clean(c.genre?.join(', ')),
    duration: f.duration ?? null,
    codec: f.codec ?? null,
    container: f.container ?? null,
    lossless: f.lossless ?? (f.codec ? losslessCodecs.test(f.codec) : null),
    sampleRate: f.sampleRate ?? null,
    bitDepth: f.bitsPerSample ?? null,
    channels: f.numberOfChannels ?? null,
    bitrate: f.bitrate ? Math.round(f.bitrate) : null,
    replayGain: {
      trackGain: gain(c.replaygain_track_gain),
      trackPeak: peak(c.replaygain_track_peak),
      albumGain: gain(c.replaygain_album_gain),
      albumPeak: peak(c.replaygain_album_peak),
    },
  };
}

const headMime: Record<string, string> = { '.mp3': 'audio/mpeg', '.flac': 'audio/flac' };

/** MP3 and FLAC keep everything we read at the start; other containers (MP4's moov) may not.
 *  `read` is what is opened (the scanner's checked descriptor); `path` names the file. */
async function parseAudio(path: string, size: number, read: string): Promise<IAudioMetadata> {
  const options = { duration: false, skipPostHeaders: true };
  const mimeType = headMime[extname(path).toLowerCase()];
  if (!mimeType) return parseFile(read, options);
  const head = await readHead(read, size);
  // A cut FLAC can keep a whole STREAMINFO (so a duration) and no audio at all.
  const audioAt = flacAudioOffset(head);
  if (mimeType === 'audio/flac' && (audioAt === undefined || audioAt >= size)) throw new TruncatedError('truncated: the FLAC metadata runs to the end of the file, no audio frames');
  return parseBuffer(head, { mimeType, size, path }, options);
}

/**
 * Below this many bytes per second of declared duration, the audio data is not there.
 * Low on purpose: a long silent FLAC holds about 200 B/s and is a real track.
 */
const minBytesPerSecond = 64;

/** Formats found by scanning for a frame sync word, which random bytes also hold now and then:
 *  what was found must be what the extension says. */
const expectedCodec: Record<string, RegExp> = { '.mp3': /layer 3/i, '.mp2': /layer 2/i, '.aac': /aac/i };

function extensionMismatch(path: string, meta: IAudioMetadata): string | undefined {
  const ext = extname(path).toLowerCase();
  const want = expectedCodec[ext];
  if (!want || want.test(meta.format.codec ?? '')) return undefined;
  return `not ${ext.slice(1).toUpperCase()} audio (found ${meta.format.codec ?? 'no codec'})`;
}

/** MPEG audio (MP3, MP2) frames hold what the bitrate says: duration × bitrate / 8 bytes, the
 *  tags on top (a Xing/Info header's duration counts frames, so a cut file keeps it). Less than
 *  half of that, and most of the audio is not there. */
const bitrateBound: Record<string, RegExp> = { '.mp3': /layer 3/i, '.mp2': /layer 2/i };

function shortOfBitrate(path: string, meta: IAudioMetadata, size: number): string | undefined {
  const { duration, bitrate, codec } = meta.format;
  if (!bitrateBound[extname(path).toLowerCase()]?.test(codec ?? '') || !duration || duration <= 1 || !bitrate) return undefined;
  const needs = (duration * bitrate) / 8;
  if (size >= needs / 2) return undefined;
  return `truncated: headers declare ${duration.toFixed(1)} s at ${Math.round(bitrate / 1000)} kb/s (about ${Math.round(needs)} bytes) but the file has only ${size} bytes`;
}

/** ffprobe decodes the first 10 s of the first audio stream: frames and no decoder errors. */
async function decodesCleanly(ffprobe: string, read: string): Promise<boolean> {
  try {
    const { stdout, stderr } = await oneOfFew(() => run(ffprobe, ['-v', 'error', '-read_intervals', '%+10', '-count_frames', '-select_streams', 'a:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', read], { timeout: 30_000, killSignal: 'SIGKILL', maxBuffer: 1 << 20 }));
    return stderr.trim() === '' && Number(stdout.trim()) > 0;
  } catch {
    return false;
  }
}

/** The file is damaged: not worth a second opinion from ffprobe. */
class TruncatedError extends Error {}

type Probed = { info: AudioInfo; picture: { data: Uint8Array; mime: string } | null; tagError?: string };

/**
 * Tags through music-metadata; when the tags are unreadable but the audio is fine (a broken
 * ID3 header, say), the file is still a track: format from ffprobe, names from the path.
 */
export async function probeAudio(path: string, depth: number, size: number, ffprobe = 'ffprobe', read = path): Promise<Probed> {
  let meta: IAudioMetadata;
  try {
    meta = await parseAudio(path, size, read);
    const mismatch = extensionMismatch(path, meta);
    if (mismatch) throw new Error(mismatch);
    // A frame sync word found in random bytes makes an "MP3" with no tags: a file with no tags of a
    // format found that way must also decode (one ffprobe, only for untagged files).
    if (expectedCodec[extname(path).toLowerCase()] && !meta.common.title && !meta.common.artist && !meta.common.album && !(await decodesCleanly(ffprobe, read))) {
      throw new Error('no tags, and the audio does not decode');
    }
  } catch (err) {
    if (err instanceof TruncatedError) throw err;
    const tagError = (err as Error).message;
    const v = await probeVideo(path, ffprobe, read).catch(() => {
      throw new Error(`unreadable: ${tagError}`);
    });
    const a = v.streams.find((s) => s.type === 'audio');
    // ffprobe guesses a format for almost any bytes: only trust it when it agrees with the extension.
    if (!a || v.container !== expectedContainer(path) || !v.duration || !a.sampleRate) throw new Error(`unreadable: ${tagError}`);
    // Even then (random bytes pass for AAC with a made-up duration): its first seconds must decode.
    if (!(await decodesCleanly(ffprobe, read))) throw new Error(`unreadable: ${tagError}; the audio does not decode`);
    const g = fromName(path, depth);
    const info: AudioInfo = {
      title: g.title, artist: g.artist ?? 'Unknown Artist', albumArtist: g.artist ?? 'Unknown Artist', album: g.album, compilation: false,
      trackNo: g.trackNo, trackTotal: null, discNo: null, discTotal: null, year: null, genre: null, duration: v.duration, codec: a.codec,
      container: v.container, lossless: null, sampleRate: a.sampleRate ?? null, bitDepth: null, channels: a.channels ?? null, bitrate: v.bitrate,
      replayGain: { trackGain: null, trackPeak: null, albumGain: null, albumPeak: null },
    };
    return { info, picture: null, tagError };
  }
  const { sampleRate, duration } = meta.format;
  if (!sampleRate && !duration) throw new Error('no audio stream found');
  // Headers (e.g. FLAC STREAMINFO) declare a duration the file may no longer hold.
  if (duration && duration > 1 && size / duration < minBytesPerSecond) throw new Error(`truncated: headers declare ${duration.toFixed(1)} s of audio but the file has only ${size} bytes`);
  const cut = shortOfBitrate(path, meta, size);
  if (cut) throw new Error(cut);
  const pic = meta.common.picture?.find((p) => /front/i.test(p.type ?? '')) ?? meta.common.picture?.[0];
  return { info: toAudioInfo(meta, path, depth), picture: pic ? { data: pic.data, mime: pic.format.includes('/') ? pic.format : `image/${pic.format}` } : null };
}
