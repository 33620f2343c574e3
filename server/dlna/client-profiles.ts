// Which device is browsing us, from its request headers (User-Agent, X-AV-Client-Info,
// FriendlyName.DLNA.ORG) or else its own device description, and what it plays: the same Profile
// type Cast and AirPlay use, so the same decision code (server/playback/decide.ts) says what to transcode, with the same reasons.
// Patterns and capabilities follow Universal Media Server's renderer .conf files
// (UniversalMediaServer/UniversalMediaServer src/main/external-resources/renderers/*.conf:
// UserAgentSearch / UpnpDetailsSearch, Supported lines) and Serviio's profiles.xml.
// Players that decode anything themselves (VLC, Kodi, BubbleUPnP's own renderer) get no profile:
// originals only.
import type { IncomingHttpHeaders } from 'node:http';
import type { AudioCodecSupport, Profile, VideoCodecSupport } from '../../receivers/types.js';

export interface ClientProfile {
  id: 'samsung' | 'lg' | 'sony' | 'panasonic' | 'xbox' | 'playstation' | 'vlc' | 'kodi' | 'bubbleupnp' | 'generic';
  name: string;
  /** undefined: plays whatever it is given (no transcodes offered). */
  profile?: Profile;
  /** Samsung / LG read subtitles from CaptionInfo.sec headers and sec:CaptionInfoEx. */
  secCaptions: boolean;
}

const hd = (codec: VideoCodecSupport['codec'], extra: Partial<VideoCodecSupport> = {}): VideoCodecSupport => ({ codec, maxWidth: 1920, maxHeight: 1080, maxFrameRate: 60, ...extra });
const uhd = (codec: VideoCodecSupport['codec']): VideoCodecSupport => ({ codec, maxWidth: 3840, maxHeight: 2160, maxFrameRate: 60 });
const audio = (...codecs: AudioCodecSupport['codec'][]): AudioCodecSupport[] => codecs.map((codec) => ({ codec, maxChannels: 6 }));

function tv(name: string, containers: string[], video: VideoCodecSupport[], audioCodecs: AudioCodecSupport[], images = ['jpeg', 'png']): Profile {
  return { name, audioOnly: false, containers, videoCodecs: video, audioCodecs, subtitleFormats: ['srt'], imageFormats: images };
}

/** What a device says about itself in its UPnP description (read when SSDP found it as a renderer). */
export interface DeviceDetails {
  friendlyName: string;
  manufacturer: string | null;
  modelName: string | null;
}

// The table, ordered: the first match wins (X-AV-Client-Info before User-Agent words that others
// copy). `headers` is matched against the request's User-Agent, X-AV-Client-Info and
// FriendlyName.DLNA.ORG; `description` against "manufacturer | modelName | friendlyName" of the
// device's own description, for a TV whose control point sends a bare User-Agent (minidlna does the
// same from the renderer's SSDP NOTIFY: minissdp.c ParseUPnPClient, EModelName / EFriendlyNameSSDP
// in clients.c; UMS's UpnpDetailsSearch).
const RULES: Array<{ headers: RegExp; description?: RegExp; make: () => ClientProfile }> = [
  { headers: /BubbleUPnP/i, description: /BubbleUPnP/i, make: () => ({ id: 'bubbleupnp', name: 'BubbleUPnP', secCaptions: false }) },
  { headers: /\bKodi\b|XBMC/i, description: /\bKodi\b|XBMC/i, make: () => ({ id: 'kodi', name: 'Kodi', secCaptions: false }) },
  { headers: /\bVLC\b|LibVLC/i, description: /\bVLC\b/i, make: () => ({ id: 'vlc', name: 'VLC', secCaptions: false }) },
  {
    headers: /Xbox|Xenon|NSPlayer.*WMFSDK/i,
    description: /^Microsoft Corporation \|.*Xbox/i,
    make: () => ({ id: 'xbox', name: 'Xbox', secCaptions: false, profile: tv('Xbox', ['mp4', 'mpegts', 'mp3', 'wav', 'adts'], [hd('h264')], audio('aac', 'mp3', 'ac3', 'pcm')) }),
  },
  {
    headers: /PLAYSTATION|PS4|PS5/i,
    description: /^Sony (Interactive Entertainment|Computer Entertainment)|PlayStation/i,
    make: () => ({ id: 'playstation', name: 'PlayStation', secCaptions: false, profile: tv('PlayStation', ['mp4', 'mpegts', 'matroska', 'mp3', 'adts', 'flac', 'wav'], [hd('h264')], audio('aac', 'mp3', 'ac3', 'flac', 'pcm')) }),
  },
  {
    headers: /SEC_HHP|Samsung|SamsungWiselink|\bTizen\b/i,
    description: /^Samsung Electronics/i,
    make: () => ({ id: 'samsung', name: 'Samsung TV', secCaptions: true, profile: tv('Samsung TV', ['mp4', 'matroska', 'mpegts', 'mp3', 'adts', 'flac', 'wav'], [uhd('h264'), uhd('hevc')], audio('aac', 'mp3', 'ac3', 'eac3', 'flac', 'pcm')) }),
  },
  {
    headers: /\bLGE\b|LG Electronics|webOS|LG-?TV/i,
    description: /^LG Electronics|webOS/i,
    make: () => ({ id: 'lg', name: 'LG TV', secCaptions: true, profile: tv('LG TV', ['mp4', 'matroska', 'mpegts', 'webm', 'mp3', 'adts', 'flac', 'wav'], [uhd('h264'), uhd('hevc'), uhd('vp9')], audio('aac', 'mp3', 'ac3', 'eac3', 'flac', 'pcm')) }),
  },
  {
    headers: /BRAVIA|SonyDTV|KDL-|Sony/i,
    description: /^Sony Corporation \|.*(BRAVIA|KDL-|KD-|XBR-)/i,
    make: () => ({ id: 'sony', name: 'Sony Bravia', secCaptions: false, profile: tv('Sony Bravia', ['mp4', 'mpegts', 'matroska', 'mp3', 'adts', 'wav'], [hd('h264')], audio('aac', 'mp3', 'ac3', 'pcm')) }),
  },
  {
    headers: /Panasonic|VIERA/i,
    description: /^Panasonic|VIERA/i,
    make: () => ({ id: 'panasonic', name: 'Panasonic TV', secCaptions: false, profile: tv('Panasonic TV', ['mp4', 'mpegts', 'matroska', 'mp3', 'adts', 'flac', 'wav'], [hd('h264')], audio('aac', 'mp3', 'ac3', 'flac', 'pcm')) }),
  },
];

/** What DLNA makes mandatory (MP3, LPCM, JPEG) plus what nearly every renderer takes (AAC, H.264 in MP4/TS). */
const GENERIC: ClientProfile = {
  id: 'generic', name: 'DLNA renderer', secCaptions: false,
  profile: tv('DLNA renderer', ['mp3', 'wav', 'adts', 'mp4', 'mpegts'], [hd('h264')], [{ codec: 'mp3', maxChannels: 2 }, { codec: 'aac', maxChannels: 2 }, { codec: 'pcm', maxChannels: 2, maxBitDepth: 16, maxSampleRate: 48_000 }], ['jpeg']),
};

/** The request's headers first; when they name nobody, the description of the device at the request's address. */
export function recogniseClient(headers: IncomingHttpHeaders, device?: DeviceDetails): ClientProfile {
  const seen = [headers['x-av-client-info'], headers['friendlyname.dlna.org'], headers['user-agent'], headers['x-av-physical-unit-info']].filter(Boolean).join(' | ');
  const byHeaders = RULES.find((r) => r.headers.test(seen));
  if (byHeaders) return byHeaders.make();
  const described = device ? [device.manufacturer ?? '', device.modelName ?? '', device.friendlyName].join(' | ') : undefined;
  return (described !== undefined ? RULES.find((r) => r.description?.test(described)) : undefined)?.make() ?? GENERIC;
}
