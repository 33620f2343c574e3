// Time to first sound on an AirPlay speaker: from the play command to the moment a real speaker
// (shairport-sync 3.3.8) plays the first non-silent sample, beside Debian's PulseAudio
// (module-raop-sink, ALAC) playing the same file with paplay to its own shairport-sync in the same
// run. Median of 3 each, interleaved.
// Ours is the real server with the speaker as a manual receiver, the command sent over Socket.IO
// (playback:play, as the CLI and the remote send it). Everything runs in a network namespace:
// the server, a small Socket.IO client there (airplay-commander.ts), PulseAudio and the speakers.
// When a sample plays: each speaker output's reads are stamped and placed in time by the lower
// envelope of (read time + 1 s − frame / 44.1 kHz) (schedule.ts; docs/testing.md "Measuring whether
// two speakers play in sync"). Both figures include shairport-sync's muting of the first
// 9 packets (72 ms) of a session, and the 2 s latency both senders ask for.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createNetns, type Netns } from '../helpers/netns.js';
import { readLines, type LineReader } from '../helpers/lines.js';
import { projectRoot } from '../helpers/paths.js';
import { median } from '../helpers/stats.js';
import { firstLoudFrame, perfMsOfHrNs, RATE, startSpeakers, stopSpeakers, type Speaker } from './lib/airplay-speakers.js';
import { MAIN_LISTENING, serverMain } from './lib/ours.js';
import { startPulse, type Pulse } from './lib/pulse.js';
import type { Row } from './lib/table.js';

const execFileP = promisify(execFile);
const rounds = 3;
const SPEAKER = 'Bench Speaker';

/**
 * A 440 Hz tone at −6 dBFS, loud from the very first sample (a cosine). WAV: paplay (libsndfile)
 * plays ffmpeg's FLAC as garbage here, and the same file must go to both senders.
 */
export async function makeTone(path: string, seconds: number): Promise<void> {
  const tone = '0.5*cos(2*PI*440*t)';
  await execFileP('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc=${tone}|${tone}:s=44100:d=${seconds}`,
    '-metadata', 'title=Bench Tone', '-metadata', 'artist=Bench', '-metadata', 'album=Bench', '-c:a', 'pcm_s16le', path,
  ]);
}

/**
 * Waits until `sp` has played 2.5 s of sound after output frame `from`, then returns the
 * performance.now() time at which its first non-silent sample plays.
 */
async function firstSoundAt(s: Speaker, from: number): Promise<number> {
  const loudBefore = s.sp.pcm.loudFrames;
  await s.sp.pcm.until(() => s.sp.pcm.loudFrames >= loudBefore + 2.5 * RATE, 20_000, `2.5 s of sound from ${s.name}`);
  const first = firstLoudFrame(s.out, from);
  if (first < 0) throw new Error(`no sound found in ${s.name}'s output`);
  // Place the output in time from the reads after the lead-in (written at once, so not usable).
  return s.out.msOfFrame(first, first, first + 2 * RATE);
}

/** Our server in the namespace with these speakers as manual receivers, its data in work/`data`. */
export async function startServer(ns: Netns, work: string, music: string, speakers: Array<{ name: string; port: number }>, data = 'airplay-ttfs-data'): Promise<{ out: LineReader; url: string }> {
  const dataDir = join(work, data);
  await mkdir(dataDir, { recursive: true });
  const config = join(dataDir, 'config.json');
  // 0.0.0.0 inside the namespace only: the driver's ffmpeg fetches from the address facing the speaker.
  await writeFile(config, JSON.stringify({
    port: 0, host: '0.0.0.0', dataDir, scan: { watch: false }, discovery: { mdns: false }, auth: { mode: 'lan-open' } /* measures playback, not sign-in */,
    libraries: [{ name: 'Music', path: music, kind: 'music' }],
    receivers: speakers.map(({ name, port }) => ({ kind: 'airplay', name, host: ns.addr, port, model: 'ShairportSync', type: 'speaker' })),
  }));
  const child = ns.spawn(process.execPath, [serverMain, '--config', config], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = readLines(child, 'our server');
  const port = /port=(\d+)/.exec(await out.wait(MAIN_LISTENING, 30_000))![1];
  await out.wait(/ scan finished .*library=Music/, 60_000);
  return { out, url: `http://127.0.0.1:${port}` };
}

/**
 * The Socket.IO client in the namespace (airplay-commander.ts); `command` sends one line and
 * resolves with the process.hrtime at which the command went out, once the server acknowledged it.
 */
export async function startCommander(ns: Netns, url: string): Promise<(line: string) => Promise<bigint>> {
  const commander = ns.spawn(process.execPath, [join(projectRoot, 'dist/test/bench/airplay-commander.js'), url], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  const cmds = readLines(commander, 'airplay commander');
  await cmds.wait(/"event":"ready"/, 15_000);
  return async (line: string): Promise<bigint> => {
    const after = cmds.lines.length;
    commander.stdin!.write(`${line}\n`);
    const ack = JSON.parse(await cmds.wait(/"event":"ack"/, 35_000, after)) as { ok: boolean; error?: string; sentNs: string };
    if (!ack.ok) throw new Error(`${line}: ${ack.error}`);
    return BigInt(ack.sentNs);
  };
}

export async function benchAirPlayFirstSound(work: string, progress: (s: string) => void): Promise<Row[]> {
  const music = join(work, 'airplay-music');
  await mkdir(music, { recursive: true });
  const file = join(music, 'tone.wav');
  // 6 s: PulseAudio drops what it is given while its RTSP session opens (about 1.3 s here), and
  // 2.5 s of sound must come out after the first.
  await makeTone(file, 6);
  const ns = await createNetns();
  let speakers: Speaker[] = [];
  let pulse: Pulse | undefined;
  try {
    progress('airplay first sound: two shairport-sync speakers, our server, PulseAudio');
    speakers = await startSpeakers(ns, [{ name: 'BenchOurs', port: 5071 }, { name: 'BenchPulse', port: 5072 }]);
    const [oursSpeaker, paSpeaker] = speakers as [Speaker, Speaker];
    const server = await startServer(ns, work, music, [{ name: SPEAKER, port: oursSpeaker.port }]);
    const command = await startCommander(ns, server.url);
    pulse = await startPulse(ns, [{ host: ns.addr, port: paSpeaker.port }]);

    const ours: number[] = [];
    const ref: number[] = [];
    const crashes: string[] = [];
    for (let i = 0; i < rounds; i++) {
      progress(`airplay first sound: round ${i + 1} of ${rounds}`);
      let from = oursSpeaker.sp.pcm.frames;
      const sent = await command(`play ${SPEAKER}\t${file}`);
      ours.push((await firstSoundAt(oursSpeaker, from)) - perfMsOfHrNs(sent));
      await command(`stop ${SPEAKER}`);

      // PulseAudio 16's RAOP sink can abort when it goes RUNNING (raop-sink.c:570, see
      // airplay-cpu.ts): then start it again and redo the measurement, at most twice a run.
      for (;;) {
        from = paSpeaker.sp.pcm.frames;
        const t0 = performance.now();
        const play = pulse.play(file, 'raop0');
        const sound = firstSoundAt(paSpeaker, from);
        const ended = play.done.then(() => Promise.reject(new Error('paplay ended before any sound')));
        for (const p of [sound, ended]) p.catch(() => undefined);
        try {
          ref.push((await Promise.race([sound, ended])) - t0);
          break;
        } catch (err) {
          if (pulse.alive() || crashes.length >= 2) throw err;
          crashes.push(pulse.lastError() || (err as Error).message);
          await pulse.stop();
          pulse = await startPulse(ns, [{ host: ns.addr, port: paSpeaker.port }]);
        } finally {
          play.child.kill('SIGTERM');
          await play.done.catch(() => undefined);
        }
      }
    }
    const note = `play command → scheduled time of the first non-silent sample out of shairport-sync 3.3.8; ours: server + Socket.IO playback:play (${ours.map((x) => x.toFixed(0)).join(', ')} ms); PulseAudio 16 module-raop-sink ALAC via paplay (${ref.map((x) => x.toFixed(0)).join(', ')} ms)${crashes.length ? `; pulseaudio restarted ${crashes.length} time(s) after "${crashes[0]}"` : ''}`;
    return [{ section: 'airplay', metric: 'time to first sound on a speaker, median of 3', unit: 'ms', better: 'lower', ours: median(ours), ref: median(ref), refName: 'PulseAudio raop-sink + paplay', note }];
  } finally {
    await pulse?.stop();
    await stopSpeakers(speakers);
    await ns.close();
  }
}
