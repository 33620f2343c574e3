// A library item as playback sees it: what to show (metadata), what it is (for the decision),
// and how long it lasts. Built from the library's rows; pure.
import type { LibraryItem } from '../library/queries.js';
import { mediaInfoFromTrack, mediaInfoFromVideo, type MediaInfo } from './media-info.js';
import type { SubtitleInfo, VideoStream } from '../library/probe-types.js';
import { withStreamFlags } from './subtitles.js';
import { audioStreamsOf } from './audio-tracks.js';

export interface Playable {
  id: number;
  kind: 'audio' | 'video' | 'photo';
  title: string;
  artist?: string;
  album?: string;
  albumArtist?: string;
  trackNo?: number;
  duration: number | null;
  mime: string;
  artHash: string | null;
  media: MediaInfo | null;
  hdr: string | null;
  subtitles: SubtitleInfo[];
  /** A video's audio streams (languages), in file order; none for other items. */
  audio?: VideoStream[];
  /** What the item is with its audio stream `index` playing (a video's other languages). */
  mediaWithAudio?(index: number): MediaInfo | null;
}

export function playableFrom(item: LibraryItem): Playable {
  if (item.kind === 'audio') {
    const t = item.track;
    return {
      id: t.id, kind: 'audio', title: t.title, artist: t.artist, ...(t.album ? { album: t.album } : {}), ...(t.albumArtist ? { albumArtist: t.albumArtist } : {}),
      ...(t.trackNo ? { trackNo: t.trackNo } : {}), duration: t.duration, mime: t.mime, artHash: t.artHash, media: mediaInfoFromTrack(t), hdr: null, subtitles: [],
    };
  }
  if (item.kind === 'video') {
    const v = item.video;
    const info = { ...v, streams: v.streams as never, subtitles: withStreamFlags(v.subtitles as SubtitleInfo[], v.streams as VideoStream[]) };
    const media = mediaInfoFromVideo(info);
    return {
      id: v.id, kind: 'video', title: v.title, duration: v.duration, mime: v.mime, artHash: v.artHash, media, hdr: v.hdr, subtitles: info.subtitles,
      audio: audioStreamsOf(v.streams as VideoStream[]), mediaWithAudio: (n) => (n === 0 ? media : mediaInfoFromVideo(info, n)),
    };
  }
  const p = item.photo;
  return { id: p.id, kind: 'photo', title: p.title, duration: null, mime: p.mime, artHash: p.artHash, media: null, hdr: null, subtitles: [] };
}
