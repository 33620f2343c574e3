// Runs our RAOP sender inside a test's network namespace (a vitest worker cannot enter one).
// argv: host port [volume dB]. stdin, one command a line: `play <lavfi graph>`, `volume <dB>`,
// `pause`, `resume`, `stop`. stdout: JSON lines {event: 'open' | 'sent' | 'ended' | 'volume' |
// 'paused' | 'resumed' | 'stopped' | 'error', ...}.
import { createInterface } from 'node:readline';
import { decodeToPcm } from '../../../../receivers/airplay/raop/pcm.js';
import { RaopSession } from '../../../../receivers/airplay/raop/sender.js';

const [host = '127.0.0.1', port = '5000', volume] = process.argv.slice(2);
const say = (event: string, more: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, ...more })}\n`);
};

async function main(): Promise<void> {
  const session = await RaopSession.open({ host, port: Number(port), ...(volume !== undefined ? { volume: Number(volume) } : {}) });
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
      await session.setVolume(Number(arg));
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
