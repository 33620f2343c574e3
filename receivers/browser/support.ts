// The names a page playing itself reports what it plays in (ui/src/data/browser-support.ts asks the
// browser; server/api/messages.ts validates them; profile.ts makes a Profile of them). No imports:
// the remote's build reads this file.
export const BROWSER_CONTAINERS = ['mp4', 'webm', 'matroska', 'mpegts', 'ogg', 'mp3', 'flac', 'wav', 'adts', 'hls'] as const;
export const BROWSER_VIDEO = ['h264', 'hevc', 'vp8', 'vp9', 'av1'] as const;
export const BROWSER_AUDIO = ['aac', 'mp3', 'flac', 'opus', 'vorbis', 'pcm', 'alac', 'ac3', 'eac3'] as const;

/** What the page reports: each a name from the lists above that its media element plays. */
export interface BrowserSupport {
  containers: (typeof BROWSER_CONTAINERS)[number][];
  /** `maxLevel`: the highest H.264 level it said yes to (ffprobe's numbering: 4.1 → 41). */
  video: { codec: (typeof BROWSER_VIDEO)[number]; maxLevel?: number }[];
  audio: (typeof BROWSER_AUDIO)[number][];
}
