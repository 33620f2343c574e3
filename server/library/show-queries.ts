// TV shows grouped from file names (episode-name.ts): show → seasons → episodes. Grouped on each
// request from the video rows (no schema of its own): a library has a few thousand videos at most.
import type { Db } from '../db/connection.js';
import { episodeName } from './episode-name.js';

export interface EpisodeRow {
  id: number; season: number; episode: number | null; title: string; duration: number | null;
  width: number | null; height: number | null; library: string; path: string; artHash: string | null;
}
export interface SeasonRow { season: number; name: string; episodes: EpisodeRow[] }
export interface ShowRow { name: string; seasons: SeasonRow[]; episodes: number; artHash: string | null }

// Regular seasons in order, specials (season 0) after them, as Plex and Jellyfin list them.
const seasonOrder = (a: number, b: number) => (a === 0 ? 1 : b === 0 ? -1 : a - b);

/** Every show, by name; `q` narrows to shows whose name or an episode title contains it. */
export function shows(db: Db, q?: string, libraries: readonly string[] | null = null): ShowRow[] {
  const rows = db
    .prepare(`SELECT v.id, v.title, v.duration, v.width, v.height, f.library, f.rel, aw.hash AS art_hash
              FROM videos v JOIN files f ON f.id = v.id LEFT JOIN artwork aw ON aw.id = v.art_id WHERE f.error IS NULL`)
    .all() as { id: number; title: string; duration: number | null; width: number | null; height: number | null; library: string; rel: string; art_hash: string | null }[];
  const byShow = new Map<string, { name: string; seasons: Map<number, EpisodeRow[]> }>();
  for (const r of rows) {
    if (libraries && !libraries.includes(r.library)) continue; // a user's library limit
    const e = episodeName(r.rel);
    if (!e) continue;
    const key = e.show.toLowerCase();
    let show = byShow.get(key);
    if (!show) byShow.set(key, (show = { name: e.show, seasons: new Map() }));
    const list = show.seasons.get(e.season) ?? [];
    show.seasons.set(e.season, list);
    list.push({
      id: r.id, season: e.season, episode: e.episode, title: e.title ?? (e.episode !== null ? `Episode ${e.episode}` : r.title),
      duration: r.duration, width: r.width, height: r.height, library: r.library, path: r.rel, artHash: r.art_hash,
    });
  }
  const needle = q?.trim().toLowerCase();
  const out: ShowRow[] = [];
  for (const s of byShow.values()) {
    const seasons = [...s.seasons.entries()].sort(([a], [b]) => seasonOrder(a, b)).map(([season, episodes]) => ({
      season,
      name: season === 0 ? 'Specials' : `Season ${season}`,
      episodes: episodes.sort((a, b) => (a.episode ?? Infinity) - (b.episode ?? Infinity) || a.path.localeCompare(b.path)),
    }));
    const all = seasons.flatMap((x) => x.episodes);
    if (needle && !s.name.toLowerCase().includes(needle) && !all.some((e) => e.title.toLowerCase().includes(needle))) continue;
    out.push({ name: s.name, seasons, episodes: all.length, artHash: all.find((e) => e.artHash)?.artHash ?? null });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

/** The episode after this one in its show (the next in its season, else the first of the next
 *  season), within the same library; none after the last, for a special or a video of no show. */
export function nextEpisode(db: Db, itemId: number): number | undefined {
  const library = db.prepare('SELECT library FROM files WHERE id = ?').pluck().get(itemId) as string | undefined;
  if (library === undefined) return undefined;
  for (const show of shows(db, undefined, [library])) {
    const regular = show.seasons.filter((s) => s.season !== 0).flatMap((s) => s.episodes);
    const at = regular.findIndex((e) => e.id === itemId);
    if (at >= 0) return regular[at + 1]?.id;
  }
  return undefined;
}
