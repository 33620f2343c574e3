// The Sendspin kind, ready for receivers/index.ts `kinds`: its discovery manifest and profile. No
// connectReceiver: a Sendspin player is played through a synced stream (SendspinServer.member()),
// alone or in a group; the server (server.ts) is started once by the main program.
import type { OpenMemberOptions, TimelineContext, TimelineMember } from '../shared/timeline-member.js';
import type { Profile, ReceiverDescriptor } from '../types.js';
import { profileForModel } from './describe.js';

export { name, serviceTypes, defaultPort, describe, profileForModel, connectUrl } from './describe.js';
export { SendspinServer, DEFAULT_PORT as SERVER_PORT, DEFAULT_PATH as SERVER_PATH, type SendspinCommand, type SendspinServerOptions } from './server.js';
export { advertiseSendspinServer } from './advert.js';
export { applyGroupVolume, groupVolume } from './group-volume.js';

/** A player joins through its connection to our Sendspin server (the hub). */
export function openMember(d: ReceiverDescriptor, ctx: TimelineContext, opts: OpenMemberOptions): TimelineMember {
  if (!opts.hub) throw new Error(`${d.name} cannot play: the Sendspin server is off (sendspin.enabled)`);
  const { hub, password: _p, log: _l, ...member } = opts;
  return hub.member(d.id, ctx, member);
}

/** A player that connected to our server (rather than one we dialed). */
export const dialedIn = (d: ReceiverDescriptor): boolean => d.source === 'sendspin';

export function profileFor(d: ReceiverDescriptor, _item: 'audio' | 'video'): Profile {
  return profileForModel(d.model);
}
