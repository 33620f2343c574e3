// The PCM a driver's stream plays (pcm-driver.ts): the current decoder's output cut into whole
// packets, following seeks and resumes (a new decoder) and going on, gaplessly, into a preloaded
// item when the current one ends.
import { PCM_BYTES_PER_PACKET } from '../airplay/raop/alac.js';
import { exitCode, failure } from '../airplay/raop/decoder.js';
import type { Decoder, Playing, Upcoming } from './pcm-stream.js';

export interface FeedHooks {
  /** The decoder's first frame is timeline frame `frame`, in the packet sent after `packets` others. */
  starts(p: Playing, d: Decoder, frame: number, packets: number): void;
  /** The item cannot be played. */
  fail(p: Playing, message: string): void;
  log(msg: string, fields?: object): void;
  decoder(url: string, at: number, gen: number, next?: Upcoming): Decoder;
  name: string;
}

/**
 * PCM for the stream, cut here into whole packets: the stream's own packetizer then never
 * holds audio of ours, so a pause or seek drops everything not yet sent (its leftovers would
 * otherwise play after the FLUSH, ~2 s ahead of what was heard). Follows seeks and resumes;
 * across a gapless advance the partial last packet of one item is completed by the next one.
 */
export async function* feed(p: Playing, h: FeedHooks): AsyncGenerator<Buffer> {
  while (!p.done) {
    const d = p.decoder;
    if (!d) {
      await new Promise<void>((r) => (p.wake = r));
      continue;
    }
    // Frames of earlier audio in the partial packet when this decoder's first PCM came.
    let head: number | undefined;
    const marked = (): boolean => (d.next ? d.next.frame !== undefined : p.segPackets >= 0);
    for await (const chunk of d.child.stdout! as AsyncIterable<Buffer>) {
      if (d.gen !== p.gen || p.done) break;
      head ??= Math.floor(p.carry.length / 4);
      const b = p.carry.length ? Buffer.concat([p.carry, chunk]) : chunk;
      const n = b.length - (b.length % PCM_BYTES_PER_PACKET);
      p.carry = Buffer.from(b.subarray(n));
      if (n === 0) continue;
      const first = !marked();
      for (let off = 0; off < n && d.gen === p.gen && !p.done; off += PCM_BYTES_PER_PACKET) {
        yield b.subarray(off, off + PCM_BYTES_PER_PACKET);
        // The packet holding our first frame went out (the stream asks for the next one only
        // then): its timeline frame is read back, not guessed before it was stamped.
        if (first && off === 0 && d.gen === p.gen && !p.done) h.starts(p, d, p.stream.lastFrame + head, p.stream.packetsSent - 1);
      }
      if (d.gen !== p.gen || p.done) break;
    }
    if (d.gen !== p.gen || p.done) continue; // replaced (seek, pause) or stopped
    // The decoder's output ended: the end of the item, or a failure (only worth waiting for
    // its exit code when it gave no audio: a preloaded item must follow without delay).
    const code = marked() || head !== undefined ? 0 : await exitCode(d);
    if (code !== 0 && !d.killed) {
      const why = failure(d, code);
      const title = (d.next?.req ?? p.req).metadata.title;
      if (!d.next) return h.fail(p, `${h.name} cannot play ${title}: ${why}`);
      // The preloaded item cannot be decoded: the heard one just ends; the caller's load reports it.
      h.log('preloaded item failed', { title, why });
      p.upcoming = undefined;
    } else if (p.pending && !p.upcoming) {
      // Gapless: the next item's PCM follows in the same stream.
      const next = p.pending;
      p.pending = undefined;
      p.upcoming = next;
      p.gen++;
      p.decoder = next.decoder ?? h.decoder(next.req.url, next.req.startAt, p.gen, next);
      p.decoder.gen = p.gen;
      continue;
    }
    // The end of the stream: what is left goes as its last, short packet.
    const rest = p.carry.subarray(0, p.carry.length - (p.carry.length % 4));
    p.carry = Buffer.alloc(0);
    if (rest.length > 0) {
      // A short last packet is held by the stream's packetizer until this generator ends: its
      // frame is the one the next packet would get now.
      if (!marked() && head !== undefined) h.starts(p, d, p.stream.frameNow() + head, p.stream.packetsSent);
      yield rest;
    }
    return;
  }
}
