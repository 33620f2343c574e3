// Groups of receivers played as one (issue 16): what the server wires in.
export { createGroupReceiver } from './receiver.js';
export { GroupStream, JOIN_LEAD_MS } from './stream.js';
export type { GroupMemberSpec, GroupMemberState, GroupReceiver, MemberFactory, OpenedMember } from './types.js';
