// What the server sees of a group of receivers played as one (issue: multi-room). The group is a
// Receiver of its own (kind 'group'): a session plays to it like to any receiver. Its synced
// members (AirPlay speakers, Sendspin players) get one PCM stream on one timeline; receivers that
// cannot join the timeline yet (Chromecasts) follow the same queue unsynced and say so.
import type { Receiver } from '../types.js';
import type { TimelineContext, TimelineMember } from '../shared/timeline-member.js';

export interface GroupMemberSpec {
  /** Registry id of the member receiver. */
  id: string;
  delayMs: number;
  volume: number;
  muted: boolean;
}

export interface GroupMemberState extends GroupMemberSpec {
  name: string;
  /**
   * 'joining': opening its stream (a follower: taking the item); 'gone': lost, rejoins when it is
   * back while the group plays; 'failed': a follower that could not take the item (`error` says
   * why), given the next one again.
   */
  state: 'idle' | 'joining' | 'playing' | 'gone' | 'failed';
  /** False for members that follow the queue without the shared clock. */
  synced: boolean;
  error?: string;
  /** Why a member of a kind that syncs follows unsynced (a Chromecast without Cast Streaming). */
  unsynced?: string;
}

/** How a group gets its members: the server knows the registry, drivers and secrets. */
export type OpenedMember =
  | { kind: 'timeline'; member: TimelineMember }
  /** A receiver that plays the same items unsynced: given the group's loads, pauses and seeks. */
  | { kind: 'follower'; receiver: Receiver; why?: string };

export interface MemberFactory {
  /** Display name of a member (for states of members not open). */
  name(id: string): string;
  /** Opens a member on the group's timeline; throws a clear Error when it cannot (offline, unknown). */
  open(spec: GroupMemberSpec, ctx: TimelineContext): Promise<OpenedMember>;
}

export interface GroupReceiverEvents {
  members: [GroupMemberState[]];
}

export interface GroupReceiver extends Receiver {
  members(): GroupMemberState[];
  /** Joins a member; while playing it starts at the current position, in sync, without a gap for the others. */
  addMember(spec: GroupMemberSpec): Promise<void>;
  /** The others play on untouched. */
  removeMember(id: string): Promise<void>;
  setMemberVolume(id: string, level: number, muted?: boolean): Promise<void>;
  setMemberDelay(id: string, ms: number): void;
  /** A member discovery saw come back: it rejoins if the group plays. */
  memberOnline(id: string): void;
  onMembers(listener: (m: GroupMemberState[]) => void): void;
}
