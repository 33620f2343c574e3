// The reference client, @sendspin/sendspin-js 3.2.1's SendspinCore (protocol, time sync, state,
// PCM decoding; no Web Audio), run in Node against our server: argv[2] is the server's
// ws://host:port/sendspin, argv[3] the client id. Its dist imports relative modules without
// extensions (fine for bundlers, not for Node's ESM loader), so a resolve hook adds `.js`; Node 20
// has no global WebSocket, so `ws` stands in (same onopen/onmessage/binaryType API).
// stdout: one JSON line per event (the library's own console.log goes to stderr).
// stdin: `command <name> [volume]` sends a controller command; `quit` disconnects with a goodbye.
import { register } from 'node:module';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';

const hook = `
export async function resolve(specifier, context, next) {
  if (/^\\.\\.?\\//.test(specifier) && !/\\.[cm]?js$/.test(specifier) && context.parentURL && context.parentURL.includes('/@sendspin/sendspin-js/')) {
    return next(specifier + '.js', context);
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url);
(globalThis as Record<string, unknown>).WebSocket = WebSocket;
console.log = (...a: unknown[]) => console.error(...a);

const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const [url, id] = process.argv.slice(2);
if (!url || !id) throw new Error('usage: sendspin-js-peer.js <ws url> <client id>');

// Imported by path: the package's exports map has "." only, and its index pulls in the Web Audio player.
const { SendspinCore } = (await import(new URL('../../../../../node_modules/@sendspin/sendspin-js/dist/core/core.js', import.meta.url).href)) as typeof import('@sendspin/sendspin-js');

const core = new SendspinCore({ baseUrl: url, playerId: id, clientName: `JS ${id}`, codecs: ['pcm'] });
core.onStreamStart = (format: unknown, update: boolean) => out({ event: 'stream-start', format, update });
core.onStreamClear = () => out({ event: 'stream-clear' });
core.onStreamEnd = () => out({ event: 'stream-end' });
core.onVolumeUpdate = () => out({ event: 'volume', volume: core.volume, muted: core.muted });
core.onAudioData = (c: { samples: Float32Array[]; sampleRate: number; serverTimeUs: number }) => {
  let sum = 0;
  for (const s of c.samples[0]!) sum += Math.round(s * 32768);
  out({ event: 'chunk', serverTimeUs: c.serverTimeUs, frames: c.samples[0]!.length, channels: c.samples.length, sampleRate: c.sampleRate, sum });
};
await core.connect();
out({ event: 'connected' });

// The filter is ready after the first burst of 8 client/time (time-sync-manager.js).
const poll = setInterval(() => {
  const info = core.timeSyncInfo;
  if (!info.synced) return;
  clearInterval(poll);
  out({ event: 'synced', serverTimeUs: core.getCurrentServerTimeUs(), hrUs: Number(process.hrtime.bigint() / 1000n), errorMs: info.error });
}, 20);

createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, name, arg] = line.trim().split(/\s+/);
  if (cmd === 'command' && name) core.sendCommand(name as never, arg !== undefined ? ({ volume: Number(arg) } as never) : undefined);
  if (cmd === 'quit') {
    core.disconnect('shutdown');
    setTimeout(() => process.exit(0), 100);
  }
});
