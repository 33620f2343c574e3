// `npm run receiver -- dlna --name "Living room" [--host IP] [--port N] [--uuid UUID] [--audio-only] [--manufacturer M --model M] [--no-ssdp]`
// A software DLNA renderer on its own. Prints one JSON line per event on stdout (the first is
// `listening`), warnings on stderr. Stops cleanly, with an SSDP byebye, on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { printEvent, startUntilSignal, wholeNumber } from '../../shared/emulator-cli.js';
import { startDlnaRenderer } from './renderer.js';

export const usage = 'dlna --name NAME [--host IP] [--port N] [--uuid UUID] [--audio-only] [--manufacturer NAME] [--model NAME] [--no-ssdp] [--ffprobe PATH] [--ffmpeg PATH]';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, uuid: { type: 'string' },
      'audio-only': { type: 'boolean', default: false }, 'no-ssdp': { type: 'boolean', default: false },
      ffprobe: { type: 'string' }, ffmpeg: { type: 'string' }, manufacturer: { type: 'string' }, model: { type: 'string' },
    },
    strict: true,
  });
  if (!values.name) throw new Error(`--name is required\nusage: ${usage}`);
  const port = wholeNumber(values.port, 'port');
  if (port !== undefined && port > 65_535) throw new Error(`--port must be a port number, got "${values.port}"`);
  if (values.uuid !== undefined && !/^[0-9a-f-]{8,64}$/i.test(values.uuid)) throw new Error(`--uuid must be a UUID, got "${values.uuid}"`);
  const emu = await startUntilSignal(() => startDlnaRenderer({
    name: values.name!, host: values.host, port, uuid: values.uuid, audioOnly: values['audio-only'],
    ...(values.manufacturer ? { manufacturer: values.manufacturer } : {}), ...(values.model ? { model: values.model } : {}), ssdp: !values['no-ssdp'],
    ffprobePath: values.ffprobe ?? process.env.FFPROBE_PATH, ffmpegPath: values.ffmpeg ?? process.env.FFMPEG_PATH,
  }));
  emu.events.on('event', printEvent);
  printEvent({ event: 'listening', port: emu.port, host: emu.host, name: emu.name, udn: emu.udn, ssdp: !values['no-ssdp'] });
}
