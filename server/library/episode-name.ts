// A TV episode's show, season and episode number as people name the files (the naming Plex,
// Jellyfin and Kodi ask for): "Show/Season 01/Show - S01E02 - Title.mkv", "Show.S01E02.mkv",
// "Show/Specials/…" (season 0), "Show/Season 2/05 Title.mkv", "Show 1x02.mkv".
import { titleAndYear } from './video-name.js';

export interface EpisodeName {
  show: string;
  /** 0: specials. */
  season: number;
  episode: number | null;
  title: string | null;
}

const SXXEYY = /^(.*?)[\s._-]*\bS(\d{1,2})[\s._-]*E(\d{1,3})(?:-?E\d{1,3})*\b[\s._-]*(.*)$/i;
const NXNN = /^(.*?)[\s._-]*\b(\d{1,2})x(\d{2,3})\b[\s._-]*(.*)$/i;
const SEASON_DIR = /^(?:season|series|staffel|saison)[\s._-]*(\d{1,3})$/i;
const RELEASE_TAGS = /^(?:\d{3,4}p|[xh]\.?26[45]|hevc|web(?:-?dl|rip)?|blu-?ray|hdtv|dvdrip|proper|repack)\b/i;
const SPECIALS_DIR = /^specials?$/i;

/** "Show.Name" (dots or underscores for spaces) → "Show Name"; "Show (2019)" → "Show". */
function clean(s: string): string {
  const spaced = /\s/.test(s) ? s : s.replace(/[._]+/g, ' ');
  return titleAndYear(spaced.replace(/[\s-]+$/, '').trim()).title.trim();
}

/** The episode a file is, from its path relative to the library root; null when it is not named as one. */
export function episodeName(rel: string): EpisodeName | null {
  const parts = rel.split('/');
  const stem = parts[parts.length - 1]!.replace(/\.[^.]+$/, '');
  const dir = parts.length >= 2 ? parts[parts.length - 2]! : null;
  const seasonDir = dir === null ? null : SPECIALS_DIR.test(dir) ? 0 : SEASON_DIR.test(dir) ? Number(SEASON_DIR.exec(dir)![1]) : null;
  const m = SXXEYY.exec(stem) ?? NXNN.exec(stem);
  // The show folder: above "Season NN" / "Specials", or the folder holding "Show.S01E02.mkv".
  const folder = seasonDir !== null ? (parts.length >= 3 ? parts[parts.length - 3]! : null) : dir;
  if (m) {
    const fromName = clean(m[1] ?? '');
    const show = folder && (seasonDir !== null || !fromName) ? clean(folder) : fromName || (folder ? clean(folder) : '');
    if (!show) return null;
    // What follows the number may be release tags ("720p.x264"), not a title.
    const rest = RELEASE_TAGS.test(m[4] ?? '') ? '' : clean(m[4] ?? '');
    return { show, season: seasonDir === 0 ? 0 : Number(m[2]), episode: Number(m[3]), title: rest || null };
  }
  if (seasonDir === null || !folder) return null;
  // "Season 2/05 Title.mkv", "Specials/Behind the Scenes.mkv".
  const n = /^(?:E|Ep|Episode)?[\s._-]*(\d{1,3})\b[\s._-]*(.*)$/i.exec(stem);
  return { show: clean(folder), season: seasonDir, episode: n ? Number(n[1]) : null, title: (n ? clean(n[2] ?? '') : clean(stem)) || null };
}
