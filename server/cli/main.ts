// Command line remote for a running server, like catt or castnow but over the library:
//   npm run cli -- receivers
//   npm run cli -- play --to "Living Room" <library id | search text | file path>
//   npm run cli -- pause|resume|stop|next|previous|status [--to NAME]
//   npm run cli -- seek SECONDS --to NAME;  volume 0-100 --to NAME
//   npm run cli -- subtitles [off | N] --to NAME   (no argument: list the playing item's tracks)
//   npm run cli -- password --to NAME [--forget]   (the password is read from stdin, never argv)
// Options: --server URL (default http://localhost:8420), --json. Exits non-zero with a clear
// message when the server, the receiver or the media says no.
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { Ack, CommandArgs, CommandName } from '../api/messages.js';
import type { SessionSnapshot } from '../playback/session.js';
import { receiverLine, sessionLine, subtitleLines } from './format.js';

const usage = `usage: npm run cli -- <receivers | play WHAT | pause | resume | stop | next | previous | seek SECONDS | volume 0-100 | subtitles [off|N] | status | password [--forget]> [--to RECEIVER] [--server URL] [--json]`;

class CliError extends Error {}

/** One line from stdin; on a terminal, asked for without echoing what is typed. */
async function readSecret(prompt: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const tty = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: tty ? process.stderr : undefined, terminal: tty });
  if (tty) {
    process.stderr.write(prompt);
    // Swallow the echo of each typed character.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  }
  try {
    for await (const line of rl) return line.replace(/\r$/, '');
    return '';
  } finally {
    rl.close();
    if (tty) process.stderr.write('\n');
  }
}

function call<C extends CommandName>(socket: Socket, command: C, args: CommandArgs<C>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    socket.timeout(30_000).emit(command, args, (err: Error | null, ack: Ack) => {
      if (err) reject(new CliError(`the server did not answer ${command} in time`));
      else if (!ack.ok) reject(new CliError(ack.error));
      else resolve(ack.data);
    });
  });
}

function connect(server: string): Promise<Socket> {
  const socket = io(server, { transports: ['websocket'], reconnection: false, timeout: 5000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(new CliError(`cannot reach the server at ${server}: ${err.message}`)));
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { to: { type: 'string' }, forget: { type: 'boolean', default: false }, server: { type: 'string', default: 'http://localhost:8420' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${usage}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const socket = await connect(values.server);
  try {
    const receivers = (await call(socket, 'receivers:list', {})) as ReceiverDescriptor[];
    const nameOf = (id: string) => receivers.find((r) => r.id === id)?.name ?? id;
    const to = (): string => {
      const wanted = values.to;
      if (!wanted) throw new CliError(`say which receiver with --to NAME (known: ${receivers.map((r) => r.name).join(', ') || 'none'})`);
      const r = receivers.find((x) => x.id === wanted || x.name.toLowerCase() === wanted.toLowerCase());
      if (!r) throw new CliError(`unknown receiver "${wanted}" (known: ${receivers.map((x) => x.name).join(', ') || 'none'})`);
      if (!r.online) throw new CliError(`${r.name} is offline`);
      return r.id;
    };
    const print = (data: unknown, human: () => string): void => void process.stdout.write(`${values.json ? JSON.stringify(data) : human()}\n`);
    const showSession = (s: unknown) => print(s, () => sessionLine(s as SessionSnapshot, nameOf((s as SessionSnapshot).receiverId)));
    const number = (label: string, min: number, max: number): number => {
      const n = Number(rest[0]);
      if (rest[0] === undefined || !Number.isFinite(n) || n < min || n > max) throw new CliError(`${command} needs ${label} (${min}-${max})`);
      return n;
    };
    switch (command) {
      case 'receivers':
        return print(receivers, () => (receivers.length ? receivers.map(receiverLine).join('\n') : 'no receivers found'));
      case 'play': {
        if (rest.length === 0) throw new CliError('play needs what to play: a library id, search text or a file path');
        return showSession(await call(socket, 'playback:play', { receiver: to(), what: rest.join(' ') }));
      }
      case 'pause':
      case 'resume':
      case 'stop':
      case 'next':
      case 'previous':
        return showSession(await call(socket, `playback:${command}`, { receiver: to() }));
      case 'seek':
        return showSession(await call(socket, 'playback:seek', { receiver: to(), position: number('SECONDS', 0, 7 * 24 * 3600) }));
      case 'volume':
        return showSession(await call(socket, 'playback:volume', { receiver: to(), level: number('a level', 0, 100) / 100 }));
      case 'subtitles': {
        const receiver = to();
        const [current] = (await call(socket, 'playback:status', { receiver })) as SessionSnapshot[];
        if (rest[0] === undefined) return print(current, () => subtitleLines(current!));
        const count = current?.subtitles.length ?? 0;
        const n = Number(rest[0]);
        const off = rest[0].toLowerCase() === 'off';
        if (!off && !(Number.isInteger(n) && n >= 1 && n <= count)) {
          throw new CliError(count ? `subtitles takes off or a track number (1-${count}); without one it lists them` : `"${current?.item?.title ?? 'nothing'}" has no subtitles to choose`);
        }
        const s = (await call(socket, 'playback:subtitles', { receiver, index: off ? null : n - 1 })) as SessionSnapshot;
        return print(s, () => subtitleLines(s));
      }
      case 'status': {
        const list = (await call(socket, 'playback:status', values.to ? { receiver: to() } : {})) as SessionSnapshot[];
        return print(list, () => (list.length ? list.map((s) => sessionLine(s, nameOf(s.receiverId))).join('\n') : 'nothing playing'));
      }
      case 'password': {
        const receiver = to();
        if (values.forget) return print(await call(socket, 'receiver:forget-password', { receiver }), () => `forgot the password of ${nameOf(receiver)}`);
        const password = await readSecret(`password for ${nameOf(receiver)}: `);
        if (!password) throw new CliError('no password given (it is read from stdin)');
        return print(await call(socket, 'receiver:password', { receiver, password }), () => `password kept for ${nameOf(receiver)}`);
      }
      default:
        throw new CliError(`unknown command "${command}"\n${usage}`);
    }
  } finally {
    socket.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`error: ${err instanceof CliError ? err.message : err.stack ?? err.message}\n`);
  process.exitCode = 1;
});
