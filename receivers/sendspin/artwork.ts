// The artwork role (Sendspin spec "Artwork messages"): the item's cover, fetched once, scaled by
// ffmpeg to fit each channel's size in the channel's format (jpeg, png or bmp), sent as binary
// type 8 + channel with the time it is to be shown; stream/start says what each channel carries.
// We know album covers only: an 'artist' channel is cleared (an empty image), as is every
// channel when the item has no cover.
import { spawn } from 'node:child_process';
import { imageSize } from 'image-size';
import type { z } from 'zod';
import type { SendspinConnection } from './connection.js';
import { BINARY_ARTWORK, encodeBinary, streamStart, type artworkSupportSchema } from './protocol.js';

export type ArtworkChannel = z.infer<typeof artworkSupportSchema>['channels'][number];

export interface RenderedArtwork {
  data: Buffer;
  width: number;
  height: number;
}

const CODEC = { jpeg: ['-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p'], png: ['-c:v', 'png'], bmp: ['-c:v', 'bmp'] } as const;
/** Largest cover we fetch. */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** `image` scaled to fit media_width × media_height (aspect kept), encoded as the channel asks. */
export function renderArtwork(image: Buffer, ch: Pick<ArtworkChannel, 'format' | 'media_width' | 'media_height'>): Promise<RenderedArtwork> {
  return new Promise((resolve, reject) => {
    const ff = spawn('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-f', 'image2pipe', '-i', 'pipe:0',
      '-vf', `scale=${ch.media_width}:${ch.media_height}:force_original_aspect_ratio=decrease`,
      '-frames:v', '1', ...CODEC[ch.format], '-f', 'image2pipe', 'pipe:1',
    ]);
    const out: Buffer[] = [];
    let err = '';
    ff.stdout.on('data', (d: Buffer) => out.push(d));
    ff.stderr.on('data', (d: Buffer) => (err += d.toString()));
    ff.stdin.on('error', () => {});
    ff.on('error', reject);
    ff.on('close', (code) => {
      const data = Buffer.concat(out);
      if (code !== 0 || !data.length) return reject(new Error(`ffmpeg could not scale the cover: ${err.trim() || `exit ${code}`}`));
      const size = imageSize(data);
      resolve({ data, width: size.width ?? 0, height: size.height ?? 0 });
    });
    ff.stdin.end(image);
  });
}

/** The cover at `url` (our own signed media URL), or null when it cannot be had. */
export async function fetchImage(url: string): Promise<Buffer | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return null;
    const buf = Buffer.from(await res.arrayBuffer());
    return buf.length && buf.length <= MAX_IMAGE_BYTES ? buf : null;
  } catch {
    return null;
  }
}

/** One client's artwork channels: the current item's cover on each, again when it asks for another format. */
export class ArtworkSender {
  private readonly channels: ArtworkChannel[];
  private url: string | undefined;
  private image: Buffer | null = null;
  private last: { url: string | undefined; timestampUs: number } | null = null;
  private seq = 0;
  private readonly onRequest = (p: { artwork?: { channel: number } & Partial<ArtworkChannel> }) => {
    const a = p.artwork;
    const ch = a ? this.channels[a.channel] : undefined;
    if (!a || !ch) return;
    if (a.source) ch.source = a.source;
    if (a.format) ch.format = a.format;
    if (a.media_width) ch.media_width = a.media_width;
    if (a.media_height) ch.media_height = a.media_height;
    // "followed by immediate artwork updates"
    if (this.last) void this.show(this.last.url, this.last.timestampUs);
  };

  constructor(
    private readonly conn: Pick<SendspinConnection, 'send' | 'sendBinary' | 'open' | 'on' | 'off'>,
    channels: readonly ArtworkChannel[],
  ) {
    this.channels = channels.map((c) => ({ ...c }));
    conn.on('requestFormat', this.onRequest);
  }

  /** Shows the cover at `artUrl` (none: clears) from server time `timestampUs` on. */
  async show(artUrl: string | undefined, timestampUs: number): Promise<void> {
    const seq = ++this.seq;
    this.last = { url: artUrl, timestampUs };
    if (artUrl !== this.url) {
      this.url = artUrl;
      this.image = artUrl ? await fetchImage(artUrl) : null;
    }
    const image = this.image;
    const rendered = await Promise.all(this.channels.map((ch) => (ch.source === 'album' && image ? renderArtwork(image, ch).catch(() => null) : null)));
    if (seq !== this.seq || !this.conn.open) return;
    this.conn.send(streamStart({ artwork: { channels: this.channels.map((ch, i) => ({ source: ch.source, format: ch.format, width: rendered[i]?.width ?? 0, height: rendered[i]?.height ?? 0 })) } }));
    rendered.forEach((r, i) => this.conn.sendBinary(encodeBinary(BINARY_ARTWORK + i, timestampUs, r?.data ?? Buffer.alloc(0))));
  }

  close(): void {
    this.seq++;
    this.conn.off('requestFormat', this.onRequest);
  }
}
