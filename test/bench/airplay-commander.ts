// Sends play/stop commands over Socket.IO to our server, from inside the benchmark's network
// namespace (the bench process cannot enter it). argv: server URL. stdin, one command a line:
// `play <receiver name>\t<what>`, `stop <receiver name>`, `move <receiver name>\t<receiver name>`.
// stdout: JSON lines {event: 'ready'} and {event: 'ack', cmd, ok, error?, sentNs}, where sentNs is
// process.hrtime (CLOCK_MONOTONIC, the clock performance.now() counts on) just before the command
// went out: comparable between processes.
import { createInterface } from 'node:readline';
import { io } from 'socket.io-client';

const [url = 'http://127.0.0.1:8420'] = process.argv.slice(2);
const say = (x: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(x)}\n`);

const socket = io(url, { transports: ['websocket'], reconnection: false, timeout: 10_000 });
await new Promise<void>((resolve, reject) => {
  socket.once('connect', () => resolve());
  socket.once('connect_error', reject);
});
say({ event: 'ready' });

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, rest = ''] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
  const [receiver, what] = rest.split('\t');
  const args = cmd === 'play' ? { receiver, what } : cmd === 'move' ? { receiver, to: what } : { receiver };
  const sentNs = process.hrtime.bigint();
  socket.timeout(30_000).emit(`playback:${cmd}`, args, (err: Error | null, ack?: { ok: boolean; error?: string }) => {
    say({ event: 'ack', cmd, ok: !err && ack?.ok === true, error: err?.message ?? ack?.error, sentNs: String(sentNs) });
  });
}
socket.close();
