// The software AirPlay speaker against a sender nobody here wrote: Debian's PulseAudio 16 with
// `module-raop-sink` (UDP, no encryption, ALAC: its PCM mode sends zeros, docs/testing.md) playing
// `module-sine`'s 440 Hz into it over loopback. PulseAudio writes escape-ALAC frames with the
// "has size" bit and its own timing and sync packets; the emulator must decode them, follow its
// clock and report loud audio of the right pitch with nothing lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { startSpeakerEmulator, type SpeakerEmulator } from '../../../../receivers/airplay/emulator/speaker.js';
import { readLines } from '../../../helpers/lines.js';
import { record, toneHz, when } from './speaker-emulator-helpers.js';

let emu: SpeakerEmulator | undefined;
let pulse: ChildProcess | undefined;
let dir: string | undefined;

afterAll(async () => {
  if (pulse && pulse.exitCode === null && pulse.signalCode === null) {
    const exited = new Promise((r) => pulse!.once('exit', r));
    pulse.kill('SIGTERM');
    await exited;
  }
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('AirPlay speaker emulator ← PulseAudio module-raop-sink', () => {
  it('plays what PulseAudio sends: a loud 440 Hz tone, nothing lost', { timeout: 60_000 }, async () => {
    emu = await startSpeakerEmulator({ name: 'Pulse Target', host: '127.0.0.1', port: 0, mdns: false });
    const rec = record(emu);
    dir = mkdtempSync(join(tmpdir(), 'speaker-pulse-'));
    // A private daemon: its own HOME and runtime dir, no default script, no D-Bus needed, only these
    // two modules. autoreconnect=true makes the sink ANNOUNCE once its OPTIONS handshake is done
    // (without it, a sink that is already RUNNING by then never starts streaming).
    pulse = spawn('pulseaudio', [
      '-n', '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no', '--log-target=stderr', '--log-level=info',
      '-L', `module-raop-sink server=${emu.host}:${emu.port} protocol=UDP encryption=none codec=ALAC sink_name=raop autoreconnect=true`,
      '-L', 'module-sine sink=raop frequency=440',
    ], { env: { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = readLines(pulse, 'pulseaudio');
    const failed = new Promise<never>((_, reject) => pulse!.once('exit', (code) => reject(new Error(`pulseaudio exited (${code}):\n${log.lines.slice(-15).join('\n')}`))));

    failed.catch(() => undefined); // only the races below care; afterAll's SIGTERM is expected
    const session = await Promise.race([rec.next('session', () => true, 0, 30_000), failed]);
    expect(session.codec).toBe('alac');
    expect(session.userAgent).toMatch(/iTunes/); // PulseAudio introduces itself as iTunes
    const playing = await Promise.race([rec.next('playing', () => true, 0, 20_000), failed]);
    // PulseAudio states 88200 frames in its sync packets (flags 7: + 11025).
    expect(playing.latencyFrames).toBe(88200 + 11025);

    // Two seconds of its tone, then look at it.
    const first = rec.audio.findIndex((a) => a.seq === playing.seq);
    const enough = () => rec.audio.length >= first + 250;
    if (!enough()) await Promise.race([when(emu.events as unknown as EventEmitter, 'audio', enough, 20_000), failed]);
    const pcm = rec.pcm(first).subarray(0, 250 * 352 * 4);
    expect(toneHz(pcm)).toBeCloseTo(440, -1); // within ±5 Hz
    const stats = await rec.next('stats', (s) => s.played >= 250, 0, 10_000);
    expect(stats.rmsDb).toBeGreaterThan(-20);
    expect(stats.loudFrames).toBeGreaterThan(44100);
    expect(stats).toMatchObject({ lost: 0, late: 0, undecodable: 0 });
    expect(emu.schedule.filter((r) => r.outcome !== 'played')).toEqual([]);
  });
});
