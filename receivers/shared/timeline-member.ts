// One output of a synced stream: an AirPlay speaker (a RAOP session) or a Sendspin player. A
// stream (one speaker alone, or a group) paces PCM on one timeline of the server clock and hands
// every member the same packets with the same timeline frames; each member plays frame f at
// timeline.nsAtFrames(f + latency) + delayMs on that clock (docs/protocols.md §5 "Multi-room sync").
import type { EventEmitter } from 'node:events';
import type { NtpClock, Timeline } from '../airplay/raop/clock.js';
import type { Artwork } from '../airplay/raop/metadata.js';

/** Where a member's frames go in time: the stream's clock, timeline and lead (frames). */
export interface TimelineContext {
  readonly clock: NtpClock;
  readonly timeline: Timeline;
  /** Frames between a frame's time on the timeline and when it is heard (RAOP latency, 2 s). */
  readonly latency: number;
}

export interface MemberOptions {
  /** This member plays every frame this many ms after the others (a room behind a slow amplifier). */
  delayMs?: number;
  /** 0..1 */
  volume?: number;
  muted?: boolean;
}

/**
 * What a running server gives a kind's openMember (receivers/index.ts): the member's settings,
 * the device's stored password, a log, and the kind's server role when devices connect to us
 * (a Sendspin player joins through the connection it made).
 */
export interface OpenMemberOptions extends MemberOptions {
  password?: string;
  log?: (msg: string, fields?: object) => void;
  hub?: MemberHub;
}

/** A server role devices connect to (Sendspin): a connected device as a member; throws when it is not connected. */
export interface MemberHub {
  member(id: string, ctx: TimelineContext, opts?: MemberOptions): TimelineMember;
}

/** Track info for displays (AirPlay DACP-less metadata, Sendspin `server/state` metadata). */
export interface NowPlaying {
  /** Timeline frame at which the item's audio (this segment) starts. */
  frame: number;
  /** Media seconds of that frame. */
  position: number;
  duration: number | null;
  title?: string;
  artist?: string;
  album?: string;
  artUrl?: string;
  /** The cover of artUrl, fetched once by the driver for every member (absent: fetch it). */
  artwork?: Promise<Artwork>;
}

export interface TimelineMemberEvents {
  /** The member is lost (connection closed, stopped answering): it is out of the stream. */
  error: [Error];
}

export interface TimelineMember extends EventEmitter<TimelineMemberEvents> {
  /** The receiver id of the device (registry id). */
  readonly id: string;
  readonly name: string;
  /**
   * One packet (≤ 352 frames of s16le 44.1 kHz stereo) as timeline frame `frame`. Never blocks;
   * a member that needs pacing of its own (a small buffer) queues.
   */
  sendAt(pcm: Buffer, frame: number): void;
  /** Drops what the device has buffered and not played (pause, seek). `nextFrame`: where audio resumes. */
  flush(nextFrame: number): Promise<void>;
  /** Audio follows again after a flush, from `frame` on. */
  resume(frame: number): void;
  setVolume(level: number, muted: boolean): Promise<void>;
  setDelay(ms: number): void;
  /** Optional: tells the device's display what plays. */
  nowPlaying?(info: NowPlaying): void;
  /** Ends the member's stream (TEARDOWN, stream/end); the device stays free for others. */
  stop(): Promise<void>;
}

/**
 * Thrown by a kind's openMember when the device is reachable but cannot join the shared clock
 * (a Chromecast without Cast Streaming): the group has it follow unsynced instead, and says why.
 */
export class SyncUnavailable extends Error {
  override readonly name = 'SyncUnavailable';
}
