// Command line remote for a running server, like catt or castnow but over the library:
//   npm run cli -- receivers
//   npm run cli -- play --to "Living Room" <library id | search text | file path>
//   npm run cli -- pause|resume|stop|next|previous|status [--to NAME]
//   npm run cli -- seek SECONDS --to NAME;  volume 0-100 --to NAME
//   npm run cli -- subtitles [off | N] --to NAME   (no argument: list the playing item's tracks)
//   npm run cli -- audio [N | LANGUAGE] --to NAME   (no argument: list the playing video's audio tracks)
//   npm run cli -- password --to NAME [--forget]   (the password is read from stdin, never argv)
//   npm run cli -- play … [--from-start]   (a video or long audio resumes where it was left, unless --from-start)
//   npm run cli -- favourite list | add|remove track|album|video ID
//   npm run cli -- group list|create|add|remove|rename|delete|volume|mute|delay …;  move FROM TO
//   npm run cli -- prefs [audio LANGUAGE… | audio none]   (your own audio languages: they win over the server's)
//   npm run cli -- login [--name NAME]   (the password from HOMECAST_PASSWORD or stdin, never echoed);  logout
// Signed in, the CLI keeps its device token in $XDG_CONFIG_HOME/homecast/tokens.json (0600);
// HOMECAST_TOKEN, when set, is used instead (scripts).
//   npm run cli -- playlist list|show|create|rename|delete|add|remove|move|play|shuffle|export …
//   npm run cli -- tracks [TEXT] [--genre G] [--year Y] [--sort S] | genres | years | album NAME|ID | artist NAME | shows | show NAME  (album/artist/show: --play --to NAME)
// Options: --server URL (default: this machine, on the port the server would take: PORT, else the
// config's port, read as the server reads it: --config FILE or ./config.json), --json. Exits
// non-zero with a clear message when the server, the receiver or the media says no.
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { Ack, CommandArgs, CommandName } from '../api/messages.js';
import { ConfigError, loadConfig } from '../config/load.js';
import type { SessionSnapshot } from '../playback/session.js';
import { CliError } from './errors.js';
import { receiverLine, sessionLine, subtitleLines } from './format.js';
import { groupCommand, groupUsage, moveCommand } from './group-commands.js';
import { authPost, cliDeviceName, restGet, savedToken, saveToken } from './credentials.js';
import { playlistCommand, playlistUsage } from './playlist-commands.js';
import { favouriteCommand, favouriteUsage } from './favourite-commands.js';
import { audioCommand } from './audio-commands.js';
import { prefsCommand, prefsUsage } from './prefs-commands.js';
import { isLibraryCommand, libraryCommand, libraryUsage } from './library-commands.js';

const usage = `usage: npm run cli -- <login [--name NAME] | logout | receivers | play WHAT [--resume | --from-start] | ${favouriteUsage} | pause | resume | stop | next | previous | seek SECONDS | volume 0-100 | subtitles [off|N] | audio [N|LANGUAGE] | prefs [audio LANGUAGE…|none] | status | password [--forget] | group … | move FROM TO | playlist … | tracks … | album … | artist … | show …> [--to RECEIVER] [--server URL | --config FILE] [--json]
${groupUsage}
${prefsUsage}
${playlistUsage}
${libraryUsage}`;

/** The server on this machine, where it listens when started here: PORT, HOST and the config
 *  file, taken as the server takes them (config/load.ts). */
function localServer(configFile: string | undefined): string {
  let config;
  try {
    config = loadConfig({ argv: configFile ? ['--config', configFile] : [] });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`${err.message} (or give the server's address with --server URL)`);
    throw err;
  }
  if (config.port === 0) throw new CliError(`the config (${config.source}) lets the server pick a free port: give its address with --server URL`);
  // Listening on every address: reach it on this machine's own.
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

/** One line from stdin, asked for on a terminal. */
async function readLine(prompt: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stderr : undefined, terminal: process.stdin.isTTY === true });
  try {
    return (await rl.question(process.stdin.isTTY ? prompt : '')).trim();
  } finally {
    rl.close();
  }
}

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
  const token = savedToken(server);
  const socket = io(server, { transports: ['websocket'], reconnection: false, timeout: 5000, ...(token ? { auth: { token } } : {}) });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      // The server's own words when it refused us (not signed in, token revoked).
      const refused = /sign in|set up/.test(err.message);
      reject(new CliError(refused ? `${err.message}: run \`npm run cli -- login\` (or set HOMECAST_TOKEN)` : `cannot reach the server at ${server}: ${err.message}`));
    });
  });
}

async function login(server: string, name: string | undefined): Promise<string> {
  const who = name ?? process.env.HOMECAST_NAME ?? (await readLine('name: '));
  if (!who) throw new CliError('no name given (--name NAME or HOMECAST_NAME)');
  const password = process.env.HOMECAST_PASSWORD ?? (await readSecret(`password for ${who}: `));
  if (!password) throw new CliError('no password given (it is read from stdin, or HOMECAST_PASSWORD)');
  const answer = await authPost(server, 'login', { name: who, password, device: cliDeviceName(), bearer: true });
  const file = saveToken(server, String(answer.token));
  return `signed in to ${server} as ${who} (token kept in ${file})`;
}

async function logout(server: string): Promise<string> {
  const token = savedToken(server);
  if (token) await authPost(server, 'logout', {}, token);
  saveToken(server, undefined);
  return token ? `signed out of ${server}` : 'not signed in';
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { name: { type: 'string' }, to: { type: 'string' }, with: { type: 'string', multiple: true, default: [] }, forget: { type: 'boolean', default: false }, resume: { type: 'boolean', default: false }, 'from-start': { type: 'boolean', default: false }, play: { type: 'boolean', default: false }, genre: { type: 'string' }, year: { type: 'string' }, sort: { type: 'string' }, server: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    });
  } catch (err) {
    // parseArgs' own words ("Unknown option '--serve'"), without its stack.
    throw new CliError(`${(err as Error).message}\n${usage}`);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine();
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${usage}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const number = (label: string, min: number, max: number): number => {
    const given = rest[0];
    if (given === undefined) throw new CliError(`${command} needs ${label}: a number from ${min} to ${max}`);
    const n = Number(given);
    if (given.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new CliError(`${command} ${given}: ${label} must be a number from ${min} to ${max}`);
    return n;
  };
  // Checked before the server is asked anything.
  const amount = command === 'volume' ? number('the level (percent)', 0, 100) : command === 'seek' ? number('the position (seconds)', 0, 7 * 24 * 3600) : 0;
  const server = values.server ?? localServer(values.config);
  if (command === 'login' || command === 'logout') {
    process.stdout.write(`${command === 'login' ? await login(server, values.name) : await logout(server)}\n`);
    return;
  }
  if (command === 'prefs') {
    return await prefsCommand(rest, { server, token: savedToken(server), print: (data, human) => void process.stdout.write(`${values.json ? JSON.stringify(data) : human()}\n`) });
  }
  const socket = await connect(server);
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
    switch (command) {
      case 'receivers':
        return print(receivers, () => (receivers.length ? receivers.map(receiverLine).join('\n') : 'no receivers found'));
      case 'play': {
        const what = rest.join(' ').trim();
        if (!what) throw new CliError('play needs what to play: a library id, search text or a file path');
        if (values.resume && values['from-start']) throw new CliError('give --resume or --from-start, not both');
        // Resumes by default, as a player does: --from-start plays the item from its beginning.
        const s = (await call(socket, 'playback:play', { receiver: to(), what, from: values['from-start'] ? 'start' : 'resume' })) as SessionSnapshot;
        // The server takes a number as an id when there is such an item, else as search text.
        if (/^\d+$/.test(what) && !(s.queue.length === 1 && s.queue[0]?.itemId === Number(what))) {
          process.stderr.write(`no library item with id ${what}: playing what matches "${what}" as search text\n`);
        }
        return showSession(s);
      }
      case 'pause':
      case 'resume':
      case 'stop':
      case 'next':
      case 'previous':
        return showSession(await call(socket, `playback:${command}`, { receiver: to() }));
      case 'seek':
        return showSession(await call(socket, 'playback:seek', { receiver: to(), position: amount }));
      case 'volume':
        return showSession(await call(socket, 'playback:volume', { receiver: to(), level: amount / 100 }));
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
      case 'audio':
        return await audioCommand(rest, { receiver: to(), call: (c, a) => call(socket, c, a), print });
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
      case 'group':
        return await groupCommand(rest, values.with, { call: (c, a) => call(socket, c, a), print, receivers, nameOf });
      case 'playlist':
        return await playlistCommand(rest, { call: (c, a) => call(socket, c, a), print, receivers, nameOf, to });
      case 'favourite':
      case 'favorite':
        return await favouriteCommand(rest, { call: (c, a) => call(socket, c, a), print });
      case 'move':
        return await moveCommand(rest, { call: (c, a) => call(socket, c, a), print, receivers, nameOf });
      default:
        if (isLibraryCommand(command)) {
          const get = <T>(path: string) => restGet<T>(server, path, savedToken(server));
          return await libraryCommand(command, rest, { get, call: (c, a) => call(socket, c, a), print, to, nameOf, options: { genre: values.genre, year: values.year, sort: values.sort, play: values.play } });
        }
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
