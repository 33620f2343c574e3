// The ContentDirectory tree, as users of minidlna and UMS expect it, built in memory from one read
// of the library (a "generation"): every Browse of one generation sees the same tree, so paging is
// stable while a rescan writes, and the next generation is compared with this one to tell TVs which
// containers changed (ContainerUpdateIDs).
//   0 ─ music ─ artists/<artist>/<album> · albums/<album> · genres/<genre> · tracks · folders/<lib/dir>
//     ─ video ─ folders/… · all
//     ─ photo ─ dates/<YYYY-MM> · all · folders/…
// Items are `i<file id>` wherever they appear; their canonical parent is the "all" list of their kind.
import type { AlbumRow, LibraryQueries, PhotoRow, TrackRow, VideoRow } from '../library/queries.js';

export type ItemRow = { kind: 'audio'; row: TrackRow } | { kind: 'video'; row: VideoRow } | { kind: 'photo'; row: PhotoRow };

export interface ContainerNode {
  id: string;
  parentId: string;
  title: string;
  upnpClass: string;
  /** Child ids (containers, or `i<id>` items), in their default order. */
  children: string[];
  artHash?: string | null;
  artist?: string;
  genre?: string;
  date?: string;
}

export interface Tree {
  containers: Map<string, ContainerNode>;
  items: Map<string, ItemRow>;
}

const ALL = 4_000_000; // "everything" for the list queries (they page; we want one read)
const STORAGE = 'object.container.storageFolder';

export const itemId = (fileId: number) => `i${fileId}`;
const enc = (s: string) => encodeURIComponent(s);

export const CANONICAL_PARENT = { audio: 'music/tracks', video: 'video/all', photo: 'photo/all' } as const;

// One collator each, made once: localeCompare with options builds one per call.
const baseCollator = new Intl.Collator(undefined, { sensitivity: 'base' });
const numericCollator = new Intl.Collator(undefined, { numeric: true });

function byTitle(a: { title: string }, b: { title: string }): number {
  return baseCollator.compare(a.title, b.title);
}

/** The list under `key`, made on first use. Appending in place: copying a genre's list for each of
 *  its tracks was quadratic (a 100,000-track library blocked the server for over a minute). */
function listIn<K>(map: Map<K, string[]>, key: K): string[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

export function buildTree(q: LibraryQueries): Tree {
  const page = { limit: ALL, offset: 0 };
  const tracks = q.tracks(page).items;
  const albums = q.albums(page).items;
  const videos = q.videos(page).items;
  const photos = q.photos(page).items;

  const containers = new Map<string, ContainerNode>();
  const items = new Map<string, ItemRow>();
  const add = (c: Omit<ContainerNode, 'children'> & { children?: string[] }): ContainerNode => {
    const node = { children: [], ...c };
    containers.set(node.id, node);
    containers.get(node.parentId)?.children.push(node.id);
    return node;
  };
  for (const row of tracks) items.set(itemId(row.id), { kind: 'audio', row });
  for (const row of videos) items.set(itemId(row.id), { kind: 'video', row });
  for (const row of photos) items.set(itemId(row.id), { kind: 'photo', row });

  add({ id: '0', parentId: '-1', title: 'root', upnpClass: STORAGE });
  add({ id: 'music', parentId: '0', title: 'Music', upnpClass: STORAGE });
  add({ id: 'video', parentId: '0', title: 'Video', upnpClass: STORAGE });
  add({ id: 'photo', parentId: '0', title: 'Photos', upnpClass: STORAGE });

  // Music
  add({ id: 'music/artists', parentId: 'music', title: 'Artists', upnpClass: STORAGE });
  add({ id: 'music/albums', parentId: 'music', title: 'Albums', upnpClass: STORAGE });
  add({ id: 'music/genres', parentId: 'music', title: 'Genres', upnpClass: STORAGE });
  add({ id: 'music/tracks', parentId: 'music', title: 'All tracks', upnpClass: STORAGE, children: tracks.map((t) => itemId(t.id)) });
  const albumTracks = new Map<number, string[]>();
  for (const t of tracks) if (t.albumId !== null) listIn(albumTracks, t.albumId).push(itemId(t.id));
  // Album tracks in disc/track order (the "all" list is ordered by album artist, album, then track too).
  const albumById = new Map<number, AlbumRow>(albums.map((a) => [a.id, a]));
  for (const al of albums) {
    const ids = albumTracks.get(al.id);
    if (ids) add({ id: `music/albums/${al.id}`, parentId: 'music/albums', title: al.title, upnpClass: 'object.container.album.musicAlbum', artist: al.artist, artHash: al.artHash, children: ids });
  }
  // Artists: the albums they made or appear on, then their tracks that have no album.
  const artistNames = new Map<number, string>();
  const artistAlbums = new Map<number, Set<number>>();
  const artistLoose = new Map<number, string[]>();
  for (const t of tracks) {
    artistNames.set(t.artistId, t.artist);
    if (t.albumId === null) listIn(artistLoose, t.artistId).push(itemId(t.id));
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
    add({ id: base, parentId: 'music/artists', title: ar.title, upnpClass: 'object.container.person.musicArtist' });
    const mine = [...(artistAlbums.get(ar.id) ?? [])].map((id) => albumById.get(id)!).filter(Boolean);
    for (const al of mine.sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || byTitle(a, b))) {
      add({ id: `${base}/${al.id}`, parentId: base, title: al.title, upnpClass: 'object.container.album.musicAlbum', artist: al.artist, artHash: al.artHash, children: [...(albumTracks.get(al.id) ?? [])] });
    }
    containers.get(base)!.children.push(...(artistLoose.get(ar.id) ?? []));
  }
  const genres = new Map<string, string[]>();
  for (const t of tracks) {
    const g = t.genre?.trim() || 'Unknown genre';
    listIn(genres, g).push(itemId(t.id));
  }
  for (const g of [...genres.keys()].sort((a, b) => a.localeCompare(b))) {
    add({ id: `music/genres/${enc(g)}`, parentId: 'music/genres', title: g, upnpClass: 'object.container.genre.musicGenre', genre: g, children: genres.get(g)! });
  }
  addFolders(containers, 'music/folders', tracks);

  // Video
  addFolders(containers, 'video/folders', videos);
  add({ id: 'video/all', parentId: 'video', title: 'All videos', upnpClass: STORAGE, children: videos.map((v) => itemId(v.id)) });

  // Photos: newest month first, as the library lists them; undated ones last.
  add({ id: 'photo/dates', parentId: 'photo', title: 'By date', upnpClass: STORAGE });
  const months = new Map<string, string[]>();
  for (const p of photos) {
    const m = p.takenAt === null ? 'unknown' : new Date(p.takenAt).toISOString().slice(0, 7);
    listIn(months, m).push(itemId(p.id));
  }
  for (const [m, ids] of months) {
    add({ id: `photo/dates/${m}`, parentId: 'photo/dates', title: m === 'unknown' ? 'Unknown date' : m, upnpClass: 'object.container.album.photoAlbum', children: ids, ...(m === 'unknown' ? {} : { date: `${m}-01` }) });
  }
  add({ id: 'photo/all', parentId: 'photo', title: 'All photos', upnpClass: STORAGE, children: photos.map((p) => itemId(p.id)) });
  addFolders(containers, 'photo/folders', photos);
  return { containers, items };
}

/**
 * Folders of one kind, as on disk: `<root>/<library>/<dir>/…` (the library level is skipped when
 * only one library holds this kind). Sub-folders first, then files, each by name.
 */
function addFolders(containers: Map<string, ContainerNode>, root: string, rows: Array<{ id: number; library: string; path: string }>): void {
  const section = root.split('/')[0]!;
  const flat = new Set(rows.map((r) => r.library)).size <= 1;
  type Dir = { node: ContainerNode; subs: Array<[string, string]>; files: Array<[string, string]> };
  const dirs = new Map<string, Dir>();
  dirs.set(root, { node: { id: root, parentId: section, title: 'Folders', upnpClass: STORAGE, children: [] }, subs: [], files: [] });
  const dir = (segments: string[]): Dir => {
    const id = segments.length === 0 ? root : `${root}/${segments.map(enc).join('/')}`;
    let d = dirs.get(id);
    if (d) return d;
    const parent = dir(segments.slice(0, -1));
    const name = segments[segments.length - 1]!;
    d = { node: { id, parentId: parent.node.id, title: name, upnpClass: STORAGE, children: [] }, subs: [], files: [] };
    dirs.set(id, d);
    parent.subs.push([name, id]);
    return d;
  };
  for (const r of rows) {
    const parts = r.path.split('/');
    const file = parts.pop()!;
    dir(flat ? parts : [r.library, ...parts]).files.push([file, itemId(r.id)]);
  }
  const order = (list: Array<[string, string]>) => list.sort((a, b) => numericCollator.compare(a[0], b[0])).map(([, id]) => id);
  for (const d of dirs.values()) {
    d.node.children = [...order(d.subs), ...order(d.files)];
    containers.set(d.node.id, d.node);
  }
  containers.get(section)!.children.push(root);
}
