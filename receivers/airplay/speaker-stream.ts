// One AirPlay speaker as the PCM driver's stream: a synced stream (group/stream.ts) of one RAOP
// member (member.ts), so a speaker alone is paced, paused and fed its gapless next item by the
// same loop as a group of them. Its loss is the stream's; the stream's volume is the speaker's.
import { GroupStream } from '../group/stream.js';
import type { ReceiverDescriptor } from '../types.js';
import { openRaopMember, type RaopMemberOptions } from './member.js';

/** Opens a RAOP session with the speaker on a new stream's timeline; throws a readable error. */
export async function openSpeakerStream(d: ReceiverDescriptor, opts: RaopMemberOptions = {}): Promise<GroupStream> {
  // No log of its own: "member joined" on every load of a speaker alone says nothing.
  const stream: GroupStream = new GroupStream({ onLost: (_m, e) => stream.fail(e), volumeToMembers: true });
  stream.join(await openRaopMember(d, stream.ctx, opts));
  return stream;
}
