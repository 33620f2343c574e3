// `npm run receiver -- chromecast --name "Test TV" [--model M] [--port N] [--host IP] [--ca N] [--id HEX] [--no-mdns]`
// Prints one JSON line per event on stdout (the first is `listening`), warnings on stderr
// (`--verbose` adds every received message). Stops cleanly, with an mDNS goodbye, on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { printEvent, startUntilSignal, wholeNumber } from '../../shared/emulator-cli.js';
import { startCastEmulator } from '../emulator.js';

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
  const options = {
    name: values.name, model: values.model, host: values.host, port: wholeNumber(values.port, 'port'), ca: wholeNumber(values.ca, 'ca'),
    id: values.id, mdns: !values['no-mdns'], ffprobePath: values.ffprobe ?? process.env.FFPROBE_PATH,
  };
  const emu = await startUntilSignal(() => startCastEmulator(options));
  const name = emu.name;
  emu.events.on('event', printEvent);
  emu.events.on('warning', (line) => process.stderr.write(`[chromecast ${name}] ${line}\n`));
  if (values.verbose) emu.events.on('command', (c) => process.stderr.write(`[chromecast ${name}] <- ${JSON.stringify(c)}\n`));
  printEvent({ event: 'listening', port: emu.port, host: emu.host, name, model: emu.model, id: emu.id, mdns: emu.instance !== null });
}
