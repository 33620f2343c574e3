// What the speaker-emulator tests share: every event and every played packet of one emulator,
// waiting for an event (never a sleep), and the known signal they play.
import { spawnSync } from 'node:child_process';
import { once, type EventEmitter } from 'node:events';
import type { PlayedAudio, SpeakerEmulator, SpeakerEvent } from '../../../../receivers/airplay/emulator/speaker.js';

export interface Recorder {
  events: SpeakerEvent[];
  audio: PlayedAudio[];
  /** The first event from index `after` on that matches. */
  next<T extends SpeakerEvent['event']>(name: T, pred?: (e: Extract<SpeakerEvent, { event: T }>) => boolean, after?: number, timeoutMs?: number): Promise<Extract<SpeakerEvent, { event: T }>>;
  /** Played PCM (s16le stereo) of packets from index `from` of `audio` on, concatenated. */
  pcm(from?: number): Buffer;
}

export function record(emu: SpeakerEmulator): Recorder {
  const events: SpeakerEvent[] = [];
  const audio: PlayedAudio[] = [];
  emu.events.on('event', (e) => events.push(e));
  emu.events.on('audio', (a) => audio.push(a));
  return {
    events,
    audio,
    async next(name, pred = () => true, after = 0, timeoutMs = 10_000) {
      type E = Extract<SpeakerEvent, { event: typeof name }>;
      const match = (e: SpeakerEvent): e is E => e.event === name && pred(e as E);
      const signal = AbortSignal.timeout(timeoutMs);
      for (;;) {
        const hit = events.slice(after).find(match);
        if (hit) return hit;
        try {
          await once(emu.events as unknown as EventEmitter, 'event', { signal });
        } catch {
          throw new Error(`no "${name}" event matching within ${timeoutMs} ms; got: ${events.slice(after).map((e) => e.event).join(', ')}`);
        }
      }
    },
    pcm(from = 0) {
      return Buffer.concat(audio.slice(from).map((a) => a.pcm));
    },
  };
}

/** s16le 44.1 kHz stereo from a file or an ffmpeg lavfi graph. */
export function ffmpegPcm(input: string, lavfi = false): Buffer {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...(lavfi ? ['-f', 'lavfi'] : []), '-i', input, '-f', 's16le', '-ar', '44100', '-ac', '2', 'pipe:1'], { maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`ffmpeg ${input}: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Writes a FLAC of a lavfi graph, with these tags (title, album, track, ...). */
export function makeFlac(graph: string, path: string, tags: Record<string, string> = {}): void {
  const meta = Object.entries(tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', graph, '-ac', '2', '-c:a', 'flac', ...meta, path]);
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr.toString()}`);
}

/** Zero crossings of the left channel per second: twice the frequency of a pure tone. */
export function toneHz(pcm: Buffer): number {
  let crossings = 0;
  let prev = 0;
  const frames = Math.floor(pcm.length / 4);
  for (let f = 0; f < frames; f++) {
    const s = pcm.readInt16LE(f * 4);
    if ((prev < 0 && s >= 0) || (prev >= 0 && s < 0)) crossings++;
    prev = s;
  }
  return crossings / 2 / (frames / 44100);
}

/** Resolves with the first `event` emission whose argument matches. */
export function when<T>(emitter: EventEmitter, event: string, pred: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, on);
      reject(new Error(`no matching "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (v: T) => {
      if (!pred(v)) return;
      clearTimeout(timer);
      emitter.off(event, on);
      resolve(v);
    };
    emitter.on(event, on);
  });
}
