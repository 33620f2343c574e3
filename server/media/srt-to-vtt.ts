// SubRip to WebVTT, the only text-track format Cast and browsers take: a header, and
// timestamps with a dot instead of a comma. Cue numbers stay (WebVTT reads them as cue ids).
export function srtToVtt(srt: string): string {
  const body = srt
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/(\d{1,2}:\d{2}:\d{2}),(\d{3})/g, (_m, hms: string, ms: string) => `${hms.padStart(8, '0')}.${ms}`)
    .trim();
  return `WEBVTT\n\n${body}\n`;
}
