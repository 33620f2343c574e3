// Which text track shows when an item starts, and how each is named to a person. As in Jellyfin's
// "Default" subtitle mode (Emby.Server.Implementations/Library/MediaStreamSelector.cs), the file
// decides: a track flagged default, else one flagged forced, is shown; with neither, none is.
// Pure.
import { basename } from 'node:path';
import type { LoadRequest } from '../../receivers/types.js';
import type { SubtitleInfo, VideoStream } from '../library/probe-types.js';

/** One text track of the playing item, as remotes list it. `index` is its place in the item's list. */
export interface SubtitleTrack {
  index: number;
  /** "French", "English · SDH (forced)". */
  label: string;
  language: string | null;
  default: boolean;
  forced: boolean;
}

/** The track an item starts with, or null (subtitles off). */
export function defaultSubtitle(subs: readonly SubtitleInfo[]): number | null {
  const flagged = subs.findIndex((s) => s.default);
  if (flagged >= 0) return flagged;
  const forced = subs.findIndex((s) => s.forced);
  return forced >= 0 ? forced : null;
}

/** A person's choice for one item: it stands for that item (and its reloads) until another plays. */
export interface SubtitleChoice {
  itemId: number;
  index: number | null;
}

/** What the item shows: the choice made for it, else its own default. */
export function shownSubtitle(choice: SubtitleChoice | undefined, item: { id: number; subtitles: readonly SubtitleInfo[] }): number | null {
  return choice?.itemId === item.id ? choice.index : defaultSubtitle(item.subtitles);
}

/** A load of the item a person chose subtitles for shows that choice instead of the file's default. */
export function withSubtitleChoice(choice: SubtitleChoice | undefined, item: { id: number }, req: LoadRequest): LoadRequest {
  if (choice?.itemId !== item.id) return req;
  const { activeSubtitle: _default, ...rest } = req;
  return choice.index === null ? rest : { ...rest, activeSubtitle: choice.index };
}

const languages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** 'fra' / 'fr' / 'pt-BR' → "French" / "Brazilian Portuguese"; null when the code means nothing. */
export function languageName(code: string | null): string | null {
  if (!code) return null;
  try {
    return languages.of(code) ?? code;
  } catch {
    return code; // not a well-formed tag: show it as written
  }
}

export function subtitleLabel(sub: SubtitleInfo, index: number): string {
  const language = languageName(sub.language);
  const title = sub.title?.trim() || null;
  const parts = [language, title && title.toLowerCase() !== language?.toLowerCase() ? title : null].filter((p): p is string => !!p);
  // Nothing to go by: the file's own name (never its folder), or the stream's place.
  const base = parts.join(' · ') || (sub.source === 'external' && sub.path ? basename(sub.path) : `Track ${index + 1}`);
  return sub.forced ? `${base} (forced)` : base;
}

export function subtitleTracks(subs: readonly SubtitleInfo[]): SubtitleTrack[] {
  return subs.map((s, index) => ({ index, label: subtitleLabel(s, index), language: s.language, default: s.default === true, forced: s.forced === true }));
}

/**
 * Flags for embedded tracks scanned before they were recorded on the subtitle itself: the video's
 * stream list has always kept each stream's default/forced disposition.
 */
export function withStreamFlags(subs: readonly SubtitleInfo[], streams: readonly VideoStream[]): SubtitleInfo[] {
  return subs.map((s) => {
    if (s.source !== 'embedded' || (s.default !== undefined && s.forced !== undefined)) return s;
    const stream = streams.find((x) => x.index === s.streamIndex);
    return { ...s, default: s.default ?? stream?.default === true, forced: s.forced ?? stream?.forced === true };
  });
}
