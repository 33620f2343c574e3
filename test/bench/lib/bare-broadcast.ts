// A bare Socket.IO server for the fan-out reference, with nothing else in between:
//   `cmd` (payload)          broadcasts the payload to every socket;
//   `cmd-cast` (payload, level)  first sets that volume on its own Chromecast with castv2-client (the
//                            device's round trip any controller waits for before it knows the new
//                            state), then broadcasts the payload.
//   node dist/test/bench/lib/bare-broadcast.js [<cast host> <cast port>] → prints "listening port=N"
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { castProtoReady } from '../../../receivers/chromecast/driver/proto-ready.js';
import { CastSender } from '../../integration/receivers/chromecast/cast-sender.js';

const [castHost, castPort] = process.argv.slice(2);
if (castHost) await castProtoReady(); // castv2-client's sends throw before it
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
