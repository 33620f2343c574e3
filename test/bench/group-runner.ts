// A group player for the group benchmarks, run inside their network namespace (the bench process
// cannot enter it): a Sendspin server (the players connect to it) and group receivers
// (receivers/group/receiver.ts) whose members are shairport-sync speakers ('airplay:R<port>',
// openRaopMember), Sendspin players ('sendspin:<id>', SendspinServer.member) and software
// Chromecasts by Cast Streaming ('chromecast:C<port>', openCastMember), as server/main.ts opens them. One FLAC is served over HTTP at /media/1, as our media routes would.
// argv[2]: JSON RunnerOptions. stdin, one command a line (answers as speaker-runner.ts's driverOver
// reads them: {event: 'done', cmd, atNs} where atNs is process.hrtime.bigint() as the call began):
//   group <id,id,…>   a group of these members loads the file from 0
//   single <port>     one AirPlay speaker alone, as the server plays a speaker (AirPlayReceiver)
//   add <id>          joins a member to the playing group
//   cpu <warm> <s>    waits <warm> s, then measures this process + its children (ffmpeg) over <s> s
//   opus <shared|per-member>  how groups opened from now on encode for their Cast members (default shared)
//   stop | close
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { AirPlayReceiver } from '../../receivers/airplay/driver.js';
import { openRaopMember } from '../../receivers/airplay/member.js';
import { openCastMember } from '../../receivers/chromecast/member.js';
import { createGroupReceiver } from '../../receivers/group/receiver.js';
import type { GroupMemberSpec, GroupReceiver, MemberFactory } from '../../receivers/group/types.js';
import { SendspinServer } from '../../receivers/sendspin/server.js';
import type { LoadRequest, Receiver, ReceiverDescriptor } from '../../receivers/types.js';
import { childrenOf, cpuOver } from './lib/cpu.js';

export interface RunnerOptions {
  host: string;
  sendspinPort: number;
  file: string;
  duration: number;
}

const o = JSON.parse(process.argv[2]!) as RunnerOptions;
const say = (x: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(x)}\n`);
const log = (msg: string, fields?: object): void => say({ event: 'log', msg, ...fields });

const sendspin = new SendspinServer({ id: 'bench-server', name: 'Bench', log: (l) => say({ event: 'log', ...l }) });
await sendspin.listen({ host: o.host, port: o.sendspinPort });

const speaker = (id: string): ReceiverDescriptor => {
  const port = Number(id.slice('airplay:R'.length));
  return { id, kind: 'airplay', name: `Room${port}`, model: 'ShairportSync', host: o.host, port, type: 'speaker', online: true, lastSeen: Date.now(), source: 'config' };
};
const cast = (id: string): ReceiverDescriptor => {
  const port = Number(id.slice('chromecast:C'.length));
  return { id, kind: 'chromecast', name: `Cast${port}`, model: 'Google Home', host: o.host, port, type: 'speaker', online: true, lastSeen: Date.now(), source: 'config' };
};
/** The reference of the Cast CPU bench: each Cast member encodes its own Opus. */
let opusPerMember = false;
const factory: MemberFactory = {
  name: (id) => id,
  async open(s, ctx) {
    if (s.id.startsWith('sendspin:')) return { kind: 'timeline', member: sendspin.member(s.id, ctx, s) };
    if (s.id.startsWith('chromecast:')) return { kind: 'timeline', member: await openCastMember(cast(s.id), ctx, { ...s, log, opusPerMember }) };
    return { kind: 'timeline', member: await openRaopMember(speaker(s.id), ctx, { ...s, log }) };
  },
};
const spec = (id: string): GroupMemberSpec => ({ id, delayMs: 0, volume: 1, muted: false });

const server = createServer((req, res) => {
  if (req.url !== '/media/1') return void res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': 'audio/flac', 'Content-Length': statSync(o.file).size });
  createReadStream(o.file).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const load: LoadRequest = {
  url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/media/1`, contentType: 'audio/flac',
  metadata: { title: 'Bench', kind: 'audio' }, duration: o.duration, startAt: 0, live: false,
};

let playing: Receiver | undefined;
let group: GroupReceiver | undefined;

async function run(cmd: string, a: string | undefined, b: string | undefined): Promise<Record<string, unknown>> {
  const atNs = process.hrtime.bigint();
  if (cmd === 'group') {
    group = createGroupReceiver({ ...speaker('airplay:R0'), id: 'group:bench', kind: 'group', name: 'Bench Group', type: 'group' }, a!.split(',').map(spec), factory, { log });
    group.onMembers((members) => say({ event: 'members', members }));
    playing = group;
    await group.load(load);
  } else if (cmd === 'single') {
    playing = new AirPlayReceiver(speaker(`airplay:R${a}`));
    await playing.load(load);
  } else if (cmd === 'add') await group!.addMember(spec(a!));
  else if (cmd === 'opus') opusPerMember = a === 'per-member';
  else if (cmd === 'cpu') {
    await delay(Number(a) * 1000);
    const kids = childrenOf(process.pid);
    const children = cpuOver(kids);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await delay(Number(b) * 1000);
    const used = process.cpuUsage(cpu0);
    return { oursMs: (used.user + used.system) / 1000, childrenMs: children.stop(), children: kids.length, wallMs: performance.now() - t0 };
  } else if (cmd === 'stop') {
    await playing?.close();
    playing = group = undefined;
  } else if (cmd === 'close') {
    await playing?.close();
    await sendspin.close();
    server.close();
    say({ event: 'done', cmd });
    process.exit(0);
  } else throw new Error(`unknown command ${cmd}`);
  return { atNs: String(atNs) };
}

say({ event: 'ready' });
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd = '', a, b] = line.trim().split(' ');
  await run(cmd, a, b).then(
    (r) => say({ event: 'done', cmd, ...r }),
    (e: Error) => say({ event: 'failed', cmd, message: e.message }),
  );
}
