// The remote's copies of the server's shapes must accept what the server sends: if a field
// changes type or disappears on the server, these assignments stop compiling (npm test's tsc).
import { describe, expect, it } from 'vitest';
import type { ReceiverDescriptor } from '../../../receivers/types.js';
import type { ServerAddresses as ServerSideAddresses } from '../../../server/api/server-addresses.js';
import type { SessionSnapshot as ServerSession } from '../../../server/playback/session.js';
import type { Receiver, ServerAddresses, SessionSnapshot } from '../../../ui/src/data/types.js';

const session = (s: ServerSession): SessionSnapshot => s;
const receiver = (r: ReceiverDescriptor): Receiver => r;
const addresses = (a: ServerSideAddresses): ServerAddresses => a;

describe('wire types', () => {
  it('server snapshots and descriptors are what the remote reads', () => {
    expect(typeof session).toBe('function');
    expect(typeof receiver).toBe('function');
    expect(typeof addresses).toBe('function');
  });
});
