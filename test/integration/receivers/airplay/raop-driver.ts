// Runs our RAOP sender (one speaker's stream, airplay/speaker-stream.ts: the pacing every AirPlay
// stream uses) inside a test's network namespace (a vitest worker cannot enter one).
// argv: host port [volume dB]. stdin, one command a line: `play <lavfi graph>`, `volume <dB>`,
// `pause`, `resume`, `stop`. stdout: JSON lines {event: 'open' | 'sent' | 'ended' | 'volume' |
// 'paused' | 'resumed' | 'stopped' | 'error', ...}.
import { createInterface } from 'node:readline';
import { decodeToPcm } from '../../../../receivers/airplay/raop/pcm.js';
import { openSpeakerStream } from '../../../../receivers/airplay/speaker-stream.js';

const [host = '127.0.0.1', port = '5000', volume] = process.argv.slice(2);
const say = (event: string, more: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, ...more })}\n`);
};

/** The level (0..1) the driver sends as `db` (driver-state.ts levelToDb: −30 + 30 × level; −144 mute). */
const level = (db: number): { volume: number; muted: boolean } => ({ volume: Math.min(1, Math.max(0, (db + 30) / 30)), muted: db < -30 });

async function main(): Promise<void> {
  const d = { id: `airplay:${host}:${port}`, kind: 'airplay', name: `${host}:${port}`, model: null, host, port: Number(port), type: 'speaker' as const, online: true, lastSeen: Date.now(), source: 'config' as const };
  const session = await openSpeakerStream(d, volume !== undefined ? level(Number(volume)) : {});
  let dec: ReturnType<typeof decodeToPcm> | undefined;
  session.on('error', (e: Error) => {
    dec?.stop();
    say('error', { message: e.message });
    process.exit(0);
  });
  say('open', { latency: session.latency });
  for await (const line of createInterface({ input: process.stdin })) {
    const [cmd, ...rest] = line.trim().split(' ');
    const arg = rest.join(' ');
    if (cmd === 'play') {
      dec = decodeToPcm(arg, { lavfi: true });
      void session.play(dec.stdout).then(() => {
        const ms = Number(session.playedOutAtNs() - session.clock.nowNs()) / 1e6;
        say('ended', { packets: session.packetsSent, playedOutInMs: ms });
      });
    } else if (cmd === 'volume') {
      const l = level(Number(arg));
      await session.setVolume(l.volume, l.muted);
      say('volume', { db: Number(arg) });
    } else if (cmd === 'pause') {
      await session.pause();
      say('paused', { packets: session.packetsSent });
    } else if (cmd === 'resume') {
      session.resume();
      say('resumed');
    } else if (cmd === 'stop') {
      dec?.stop();
      await session.stop();
      say('stopped');
      process.exit(0);
    }
  }
}

main().catch((e: Error) => {
  say('error', { message: e.message });
  process.exit(1);
});
