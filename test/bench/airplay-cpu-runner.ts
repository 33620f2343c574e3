// Our AirPlay sender streaming one file to many speakers, inside the benchmark's network namespace
// (the bench process cannot enter it), measuring its own CPU. argv:
//   group|drivers HOST FILE WARMUP_S MEASURE_S PORT...
// group: one RaopGroup (one ffmpeg decoder, one clock and timeline, the same packets to every
// speaker). drivers: one AirPlayReceiver per speaker, each with its own session and decoder, as
// the server runs them for speakers played independently.
// After WARMUP_S of play it measures MEASURE_S: process.cpuUsage() of this process plus utime +
// stime of its children (the ffmpeg decoders) from /proc. stdout: JSON lines {event: 'playing'},
// {event: 'cpu', oursMs, childrenMs, children, wallMs}, {event: 'problem', message} (a speaker lost
// or a driver error: play goes on), {event: 'error', message} (fatal).
import { setTimeout as delay } from 'node:timers/promises';
import { AirPlayReceiver } from '../../receivers/airplay/driver.js';
import { RaopGroup } from '../../receivers/airplay/raop/group.js';
import { decodeToPcm } from '../../receivers/airplay/raop/pcm.js';
import { childrenOf, cpuOver } from './lib/cpu.js';

const [mode, host = '127.0.0.1', file = '', warmup = '5', measure = '20', ...ports] = process.argv.slice(2);
const say = (x: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(x)}\n`);

/** Starts playing to every speaker; returns how to stop. */
async function start(): Promise<() => Promise<void>> {
  if (mode === 'group') {
    const group = await RaopGroup.open(ports.map((p) => ({ host, port: Number(p), volume: 0 })));
    group.on('memberLost', (_s, e) => say({ event: 'problem', message: `a speaker was lost: ${e.message}` }));
    const dec = decodeToPcm(file);
    void group.play(dec.stdout);
    return async () => {
      dec.stop();
      await group.stop();
    };
  }
  if (mode !== 'drivers') throw new Error(`unknown mode ${mode}`);
  const drivers = ports.map(
    (p, i) =>
      new AirPlayReceiver({ id: `airplay:bench${i}`, kind: 'airplay', name: `Room${i + 1}`, model: 'ShairportSync', host, port: Number(p), type: 'speaker', online: true, lastSeen: Date.now(), source: 'config' }),
  );
  for (const d of drivers) d.on('status', (s) => s.error && say({ event: 'problem', message: `${d.id}: ${s.error}` }));
  await Promise.all(drivers.map((d) => d.load({ url: file, contentType: 'audio/wav', metadata: { title: 'Bench Tone', kind: 'audio' }, duration: null, startAt: 0, live: false })));
  return async () => void (await Promise.all(drivers.map((d) => d.close())));
}

try {
  const stop = await start();
  say({ event: 'playing' });
  await delay(Number(warmup) * 1000);
  const kids = childrenOf(process.pid);
  const children = cpuOver(kids);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await delay(Number(measure) * 1000);
  const used = process.cpuUsage(cpu0);
  say({ event: 'cpu', oursMs: (used.user + used.system) / 1000, childrenMs: children.stop(), children: kids.length, wallMs: performance.now() - t0 });
  await stop();
  process.exit(0);
} catch (err) {
  say({ event: 'error', message: (err as Error).message });
  process.exit(1);
}
