// `npm run receiver -- airplay-video --name "Den TV" [--model AppleTV3,2] [--port N] [--host IP] [--pairing] [--password PW] [--no-mdns]`
// A software Apple TV on its own. Prints one JSON line per event on stdout (the first is
// `listening`), warnings on stderr. Stops cleanly, with an mDNS goodbye, on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { printEvent, startUntilSignal } from '../../shared/emulator-cli.js';
import { startAirPlayVideoEmulator } from './video.js';

export const usage = 'airplay-video --name NAME [--model AppleTV2,1|AppleTV3,2|AppleTV5,3|AppleTV6,2|...] [--port N] [--host IP] [--device-id MAC] [--pairing] [--password PW] [--no-mdns] [--ffprobe PATH] [--ffmpeg PATH]';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      model: { type: 'string', default: 'AppleTV3,2' },
      port: { type: 'string' },
      host: { type: 'string' },
      'device-id': { type: 'string' },
      pairing: { type: 'boolean', default: false },
      password: { type: 'string' },
      'no-mdns': { type: 'boolean', default: false },
      ffprobe: { type: 'string' },
      ffmpeg: { type: 'string' },
    },
    strict: true,
  });
  if (!values.name) throw new Error(`--name is required\nusage: ${usage}`);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a port number, got "${values.port}"`);
  }
  const options = {
    name: values.name, model: values.model, host: values.host, port, pairing: values.pairing, mdns: !values['no-mdns'],
    ...(values['device-id'] ? { deviceId: values['device-id'] } : {}),
    ...(values.password !== undefined ? { password: values.password } : {}),
    ffprobePath: values.ffprobe ?? process.env.FFPROBE_PATH, ffmpegPath: values.ffmpeg ?? process.env.FFMPEG_PATH,
  };
  const emu = await startUntilSignal(() => startAirPlayVideoEmulator(options));
  emu.events.on('event', printEvent);
  printEvent({ event: 'listening', port: emu.port, host: emu.host, name: emu.name, model: emu.model, deviceId: emu.deviceId, mdns: emu.mdns });
}
