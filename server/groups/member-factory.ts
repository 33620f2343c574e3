// How a playing group opens its members (receivers/group/types.ts MemberFactory): a receiver that
// can join the group's shared clock (an AirPlay speaker, a Sendspin player) as a timeline member,
// any other as a follower given the same items unsynced; so is a Chromecast that cannot stream in
// sync (no mirroring app, a bad ANSWER: SyncUnavailable), with the reason.
import type { GroupMemberSpec, MemberFactory } from '../../receivers/group/types.js';
import { SyncUnavailable, type TimelineContext, type TimelineMember } from '../../receivers/shared/timeline-member.js';
import type { Receiver, ReceiverDescriptor } from '../../receivers/types.js';

export interface MemberFactoryDeps {
  get(id: string): ReceiverDescriptor | undefined;
  /** The member's name when discovery has not seen it (the one kept with the group). */
  storedName(id: string): string | undefined;
  /** A driver for the receiver, as a session gets one (with its stored password); not yet connected. */
  connect(d: ReceiverDescriptor): Receiver;
  /** A member on the group's clock, for kinds that have one; undefined: the receiver follows unsynced. */
  timeline?(d: ReceiverDescriptor, spec: GroupMemberSpec, ctx: TimelineContext): Promise<TimelineMember | undefined> | TimelineMember | undefined;
}

export function memberFactory(deps: MemberFactoryDeps): MemberFactory {
  return {
    name: (id) => deps.get(id)?.name ?? deps.storedName(id) ?? id,
    async open(spec, ctx) {
      const d = deps.get(spec.id);
      if (!d) throw new Error(`${deps.storedName(spec.id) ?? spec.id} has not been seen on the network`);
      if (!d.online) throw new Error(`${d.name} is offline`);
      let member;
      try {
        member = await deps.timeline?.(d, spec, ctx);
      } catch (e) {
        if (!(e instanceof SyncUnavailable)) throw e;
        return { kind: 'follower', receiver: deps.connect(d), why: e.message };
      }
      return member ? { kind: 'timeline', member } : { kind: 'follower', receiver: deps.connect(d) };
    },
  };
}
