// A photo as the software renderer shows it, the way a TV's photo viewer does: the whole image
// fetched with the renderer's User-Agent (a viewer decodes a complete file, it does not stream it),
// decoded by ffprobe from those bytes, its format checked against what the Sink lists. Shown, it
// stays on screen until the next URI or Stop: the transport is PLAYING with no duration.
import { runFfprobe } from '../../shared/ffprobe.js';
import type { Profile } from '../../types.js';
import type { PlayerOptions } from './player.js';
import { USER_AGENT } from './player.js';

export interface ShownImage {
  format: string;
  width: number;
  height: number;
  bytes: number;
}

/** A photo bigger than this is refused, as a TV's viewer runs out of memory. */
const MAX_IMAGE_BYTES = 64 << 20;
const FORMATS: Record<string, string> = { mjpeg: 'jpeg', png: 'png', gif: 'gif', webp: 'webp', bmp: 'bmp' };

/** Throws an Error with the reason the viewer gives up. */
export async function openImage(url: string, profile: Profile, opts: PlayerOptions, signal: AbortSignal): Promise<ShownImage> {
  const res = await fetch(url, { headers: { 'User-Agent': USER_AGENT }, signal: AbortSignal.any([signal, AbortSignal.timeout(opts.probeTimeoutMs)]) });
  if (!res.ok) throw new Error(`the image answered HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length'));
  if (declared > MAX_IMAGE_BYTES) throw new Error(`the image is ${declared} bytes, above ${MAX_IMAGE_BYTES}`);
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > MAX_IMAGE_BYTES) throw new Error(`the image is ${body.length} bytes, above ${MAX_IMAGE_BYTES}`);
  const raw = await runFfprobe('pipe:0', { ffprobePath: opts.ffprobePath, timeoutMs: opts.probeTimeoutMs, signal }, (stdin) => {
    stdin.on('error', () => undefined);
    stdin.end(body);
  });
  const s = raw.streams?.find((x) => x.codec_type === 'video');
  const format = s?.codec_name ? FORMATS[s.codec_name] : undefined;
  if (!s || !format || (raw.streams?.length ?? 0) !== 1) throw new Error(`not an image (${raw.format?.format_name ?? 'unknown'})`);
  if (!profile.imageFormats.includes(format)) throw new Error(`${profile.name} cannot show ${format} images`);
  return { format, width: s.width ?? 0, height: s.height ?? 0, bytes: body.length };
}
