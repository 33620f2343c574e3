// Reads what a media URL holds with ffprobe over HTTP (ffprobe makes its own Range requests, as a
// device's demuxer does), reduced to what a Cast device's decoders care about.
import type { Readable, Writable } from 'node:stream';
import { audioInfo, containerOf, num, pickStream, runFfprobe, videoInfo, type AudioInfo, type FfprobeOptions, type RawProbe, type VideoInfo } from '../../shared/ffprobe.js';
import type { ProbedStreams } from './events.js';

export type { AudioInfo, VideoInfo };

export interface Probe extends ProbedStreams {
  formatName: string;
  duration: number | null;
  /** Bits per second of the whole stream, when known. */
  bitRate: number | null;
  size: number | null;
  /** A still picture (photo), not a timed stream. */
  image: boolean;
  video: VideoInfo | null;
  audio: AudioInfo | null;
  /** Indexes of the streams a player picks (its video and audio). */
  streamIndexes: number[];
}

/** The user agent of a Chromecast's media fetches, so servers see a Cast device. */
export const CAST_USER_AGENT = 'Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.0 Safari/537.36 CrKey/1.68.0';

const IMAGE_CODECS = new Set(['mjpeg', 'png', 'webp', 'gif', 'bmp']);

export async function probeUrl(url: string, opts: FfprobeOptions): Promise<Probe> {
  return fromRaw(await runFfprobe(url, { ...opts, userAgent: CAST_USER_AGENT }));
}

/**
 * Probes the start of a body already being fetched (a live transcode cannot be fetched twice
 * without being transcoded twice). Feeds ffprobe until it has seen enough; resolves with the
 * probe and the bytes of the body that were consumed for it.
 */
export async function probeBody(body: Readable, opts: FfprobeOptions): Promise<{ probe: Probe; bytes: number }> {
  let bytes = 0;
  let stdin: Writable | null = null;
  const feed = (chunk: Buffer): void => {
    bytes += chunk.length;
    stdin?.write(chunk);
  };
  try {
    const raw = await runFfprobe('pipe:0', opts, (w) => {
      stdin = w;
      w.on('error', () => undefined); // ffprobe stops reading once it knows enough
      body.on('data', feed);
      body.once('end', () => w.end());
      body.resume();
    });
    return { probe: fromRaw(raw), bytes };
  } finally {
    body.off('data', feed);
    body.pause();
  }
}

export function fromRaw(raw: RawProbe): Probe {
  const streams = raw.streams ?? [];
  const formatName = raw.format?.format_name ?? 'unknown';
  const v = pickStream(streams, 'video');
  const a = pickStream(streams, 'audio');
  const image = !!v && !a && IMAGE_CODECS.has(v.codec_name ?? '') && /_pipe|image2|^gif$/.test(formatName);
  const video: VideoInfo | null = v ? videoInfo(v) : null;
  const audio: AudioInfo | null = a ? audioInfo(a) : null;
  const duration = num(raw.format?.duration);
  const size = num(raw.format?.size);
  const streamRates = streams.reduce((sum, s) => sum + (num(s.bit_rate) ?? 0), 0);
  const bitRate = num(raw.format?.bit_rate) ?? (size && duration ? (size * 8) / duration : null) ?? (streamRates || null);
  const codecs = [video?.codec, audio?.codec].filter((c): c is string => !!c);
  return {
    container: image ? 'image' : containerOf(formatName, codecs),
    videoCodec: video?.codec ?? null,
    audioCodec: audio?.codec ?? null,
    width: video?.width ?? null,
    height: video?.height ?? null,
    formatName, duration: image ? null : duration, bitRate, size, image, video, audio,
    streamIndexes: [v?.index, a?.index].filter((i): i is number => typeof i === 'number'),
  };
}
