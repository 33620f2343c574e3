// A bare Socket.IO server for the fan-out reference, with nothing else in between:
//   `cmd` (payload)          broadcasts the payload to every socket;
//   `cmd-cast` (payload, level)  first sets that volume on its own Chromecast with castv2-client (the
//                            device's round trip any controller waits for before it knows the new
//                            state), then broadcasts the payload.
//   node dist/test/bench/lib/bare-broadcast.js [<cast host> <cast port>] → prints "listening port=N"
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { Server } from 'socket.io';
import { CastSender } from '../../integration/receivers/chromecast/cast-sender.js';

/** castv2 loads its protobuf schema asynchronously and throws on a send made before ("extension not
 *  loaded yet"): a TLS connect on loopback can beat it, so the first send waits for it. */
async function castProtoLoaded(): Promise<void> {
  const proto = createRequire(import.meta.url)('castv2/lib/proto.js') as { CastMessage: { serialize(data: object): unknown } };
  for (;;) {
    try {
      proto.CastMessage.serialize({});
      return;
    } catch (err) {
      if (!String(err).includes('not loaded')) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const [castHost, castPort] = process.argv.slice(2);
if (castHost) await castProtoLoaded();
const cast = castHost ? await CastSender.connect(castHost, Number(castPort)) : null;

const http = createServer();
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('cmd', (payload: unknown, ack: () => void) => {
    io.emit('state', payload);
    ack();
  });
  socket.on('cmd-cast', (payload: unknown, level: number, ack: (err?: string) => void) => {
    if (!cast) return ack('no Chromecast given');
    cast.setVolume({ level }).then(() => (io.emit('state', payload), ack()), (err: Error) => ack(err.message));
  });
});
// A clean exit on the bench's SIGTERM, so that --cpu-prof (BENCH_CPU_PROF) writes its profile.
process.once('SIGTERM', () => process.exit(0));
http.listen(0, '127.0.0.1', () => {
  const addr = http.address();
  process.stdout.write(`listening port=${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
