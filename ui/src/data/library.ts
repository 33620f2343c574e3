// REST reads of the library: one page of a list, with the same filters as the server's routes.
import type { LibraryKind, LibraryKinds, Page } from './types.js';

export interface ListQuery {
  q?: string;
  albumId?: number;
  artistId?: number;
  genre?: string;
  year?: number;
  sort?: 'name' | 'added' | 'year';
  month?: string;
  folder?: string;
}

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** The body of a JSON answer; a refusal throws the server's own error (`{error}`), else the status. */
export async function readJson<T>(res: Response): Promise<T> {
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `the server answered HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

/** GET `url` (relative to the remote's page) as JSON, through `readJson`. */
export const getJson = <T>(url: string, f: Fetch = fetch): Promise<T> => f(url).then((r) => readJson<T>(r));

export function listUrl(kind: LibraryKind, query: ListQuery, offset: number, limit: number): string {
  const p = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  const q = query.q?.trim();
  if (q) p.set('q', q);
  if (query.albumId !== undefined) p.set('albumId', String(query.albumId));
  if (query.artistId !== undefined) p.set('artistId', String(query.artistId));
  for (const key of ['genre', 'year', 'sort', 'month', 'folder'] as const) if (query[key] !== undefined) p.set(key, String(query[key]));
  return `api/library/${kind}?${p}`;
}

export async function fetchPage<K extends LibraryKind>(kind: K, query: ListQuery, offset: number, limit: number, f: Fetch = fetch, signal?: AbortSignal): Promise<Page<LibraryKinds[K]>> {
  return readJson(await f(listUrl(kind, query, offset, limit), signal ? { signal } : undefined));
}

/** Every item of a list in order (an album's tracks), at most `max`. */
export async function fetchAll<K extends LibraryKind>(kind: K, query: ListQuery, f: Fetch = fetch, max = 10_000): Promise<LibraryKinds[K][]> {
  const out: LibraryKinds[K][] = [];
  for (;;) {
    const page = await fetchPage(kind, query, out.length, 500, f);
    out.push(...page.items);
    if (page.items.length === 0 || out.length >= page.total || out.length >= max) return out;
  }
}
