// A film's title and year as people name the file ("Night Walk (2019).mkv", as Plex, Jellyfin and
// Kodi ask) and as tags give them. The year in a file name is not part of the title.

/** "Night Walk (2019)" or "Night Walk [2019]" → { title: 'Night Walk', year: 2019 }; otherwise the name as it is. */
export function titleAndYear(stem: string): { title: string; year: number | null } {
  const m = /^(.*?\S)[\s._]*(?:\((\d{4})\)|\[(\d{4})\])\s*$/.exec(stem);
  const year = m ? plausibleYear(Number(m[2] ?? m[3])) : null;
  return year !== null ? { title: m![1]!, year } : { title: stem.trim() || stem, year: null };
}

/** The release year from container tags (MP4 `date`, Matroska `DATE_RELEASED`, `year`), never the encoding time. */
export function yearFromTags(tags: Record<string, string> | undefined): number | null {
  if (!tags) return null;
  const lower = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  for (const key of ['date_released', 'date', 'year']) {
    const m = /^\s*(\d{4})(?:\D|$)/.exec(lower[key] ?? '');
    const year = m ? plausibleYear(Number(m[1])) : null;
    if (year !== null) return year;
  }
  return null;
}

// Film began in the 1880s; a "year" past next year is some other number (a resolution, a code).
function plausibleYear(y: number): number | null {
  return y >= 1880 && y <= new Date().getFullYear() + 1 ? y : null;
}
