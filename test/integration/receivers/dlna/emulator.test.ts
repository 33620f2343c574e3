// Our software DLNA renderer (`npm run receiver -- dlna`) through the same flow as gmediarender
// (renderer-flow.ts), read from its JSON events: it is found by SSDP, fetches and probes our
// signed URL, plays it in real time, and takes the next URI at the end of the track.
import { join } from 'node:path';
import { readLines } from '../../../helpers/lines.js';
import { projectRoot } from '../../../helpers/paths.js';
import { rendererFlow, waitLine } from './renderer-flow.js';

const event = (name: string) => new RegExp(`^\\{"event":"${name}"`);
const json = (line: string) => JSON.parse(line) as Record<string, unknown>;

rendererFlow({
  label: 'software renderer',
  name: 'Study Speaker',
  gapless: true,
  start(ns) {
    const proc = ns.spawn(process.execPath, [join(projectRoot, 'dist/receivers/cli.js'), 'dlna', '--name', 'Study Speaker', '--host', ns.peerAddr, '--port', '0', '--audio-only']);
    return { proc, out: readLines(proc, 'dlna renderer') };
  },
  watch({ out }) {
    return {
      playingUrl: async (after, not) => json(await waitLine(out, event('playing'), (l) => json(l).url !== not, 60_000, after)).url as string,
      paused: async (after) => void (await out.wait(event('paused'), 20_000, after)),
      resumed: async (after) => void (await out.wait(event('resumed'), 20_000, after)),
      volume: async (percent, after) => void (await waitLine(out, event('volume'), (l) => Math.abs((json(l).level as number) - percent / 100) < 1e-9, 20_000, after)),
      positionAtLeast: async (seconds, after) => void (await waitLine(out, event('seek'), (l) => (json(l).position as number) >= Math.floor(seconds), 20_000, after)),
    };
  },
});
