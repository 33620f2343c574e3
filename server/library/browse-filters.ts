// The genre, year, date-taken and folder filters and the sort orders of the browse lists, as SQL
// pieces the list queries (queries.ts) add to theirs. "Date added" is the order files were first
// found: a file's row id is kept when a rescan updates it.
export type Sort = 'name' | 'added' | 'year';

export interface BrowseFilter {
  genre?: string | undefined;
  year?: number | undefined;
  sort?: Sort | undefined;
}

export interface PhotoFilter {
  /** "2024-05": taken in that month, in the server's time zone (EXIF times have none). */
  month?: string | undefined;
  /** A folder relative to a library root ('' for the root itself), with `library` when given. */
  folder?: string | undefined;
  library?: string | undefined;
}

type Where = [where: string[], params: unknown[]];

export const trackOrder: Record<Sort, string> = {
  name: 't.title COLLATE NOCASE, t.id',
  added: 't.id DESC',
  year: 't.year NULLS LAST, al.title COLLATE NOCASE, coalesce(t.disc_no, 1), t.track_no, t.title COLLATE NOCASE',
};

export const albumOrder: Record<Sort, string> = {
  name: 'al.title COLLATE NOCASE, al.id',
  added: '(SELECT max(id) FROM tracks WHERE album_id = al.id) DESC',
  year: 'al.year NULLS LAST, al.title COLLATE NOCASE',
};

export function trackFilters(f: BrowseFilter): Where {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.genre !== undefined) (where.push('t.genre = ? COLLATE NOCASE'), params.push(f.genre));
  if (f.year !== undefined) (where.push('t.year = ?'), params.push(f.year));
  return [where, params];
}

export function albumFilters(f: BrowseFilter): Where {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.genre !== undefined) (where.push('al.id IN (SELECT album_id FROM tracks WHERE genre = ? COLLATE NOCASE)'), params.push(f.genre));
  if (f.year !== undefined) (where.push('al.year = ?'), params.push(f.year));
  return [where, params];
}

/** The folder part of a relative path, with its trailing slash ('' at the root). */
export const FOLDER_OF = (rel: string) => `rtrim(${rel}, replace(${rel}, '/', ''))`;
export const MONTH_OF = (ms: string) => `strftime('%Y-%m', ${ms} / 1000, 'unixepoch', 'localtime')`;

export function photoFilters(f: PhotoFilter): Where {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.month !== undefined) (where.push(`${MONTH_OF('p.taken_at')} = ?`), params.push(f.month));
  if (f.folder !== undefined) (where.push(`${FOLDER_OF('f.rel')} = ?`), params.push(f.folder.replace(/\/+$/, '') ? `${f.folder.replace(/\/+$/, '')}/` : ''));
  if (f.library !== undefined) (where.push('f.library = ?'), params.push(f.library));
  return [where, params];
}
