// A software Sendspin player:
//   node dist/receivers/sendspin/emulator/cli.js --server ws://host:8927/sendspin --name Kitchen [--id x]
//   node dist/receivers/sendspin/emulator/cli.js --listen 8928 [--host 10.0.0.2] --name Kitchen
// (the second advertises `_sendspin._tcp` and waits for the server to connect).
// stdout: the PCM it plays (s16le 44.1 kHz stereo, shairport-sync's stdout convention: see
// output.ts); stderr: one JSON line per event.
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { parseArgs } from 'node:util';
import { startServiceAdvert, type ServiceAdvert } from '../../shared/mdns-advert.js';
import { startUntilSignal, wholeNumber } from '../../shared/emulator-cli.js';
import { EmulatedPlayer } from './player.js';

const { values: args } = parseArgs({
  options: {
    server: { type: 'string' },
    name: { type: 'string', default: 'Sendspin Emulator' },
    id: { type: 'string' },
    listen: { type: 'string' },
    host: { type: 'string' },
    path: { type: 'string', default: '/sendspin' },
    'buffer-capacity': { type: 'string' },
  },
});

const log = (event: Record<string, unknown>) => process.stderr.write(`${JSON.stringify({ t: Date.now(), ...event })}\n`);

function ipv4Addresses(host: string | undefined): string[] {
  if (host && host !== '0.0.0.0') return [host];
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

async function main(): Promise<void> {
  const listenPort = wholeNumber(args.listen, 'listen');
  if (!args.server && listenPort === undefined) throw new Error('give --server ws://host:port/sendspin, or --listen PORT to wait for the server');
  const id = args.id ?? `emu-${randomBytes(4).toString('hex')}`;
  const capacity = wholeNumber(args['buffer-capacity'], 'buffer-capacity');
  let advert: ServiceAdvert | null = null;
  const player = new EmulatedPlayer({ clientId: id, name: args.name!, out: process.stdout, log, ...(capacity ? { bufferCapacity: capacity } : {}) });
  await startUntilSignal(async () => {
    if (listenPort !== undefined) {
      const host = args.host ?? '0.0.0.0';
      const port = await player.listen(host, listenPort, args.path!);
      const addresses = ipv4Addresses(args.host);
      // Spec "Server Initiated Connections": `_sendspin._tcp`, TXT `path`.
      advert = await startServiceAdvert({
        service: '_sendspin._tcp.local',
        instance: args.name!,
        host: `${id}.local`,
        port,
        txt: () => [`path=${args.path!}`, `name=${args.name!}`, `id=${id}`],
        addresses,
        ...(args.host && args.host !== '0.0.0.0' ? { interface: args.host } : {}),
        onWarning: (line) => log({ event: 'mdns-warning', line }),
      });
      log({ event: 'listening', id, port, addresses });
    } else {
      await player.connect(args.server!);
      log({ event: 'connected', id, server: args.server });
    }
    return {
      close: async () => {
        await advert?.close();
        await player.close();
      },
    };
  });
}

main().catch((err: Error) => {
  log({ event: 'fatal', error: err.message });
  process.exit(1);
});
