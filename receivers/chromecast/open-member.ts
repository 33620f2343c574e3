// The Cast kind's openMember (receivers/index.ts): a Chromecast in a group plays on the group's
// clock by Cast Streaming (member.ts); one that cannot throws SyncUnavailable and follows unsynced.
import type { OpenMemberOptions, TimelineContext, TimelineMember } from '../shared/timeline-member.js';
import type { ReceiverDescriptor } from '../types.js';
import { openCastMember } from './member.js';

export function openMember(d: ReceiverDescriptor, ctx: TimelineContext, o: OpenMemberOptions): Promise<TimelineMember> {
  return openCastMember(d, ctx, {
    ...(o.delayMs !== undefined ? { delayMs: o.delayMs } : {}),
    ...(o.volume !== undefined ? { volume: o.volume } : {}),
    ...(o.muted !== undefined ? { muted: o.muted } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
}
