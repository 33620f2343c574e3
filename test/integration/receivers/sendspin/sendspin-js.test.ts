// The reference client (@sendspin/sendspin-js's SendspinCore, in Node: sendspin-js-peer.ts) against
// our server on loopback: handshake, clock sync to our server clock, stream/start, every chunk
// decoded to the source samples with the play time the timeline gives, volume from the server,
// a controller command back, stream/clear, stream/end and goodbye.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendspinServer, type SendspinCommand } from '../../../../receivers/sendspin/server.js';
import { serverMicros } from '../../../../receivers/shared/server-clock.js';
import { projectRoot } from '../../../helpers/paths.js';
import { JsonLines, type Line } from '../chromecast/json-lines.js';
import { beepTrack, newContext, paceOnTimeline } from './fixture.js';

let server: SendspinServer;
let peer: ChildProcess;
let events: JsonLines;
let synced: Line;
let syncCheckedUs: number;

beforeAll(async () => {
  server = new SendspinServer({ id: 'hc', name: 'Homecast' });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  peer = spawn(process.execPath, [join(projectRoot, 'dist/test/integration/receivers/sendspin/sendspin-js-peer.js'), `ws://127.0.0.1:${port}/sendspin`, 'js1'], { stdio: ['pipe', 'pipe', 'pipe'] });
  events = new JsonLines(peer.stdout!, 'sendspin-js', peer.stderr);
  synced = await events.waitFor((l) => l.event === 'synced');
  // What our clock read at the moment the peer read its own (both CLOCK_MONOTONIC).
  syncCheckedUs = serverMicros() - (Number(process.hrtime.bigint() / 1000n) - (synced.hrUs as number));
});

afterAll(async () => {
  if (peer && peer.exitCode === null) peer.kill('SIGKILL');
  await server?.close();
});

describe('@sendspin/sendspin-js against our Sendspin server', () => {
  it('syncs its clock to our server clock within 1 ms', () => {
    expect(server.players().map((p) => p.id)).toEqual(['sendspin:js1']);
    expect(Math.abs((synced.serverTimeUs as number) - syncCheckedUs)).toBeLessThan(1000);
  });

  it('gets stream/start and every chunk stamped with its timeline play time, decoding to the source', { timeout: 20_000 }, async () => {
    const ctx = newContext();
    const m = server.member('sendspin:js1', ctx);
    const track = beepTrack(1);
    const from = events.lines.length;
    await paceOnTimeline([m], track, ctx);
    const start = await events.waitFor((l) => l.event === 'stream-start', 5000, from);
    expect(start.format).toEqual({ codec: 'pcm', sample_rate: 44100, channels: 2, bit_depth: 16 });
    const total = track.length / 4;
    const chunks = () => events.lines.slice(from).filter((l) => l.event === 'chunk');
    await events.waitFor(() => chunks().reduce((n, c) => n + (c.frames as number), 0) >= total, 10_000, from);
    let frame = 0;
    for (const c of chunks()) {
      expect(c).toMatchObject({ channels: 2, sampleRate: 44100 });
      expect(c.serverTimeUs).toBe(Number((ctx.timeline.nsAtFrames(frame + ctx.latency) + 500n) / 1000n));
      let sum = 0;
      for (let i = frame; i < frame + (c.frames as number); i++) sum += track.readInt16LE(i * 4);
      expect(c.sum).toBe(sum);
      frame += c.frames as number;
    }
    expect(frame).toBe(total);

    await m.setVolume(0.3, false);
    await events.waitFor((l) => l.event === 'volume' && l.volume === 30, 5000, from);
    await m.flush(total);
    await events.waitFor((l) => l.event === 'stream-clear', 5000, from);
    await m.stop();
    await events.waitFor((l) => l.event === 'stream-end', 5000, from);
  });

  it('sends controller commands the session gets, and a goodbye', async () => {
    const command = new Promise<SendspinCommand>((resolve) => server.once('command', resolve));
    peer.stdin!.write('command next\n');
    expect(await command).toEqual({ playerId: 'sendspin:js1', command: 'next', params: {} });
    const gone = new Promise((resolve) => server.once('playerGone', (...a) => resolve(a)));
    peer.stdin!.write('quit\n');
    expect(await gone).toEqual(['sendspin:js1', 'shutdown']);
  });
});
