// Human names for the reasons a decision gives ("HEVC not supported by …"): the remote shows them as is.

const CODECS: Record<string, string> = {
  h264: 'H.264', hevc: 'HEVC', vp8: 'VP8', vp9: 'VP9', av1: 'AV1', mpeg4: 'MPEG-4 Part 2', mpeg2video: 'MPEG-2',
  mpeg1video: 'MPEG-1', vc1: 'VC-1', wmv3: 'WMV', msmpeg4v3: 'DivX 3',
  mp3: 'MP3', mp2: 'MP2', aac: 'AAC', flac: 'FLAC', alac: 'ALAC', opus: 'Opus', vorbis: 'Vorbis', pcm: 'PCM',
  'pcm-float': 'Floating-point PCM', ac3: 'AC-3', eac3: 'E-AC-3', dts: 'DTS', truehd: 'TrueHD', wma: 'WMA',
  ape: 'APE', wavpack: 'WavPack', dsd: 'DSD', unknown: 'Unknown',
};

const CONTAINERS: Record<string, string> = {
  mp4: 'MP4', matroska: 'Matroska', webm: 'WebM', mpegts: 'MPEG-TS', mov: 'QuickTime', avi: 'AVI', asf: 'ASF',
  aiff: 'AIFF', ape: "Monkey's Audio", wavpack: 'WavPack', mpeg: 'MPEG-PS', flac: 'FLAC', ogg: 'Ogg', wav: 'WAV',
  adts: 'ADTS', mp3: 'MP3',
};

const HDR: Record<string, string> = { hdr10: 'HDR10', hlg: 'HLG', 'dolby-vision': 'Dolby Vision' };

export const codecLabel = (codec: string): string => CODECS[codec] ?? codec.toUpperCase();
export const containerLabel = (c: string | null): string => (c === null ? 'Unknown' : (CONTAINERS[c] ?? c.toUpperCase()));
export const hdrLabel = (h: string): string => HDR[h] ?? h;

/** ffprobe level integers back to the names people know: H.264 41 → 4.1, HEVC 153 → 5.1, AV1 13 → 5.1. */
export function levelLabel(codec: string, level: number): string {
  if (codec === 'hevc') return (level / 30).toFixed(1);
  if (codec === 'av1') return `${2 + (level >> 2)}.${level & 3}`;
  return (level / 10).toFixed(1);
}

/** 1280×720 at 60 → "720p60"; 3840×2160 at 30 → "4K30". */
export function modeLabel(m: { width: number; height: number; frameRate: number }): string {
  return `${m.height >= 2160 ? '4K' : `${m.height}p`}${m.frameRate}`;
}

export const kHz = (hz: number): string => `${Math.round(hz / 100) / 10} kHz`;
export const mbps = (bps: number): string => `${Math.round(bps / 100_000) / 10} Mbit/s`;
