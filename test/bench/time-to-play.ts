// Time to play: from the play command (over Socket.IO, as the CLI and the remote send it) to
// the emulated Chromecast's first PLAYING, per decision kind; beside what the same work costs
// bare: ffmpeg's first output bytes for the same transcode (or ffprobe of the file for direct
// play, which is what the emulator does before it plays). Median of 3 each.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import { buildTranscodeArgs } from '../../server/media/transcode-args.js';
import { planFromQuery } from '../../server/media/transcode-params.js';
import { generateFixtures } from '../fixtures/generate.js';
import { projectRoot } from '../helpers/paths.js';
import { MAIN_LISTENING } from './lib/ours.js';
import { start, type Tracked } from './lib/proc.js';
import type { Row } from './lib/table.js';
import { median } from '../helpers/stats.js';

const rounds = 3;

/** ms until a program writes its first byte (or exits, for ffprobe). */
function firstOutput(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    p.stdout.once('data', () => {
      resolve(performance.now() - t0);
      p.kill('SIGKILL');
    });
    p.once('error', reject);
    p.once('exit', () => resolve(performance.now() - t0));
  });
}

/** ms until ffprobe, reading ffmpeg's live output, knows the streams: what a receiver waits for. */
function probedLive(ffmpegArgs: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const ff = spawn('ffmpeg', ffmpegArgs, { stdio: ['ignore', 'pipe', 'ignore'] });
    const probe = spawn('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-i', 'pipe:0'], { stdio: ['pipe', 'ignore', 'ignore'] });
    ff.stdout.pipe(probe.stdin).on('error', () => undefined);
    probe.once('error', reject);
    probe.once('exit', () => {
      resolve(performance.now() - t0);
      ff.kill('SIGKILL');
    });
  });
}

function command(socket: Socket, name: string, args: unknown): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.timeout(30_000).emit(name, args, (err: Error | null, ack: { ok: boolean; error?: string }) => (err ? reject(err) : ack.ok ? resolve() : reject(new Error(ack.error)))),
  );
}

function nextPlaying(e: CastEmulator): Promise<{ url: string }> {
  return new Promise((resolve) => (e.events as unknown as NodeJS.EventEmitter).once('playing', (ev: { url: string }) => resolve(ev)));
}

export async function benchTimeToPlay(work: string, progress: (s: string) => void): Promise<Row[]> {
  const fx = await generateFixtures(join(projectRoot, 'test/fixtures/generated'));
  const tv = await startCastEmulator({ name: 'Bench TV', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  const speaker = await startCastEmulator({ name: 'Bench Speaker', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  const dataDir = join(work, 'ttp-data');
  await mkdir(dataDir, { recursive: true });
  const config = join(dataDir, 'config.json');
  await writeFile(config, JSON.stringify({
    port: 0, host: '127.0.0.1', dataDir, scan: { watch: false }, discovery: { mdns: false }, sendspin: { port: 0 }, auth: { mode: 'lan-open' } /* measures playback, not sign-in */,
    libraries: [{ name: 'Music', path: fx.musicPath, kind: 'music' }, { name: 'Video', path: fx.videoPath, kind: 'video' }],
    receivers: [
      { kind: 'chromecast', name: tv.name, host: tv.host, port: tv.port, model: tv.model },
      { kind: 'chromecast', name: speaker.name, host: speaker.host, port: speaker.port, model: speaker.model, type: 'speaker' },
    ],
  }));
  let server: Tracked | undefined;
  let socket: Socket | undefined;
  try {
    server = start('our server', process.execPath, [join(projectRoot, 'dist/server/main.js'), '--config', config], { cwd: projectRoot });
    const port = /port=(\d+)/.exec((await server.waitFor(MAIN_LISTENING, 30_000)).line)![1];
    await server.waitFor(/ scan finished library=Video /, 60_000);
    socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
    await new Promise<void>((resolve) => socket!.once('connect', () => resolve()));

    const cases = [
      { label: 'direct play, MP3 to a speaker', emu: speaker, file: fx.files.tagged },
      { label: 'direct play, H.264/AAC MP4 to a TV', emu: tv, file: fx.files.clip },
      { label: 'audio transcode, ALAC to FLAC for a speaker', emu: speaker, file: fx.files.alac },
      { label: 'full transcode, HEVC/AC3 MKV to H.264/AAC for a 1st/2nd-gen TV', emu: tv, file: fx.files.movie },
    ];
    const rows: Row[] = [];
    for (const c of cases) {
      progress(`time to play: ${c.label}`);
      const ours: number[] = [];
      let url = '';
      for (let i = 0; i < rounds; i++) {
        const playing = nextPlaying(c.emu);
        const t0 = performance.now();
        await command(socket, 'playback:play', { receiver: c.emu.name, what: c.file.rel.replace(/^(music|video)\//, '') });
        url = (await playing).url;
        ours.push(performance.now() - t0);
        await command(socket, 'playback:stop', { receiver: c.emu.name });
      }
      // The same work done bare: ffmpeg's first bytes of the very transcode the URL asked for.
      const query = new URL(url).searchParams;
      const plan = planFromQuery(query, c.file.kind === 'video');
      const bare: number[] = [];
      const bareProbed: number[] = [];
      const transcode = plan.ok ? plan.plan : undefined;
      for (let i = 0; i < rounds; i++) {
        if (transcode) {
          const a = buildTranscodeArgs(transcode);
          const args = [...a.input, '-i', c.file.path, ...a.output, 'pipe:1'];
          bare.push(await firstOutput('ffmpeg', args));
          bareProbed.push(await probedLive(args));
        } else bare.push(await firstOutput('ffprobe', ['-v', 'error', '-show_format', '-show_streams', c.file.path]));
      }
      const metric = `time to PLAYING: ${c.label}`;
      rows.push({ section: 'play', metric, unit: 'ms', better: 'lower', ours: median(ours), ref: median(bare), refName: transcode ? 'bare ffmpeg first bytes' : 'bare ffprobe of the file' });
      if (transcode) rows.push({ section: 'play', metric, unit: 'ms', better: 'lower', ours: median(ours), ref: median(bareProbed), refName: 'bare ffmpeg → ffprobe' });
    }
    return rows;
  } finally {
    socket?.close();
    await server?.stop();
    await Promise.all([tv.close(), speaker.close()]);
  }
}
