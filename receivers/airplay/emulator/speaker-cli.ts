// `npm run receiver -- airplay speaker --name "Kitchen" [--port N] [--host IP] [--password P] [--latency FRAMES] [--id HEX12] [--pcm FILE] [--no-mdns]`
// Prints one JSON line per event on stdout (the first is `listening`), warnings on stderr;
// `--pcm FILE` writes what it plays (s16le, 44.1 kHz, stereo; silence for late and lost packets).
// Stops cleanly, with an mDNS goodbye, on SIGINT/SIGTERM.
import { createWriteStream, type WriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { printEvent, startUntilSignal, wholeNumber } from '../../shared/emulator-cli.js';
import { startSpeakerEmulator } from './speaker.js';

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
  let pcm: WriteStream | null = null;
  const options = {
    name: values.name, host: values.host, port: wholeNumber(values.port, 'port'), password: values.password,
    latencyFrames: wholeNumber(values.latency, 'latency'), id: values.id, mdns: !values['no-mdns'],
  };
  const emu = await startUntilSignal(
    () => startSpeakerEmulator(options),
    () => (pcm ? new Promise((r) => pcm!.end(r)) : undefined),
  );
  const name = emu.name;
  if (values.pcm) {
    pcm = createWriteStream(values.pcm);
    emu.events.on('audio', (a) => pcm!.write(a.pcm));
  }
  emu.events.on('event', printEvent);
  emu.events.on('warning', (line) => process.stderr.write(`[airplay ${name}] ${line}\n`));
  printEvent({ event: 'listening', port: emu.port, host: emu.host, name, id: emu.id, instance: emu.instance, password: values.password !== undefined });
}
