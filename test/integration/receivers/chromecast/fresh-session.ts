// A fresh process that opens a Cast session at once while libuv's thread pool is busy, as the
// server's is when it scans at start-up and finds a device: castv2 reads its protobuf schema
// through that pool, a TLS connect on loopback does not need it. Launches the media receiver and
// prints one JSON line: {"transportId": …, "ms": …} or {"error": …}.
//   node dist/test/integration/receivers/chromecast/fresh-session.js <host> <port>
import { pbkdf2 } from 'node:crypto';
import { CastSession } from '../../../../receivers/chromecast/driver/session.js';

// Importing the session started castv2's schema read (open, then read, then close: each a turn
// through the pool); these take every thread of the pool (4) for a while first.
for (let i = 0; i < 4; i++) pbkdf2('busy', 'pool', 400_000, 32, 'sha256', () => {});

const [host, port] = process.argv.slice(2);
const t0 = performance.now();
try {
  const s = await CastSession.open({ host: host!, port: Number(port), name: 'Fresh TV', connectTimeoutMs: 10_000, requestTimeoutMs: 10_000, pingIntervalMs: 5000, deadAfterMs: 15_000 });
  const transportId = await s.launch();
  console.log(JSON.stringify({ transportId, ms: Math.round(performance.now() - t0) }));
  await s.close();
} catch (err) {
  console.log(JSON.stringify({ error: (err as Error).message }));
}
process.exit(0);
