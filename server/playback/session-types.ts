// What a session is made of and shows, apart from its logic (session.ts, session-core.ts): the
// snapshot remotes get, what survives a restart, and what the composition root hands a session.
import type { LoadRequest, Profile, Receiver, ReceiverDescriptor, ReceiverStatus } from '../../receivers/types.js';
import type { Logger } from '../util/log.js';
import type { Decision } from './decide.js';
import type { Playable } from './playable.js';
import type { ProgressSink } from './progress.js';
import type { QueueEntry, QueueState, Repeat } from './queue.js';
import type { SubtitleChoice, SubtitleTrack } from './subtitles.js';
import type { AudioChoice, AudioTrack } from './audio-tracks.js';

export interface SessionSnapshot {
  receiverId: string;
  state: ReceiverStatus['state'];
  position: number;
  /** ms since epoch at which `position` was true; with `rate`, remotes interpolate. */
  at: number;
  rate: number;
  duration: number | null;
  volume: { level: number; muted: boolean };
  index: number;
  queue: QueueEntry[];
  repeat: Repeat;
  shuffle: boolean;
  item: { id: number; title: string; artist?: string; album?: string; kind: Playable['kind']; artHash: string | null; /** Signed, for remotes. */ artUrl: string | null } | null;
  decision: { kind: Decision['kind']; reasons: string[] } | null;
  /** The item's text tracks, when the receiver shows subtitles (else none). */
  subtitles: SubtitleTrack[];
  /** Which of them is shown (its index), null: off. */
  subtitle: number | null;
  /** A video's audio streams (languages); none for other items. */
  audioTracks?: AudioTrack[];
  /** Which of them plays (its index), null when the item has none. */
  audioTrack?: number | null;
  idleReason?: ReceiverStatus['idleReason'];
  error?: string;
}

/** What survives a server restart: the queue and where it was. */
export interface SavedSession {
  q: QueueState;
  position: number;
  volume: { level: number; muted: boolean };
  /** The subtitle chosen for an item (absent: the item's own default). */
  subtitle?: SubtitleChoice;
  /** The audio stream chosen for an item (absent: the item's own default). */
  audio?: AudioChoice;
}

export interface SessionStore {
  receiverIds(): string[];
  load(receiverId: string): SavedSession | undefined;
  save(receiverId: string, s: SavedSession): void;
  /** The receiver is gone for good (a deleted group): its session with it. */
  forget?(receiverId: string): void;
}

/** What "move to…" carries from one session to another (server/playback/move.ts). */
export interface Handoff {
  q: QueueState;
  subtitle: SubtitleChoice | undefined;
  audio?: AudioChoice | undefined;
  paused: boolean;
  /** Seconds into the item now: read at the moment the new receiver starts it. */
  position(): number;
}

export interface SessionDeps {
  descriptor(): ReceiverDescriptor | undefined;
  connect(d: ReceiverDescriptor): Receiver;
  item(id: number): Playable | undefined;
  /** What the receiver plays, for this kind of item (an Apple TV takes audio through RAOP). */
  profile(d: ReceiverDescriptor, item: 'audio' | 'video'): Profile;
  /** URLs are the composition root's business (signing, our address on the receiver's network). */
  loadRequest(d: ReceiverDescriptor, item: Playable, decision: Decision, startAt: number): Promise<LoadRequest>;
  log: Logger;
  store?: SessionStore;
  /** A signed artwork URL for remotes (relative to the server). */
  artUrl?(hash: string): string;
  /** Keeps a user's resume positions and plays (server/library/remembered.ts); none: nothing is remembered. */
  remember?: (userId: number | null) => ProgressSink;
  /** The audio languages a video starts in on this receiver for the person who played it
   *  (`listener`, null: nobody known), most wanted first (none: the file's default). */
  audioLanguages?(d: ReceiverDescriptor, listener: number | null): readonly string[];
  /** The episode after this item in its show (library/show-queries.ts), queued when it plays last. */
  nextEpisode?(itemId: number): number | undefined;
}
