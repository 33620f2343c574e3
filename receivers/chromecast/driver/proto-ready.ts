// castv2 (under castv2-client) loads its protobuf schema asynchronously when it is first required
// (castv2/lib/proto.js: protobuf.load, a file read through libuv's thread pool) and throws
// "extension not loaded yet" on every send and parse made before. A TLS connect can beat it in a
// fresh process, most of all while the pool is busy (a scan at start-up): the CONNECT was lost
// (our send takes a throw for a gone socket) and the device ignored what followed ("no CONNECT
// first"), or a LAUNCH went nowhere. Every session waits for the schema before it connects.
import { createRequire } from 'node:module';

interface ProtoModule {
  CastMessage: { serialize(data: object): unknown };
}

const POLL_MS = 5;
const GIVE_UP_MS = 30_000;

let ready: Promise<void> | null = null;

/** The castv2 instance castv2-client uses (resolved from castv2-client, not from us). */
function castv2Proto(): ProtoModule {
  const fromUs = createRequire(import.meta.url);
  return createRequire(fromUs.resolve('castv2-client'))('castv2/lib/proto.js') as ProtoModule;
}

async function poll(): Promise<void> {
  const proto = castv2Proto();
  const deadline = performance.now() + GIVE_UP_MS;
  for (;;) {
    try {
      proto.CastMessage.serialize({});
      return;
    } catch (err) {
      if (!String(err).includes('not loaded')) return; // loaded: an empty message is just invalid
    }
    if (performance.now() > deadline) throw new Error(`castv2's protobuf schema did not load within ${GIVE_UP_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Resolves once castv2 can encode and decode messages (at once after the first time). */
export function castProtoReady(): Promise<void> {
  ready ??= poll().catch((err: Error) => {
    ready = null;
    throw err;
  });
  return ready;
}
