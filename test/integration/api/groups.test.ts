// Groups as the remote makes them, over the real server's socket API and REST, with two software
// Chromecasts as members: made, renamed, added to, removed from, member volume and delay set,
// deleted; every change pushed to another remote; kept across a restart on the same data folder;
// unknown receivers, groups of groups and malformed messages refused with words saying why.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../../receivers/chromecast/emulator.js';
import type { ReceiverDescriptor } from '../../../receivers/types.js';
import { command, makeGroup } from '../../helpers/groups.js';
import { startServer, type RunningServer } from '../../helpers/server.js';

let kitchen: CastEmulator;
let living: CastEmulator;
let server: RunningServer;
const sockets: Socket[] = [];

async function connect(): Promise<Socket> {
  const s = server.io();
  sockets.push(s);
  await new Promise((resolve) => s.once('snapshot', resolve));
  return s;
}

const start = (dataDir?: string) =>
  startServer({
    ...(dataDir ? { dataDir } : {}),
    config: {
      libraries: [],
      receivers: [
        { kind: 'chromecast', name: 'Kitchen', host: kitchen.host, port: kitchen.port, model: 'Google Home', type: 'speaker' },
        { kind: 'chromecast', name: 'Living Room', host: living.host, port: living.port, model: 'Google Home', type: 'speaker' },
      ],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false, onStart: false },
    },
  });

/** The next `receiver` push for this receiver id that passes `pred`. */
const pushFor = (s: Socket, id: string | null, pred: (r: ReceiverDescriptor) => boolean = () => true) =>
  new Promise<ReceiverDescriptor>((resolve) => {
    const on = (r: ReceiverDescriptor) => {
      if ((id === null || r.id === id) && pred(r)) (s.off('receiver', on), resolve(r));
    };
    s.on('receiver', on);
  });

const rest = async () => (await server.get<{ items: ReceiverDescriptor[] }>('/api/receivers')).body.items;

beforeAll(async () => {
  kitchen = await startCastEmulator({ name: 'Kitchen', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  living = await startCastEmulator({ name: 'Living Room', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  server = await start();
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
  await kitchen?.close();
  await living?.close();
});

describe('groups over the socket API', () => {
  let ids: Record<string, string>;

  it('makes a group by member names, shown to every remote and in GET /api/receivers', async () => {
    const a = await connect();
    const b = await connect();
    ids = Object.fromEntries((await rest()).map((r) => [r.name, r.id]));
    const seen = pushFor(b, null, (r) => r.type === 'group');
    const g = await makeGroup(a, 'Downstairs', ['Kitchen', 'living room']);
    expect(g).toMatchObject({ kind: 'group', type: 'group', name: 'Downstairs', online: true, members: [ids.Kitchen, ids['Living Room']] });
    expect(g.id).toMatch(/^group:[0-9a-f]+$/);
    expect(g.group).toEqual([
      expect.objectContaining({ id: ids.Kitchen, name: 'Kitchen', state: 'idle', volume: 1, muted: false, delayMs: 0, synced: true }),
      expect.objectContaining({ id: ids['Living Room'], name: 'Living Room', state: 'idle', synced: true }),
    ]);
    expect(await seen).toMatchObject({ id: g.id, name: 'Downstairs', members: g.members });
    expect((await rest()).find((r) => r.id === g.id)).toMatchObject({ type: 'group', members: [ids.Kitchen, ids['Living Room']] });
  });

  it('refuses unknown receivers, groups of groups, names taken and a group left empty, saying why', async () => {
    const a = await connect();
    const refused: [string, unknown, string][] = [
      ['group:create', { name: 'Upstairs', members: ['Kichen'] }, 'unknown receiver "Kichen"'],
      ['group:create', { name: 'Everywhere', members: ['Kitchen', 'Downstairs'] }, 'Downstairs is a group: a group\'s members are single receivers'],
      ['group:create', { name: 'downstairs', members: ['Kitchen'] }, 'there is already a group named "downstairs"'],
      ['group:create', { name: 'Kitchen', members: ['Living Room'] }, '"Kitchen" is the name of a receiver: give the group another'],
      ['group:create', { name: 'Twice', members: ['Kitchen', 'Kitchen'] }, 'Kitchen is named twice'],
      ['group:add', { group: 'Downstairs', member: 'Kitchen' }, 'Kitchen is already in Downstairs'],
      ['group:add', { group: 'Downstairs', member: 'Downstairs' }, 'Downstairs is a group: a group\'s members are single receivers'],
      ['group:add', { group: 'Attic', member: 'Kitchen' }, 'unknown group "Attic"'],
      ['group:add', { group: 'Kitchen', member: 'Living Room' }, 'Kitchen is a receiver, not a group'],
      ['group:remove', { group: 'Downstairs', member: 'Garage' }, 'unknown receiver "Garage"'],
      ['group:member', { group: 'Downstairs', member: 'Nowhere', level: 0.5 }, 'unknown receiver "Nowhere"'],
    ];
    for (const [event, args, error] of refused) expect(await command(a, event, args), `${event} ${JSON.stringify(args)}`).toEqual({ ok: false, error });
    // Nothing was lost or half made.
    const groups = (await rest()).filter((r) => r.type === 'group');
    expect(groups.map((g) => [g.name, g.members])).toEqual([['Downstairs', [ids.Kitchen, ids['Living Room']]]]);
  });

  it.each([
    ['group:create', { name: 'Upstairs', members: [] }, /"members"/],
    ['group:create', { name: '   ', members: ['Kitchen'] }, /"name": a group needs a name/],
    ['group:create', { name: 'Upstairs', members: 'Kitchen' }, /"members"/],
    ['group:create', { name: 'Upstairs', members: Array(33).fill('Kitchen') }, /"members"/],
    ['group:create', { name: 'x'.repeat(101), members: ['Kitchen'] }, /"name"/],
    ['group:rename', { group: 'Downstairs' }, /"name"/],
    ['group:add', { group: 'Downstairs', member: 7 }, /"member"/],
    ['group:member', { group: 'Downstairs', member: 'Kitchen', delayMs: 2500 }, /"delayMs"/],
    ['group:member', { group: 'Downstairs', member: 'Kitchen', level: 2 }, /"level"/],
    ['group:member', { group: 'Downstairs', member: 'Kitchen' }, /give level, muted or delayMs/],
    ['group:delete', { group: 'Downstairs', now: true }, /unknown field "now"/],
    ['playback:move', { receiver: 'Kitchen' }, /"to"/],
  ])('refuses the malformed %s %j', async (event, args, error) => {
    const a = await connect();
    expect(await command(a, event, args)).toEqual({ ok: false, error: expect.stringMatching(error) });
  });

  it('renames, removes and adds members, sets a member\'s volume, mute and delay: each pushed', async () => {
    const a = await connect();
    const b = await connect();
    const id = (await rest()).find((r) => r.name === 'Downstairs')!.id;
    let pushed = pushFor(b, id, (r) => r.name === 'Ground Floor');
    expect(await command(a, 'group:rename', { group: 'Downstairs', name: ' Ground Floor ' })).toMatchObject({ ok: true, data: { id, name: 'Ground Floor' } });
    await pushed;
    pushed = pushFor(b, id, (r) => r.members?.length === 1);
    expect(await command(a, 'group:remove', { group: id, member: 'Kitchen' })).toMatchObject({ ok: true, data: { members: [ids['Living Room']] } });
    await pushed;
    expect(await command(a, 'group:remove', { group: id, member: 'Kitchen' })).toEqual({ ok: false, error: 'Kitchen is not in Ground Floor' });
    expect(await command(a, 'group:remove', { group: id, member: 'Living Room' })).toEqual({ ok: false, error: 'Living Room is the only member of Ground Floor: delete the group instead' });
    expect(await command(a, 'group:add', { group: 'ground floor', member: ids.Kitchen })).toMatchObject({ ok: true, data: { members: [ids['Living Room'], ids.Kitchen] } });
    pushed = pushFor(b, id, (r) => r.group?.find((m) => m.id === ids.Kitchen)?.delayMs === 120);
    expect(await command(a, 'group:member', { group: id, member: 'Kitchen', level: 0.4, muted: true })).toMatchObject({ ok: true });
    const after = await command<ReceiverDescriptor>(a, 'group:member', { group: id, member: 'Kitchen', delayMs: 120 });
    expect(after.ok && after.data.group?.find((m) => m.id === ids.Kitchen)).toMatchObject({ volume: 0.4, muted: true, delayMs: 120 });
    expect((await pushed).group?.find((m) => m.id === ids.Kitchen)).toMatchObject({ volume: 0.4, muted: true, delayMs: 120 });
  });

  it('keeps groups, their members and settings across a restart on the same data folder', async () => {
    const before = (await rest()).find((r) => r.type === 'group')!;
    await server.stop();
    server = await start(server.dataDir);
    const after = (await rest()).find((r) => r.type === 'group');
    expect(after).toMatchObject({ id: before.id, name: 'Ground Floor', members: [ids['Living Room'], ids.Kitchen], online: true });
    expect(after?.group?.find((m) => m.id === ids.Kitchen)).toMatchObject({ volume: 0.4, muted: true, delayMs: 120, name: 'Kitchen' });
  });

  it('deletes a group: every remote hears it is gone, REST no longer lists it, its name is free again', async () => {
    const a = await connect();
    const b = await connect();
    const id = (await rest()).find((r) => r.type === 'group')!.id;
    const gone = new Promise((resolve) => b.once('receiver:removed', resolve));
    expect(await command(a, 'group:delete', { group: 'Ground Floor' })).toEqual({ ok: true, data: { id } });
    expect(await gone).toEqual({ id });
    expect((await rest()).map((r) => r.name)).toEqual(['Kitchen', 'Living Room']);
    expect(await command(a, 'group:delete', { group: 'Ground Floor' })).toEqual({ ok: false, error: 'unknown group "Ground Floor"' });
    expect((await makeGroup(a, 'ground floor', ['Kitchen'])).name).toBe('ground floor');
  });
});
