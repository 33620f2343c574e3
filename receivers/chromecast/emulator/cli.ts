// `npm run receiver -- chromecast --name "Test TV" [--model M] [--port N] [--host IP] [--ca N] [--id HEX] [--no-mdns]`
// Prints one JSON line per event on stdout (the first is `listening`), warnings on stderr
// (`--verbose` adds every received message). Stops cleanly, with an mDNS goodbye, on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startCastEmulator, type CastEmulator } from '../emulator.js';

export const usage = 'chromecast --name NAME [--model "Chromecast"|"Chromecast Ultra"|"Google Home"|...] [--port N] [--host IP] [--ca N] [--id HEX32] [--no-mdns] [--verbose] [--ffprobe PATH]';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      model: { type: 'string', default: 'Chromecast' },
      port: { type: 'string' },
      host: { type: 'string' },
      ca: { type: 'string' },
      id: { type: 'string' },
      'no-mdns': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      ffprobe: { type: 'string' },
    },
    strict: true,
  });
  if (!values.name) throw new Error(`--name is required\nusage: ${usage}`);
  const int = (v: string | undefined, what: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${what} must be a whole number, got "${v}"`);
    return n;
  };
  const print = (obj: object) => process.stdout.write(`${JSON.stringify(obj)}\n`);

  // Handlers first: a signal that lands while starting (or right after `listening`) still closes cleanly.
  let emu: CastEmulator | null = null;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (emu) void emu.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  emu = await startCastEmulator({
    name: values.name, model: values.model, host: values.host, port: int(values.port, 'port'), ca: int(values.ca, 'ca'),
    id: values.id, mdns: !values['no-mdns'], ffprobePath: values.ffprobe ?? process.env.FFPROBE_PATH,
  });
  if (stopping) {
    await emu.close();
    process.exit(0);
  }
  const name = emu.name;
  emu.events.on('event', print);
  emu.events.on('warning', (line) => process.stderr.write(`[chromecast ${name}] ${line}\n`));
  if (values.verbose) emu.events.on('command', (c) => process.stderr.write(`[chromecast ${name}] <- ${JSON.stringify(c)}\n`));
  print({ event: 'listening', port: emu.port, host: emu.host, name, model: emu.model, id: emu.id, mdns: emu.instance !== null });
}
