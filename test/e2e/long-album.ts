// An album long enough to pause, seek and change volume in: two tagged MP3 sine tones made by
// ffmpeg into a library folder (the shared fixture tracks last 2–3 s).
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export const LONG_ALBUM = { artist: 'E2E Band', album: 'Long Album', tracks: [{ title: 'Long One', seconds: 150, hz: 440 }, { title: 'Long Two', seconds: 90, hz: 660 }] };

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${err}`))));
  });
}

export async function makeLongAlbum(musicDir: string): Promise<void> {
  const dir = join(musicDir, LONG_ALBUM.artist, LONG_ALBUM.album);
  await mkdir(dir, { recursive: true });
  // A cover beside the tracks (folder.jpg), so the remote has artwork to show.
  const cover = ffmpeg(['-f', 'lavfi', '-i', 'gradients=s=400x400:c0=0x4f46e5:c1=0xf59e0b:x0=0:y0=0:x1=400:y1=400:seed=7', '-frames:v', '1', join(dir, 'folder.jpg')]);
  await Promise.all([
    cover,
    ...LONG_ALBUM.tracks.map((t, i) =>
      ffmpeg([
        '-f', 'lavfi', '-i', `sine=frequency=${t.hz}:duration=${t.seconds}`, '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '48k',
        '-metadata', `title=${t.title}`, '-metadata', `artist=${LONG_ALBUM.artist}`, '-metadata', `album_artist=${LONG_ALBUM.artist}`,
        '-metadata', `album=${LONG_ALBUM.album}`, '-metadata', `track=${i + 1}/${LONG_ALBUM.tracks.length}`, '-metadata', 'date=2024',
        join(dir, `0${i + 1} ${t.title}.mp3`),
      ]),
    ),
  ]);
}
