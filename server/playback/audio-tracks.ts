// Which audio stream (language) of a video plays, and how each is named to a person. As Jellyfin's
// MediaStreamSelector.cs (Emby.Server.Implementations/Library) does when no language is preferred:
// the stream the file flags default, else the first. A choice other than the first needs a remux
// or transcode (`-map 0:a:N`): a player given the file plays its own default. Pure.
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

/** The stream an item starts with: the one flagged default, else the first. */
export function defaultAudio(audio: readonly VideoStream[]): number {
  return Math.max(0, audio.findIndex((s) => s.default));
}

/** What the item plays: the choice made for it, else its own default. */
export function chosenAudio(choice: AudioChoice | undefined, item: { id: number; audio?: readonly VideoStream[] }): number {
  const audio = item.audio ?? [];
  return choice?.itemId === item.id && audio[choice.index] ? choice.index : defaultAudio(audio);
}
