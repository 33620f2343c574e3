// A photo played to a DLNA renderer, as a person does it from the CLI: SetAVTransportURI with the
// image class (object.item.imageItem.photo) and an image/jpeg protocolInfo, then Play. Our software
// renderer (as a TV, not a speaker) fetches the whole JPEG by our signed URL, decodes it and shows it,
// PLAYING with no duration, until stopped. gmediarender (GStreamer) takes it too.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, type LineReader } from '../../../helpers/lines.js';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { projectRoot } from '../../../helpers/paths.js';
import { onlineLine, startDlnaTestServer } from './renderer-flow.js';

const json = (line: string) => JSON.parse(line) as Record<string, unknown>;
const SPEAKER = 'Porch Speaker';

interface PhotoRenderer {
  name: string;
  start(ns: Netns): LineReader;
  /** It shows the photo it was given: resolves with the URL it fetched (from line `after` on). */
  shown(out: LineReader, after: number): Promise<string>;
  /** Its player ends by itself once the still is decoded (the session still counts it shown until Stop). */
  endsByItself: boolean;
  /** It stopped showing it (from line `after` on). */
  stopped(out: LineReader, after: number): Promise<void>;
}

const renderers: PhotoRenderer[] = [
  {
    name: 'Hall TV',
    start: (ns) => readLines(ns.spawn(process.execPath, [join(projectRoot, 'dist/receivers/cli.js'), 'dlna', '--name', 'Hall TV', '--host', ns.peerAddr, '--port', '0']), 'dlna tv'),
    async shown(out, after) {
      const e = json(await out.wait(/^\{"event":"(showing|refused|playing)"/, 30_000, after));
      expect(e).toMatchObject({ event: 'showing', format: 'jpeg', width: 640, height: 480 });
      return e.url as string;
    },
    endsByItself: false,
    stopped: async (out, after) => void (await out.wait(/^\{"event":"stopped"/, 20_000, after)),
  },
  {
    name: 'Attic Renderer',
    start: (ns) => readLines(ns.spawn('gmediarender', ['-I', 'v1', '-p', '49495', '-f', 'Attic Renderer', '-u', randomUUID(), '--gstout-audiopipe', 'fakesink', '--gstout-videosink', 'fakesink', '--logfile', 'stdout']), 'gmediarender'),
    async shown(out, after) {
      const line = await out.wait(/ \| transport\] CurrentTrackURI: http/, 30_000, after);
      await out.wait(/ \| transport\] TransportState: PLAYING/, 30_000, after);
      return line.slice(line.indexOf('CurrentTrackURI: ') + 17).trim();
    },
    // GStreamer reaches the end of a still at once: it is STOPPED (its URI cleared) before we say Stop.
    endsByItself: true,
    stopped: async (out, after) => void (await out.wait(/ \| transport\] TransportState: STOPPED/, 20_000, after)),
  },
];

let ns: Netns;
let env: Awaited<ReturnType<typeof startDlnaTestServer>>;
const outs = new Map<string, LineReader>();

beforeAll(async () => {
  ns = await createNetns();
  env = await startDlnaTestServer(ns, { photos: true });
  for (const r of renderers) outs.set(r.name, r.start(ns));
  outs.set(SPEAKER, readLines(ns.spawn(process.execPath, [join(projectRoot, 'dist/receivers/cli.js'), 'dlna', '--name', SPEAKER, '--host', ns.peerAddr, '--port', '0', '--audio-only']), 'dlna speaker'));
  for (const name of outs.keys()) await onlineLine(env.server, name);
}, 120_000);

afterAll(async () => {
  await ns?.close();
});

describe.each(renderers)('photos to a DLNA renderer: $name', (r) => {
  it('shows a JPEG from the library (image class, fetched by our signed URL) until stopped', { timeout: 90_000 }, async () => {
    const out = outs.get(r.name)!;
    let mark = out.lines.length;
    const serverMark = env.server.lines.length;
    const play = await env.cli('play', '--to', r.name, env.lib.at('photos/Camera.jpg'));
    expect(play.code, play.stderr).toBe(0);
    const url = await r.shown(out, mark);
    expect(new URL(url).searchParams.get('sig')).toBeTruthy();

    // The session plays it (the driver saw PLAYING).
    await env.server.wait(new RegExp(` playing .*receiver="${r.name}" .*title="?Camera"?( |$)`), 30_000, serverMark);
    const status = JSON.parse((await env.cli('status', '--to', r.name, '--json')).stdout) as Array<{ state: string }>;
    expect(status[0]).toMatchObject({ state: 'playing' });

    if (!r.endsByItself) mark = out.lines.length;
    expect((await env.cli('stop', '--to', r.name)).code).toBe(0);
    await r.stopped(out, mark);
    expect(JSON.parse((await env.cli('status', '--to', r.name, '--json')).stdout)[0]).toMatchObject({ state: 'idle' });
  });
});

describe('photos to a DLNA speaker', () => {
  it('a renderer with no screen (no image types in its Sink) refuses the photo, and the CLI says why', { timeout: 60_000 }, async () => {
    const out = outs.get(SPEAKER)!;
    const mark = out.lines.length;
    const play = await env.cli('play', '--to', SPEAKER, env.lib.at('photos/Camera.jpg'));
    const refused = json(await out.wait(/^\{"event":"(showing|refused)"/, 30_000, mark));
    expect(refused).toMatchObject({ event: 'refused', reason: expect.stringMatching(/cannot show jpeg images/) });
    expect(play.code).not.toBe(0);
    expect(play.stderr).toMatch(new RegExp(`${SPEAKER}.*Camera`));
  });
});
