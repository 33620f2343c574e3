// What the playlist routes answer, as the store reads it. No imports: the remote's build reads
// these types too (ui/src/data/playlists.ts).

export interface PlaylistProblem {
  line: number;
  entry: string;
  reason: string;
}

export interface PlaylistRow {
  id: number;
  name: string;
  trackCount: number;
  /** Seconds, the entries with a known length. */
  duration: number;
  /** Imported from a playlist file in a library (kept in step with the file; changed there, not here). */
  imported: boolean;
  /** The file it came from, relative to its library (imported ones). */
  source: { library: string; path: string } | null;
  ownerId: number | null;
  updatedAt: number;
}

export interface PlaylistEntryRow {
  entryId: number;
  position: number;
  /** The library item. */
  id: number;
  kind: 'audio' | 'video' | 'photo';
  title: string;
  artist: string | null;
  album: string | null;
  duration: number | null;
  artHash: string | null;
}
