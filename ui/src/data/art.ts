// Artwork URLs are signed by the server and handed out with library items and session snapshots.
// Every art URL seen in a list is also remembered by its hash; a snapshot without one is answered
// by looking the item up in the library once.
import { fetchPage, type Fetch } from './library.js';
import type { SessionSnapshot } from './types.js';

const known = new Map<string, string>();
const lookups = new Map<number, Promise<string | null>>();

const hashOf = (url: string): string | undefined => /\/art\/([0-9a-f]+)/.exec(url)?.[1];

/** Remembers the art URLs of items just listed. */
export function rememberArt(items: readonly { artUrl: string | null }[]): void {
  for (const { artUrl } of items) {
    const h = artUrl && hashOf(artUrl);
    if (h && artUrl) known.set(h, artUrl);
  }
}

export function knownArt(hash: string | null): string | null {
  return hash ? (known.get(hash) ?? null) : null;
}

/** The art URL for a playing item, from memory or from one library search by its title. */
export function artFor(item: NonNullable<SessionSnapshot['item']>, f: Fetch = fetch): Promise<string | null> {
  if (item.artUrl) return Promise.resolve(item.artUrl); // servers that sign it in the snapshot
  const hit = knownArt(item.artHash);
  if (hit || !item.artHash) return Promise.resolve(hit);
  let p = lookups.get(item.id);
  if (!p) {
    const kind = item.kind === 'video' ? 'videos' : item.kind === 'photo' ? 'photos' : 'tracks';
    p = fetchPage(kind, { q: item.title }, 0, 50, f)
      .then((page) => {
        rememberArt(page.items);
        return page.items.find((i) => i.id === item.id)?.artUrl ?? null;
      })
      .catch(() => null);
    lookups.set(item.id, p);
  }
  return p;
}
