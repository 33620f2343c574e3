// A bare Socket.IO server for the fan-out reference: on `cmd` it broadcasts a payload of the
// given size to every socket, with nothing else in between.
//   node dist/test/bench/lib/bare-broadcast.js → prints "listening port=N"
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('cmd', (payload: unknown, ack: () => void) => {
    io.emit('state', payload);
    ack();
  });
});
// A clean exit on the bench's SIGTERM, so that --cpu-prof (BENCH_CPU_PROF) writes its profile.
process.once('SIGTERM', () => process.exit(0));
http.listen(0, '127.0.0.1', () => {
  const addr = http.address();
  process.stdout.write(`listening port=${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
