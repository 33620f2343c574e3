// What the server sends, as the remote reads it. The shapes mirror server/playback/session.ts and
// receivers/types.ts (which the browser build cannot import: they pull in Node); the unit test
// test/unit/ui/wire-types.test.ts fails the typecheck when the two drift apart.
import type { Playlist } from './playlists.js';
import type { CommandName } from '../../../server/api/messages.js';

export type PlayerState = 'idle' | 'loading' | 'buffering' | 'playing' | 'paused';
export type ReceiverType = 'tv' | 'speaker' | 'group';
export type ItemKind = 'audio' | 'video' | 'photo';
export type Repeat = 'off' | 'all' | 'one';
export type DecisionKind = 'direct' | 'remux' | 'audio-transcode' | 'transcode' | 'unplayable';

export interface Receiver {
  id: string;
  kind: string;
  name: string;
  model: string | null;
  /** The model as people know it, when the receiver's kind knows it (receivers/types.ts). */
  modelName?: string;
  type: ReceiverType;
  online: boolean;
  /** It asks for a password before it plays (server/discovery/secrets.ts ReceiverView). */
  needsPassword?: boolean;
  /** The server keeps one for it (the password itself never reaches a remote). */
  hasPassword?: boolean;
  /** A group (type 'group'): its members' receiver ids, in order. */
  members?: string[];
  /** A group: each member's own state (receivers/group/types.ts GroupMemberState). */
  group?: GroupMemberState[];
}

export interface GroupMemberState {
  id: string;
  name: string;
  delayMs: number;
  volume: number;
  muted: boolean;
  state: 'idle' | 'joining' | 'playing' | 'gone' | 'failed';
  /** False: it follows the group's queue without the shared clock (shown as "not in sync"). */
  synced: boolean;
  error?: string;
  /** Why a member of a kind that syncs plays unsynced (a Chromecast without Cast Streaming). */
  unsynced?: string;
}

export interface QueueEntry {
  entryId: number;
  itemId: number;
  title: string;
  artist?: string;
  kind: ItemKind;
  duration: number | null;
  /** Queued by the server after an episode: its show's next one (server/playback/queue.ts). */
  upNext?: true;
}

export interface SubtitleTrack {
  index: number;
  label: string;
  language: string | null;
  default: boolean;
  forced: boolean;
}

/** One audio stream (language) of the playing video (server/playback/audio-tracks.ts). */
export interface AudioTrack {
  index: number;
  label: string;
  language: string | null;
  default: boolean;
}

export interface SessionSnapshot {
  receiverId: string;
  state: PlayerState;
  /** Seconds, true at `at` (ms since epoch); advance by `rate` while playing. */
  position: number;
  at: number;
  rate: number;
  duration: number | null;
  volume: { level: number; muted: boolean };
  index: number;
  queue: QueueEntry[];
  repeat: Repeat;
  shuffle: boolean;
  item: { id: number; title: string; artist?: string; album?: string; kind: ItemKind; artHash: string | null; artUrl: string | null } | null;
  decision: { kind: DecisionKind; reasons: string[] } | null;
  /** The item's text tracks when the receiver shows subtitles (server/playback/subtitles.ts); always sent, optional for fixtures. */
  subtitles?: SubtitleTrack[];
  /** The shown one's index, null: off. */
  subtitle?: number | null;
  /** A video's audio streams; the remote offers a choice when there are two or more. */
  audioTracks?: AudioTrack[];
  /** The playing one's index (null: the item has none). */
  audioTrack?: number | null;
  idleReason?: 'finished' | 'stopped' | 'interrupted' | 'error' | 'gone';
  error?: string;
}

export interface LibraryStats {
  tracks?: number;
  albums?: number;
  artists?: number;
  videos?: number;
  photos?: number;
  /** Files that could not be read (listed at /api/library/errors). */
  errors?: number;
  scanning: boolean;
  /** The scan in progress (server's ScanProgress), or null. */
  progress: { library: string; phase: 'walk' | 'probe' | 'prune'; total: number; done: number } | null;
}

export interface Snapshot {
  receivers: Receiver[];
  sessions: SessionSnapshot[];
  library: LibraryStats;
}

/** GET /api/server (server/api/server-addresses.ts): where another device can open the remote. */
export interface ServerAddresses {
  /** Best first (a configured public URL, then the LAN address that reaches the network); may be empty. */
  urls: string[];
  /** The address the server listens on. */
  host: string;
  /** Only this machine can reach the server. */
  loopbackOnly: boolean;
}

/** Acknowledged payload per command (what the server's handler returns). */
export type CommandResult<C extends CommandName> = C extends 'receivers:list'
  ? Receiver[]
  : C extends 'receiver:password' | 'receiver:forget-password' | 'group:create' | 'group:rename' | 'group:add' | 'group:remove' | 'group:member'
    ? Receiver
  : C extends 'group:delete'
    ? { id: string }
  : C extends 'device:register'
    ? { id: string; name: string }
  : C extends 'playlist:create' | 'playlist:rename' | 'playlist:add' | 'playlist:remove' | 'playlist:move'
    ? Playlist
  : C extends 'playlist:delete'
    ? { id: number }
  : C extends 'playback:status'
    ? SessionSnapshot[]
    : C extends 'library:search'
      ? { tracks: Page<Track>; videos: Page<Video> }
      : SessionSnapshot;

// Library items as the REST routes send them (signed relative URLs).
export interface Page<T> {
  items: T[];
  total: number;
}

export interface Track {
  /** The heart (server/library/remembered.ts). */
  favourite?: boolean;
  id: number;
  title: string;
  artist: string;
  artistId: number;
  album: string | null;
  albumId: number | null;
  trackNo: number | null;
  duration: number | null;
  codec: string | null;
  streamUrl: string;
  artUrl: string | null;
}

export interface Album {
  /** The heart (server/library/remembered.ts). */
  favourite?: boolean;
  id: number;
  title: string;
  artist: string;
  artistId: number;
  year: number | null;
  tracks: number;
  duration: number;
  artUrl: string | null;
}

export interface Artist {
  id: number;
  name: string;
  albums: number;
  tracks: number;
  artUrl: string | null;
}

export interface Video {
  /** The heart (server/library/remembered.ts). */
  favourite?: boolean;
  /** Seconds to resume from, or null; watched: played past 90 %. */
  resumePosition?: number | null;
  watched?: boolean;
  id: number;
  title: string;
  year: number | null;
  duration: number | null;
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  hdr: string | null;
  streamUrl: string;
  artUrl: string | null;
}

/** A file the scan could not read (GET /api/library/errors). */
export interface Unreadable {
  id: number;
  library: string;
  path: string;
  error: string;
  size: number;
  scannedAt: number;
}

export interface Photo {
  id: number;
  title: string;
  takenAt: number | null;
  width: number | null;
  height: number | null;
  cameraModel: string | null;
  streamUrl: string;
  artUrl: string | null;
}

export interface LibraryKinds {
  tracks: Track;
  albums: Album;
  artists: Artist;
  videos: Video;
  photos: Photo;
}
export type LibraryKind = keyof LibraryKinds;
