// Which audio stream (language) of a video plays, and how each is named to a person. As Jellyfin's
// MediaStreamSelector.cs (Emby.Server.Implementations/Library) does: the first preferred language
// the file has (the browser's own languages for "This device", the server's setting for receivers),
// else the stream the file flags default, else the first. A person's choice for the item wins.
// A stream other than the first needs a remux or transcode (`-map 0:a:N`): a player given the
// file plays its own default. Pure.
import type { VideoStream } from '../library/probe-types.js';
import { languageName } from './subtitles.js';

/** One audio stream of the playing item, as remotes list it. `index`: its place among the audio streams. */
export interface AudioTrack {
  index: number;
  /** "French · 5.1", "English · Commentary · Stereo". */
  label: string;
  language: string | null;
  default: boolean;
}

/** A person's choice for one item: it stands for that item (and its reloads) until another plays. */
export interface AudioChoice {
  itemId: number;
  index: number;
}

const channelNames: Record<number, string> = { 1: 'Mono', 2: 'Stereo', 6: '5.1', 8: '7.1' };

export function audioStreamsOf(streams: readonly VideoStream[]): VideoStream[] {
  return streams.filter((s) => s.type === 'audio');
}

export function audioLabel(s: VideoStream, index: number): string {
  const language = languageName(s.language ?? null);
  const title = s.title?.trim() || null;
  const channels = s.channels ? (channelNames[s.channels] ?? `${s.channels} ch`) : null;
  const parts = [language, title && title.toLowerCase() !== language?.toLowerCase() ? title : null, channels].filter((p): p is string => !!p);
  return parts.length ? parts.join(' · ') : `Audio ${index + 1}`;
}

export function audioTracks(audio: readonly VideoStream[]): AudioTrack[] {
  return audio.map((s, index) => ({ index, label: audioLabel(s, index), language: s.language ?? null, default: s.default === true }));
}

/** The language a tag names, whatever its form: 'fra', 'fre', 'fr', 'fr-CA' → 'fr'; null for none
 *  ('und', empty, not a tag). ISO 639-2 codes (what files carry) become ICU's 639-1 ones. */
export function baseLanguage(tag: string | null | undefined): string | null {
  if (!tag) return null;
  try {
    const l = new Intl.Locale(tag).language;
    return !l || l === 'und' || l === 'mul' || l === 'zxx' ? null : l;
  } catch {
    return null;
  }
}

/** The stream an item starts with: in the first of `preferred` (language tags, most wanted first)
 *  that it has (the flagged default among those, else the first), else the one flagged default,
 *  else the first. */
export function defaultAudio(audio: readonly VideoStream[], preferred: readonly string[] = []): number {
  for (const tag of preferred) {
    const want = baseLanguage(tag);
    if (!want) continue;
    const inIt = audio.map((s, i) => [s, i] as const).filter(([s]) => baseLanguage(s.language) === want);
    if (inIt.length) return (inIt.find(([s]) => s.default) ?? inIt[0]!)[1];
  }
  return Math.max(0, audio.findIndex((s) => s.default));
}

/** What the item plays: the choice made for it, else its default for these preferred languages. */
export function chosenAudio(choice: AudioChoice | undefined, item: { id: number; audio?: readonly VideoStream[] }, preferred: readonly string[] = []): number {
  const audio = item.audio ?? [];
  return choice?.itemId === item.id && audio[choice.index] ? choice.index : defaultAudio(audio, preferred);
}

/** The track a person names: its number from 1 (as listed), a language ('fr', 'fra', 'French'),
 *  or the start of its label; undefined when none is. */
export function audioTrackNamed(tracks: readonly AudioTrack[], said: string): AudioTrack | undefined {
  const s = said.trim().toLowerCase();
  if (!s) return undefined;
  if (/^\d+$/.test(s)) return tracks[Number(s) - 1];
  const lang = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(s) ? baseLanguage(s) : null;
  return (lang ? tracks.find((t) => baseLanguage(t.language) === lang) : undefined) ?? tracks.find((t) => t.label.toLowerCase().startsWith(s));
}
