// `npm run demo`: the whole flow with no device. Generates a small sample library, starts software
// receivers on this machine without advertising them on the network (two Chromecasts, a TV and a
// speaker; an AirPlay speaker; an Apple TV), adds them to the server's receiver list by address,
// and starts the server. Everything each receiver does is printed as it happens.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSpeakerEmulator, type SpeakerEmulator } from '../../receivers/airplay/emulator/speaker.js';
import { startAirPlayVideoEmulator, type AirPlayVideoEmulator } from '../../receivers/airplay/emulator/video.js';
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

/** The AirPlay speaker's events, except its once-a-second stats (only the final ones of a session). */
function followSpeaker(e: SpeakerEmulator): void {
  e.events.on('event', (ev) => {
    if (ev.event !== 'stats' || ev.final) process.stdout.write(`[${e.name}] ${JSON.stringify(ev)}\n`);
  });
}

function followTv(e: AirPlayVideoEmulator): void {
  e.events.on('event', (ev: unknown) => process.stdout.write(`[${e.name}] ${JSON.stringify(ev)}\n`));
}

async function main(): Promise<void> {
  process.stdout.write('demo: making the sample library (a few seconds the first time)\n');
  const fx = await generateFixtures(join(dataDir, 'library'));
  const tv = await startCastEmulator({ name: 'Demo TV', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  const speaker = await startCastEmulator({ name: 'Demo Speaker', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  const airplaySpeaker = await startSpeakerEmulator({ name: 'Demo AirPlay Speaker', host: '127.0.0.1', port: 0, mdns: false });
  const appleTv = await startAirPlayVideoEmulator({ name: 'Demo Apple TV', model: 'AppleTV3,2', host: '127.0.0.1', port: 0, mdns: false });
  follow(tv);
  follow(speaker);
  followSpeaker(airplaySpeaker);
  followTv(appleTv);
  const closeAll = () => Promise.all([tv.close(), speaker.close(), airplaySpeaker.close(), appleTv.close()]);
  await mkdir(dataDir, { recursive: true });
  const config = join(dataDir, 'config.json');
  await writeFile(config, JSON.stringify({
    port, host: '0.0.0.0', dataDir: join(dataDir, 'state'),
    libraries: [{ name: 'Music', path: fx.musicPath, kind: 'music' }, { name: 'Videos', path: fx.videoPath, kind: 'video' }, { name: 'Photos', path: fx.photosPath, kind: 'photo' }],
    receivers: [
      { kind: 'chromecast', name: tv.name, host: tv.host, port: tv.port, model: tv.model, type: 'tv' },
      { kind: 'chromecast', name: speaker.name, host: speaker.host, port: speaker.port, model: speaker.model, type: 'speaker' },
      { kind: 'airplay', name: airplaySpeaker.name, host: airplaySpeaker.host, port: airplaySpeaker.port, type: 'speaker' },
      // A manual 'tv' entry of kind airplay is driven over the AirPlay video API at its port.
      { kind: 'airplay', name: appleTv.name, host: appleTv.host, port: appleTv.port, model: appleTv.model, type: 'tv' },
    ],
    discovery: { mdns: false },
  }, null, 2));
  const server = spawn(process.execPath, [join(root, 'dist/server/main.js'), '--config', config], { stdio: 'inherit' });
  process.stdout.write(`demo: server on port ${port} (open http://localhost:${port}/ here and choose the owner's password on a first run; its "listening" line gives the address for a phone) with "${tv.name}", "${speaker.name}", "${airplaySpeaker.name}" and "${appleTv.name}". Try:\n` +
    `  npm run cli -- login --name Owner   (the password you chose)\n  npm run cli -- receivers\n  npm run cli -- play --to "${tv.name}" "The Movie"\n  npm run cli -- play --to "${speaker.name}" "First Album"\n` +
    `  npm run cli -- play --to "${airplaySpeaker.name}" "First Album"\n  npm run cli -- play --to "${appleTv.name}" "The Movie"\n  npm run cli -- status\n`);
  const stop = async () => {
    server.kill('SIGTERM');
    await closeAll();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  server.once('exit', (code) => void closeAll().then(() => process.exit(code ?? 0)));
}

void main();
