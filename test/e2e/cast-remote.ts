// What the remote's Chromecast e2e tests start from: a server given software Chromecasts by
// address (no mDNS), its libraries scanned, an owner's socket holding its first snapshot, and
// Chromium. The emulators stay the test's own (it starts and closes them).
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import type { CastEmulator } from '../../receivers/chromecast/emulator.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium } from './browser.js';

export interface CastRemote {
  server: RunningServer;
  socket: Socket;
  browser: Browser;
  /** Socket, browser and server (close the test's pages first). */
  close(): Promise<void>;
}

export async function startCastRemote(o: {
  libraries: { name: string; path: string; kind: 'music' | 'video' }[];
  casts: CastEmulator[];
  /** How every Chromecast is entered in the config. */
  as: { model: string; type: 'tv' | 'speaker' };
}): Promise<CastRemote> {
  const server = await startServer({
    config: {
      libraries: o.libraries,
      receivers: o.casts.map((e) => ({ kind: 'chromecast', name: e.name, host: e.host, port: e.port, ...o.as })),
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  await Promise.all(o.libraries.map((l) => scanFinished(server, l.name)));
  const socket = server.io({ transports: ['websocket'], reconnection: false });
  await new Promise((resolve) => socket.once('snapshot', resolve));
  const browser = await launchChromium();
  return {
    server, socket, browser,
    close: async () => {
      socket.close();
      await browser.close();
      await server.stop();
    },
  };
}
