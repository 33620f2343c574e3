// The ContentDirectory tree, as users of minidlna and UMS expect it, built from one read of the
// library (a "generation"): every Browse of one generation sees the same lists, so paging is
// stable while a rescan writes, and the next generation is compared with this one to tell TVs which
// containers changed (ContainerUpdateIDs).
//   0 ─ music ─ artists/<artist>/<album> · albums/<album> · genres/<genre> · tracks · folders/<lib/dir>
//     ─ video ─ folders/… · all
//     ─ photo ─ dates/<YYYY-MM> · all · folders/…
// Items are `i<file id>` wherever they appear; their canonical parent is the "all" list of their kind.
// Compact: a container keeps its items as file ids in an Int32Array and the tree keeps only each
// id's kind; the items' rows are read from SQLite for the page asked (items.ts). Keeping the rows
// (and a string per item per list) held ~290 MB at 100,000 tracks.
import type { AlbumRow, LibraryQueries } from '../library/queries.js';
import type { PhotoRow, TrackRow, VideoRow } from '../library/queries.js';

export type ItemRow = { kind: 'audio'; row: TrackRow } | { kind: 'video'; row: VideoRow } | { kind: 'photo'; row: PhotoRow };
export type ItemKind = ItemRow['kind'];

export interface ContainerNode {
  id: string;
  parentId: string;
  title: string;
  upnpClass: string;
  /** Child containers' ids, in their default order; they come before the items. */
  subs: string[];
  /** Then the items: file ids, in their default order. */
  items: Int32Array;
  artHash?: string | null;
  artist?: string;
  genre?: string;
  date?: string;
}

export interface Tree {
  containers: Map<string, ContainerNode>;
  /** kinds[file id]: 0 not in this generation, else 1 + the index in KINDS. */
  kinds: Uint8Array;
}

export const KINDS: readonly ItemKind[] = ['audio', 'video', 'photo'];

const ALL = 4_000_000; // "everything" for the list queries (they page; we want one read)
const STORAGE = 'object.container.storageFolder';

export const itemId = (fileId: number) => `i${fileId}`;
const enc = (s: string) => encodeURIComponent(s);

/** The file id of an item's object id, or null when `id` is not an item of this tree. */
export function fileIdOf(tree: Tree, id: string): number | null {
  if (!/^i\d{1,10}$/.test(id)) return null;
  const n = Number(id.slice(1));
  return n < tree.kinds.length && tree.kinds[n] ? n : null;
}

export const kindOf = (tree: Tree, fileId: number): ItemKind => KINDS[tree.kinds[fileId]! - 1]!;

export const childCount = (c: ContainerNode) => c.subs.length + c.items.length;

/** The object id of a container's i-th child. */
export const childAt = (c: ContainerNode, i: number): string => (i < c.subs.length ? c.subs[i]! : itemId(c.items[i - c.subs.length]!));

export const CANONICAL_PARENT = { audio: 'music/tracks', video: 'video/all', photo: 'photo/all' } as const;

// One collator each, made once: localeCompare with options builds one per call.
const baseCollator = new Intl.Collator(undefined, { sensitivity: 'base' });
const numericCollator = new Intl.Collator(undefined, { numeric: true });

function byTitle(a: { title: string }, b: { title: string }): number {
  return baseCollator.compare(a.title, b.title);
}

/** The list under `key`, made on first use. Appending in place: copying a genre's list for each of
 *  its tracks was quadratic (a 100,000-track library blocked the server for over a minute). */
function listIn<K>(map: Map<K, number[]>, key: K): number[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

const ids = (rows: Array<{ id: number }>) => Int32Array.from(rows, (r) => r.id);

export function buildTree(q: LibraryQueries): Tree {
  const page = { limit: ALL, offset: 0 };
  let tracks: TrackRow[] | null = q.tracks(page).items;
  const albums = q.albums(page).items;
  let videos: VideoRow[] | null = q.videos(page).items;
  let photos: PhotoRow[] | null = q.photos(page).items;

  const containers = new Map<string, ContainerNode>();
  const maxId = Math.max(0, ...[tracks, videos, photos].map((rows) => rows.reduce((m, r) => Math.max(m, r.id), 0)));
  const kinds = new Uint8Array(maxId + 1);
  for (const t of tracks) kinds[t.id] = 1;
  for (const v of videos) kinds[v.id] = 2;
  for (const p of photos) kinds[p.id] = 3;
  const add = (c: Omit<ContainerNode, 'subs' | 'items'> & { items?: Int32Array | number[] }): ContainerNode => {
    const node: ContainerNode = { ...c, subs: [], items: c.items instanceof Int32Array ? c.items : Int32Array.from(c.items ?? []) };
    containers.set(node.id, node);
    containers.get(node.parentId)?.subs.push(node.id);
    return node;
  };

  add({ id: '0', parentId: '-1', title: 'root', upnpClass: STORAGE });
  add({ id: 'music', parentId: '0', title: 'Music', upnpClass: STORAGE });
  add({ id: 'video', parentId: '0', title: 'Video', upnpClass: STORAGE });
  add({ id: 'photo', parentId: '0', title: 'Photos', upnpClass: STORAGE });

  // Music
  add({ id: 'music/artists', parentId: 'music', title: 'Artists', upnpClass: STORAGE });
  add({ id: 'music/albums', parentId: 'music', title: 'Albums', upnpClass: STORAGE });
  add({ id: 'music/genres', parentId: 'music', title: 'Genres', upnpClass: STORAGE });
  add({ id: 'music/tracks', parentId: 'music', title: 'All tracks', upnpClass: STORAGE, items: ids(tracks) });
  const albumTracks = new Map<number, Int32Array>();
  {
    const lists = new Map<number, number[]>();
    for (const t of tracks) if (t.albumId !== null) listIn(lists, t.albumId).push(t.id);
    for (const [id, list] of lists) albumTracks.set(id, Int32Array.from(list));
  }
  // Album tracks in disc/track order (the "all" list is ordered by album artist, album, then track too).
  const albumById = new Map<number, AlbumRow>(albums.map((a) => [a.id, a]));
  for (const al of albums) {
    const items = albumTracks.get(al.id);
    if (items) add({ id: `music/albums/${al.id}`, parentId: 'music/albums', title: al.title, upnpClass: 'object.container.album.musicAlbum', artist: al.artist, artHash: al.artHash, items });
  }
  // Artists: the albums they made or appear on, then their tracks that have no album.
  const artistNames = new Map<number, string>();
  const artistAlbums = new Map<number, Set<number>>();
  const artistLoose = new Map<number, number[]>();
  for (const t of tracks) {
    artistNames.set(t.artistId, t.artist);
    if (t.albumId === null) listIn(artistLoose, t.artistId).push(t.id);
    else {
      const al = albumById.get(t.albumId);
      for (const a of al ? new Set([t.artistId, al.artistId]) : [t.artistId]) {
        if (al) artistNames.set(al.artistId, al.artist);
        artistAlbums.set(a, (artistAlbums.get(a) ?? new Set()).add(t.albumId));
      }
    }
  }
  const artists = [...artistNames].map(([id, title]) => ({ id, title })).sort(byTitle);
  for (const ar of artists) {
    const base = `music/artists/${ar.id}`;
    add({ id: base, parentId: 'music/artists', title: ar.title, upnpClass: 'object.container.person.musicArtist', items: artistLoose.get(ar.id) ?? [] });
    const mine = [...(artistAlbums.get(ar.id) ?? [])].map((id) => albumById.get(id)!).filter(Boolean);
    for (const al of mine.sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || byTitle(a, b))) {
      // The same ids as the album's own list: one array shared, never written after the build.
      add({ id: `${base}/${al.id}`, parentId: base, title: al.title, upnpClass: 'object.container.album.musicAlbum', artist: al.artist, artHash: al.artHash, items: albumTracks.get(al.id) ?? new Int32Array(0) });
    }
  }
  const genres = new Map<string, number[]>();
  for (const t of tracks) {
    const g = t.genre?.trim() || 'Unknown genre';
    listIn(genres, g).push(t.id);
  }
  for (const g of [...genres.keys()].sort((a, b) => a.localeCompare(b))) {
    add({ id: `music/genres/${enc(g)}`, parentId: 'music/genres', title: g, upnpClass: 'object.container.genre.musicGenre', genre: g, items: genres.get(g)! });
  }
  addFolders(containers, 'music/folders', tracks);
  tracks = null; // the rows are not kept: only ids

  // Video
  addFolders(containers, 'video/folders', videos);
  add({ id: 'video/all', parentId: 'video', title: 'All videos', upnpClass: STORAGE, items: ids(videos) });
  videos = null;

  // Photos: newest month first, as the library lists them; undated ones last.
  add({ id: 'photo/dates', parentId: 'photo', title: 'By date', upnpClass: STORAGE });
  const months = new Map<string, number[]>();
  for (const p of photos) {
    const m = p.takenAt === null ? 'unknown' : new Date(p.takenAt).toISOString().slice(0, 7);
    listIn(months, m).push(p.id);
  }
  for (const [m, items] of months) {
    add({ id: `photo/dates/${m}`, parentId: 'photo/dates', title: m === 'unknown' ? 'Unknown date' : m, upnpClass: 'object.container.album.photoAlbum', items, ...(m === 'unknown' ? {} : { date: `${m}-01` }) });
  }
  add({ id: 'photo/all', parentId: 'photo', title: 'All photos', upnpClass: STORAGE, items: ids(photos) });
  addFolders(containers, 'photo/folders', photos);
  photos = null;
  return { containers, kinds };
}

/**
 * Folders of one kind, as on disk: `<root>/<library>/<dir>/…` (the library level is skipped when
 * only one library holds this kind). Sub-folders first, then files, each by name.
 */
function addFolders(containers: Map<string, ContainerNode>, root: string, rows: Array<{ id: number; library: string; path: string }>): void {
  const section = root.split('/')[0]!;
  const flat = new Set(rows.map((r) => r.library)).size <= 1;
  type Dir = { node: ContainerNode; subs: Array<[string, string]>; files: Array<[string, number]> };
  const dirs = new Map<string, Dir>();
  const node = (id: string, parentId: string, title: string): ContainerNode => ({ id, parentId, title, upnpClass: STORAGE, subs: [], items: new Int32Array(0) });
  dirs.set(root, { node: node(root, section, 'Folders'), subs: [], files: [] });
  const dir = (segments: string[]): Dir => {
    const id = segments.length === 0 ? root : `${root}/${segments.map(enc).join('/')}`;
    let d = dirs.get(id);
    if (d) return d;
    const parent = dir(segments.slice(0, -1));
    const name = segments[segments.length - 1]!;
    d = { node: node(id, parent.node.id, name), subs: [], files: [] };
    dirs.set(id, d);
    parent.subs.push([name, id]);
    return d;
  };
  for (const r of rows) {
    const parts = r.path.split('/');
    const file = parts.pop()!;
    dir(flat ? parts : [r.library, ...parts]).files.push([file, r.id]);
  }
  const order = <T>(list: Array<[string, T]>) => list.sort((a, b) => numericCollator.compare(a[0], b[0])).map(([, id]) => id);
  for (const d of dirs.values()) {
    d.node.subs = order(d.subs);
    d.node.items = Int32Array.from(order(d.files));
    containers.set(d.node.id, d.node);
  }
  containers.get(section)!.subs.push(root);
}

/** What tells one generation's container from the next: its title and its children, hashed
 *  (two 32-bit FNV-1a runs with different seeds), so a dropped tree can still be compared. */
export function fingerprint(c: ContainerNode): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const mix = (x: number) => {
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x5bd1e995) ^ (b >>> 13);
  };
  for (let i = 0; i < c.title.length; i++) mix(c.title.charCodeAt(i));
  mix(-1);
  for (const s of c.subs) {
    for (let i = 0; i < s.length; i++) mix(s.charCodeAt(i));
    mix(-2);
  }
  for (let i = 0; i < c.items.length; i++) mix(c.items[i]!);
  return `${c.subs.length}.${c.items.length}.${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}
