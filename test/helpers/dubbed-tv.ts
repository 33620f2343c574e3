// The bed of the audio-language CLI tests: a 60 s two-language video (dubbed-video.ts) in a library
// of its own, a software Chromecast TV, and the real server with both (its config's `playback` as
// given), scanned. close() stops them and removes the folder.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import { makeDubbedVideo } from './dubbed-video.js';
import { scanFinished, startServer, type RunningServer } from './server.js';

export const DUBBED_TV = 'Dubbed TV';

export interface DubbedTv {
  emu: CastEmulator;
  server: RunningServer;
  close(): Promise<void>;
}

export async function startDubbedTv(prefix: string, playback?: Record<string, unknown>): Promise<DubbedTv> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(dir, 'video'));
  await makeDubbedVideo(join(dir, 'video', 'Dubbed.mp4'), 60, 'mp4');
  const emu = await startCastEmulator({ name: DUBBED_TV, model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  const server = await startServer({
    config: {
      libraries: [{ name: 'Video', path: join(dir, 'video'), kind: 'video' }],
      receivers: [{ kind: 'chromecast', name: DUBBED_TV, host: emu.host, port: emu.port, model: 'Chromecast', type: 'tv' }],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
      ...(playback ? { playback } : {}),
    },
  });
  await scanFinished(server, 'Video');
  return {
    emu, server,
    async close() {
      await server.stop();
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
