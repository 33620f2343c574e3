// The DIDL-Lite item sent as CurrentURIMetaData (ContentDirectory:1 §2.8 / DLNA guidelines 7.3):
// what renderers show (title, artist, album, art) and the `<res>` with the protocolInfo they check
// the stream against. Direct files allow byte seeking (DLNA.ORG_OP=01); a live transcode allows none.
import type { LoadRequest } from '../types.js';
import { escapeXml } from './xml.js';
import { formatUpnpTime } from './time.js';

const CLASS = { audio: 'object.item.audioItem.musicTrack', video: 'object.item.videoItem', photo: 'object.item.imageItem.photo' } as const;
// DLNA.ORG_FLAGS: streaming transfer mode, background mode, DLNA 1.5 (+ connection stalling for files);
// a photo is sent in interactive transfer mode instead (as minidlna's upnpsoap.c flags images: TM_I).
const FLAGS_FILE = '01700000000000000000000000000000';
const FLAGS_LIVE = '01300000000000000000000000000000';
const FLAGS_IMAGE = '00F00000000000000000000000000000';

export function protocolInfoFor(req: Pick<LoadRequest, 'contentType' | 'live'>): string {
  const mime = req.contentType.split(';')[0]!.trim();
  if (mime.startsWith('image/') && !req.live) return `http-get:*:${mime}:DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=${FLAGS_IMAGE}`;
  return `http-get:*:${mime}:DLNA.ORG_OP=${req.live ? '00' : '01'};DLNA.ORG_CI=${req.live ? 1 : 0};DLNA.ORG_FLAGS=${req.live ? FLAGS_LIVE : FLAGS_FILE}`;
}

export function didlFor(req: LoadRequest): string {
  const m = req.metadata;
  const el = (tag: string, value: string | undefined, attrs = '') => (value ? `<${tag}${attrs}>${escapeXml(value)}</${tag}>` : '');
  const duration = req.duration !== null && req.duration > 0 ? ` duration="${formatUpnpTime(req.duration)}"` : '';
  return '<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    + ' xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/" xmlns:dlna="urn:schemas-dlna-org:metadata-1-0/">'
    + '<item id="homecast-0" parentID="-1" restricted="1">'
    + el('dc:title', m.title)
    + el('dc:creator', m.artist)
    + el('upnp:artist', m.artist)
    + el('upnp:album', m.album)
    + el('upnp:originalTrackNumber', m.trackNo !== undefined ? String(m.trackNo) : undefined)
    + el('upnp:albumArtURI', m.artUrl, ' dlna:profileID="JPEG_TN"')
    + `<upnp:class>${CLASS[m.kind]}</upnp:class>`
    + `<res protocolInfo="${escapeXml(protocolInfoFor(req))}"${duration}>${escapeXml(req.url)}</res>`
    + '</item></DIDL-Lite>';
}
