// DIDL-Lite (ContentDirectory:1 §2.8, DLNA 7.3): containers with their child counts, items with
// the metadata TVs show and one <res> per way to fetch them: the original (byte ranges) and any
// transcode the asking renderer needs (time seek). URLs are absolute and signed: the TV fetches
// them as given.
import { el, escapeXml } from '../../receivers/shared/upnp/xml.js';
import type { ContainerNode, ItemRow } from './tree.js';
import { dlnaProfile, protocolInfo } from './protocol-info.js';

export const DIDL_OPEN =
  '<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/" xmlns:dlna="urn:schemas-dlna-org:metadata-1-0/" xmlns:sec="http://www.sec.co.kr/">';
export const DIDL_CLOSE = '</DIDL-Lite>';

/** A transcoded variant offered beside the original. */
export interface Variant {
  url: string;
  mime: string;
  pn?: string;
}

export interface ItemLinks {
  /** Absolute URL of the original. */
  original: string;
  /** Absolute URL of a small JPEG (≤ 160 px: DLNA's JPEG_TN), when the item has art. */
  thumbnail?: string;
  variants: Variant[];
  /** A SubRip URL for Samsung/LG (sec:CaptionInfoEx and a text/srt res). */
  captions?: string;
}

/** `H:MM:SS.mmm`, as res@duration wants. */
export function didlDuration(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

function attrs(a: Record<string, string | number | null | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${escapeXml(v!)}"`)
    .join('');
}

export function containerXml(c: ContainerNode, childCount: number, thumbnail?: string): string {
  let x = `<container${attrs({ id: c.id, parentID: c.parentId, restricted: 1, searchable: 1, childCount })}>${el('dc:title', c.title)}${el('upnp:class', c.upnpClass)}`;
  if (c.artist) x += el('upnp:artist', c.artist) + el('dc:creator', c.artist);
  if (c.genre) x += el('upnp:genre', c.genre);
  if (c.date) x += el('dc:date', c.date);
  if (thumbnail) x += `<upnp:albumArtURI dlna:profileID="JPEG_TN">${escapeXml(thumbnail)}</upnp:albumArtURI>`;
  return `${x}</container>`;
}

export function itemXml(id: string, parentId: string, item: ItemRow, links: ItemLinks): string {
  let x = `<item${attrs({ id, parentID: parentId, restricted: 1 })}>`;
  const art = links.thumbnail ? `<upnp:albumArtURI dlna:profileID="JPEG_TN">${escapeXml(links.thumbnail)}</upnp:albumArtURI>` : '';
  const variants = links.variants.map((v) => `<res${attrs({ protocolInfo: protocolInfo(v.mime, { pn: v.pn, transcoded: true }), duration: durationOf(item) })}>${escapeXml(v.url)}</res>`).join('');
  if (item.kind === 'audio') {
    const t = item.row;
    x += el('dc:title', t.title) + el('upnp:class', 'object.item.audioItem.musicTrack') + el('dc:creator', t.artist) + el('upnp:artist', t.artist);
    if (t.albumArtist) x += `<upnp:artist role="AlbumArtist">${escapeXml(t.albumArtist)}</upnp:artist>`;
    if (t.album) x += el('upnp:album', t.album);
    if (t.genre) x += el('upnp:genre', t.genre);
    if (t.trackNo) x += el('upnp:originalTrackNumber', t.trackNo);
    if (t.year) x += el('dc:date', `${t.year}-01-01`);
    x += art + variants;
    const pn = dlnaProfile({ mime: t.mime, audioCodec: t.codec });
    x += `<res${attrs({
      protocolInfo: protocolInfo(t.mime, { pn }), size: t.size, duration: t.duration ? didlDuration(t.duration) : null,
      bitrate: t.bitrate ? Math.round(t.bitrate / 8) : null, sampleFrequency: t.sampleRate, nrAudioChannels: t.channels, bitsPerSample: t.bitDepth,
    })}>${escapeXml(links.original)}</res>`;
  } else if (item.kind === 'video') {
    const v = item.row;
    x += el('dc:title', v.title) + el('upnp:class', 'object.item.videoItem');
    if (v.year) x += el('dc:date', `${v.year}-01-01`);
    x += art + variants;
    x += `<res${attrs({
      protocolInfo: protocolInfo(v.mime, {}), size: v.size, duration: v.duration ? didlDuration(v.duration) : null,
      bitrate: v.bitrate ? Math.round(v.bitrate / 8) : null, resolution: v.width && v.height ? `${v.width}x${v.height}` : null,
    })}>${escapeXml(links.original)}</res>`;
    if (links.captions) x += `<res protocolInfo="http-get:*:text/srt:*">${escapeXml(links.captions)}</res><sec:CaptionInfoEx sec:type="srt">${escapeXml(links.captions)}</sec:CaptionInfoEx>`;
  } else {
    const p = item.row;
    x += el('dc:title', p.title) + el('upnp:class', 'object.item.imageItem.photo');
    if (p.takenAt !== null) x += el('dc:date', new Date(p.takenAt).toISOString().slice(0, 19));
    x += art;
    x += `<res${attrs({ protocolInfo: protocolInfo(p.mime, { pn: dlnaProfile(p), image: true }), size: p.size, resolution: p.width && p.height ? `${p.width}x${p.height}` : null })}>${escapeXml(links.original)}</res>`;
    if (links.thumbnail) x += `<res${attrs({ protocolInfo: protocolInfo('image/jpeg', { pn: 'JPEG_TN', image: true }) })}>${escapeXml(links.thumbnail)}</res>`;
  }
  return `${x}</item>`;
}

function durationOf(item: ItemRow): string | null {
  const d = item.kind === 'photo' ? null : item.row.duration;
  return d ? didlDuration(d) : null;
}
