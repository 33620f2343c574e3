// A cut MP3 keeps its headers (an Info/Xing frame counts the frames the whole file had), so it
// declares its full duration: it is an error when the file holds less than half of what that
// duration needs at the declared bitrate. Whole files, VBR ones, and a cut file without such a
// header (whose duration is then estimated from its size, so honest) stay tracks.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ffmpeg, sineInput } from '../../fixtures/ffmpeg.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }

let server: RunningServer | undefined;
let root: string | undefined;
afterAll(async () => {
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('truncated MP3', () => {
  it('a 6 s MP3 cut to its first 3,000 bytes is an error; whole, VBR and header-less files are tracks', async () => {
    root = await mkdtemp(join(tmpdir(), 'hc-cut-'));
    const dir = join(root, 'Artist', 'Album');
    await mkdir(dir, { recursive: true });
    await ffmpeg([...sineInput(6, 44100), '-c:a', 'libmp3lame', '-b:a', '128k', join(dir, '01 Whole.mp3')]);
    await ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo', '-t', '6', '-c:a', 'libmp3lame', '-q:a', '9', join(dir, '02 Quiet VBR.mp3')]);
    await ffmpeg([...sineInput(6, 44100), '-c:a', 'libmp3lame', '-b:a', '32k', '-write_xing', '0', join(root, 'plain.mp3')]);
    await writeFile(join(dir, '03 Cut.mp3'), (await readFile(join(dir, '01 Whole.mp3'))).subarray(0, 3000));
    await writeFile(join(dir, '04 Cut No Header.mp3'), (await readFile(join(root, 'plain.mp3'))).subarray(0, 3000));

    server = await startServer({ config: { libraries: [{ name: 'Music', path: root, kind: 'music' }], scan: { watch: false } } });
    await scanFinished(server, 'Music');
    const errors = (await server.get<List<{ path: string; error: string }>>('/api/library/errors')).body.items;
    expect(errors).toEqual([expect.objectContaining({ path: 'Artist/Album/03 Cut.mp3', error: expect.stringMatching(/^truncated: headers declare 6\.0 s at 128 kb\/s .* only 3000 bytes/) })]);
    const tracks = (await server.get<List<{ path: string; duration: number }>>('/api/library/tracks?limit=50')).body.items;
    const duration = Object.fromEntries(tracks.map((t) => [t.path, t.duration]));
    expect(Object.keys(duration).sort()).toEqual(['Artist/Album/01 Whole.mp3', 'Artist/Album/02 Quiet VBR.mp3', 'Artist/Album/04 Cut No Header.mp3', 'plain.mp3']);
    expect(duration['Artist/Album/01 Whole.mp3']).toBeCloseTo(6, 0);
    expect(duration['Artist/Album/02 Quiet VBR.mp3']).toBeCloseTo(6, 0);
    expect(duration['Artist/Album/04 Cut No Header.mp3']).toBeLessThan(1); // what the 3,000 bytes hold
  });
});
