// SET_PARAMETER bodies as a speaker reads them (shairport-sync rtsp.c@3.3.8): `text/parameters`
// lines (`volume: -20.5`, `progress: start/curr/end`), `application/x-dmap-tagged` track info
// (an `mlit` with `minm`/`asar`/`asal`), and cover art as `image/*` bytes.
import { SAMPLE_RATE } from '../../raop/clock.js';
import { parseDmap } from '../../raop/dmap.js';
import { imageType } from '../../raop/metadata.js';
import type { SpeakerEvent } from './events.js';

/** The `rtptime=` of an `RTP-Info` header. */
export function rtpInfo(header: string | undefined): { seq: number | null; rtptime: number | null } {
  const num = (k: string): number | null => {
    const m = new RegExp(`${k}=(\\d+)`).exec(header ?? '');
    return m ? Number(m[1]) >>> 0 : null;
  };
  return { seq: num('seq') === null ? null : num('seq')! & 0xffff, rtptime: num('rtptime') };
}

/** `key: value` lines of a text/parameters body. */
export function textParameters(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of body.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return out;
}

/** The events one SET_PARAMETER gives, or an error message for a 400. */
export function setParameterEvents(type: string, body: Buffer, rtptime: number | null): SpeakerEvent[] | { error: string } {
  const t = type.split(';')[0]!.trim().toLowerCase();
  if (t === 'text/parameters') {
    const events: SpeakerEvent[] = [];
    for (const [k, v] of textParameters(body.toString('utf8'))) {
      if (k === 'volume') {
        const db = Number(v);
        if (!Number.isFinite(db)) return { error: `volume "${v}" is not a number` };
        events.push({ event: 'volume', db });
      } else if (k === 'progress') {
        const m = /^(\d+)\/(\d+)\/(\d+)$/.exec(v);
        if (!m) return { error: `progress "${v}" is not start/curr/end` };
        const [start, curr, end] = [Number(m[1]) >>> 0, Number(m[2]) >>> 0, Number(m[3]) >>> 0];
        const secs = (a: number, b: number): number => Math.round((((b - a) >>> 0) / SAMPLE_RATE) * 1000) / 1000;
        events.push({ event: 'progress', start, curr, end, position: secs(start, curr), duration: secs(start, end) });
      }
    }
    return events;
  }
  if (t === 'application/x-dmap-tagged') {
    try {
      const items = parseDmap(body);
      const mlit = items.find((i) => i.tag === 'mlit');
      const inner = mlit ? parseDmap(mlit.value) : items;
      const text = (tag: string): string | null => inner.find((i) => i.tag === tag)?.value.toString('utf8') ?? null;
      return [{ event: 'metadata', title: text('minm'), artist: text('asar'), album: text('asal'), rtptime }];
    } catch (e) {
      return { error: `DMAP: ${(e as Error).message}` };
    }
  }
  if (t.startsWith('image/')) {
    return [{ event: 'artwork', type: t, detected: imageType(body) ?? null, bytes: body.length, rtptime }];
  }
  return { error: `SET_PARAMETER of type "${type}" is not understood` };
}
