// `npm run demo`: the whole flow with no device. Generates a small sample library, starts two
// software Chromecasts (a TV and a speaker) on this machine without advertising them on the
// network, adds them to the server's receiver list by address, and starts the server.
// Everything each receiver does is printed as it happens.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import { generateFixtures } from '../../test/fixtures/generate.js';
import { findProjectRoot } from '../util/version.js';

const root = findProjectRoot();
const dataDir = join(root, 'data', 'demo');
const port = Number(process.env.PORT ?? 8420);

function follow(e: CastEmulator): void {
  const names = ['load', 'refused', 'playing', 'paused', 'seek', 'idle', 'volume'] as const;
  for (const name of names) (e.events as unknown as NodeJS.EventEmitter).on(name, (ev: unknown) => process.stdout.write(`[${e.name}] ${JSON.stringify(ev)}\n`));
}

async function main(): Promise<void> {
  process.stdout.write('demo: making the sample library (a few seconds the first time)\n');
  const fx = await generateFixtures(join(dataDir, 'library'));
  const tv = await startCastEmulator({ name: 'Demo TV', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  const speaker = await startCastEmulator({ name: 'Demo Speaker', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  follow(tv);
  follow(speaker);
  await mkdir(dataDir, { recursive: true });
  const config = join(dataDir, 'config.json');
  await writeFile(config, JSON.stringify({
    port, host: '0.0.0.0', dataDir: join(dataDir, 'state'),
    libraries: [{ name: 'Music', path: fx.musicPath, kind: 'music' }, { name: 'Videos', path: fx.videoPath, kind: 'video' }, { name: 'Photos', path: fx.photosPath, kind: 'photo' }],
    receivers: [
      { kind: 'chromecast', name: tv.name, host: tv.host, port: tv.port, model: tv.model, type: 'tv' },
      { kind: 'chromecast', name: speaker.name, host: speaker.host, port: speaker.port, model: speaker.model, type: 'speaker' },
    ],
    discovery: { mdns: false },
  }, null, 2));
  const server = spawn(process.execPath, [join(root, 'dist/server/main.js'), '--config', config], { stdio: 'inherit' });
  process.stdout.write(`demo: server on http://localhost:${port}/ with "${tv.name}" and "${speaker.name}". Try:\n` +
    `  npm run cli -- receivers\n  npm run cli -- play --to "${tv.name}" "The Movie"\n  npm run cli -- play --to "${speaker.name}" "First Album"\n  npm run cli -- status\n`);
  const stop = async () => {
    server.kill('SIGTERM');
    await Promise.all([tv.close(), speaker.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  server.once('exit', (code) => void Promise.all([tv.close(), speaker.close()]).then(() => process.exit(code ?? 0)));
}

void main();
