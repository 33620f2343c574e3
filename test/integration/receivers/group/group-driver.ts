// Runs a group receiver (receivers/group/receiver.ts) of AirPlay speakers inside a test's network
// namespace (a vitest worker cannot enter one). Its members are shairport-sync speakers on `host`,
// opened with openRaopMember, one id per port ('airplay:R<port>'), and software Chromecasts by Cast
// Streaming (openCastMember, 'chromecast:C<port>', named `c<port>` in commands). Media files are served over
// HTTP inside the namespace, as our media routes would. argv[2]: JSON GroupRunnerOptions.
// stdin, one command a line: load [startAt] | preload2 | pause | play | seek <s> | stop | volume <l>
// | add <port> [delayMs] | remove <port> | online <port> | mvolume <port> <level> | delay <port> <ms>
// | status | close. stdout: JSON lines, as speaker-runner.ts reads them, and {event: 'members'}.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { openRaopMember } from '../../../../receivers/airplay/member.js';
import { openCastMember } from '../../../../receivers/chromecast/member.js';
import { SyncUnavailable } from '../../../../receivers/shared/timeline-member.js';
import { createGroupReceiver } from '../../../../receivers/group/receiver.js';
import type { GroupMemberSpec, MemberFactory } from '../../../../receivers/group/types.js';
import type { LoadRequest, ReceiverDescriptor } from '../../../../receivers/types.js';

export interface GroupRunnerOptions {
  host: string;
  members: { port: number; delayMs?: number; volume?: number }[];
  /** Chromecasts (software ones listening on `host`) by Cast Streaming. */
  casts?: { port: number; delayMs?: number; volume?: number }[];
  /** Test switch: the Cast members send no Sender Reports. */
  senderReports?: boolean;
  /** Between the Cast members' Sender Reports (default: the member's). */
  reportIntervalMs?: number;
  /** Served at /media/1 and /media/2 (FLAC). */
  file: string;
  file2?: string;
  duration: number;
  duration2?: number;
}

const o = JSON.parse(process.argv[2]!) as GroupRunnerOptions;
const say = (x: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(x)}\n`);
const id = (port: number | string): string => (String(port).startsWith('c') ? `chromecast:C${String(port).slice(1)}` : `airplay:R${port}`);
const descriptor = (rid: string): ReceiverDescriptor => {
  if (rid.startsWith('chromecast:C')) {
    const port = Number(rid.slice('chromecast:C'.length));
    return { id: rid, kind: 'chromecast', name: `Cast${port}`, model: 'Google Home', host: o.host, port, type: 'speaker', online: true, lastSeen: Date.now(), source: 'config' };
  }
  const port = Number(rid.slice('airplay:R'.length));
  return { id: rid, kind: 'airplay', name: `Room${port}`, model: 'ShairportSync', host: o.host, port, type: 'speaker', online: true, lastSeen: Date.now(), source: 'config' };
};
const spec = (port: number | string, delayMs = 0, volume = 1): GroupMemberSpec => ({ id: id(port), delayMs, volume, muted: false });
const log = (msg: string, fields?: object): void => say({ event: 'log', msg, ...fields });

const factory: MemberFactory = {
  name: (rid) => descriptor(rid).name,
  async open(s, ctx) {
    const d = descriptor(s.id);
    if (d.kind !== 'chromecast') return { kind: 'timeline', member: await openRaopMember(d, ctx, { delayMs: s.delayMs, volume: s.volume, muted: s.muted, log }) };
    try {
      return { kind: 'timeline', member: await openCastMember(d, ctx, { delayMs: s.delayMs, volume: s.volume, muted: s.muted, log, ...(o.senderReports === false ? { senderReports: false } : {}), ...(o.reportIntervalMs ? { reportIntervalMs: o.reportIntervalMs } : {}) }) };
    } catch (e) {
      // As the server's member factory does (server/groups/member-factory.ts): it follows unsynced, here as a member that says why.
      if (e instanceof SyncUnavailable) say({ event: 'unsynced', member: s.id, why: e.message });
      throw e;
    }
  },
};

const files: Record<string, string | undefined> = { '/media/1': o.file, '/media/2': o.file2 };
const server = createServer((req, res) => {
  const f = files[req.url ?? ''];
  if (!f) return void res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': 'audio/flac', 'Content-Length': statSync(f).size });
  createReadStream(f).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const req = (path: string, startAt: number, duration: number): LoadRequest => ({ url: base + path, contentType: 'audio/flac', metadata: { title: path, kind: 'audio' }, duration, startAt, live: false });

const g = createGroupReceiver({ ...descriptor(id(0)), id: 'group:1', kind: 'group', name: 'Downstairs', type: 'group' }, [...o.members.map((m) => spec(m.port, m.delayMs, m.volume)), ...(o.casts ?? []).map((m) => spec(`c${m.port}`, m.delayMs, m.volume))], factory, { log });
g.on('status', (s) => say({ event: 'status', ...s }));
g.on('gone', (why) => say({ event: 'gone', why }));
g.onMembers((members) => say({ event: 'members', members }));

async function run(cmd: string, a: string | undefined, b: string | undefined): Promise<void> {
  if (cmd === 'load') await g.load(req('/media/1', Number(a ?? 0), o.duration));
  else if (cmd === 'preload2') g.preload!(req('/media/2', 0, o.duration2 ?? o.duration));
  else if (cmd === 'pause') await g.pause();
  else if (cmd === 'play') await g.play();
  else if (cmd === 'seek') await g.seek(Number(a));
  else if (cmd === 'stop') await g.stop();
  else if (cmd === 'volume') await g.setVolume(Number(a));
  else if (cmd === 'add') await g.addMember(spec(a!, Number(b ?? 0)));
  else if (cmd === 'remove') await g.removeMember(id(a!));
  else if (cmd === 'online') g.memberOnline(id(a!));
  else if (cmd === 'mvolume') await g.setMemberVolume(id(a!), Number(b));
  else if (cmd === 'delay') g.setMemberDelay(id(a!), Number(b));
  else if (cmd === 'status') return say({ event: 'now', ...g.status(), members: g.members() });
  else if (cmd === 'close') {
    await g.close();
    server.close();
    say({ event: 'done', cmd });
    process.exit(0);
  } else throw new Error(`unknown command ${cmd}`);
  say({ event: 'done', cmd });
}

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd = '', a, b] = line.trim().split(' ');
  await run(cmd, a, b).catch((e: Error) => say({ event: 'failed', cmd, message: e.message }));
}
