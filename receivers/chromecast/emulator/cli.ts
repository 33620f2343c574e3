// `npm run receiver -- chromecast --name "Test TV" [--model M] [--port N] [--host IP] [--ca N] [--id HEX] [--no-mdns]`
// Prints one JSON line per event on stdout (the first is `listening`), warnings on stderr
// (`--verbose` adds every received message). Stops cleanly, with an mDNS goodbye, on SIGINT/SIGTERM.
// `--pcm`: what Cast Streaming plays goes to stdout (s16le 44.1 kHz stereo, shairport-sync's stdout
// convention) and the JSON events to stderr, as the Sendspin player emulator does. Test knobs of the
// Cast Streaming leg: --skew-ppm, --net-delay-ms, --jitter-ms, --loss (0..1), --output-latency-ms;
// --no-mirroring: LAUNCH of the mirroring apps fails.
import { parseArgs } from 'node:util';
import { printEvent, startUntilSignal, wholeNumber } from '../../shared/emulator-cli.js';
import { startCastEmulator } from '../emulator.js';

export const usage = 'chromecast --name NAME [--model "Chromecast"|"Chromecast Ultra"|"Google Home"|...] [--port N] [--host IP] [--ca N] [--id HEX32] [--no-mdns] [--verbose] [--ffprobe PATH] [--pcm] [--no-mirroring] [--skew-ppm N] [--net-delay-ms N] [--jitter-ms N] [--loss P] [--output-latency-ms N]';

function num(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${what} must be a number, got "${v}"`);
  return n;
}

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
      pcm: { type: 'boolean', default: false },
      'no-mirroring': { type: 'boolean', default: false },
      'skew-ppm': { type: 'string' },
      'net-delay-ms': { type: 'string' },
      'jitter-ms': { type: 'string' },
      loss: { type: 'string' },
      'output-latency-ms': { type: 'string' },
    },
    strict: true,
  });
  if (!values.name) throw new Error(`--name is required\nusage: ${usage}`);
  const options = {
    name: values.name, model: values.model, host: values.host, port: wholeNumber(values.port, 'port'), ca: wholeNumber(values.ca, 'ca'),
    id: values.id, mdns: !values['no-mdns'], ffprobePath: values.ffprobe ?? process.env.FFPROBE_PATH,
    mirroring: !values['no-mirroring'],
    streaming: {
      skewPpm: num(values['skew-ppm'], 'skew-ppm'), delayMs: num(values['net-delay-ms'], 'net-delay-ms'), jitterMs: num(values['jitter-ms'], 'jitter-ms'),
      loss: num(values.loss, 'loss'), outputLatencyMs: num(values['output-latency-ms'], 'output-latency-ms'),
    },
    ...(values.pcm ? { pcmOut: process.stdout } : {}),
  };
  const print = values.pcm ? (o: object) => process.stderr.write(`${JSON.stringify(o)}\n`) : printEvent;
  const emu = await startUntilSignal(() => startCastEmulator(options));
  const name = emu.name;
  emu.events.on('event', print);
  emu.events.on('warning', (line) => process.stderr.write(`[chromecast ${name}] ${line}\n`));
  if (values.verbose) emu.events.on('command', (c) => process.stderr.write(`[chromecast ${name}] <- ${JSON.stringify(c)}\n`));
  print({ event: 'listening', port: emu.port, host: emu.host, name, model: emu.model, id: emu.id, mdns: emu.instance !== null });
}
