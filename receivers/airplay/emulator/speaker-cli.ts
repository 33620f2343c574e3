// `npm run receiver -- airplay speaker --name "Kitchen" [--port N] [--host IP] [--password P] [--latency FRAMES] [--id HEX12] [--pcm FILE] [--no-mdns]`
// Prints one JSON line per event on stdout (the first is `listening`), warnings on stderr;
// `--pcm FILE` writes what it plays (s16le, 44.1 kHz, stereo; silence for late and lost packets).
// Stops cleanly, with an mDNS goodbye, on SIGINT/SIGTERM.
import { createWriteStream, type WriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSpeakerEmulator, type SpeakerEmulator } from './speaker.js';

export const usage = 'airplay speaker --name NAME [--port N] [--host IP] [--password P] [--latency FRAMES] [--id HEX12] [--pcm FILE] [--no-mdns]';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      password: { type: 'string' },
      latency: { type: 'string' },
      id: { type: 'string' },
      pcm: { type: 'string' },
      'no-mdns': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.name) throw new Error(`--name is required\nusage: npm run receiver -- ${usage}`);
  const int = (v: string | undefined, what: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${what} must be a whole number, got "${v}"`);
    return n;
  };
  const print = (obj: object) => process.stdout.write(`${JSON.stringify(obj)}\n`);

  // Handlers first: a signal that lands while starting still closes cleanly.
  let emu: SpeakerEmulator | null = null;
  let pcm: WriteStream | null = null;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (emu) void emu.close().then(() => (pcm ? new Promise((r) => pcm!.end(r)) : undefined)).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  emu = await startSpeakerEmulator({
    name: values.name, host: values.host, port: int(values.port, 'port'), password: values.password,
    latencyFrames: int(values.latency, 'latency'), id: values.id, mdns: !values['no-mdns'],
  });
  if (stopping) {
    await emu.close();
    process.exit(0);
  }
  const name = emu.name;
  if (values.pcm) {
    pcm = createWriteStream(values.pcm);
    emu.events.on('audio', (a) => pcm!.write(a.pcm));
  }
  emu.events.on('event', print);
  emu.events.on('warning', (line) => process.stderr.write(`[airplay ${name}] ${line}\n`));
  print({ event: 'listening', port: emu.port, host: emu.host, name, id: emu.id, instance: emu.instance, password: values.password !== undefined });
}
