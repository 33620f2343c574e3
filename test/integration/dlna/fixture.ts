// A homecast server with DLNA on, inside a fresh network namespace, serving a private copy of the
// fixture library; and what a control point should find in it (titles and durations by kind).
import { basename, extname, join } from 'node:path';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { createNetns, type Netns } from '../../helpers/netns.js';
import { projectRoot } from '../../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

export interface DlnaFixture {
  ns: Netns;
  server: RunningServer;
  lib: LibraryCopy;
  name: string;
  expected: Expected;
  close(): Promise<void>;
}

export interface Expected {
  /** title → duration in seconds */
  audio: Map<string, number>;
  video: Map<string, number>;
  photo: Set<string>;
}

export const scriptPath = (file: string) => join(projectRoot, 'test/integration/dlna', file);
const stem = (rel: string) => basename(rel, extname(rel));

export function expectedFrom(lib: LibraryCopy): Expected {
  const { fx } = lib;
  return {
    // Untagged files show their name without the track number (as the library lists them).
    audio: new Map([...fx.audio.map((a) => [a.hasTags ? a.displayTitle : a.displayTitle.replace(/^\d+ /, ''), a.durationSec] as const), ...fx.broken.filter((b) => b.ffprobeReads).map((b) => [stem(b.rel), 2] as const)]),
    video: new Map(fx.video.map((v) => [v.title, v.durationSec])),
    photo: new Set(fx.photo.map((p) => stem(p.rel))),
  };
}

export async function startDlnaFixture(label: string): Promise<DlnaFixture> {
  const lib = await copyFixtureLibrary();
  const ns = await createNetns();
  const name = `homecast ${label} ${process.pid}`;
  try {
    const server = await startServer({
      netns: ns,
      config: {
        host: '0.0.0.0',
        libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }, { name: 'Photos', path: lib.photos, kind: 'photo' }],
        discovery: { mdns: false },
        sendspin: { enabled: false },
        dlna: { enabled: true, name },
      },
    });
    await Promise.all(['Music', 'Video', 'Photos'].map((l) => scanFinished(server, l)));
    await server.waitForLine(/ dlna ready /);
    return { ns, server, lib, name, expected: expectedFrom(lib), close: async () => (await server.stop(), await ns.close()) };
  } catch (e) {
    await ns.close();
    throw e;
  }
}

/** `H:MM:SS.mmm` → seconds. */
export function seconds(d: string): number {
  const [h = '0', m = '0', s = '0'] = d.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}
