// The URLs a browsing device gets for an item: absolute (the address it reached us on), signed
// (it cannot sign), and the transcodes its profile needs, from the same decision Cast and
// AirPlay get (playback/decide.ts). A transcode is listed before the original: renderers take
// the first <res> they think they can play.
import type { UrlSigner } from '../media/signing.js';
import { transcodeTargetFrom } from '../media/target.js';
import { CONTAINERS } from '../media/transcode-params.js';
import { decide } from '../playback/decide.js';
import { playableFrom } from '../playback/playable.js';
import type { LibraryItem } from '../library/queries.js';
import type { ClientProfile } from './client-profiles.js';
import type { ItemLinks, Variant } from './didl.js';
import type { ItemRow } from './tree.js';
import { captionUrl } from './media-headers.js';

// DLNA profile names of what our transcodes write, when they are one.
const VARIANT_PN: Record<string, string> = { mp3: 'MP3', adts: 'AAC_ADTS_320' };

export function itemLinks(item: ItemRow, base: string, signer: UrlSigner, client: ClientProfile): ItemLinks {
  const row = item.row;
  const links: ItemLinks = { original: base + signer.streamUrl(row.id), variants: [] };
  if (row.artHash) links.thumbnail = base + signer.artUrl(row.artHash, 96);
  if (item.kind === 'photo') return links;
  const playable = playableFrom({ kind: item.kind, [item.kind === 'audio' ? 'track' : 'video']: row } as unknown as LibraryItem);
  if (item.kind === 'video' && client.secCaptions) {
    const captions = captionUrl(base, signer, row.id, playable.subtitles);
    if (captions) links.captions = captions;
  }
  if (!playable.media || !client.profile) return links;
  const decision = decide(playable.media, client.profile);
  if (decision.kind === 'direct' || decision.kind === 'unplayable') return links;
  const target = transcodeTargetFrom(decision, { hdr: playable.hdr });
  // DLNA has no HLS: the same encode goes out live, as the Cast path does without a duration.
  if (!target) return links;
  if (target.container === 'hls') target.container = 'mpegts';
  const spec = CONTAINERS[target.container as keyof typeof CONTAINERS];
  if (!spec) return links;
  const v: Variant = { url: base + signer.streamUrl(row.id, target), mime: spec.mime[item.kind === 'video' && spec.video.length > 0 ? 'video' : 'audio'] };
  const pn = VARIANT_PN[target.container];
  if (pn) v.pn = pn;
  links.variants.push(v);
  return links;
}
