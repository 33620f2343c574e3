// A plain Node file server (http + fs.createReadStream, byte ranges): the ceiling of Node's own
// streams, beside nginx. Run as its own process so it does not share the harness's event loop:
//   node dist/test/bench/lib/plain-server.js <file> <highWaterMark bytes>   → prints "listening port=N"
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';

const [file, hwm] = [process.argv[2]!, Number(process.argv[3] ?? 1 << 20)];
const size = statSync(file).size;

createServer((req, res) => {
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const first = m ? Number(m[1]) : 0;
  const last = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  res.writeHead(m ? 206 : 200, {
    'content-type': 'application/octet-stream', 'content-length': last - first + 1, 'accept-ranges': 'bytes',
    ...(m ? { 'content-range': `bytes ${first}-${last}/${size}` } : {}),
  });
  createReadStream(file, { start: first, end: last, highWaterMark: hwm }).pipe(res);
}).listen(0, '127.0.0.1', function (this: import('node:net').Server) {
  const addr = this.address();
  process.stdout.write(`listening port=${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
