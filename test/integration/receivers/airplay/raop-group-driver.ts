// Runs a RaopGroup inside a test's network namespace (a vitest worker cannot enter one).
// argv: host member… where member is `port` or `port:delayMs` (that speaker plays delayMs later).
// stdin, one command a line: `play <lavfi graph>`, `stop`. stdout: JSON lines
// {event: 'open' | 'ended' | 'lost' | 'stopped' | 'error', ...}.
import { createInterface } from 'node:readline';
import { decodeToPcm } from '../../../../receivers/airplay/raop/pcm.js';
import { RaopGroup } from '../../../../receivers/airplay/raop/group.js';

const [host = '127.0.0.1', ...members] = process.argv.slice(2);
const say = (event: string, more: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, ...more })}\n`);
};

async function main(): Promise<void> {
  const group = await RaopGroup.open(
    members.map((m) => {
      const [port, delayMs] = m.split(':');
      return { host, port: Number(port), volume: 0, ...(delayMs ? { delayMs: Number(delayMs) } : {}) };
    }),
  );
  group.on('memberLost', (_s, e) => say('lost', { message: e.message, left: group.members.length }));
  let dec: ReturnType<typeof decodeToPcm> | undefined;
  say('open', { members: group.members.length, latency: group.latency });
  for await (const line of createInterface({ input: process.stdin })) {
    const [cmd, ...rest] = line.trim().split(' ');
    if (cmd === 'play') {
      dec = decodeToPcm(rest.join(' '), { lavfi: true });
      void group.play(dec.stdout).then(() => {
        const ms = Number(group.playedOutAtNs() - group.clock.nowNs()) / 1e6;
        say('ended', { playedOutInMs: ms });
      });
    } else if (cmd === 'stop') {
      dec?.stop();
      await group.stop();
      say('stopped');
      process.exit(0);
    }
  }
}

main().catch((e: Error) => {
  say('error', { message: e.message });
  process.exit(1);
});
