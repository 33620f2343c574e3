// Every receiver kind, registered once. Discovery builds its mDNS browsers from this list and
// playback picks profiles through it; nothing else names a kind (no parallel enum to keep in sync).
import * as airplay from './airplay/index.js';
import * as chromecast from './chromecast/index.js';
import * as dlna from './dlna/index.js';
import * as sendspin from './sendspin/index.js';
import type { KindDiscoveryOptions } from './dlna/index.js';
import type { OpenMemberOptions, TimelineContext, TimelineMember } from './shared/timeline-member.js';
import type { ConnectOptions, MdnsRecord, Profile, Receiver, ReceiverDescriptor } from './types.js';

export type { MdnsRecord };


/** What a kind's manifest (`receivers/<kind>/describe.ts`) exports. */
export interface ReceiverKind {
  readonly name: string;
  /** bonjour-service `find({ type })` values, e.g. 'googlecast' for `_googlecast._tcp`. */
  readonly serviceTypes: readonly string[];
  /** Port to use when a config entry gives none. */
  readonly defaultPort: number;
  describe(record: MdnsRecord, now?: number): ReceiverDescriptor | undefined;
  profileForModel(model: string | null | undefined, opts?: { audioOnlyHint?: boolean }): Profile;
  /** The product name for a model identifier the device announces, when it is not a name already. */
  modelName?(model: string | null | undefined): string | undefined;
  /** The profile for one kind of item, when a device plays audio and video by different paths. */
  profileFor?(descriptor: ReceiverDescriptor, item: 'audio' | 'video'): Profile;
  /** A driver for one device of this kind (absent while a kind can only be discovered). */
  connectReceiver?(descriptor: ReceiverDescriptor, opts?: ConnectOptions): Receiver;
  /** Kinds found by SSDP rather than mDNS (DLNA renderers): starts their own search. */
  discover?(o: KindDiscoveryOptions): { stop(): void };
  /**
   * The device as a member of a synced stream (a group's timeline); a kind with it plays in sync in
   * groups, one without follows a group's queue unsynced ("not in sync"). A kind with it and no
   * connectReceiver plays alone as a stream of one member.
   */
  openMember?(descriptor: ReceiverDescriptor, ctx: TimelineContext, opts: OpenMemberOptions): Promise<TimelineMember> | TimelineMember;
  /**
   * True for a device that connected to us (a Sendspin player): its connection says when it is gone
   * (no heartbeat), and its address is where it came from, not one our media URLs are chosen for.
   */
  dialedIn?(descriptor: ReceiverDescriptor): boolean;
}

export const kinds = [chromecast, airplay, sendspin, dlna] as const satisfies readonly ReceiverKind[];

export type Kind = (typeof kinds)[number]['name'];

export function kindByName(name: string): ReceiverKind | undefined {
  return kinds.find((k) => k.name === name);
}
