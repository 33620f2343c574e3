// Chromecasts that cannot play in sync, through the server's own member factory
// (server/groups/member-factory.ts) with the Cast kind's openMember, against software Chromecasts on
// loopback: one without the mirroring apps (LAUNCH_ERROR for both), one whose ANSWER has no udpPort,
// one whose ANSWER is malformed. Each gets a clear reason and follows the group unsynced (the
// Default Media Receiver), while the group plays on. One that sends RTCP garbage beside its reports
// still plays in sync.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastReceiver } from '../../../../receivers/chromecast/driver.js';
import { startCastEmulator, type CastEmulator, type CastEmulatorOptions } from '../../../../receivers/chromecast/emulator.js';
import { openMember } from '../../../../receivers/chromecast/open-member.js';
import { createGroupReceiver } from '../../../../receivers/group/receiver.js';
import type { GroupMemberState } from '../../../../receivers/group/types.js';
import type { ReceiverDescriptor } from '../../../../receivers/types.js';
import { memberFactory } from '../../../../server/groups/member-factory.js';
import { startFileServer, type FileServer } from '../chromecast/file-server.js';

let dir: string;
let files: FileServer;
const emus: Record<string, CastEmulator> = {};
const pcm: Record<string, { frames: number; loud: number }> = {};

async function emu(name: string, o: Partial<CastEmulatorOptions>): Promise<void> {
  const out = new PassThrough();
  const seen = (pcm[name] = { frames: 0, loud: 0 });
  out.on('data', (d: Buffer) => {
    seen.frames += d.length / 4;
    for (let i = 0; i + 1 < d.length; i += 4) if (Math.abs(d.readInt16LE(i)) > 1000) seen.loud++;
  });
  emus[name] = await startCastEmulator({ name, model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false, pcmOut: out, ...o });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'group-cast-fallback-'));
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=30', '-ac', '2', join(dir, 'tone.flac')]);
  expect(r.status).toBe(0);
  files = await startFileServer(dir);
  await emu('Old', { mirroring: false });
  await emu('NoPort', { badAnswer: 'no-udp-port' });
  await emu('Garbled', { badAnswer: 'malformed' });
  await emu('Noisy', { streaming: { rtcpGarbage: true } });
});

afterAll(async () => {
  await Promise.all(Object.values(emus).map((e) => e.close()));
  await files?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const descriptor = (name: string): ReceiverDescriptor => ({ id: `chromecast:${name}`, kind: 'chromecast', name, model: 'Google Home', host: emus[name]!.host, port: emus[name]!.port, type: 'speaker', online: true, lastSeen: Date.now(), source: 'config' });

describe('Chromecasts that cannot play in sync', () => {
  it('follow the group unsynced with a clear reason (no mirroring app, ANSWER without udpPort, malformed ANSWER); the group plays on; RTCP garbage changes nothing', { timeout: 60_000 }, async () => {
    const names = ['Old', 'NoPort', 'Garbled', 'Noisy'];
    const logs: string[] = [];
    const factory = memberFactory({
      get: (id) => descriptor(id.slice('chromecast:'.length)),
      storedName: () => undefined,
      connect: (d) => new CastReceiver(d),
      timeline: (d, spec, ctx) => openMember(d, ctx, { ...spec, log: (m) => logs.push(m) }),
    });
    const specs = names.map((n) => ({ id: `chromecast:${n}`, delayMs: 0, volume: 1, muted: false }));
    const g = createGroupReceiver({ ...descriptor('Old'), id: 'group:x', kind: 'group', name: 'House', type: 'group' }, specs, factory);
    let members: GroupMemberState[] = [];
    g.onMembers((m) => (members = m));
    try {
      await g.load({ url: `${files.url}/tone.flac`, contentType: 'audio/flac', metadata: { title: 'Tone', kind: 'audio' }, duration: 30, startAt: 0, live: false });
      const deadline = performance.now() + 30_000;
      while (!(members.length && members.every((m) => m.state === 'playing') && pcm.Noisy!.loud > 3 * 44100)) {
        if (performance.now() > deadline) throw new Error(`not all playing: ${JSON.stringify(members)} (Noisy heard ${pcm.Noisy!.loud} frames)`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const by = Object.fromEntries(members.map((m) => [m.name, m]));
      expect(by.Old).toMatchObject({ synced: false, unsynced: expect.stringMatching(/Old cannot play in sync: no Cast Streaming \(Old cannot start the audio mirroring app \(NOT_FOUND\); Old cannot start the mirroring app \(NOT_FOUND\)\)/) });
      expect(by.NoPort).toMatchObject({ synced: false, unsynced: expect.stringMatching(/NoPort cannot play in sync: malformed ANSWER: udpPort/) });
      expect(by.Garbled).toMatchObject({ synced: false, unsynced: expect.stringMatching(/Garbled cannot play in sync: malformed ANSWER/) });
      expect(by.Noisy).toMatchObject({ synced: true });
      expect(by.Noisy!.unsynced).toBeUndefined();
      expect(logs.some((l) => /RTCP from the device ignored/.test(l))).toBe(true);
      // The followers play by the Default Media Receiver (LOADed), as before Cast Streaming.
      for (const n of ['Old', 'NoPort', 'Garbled']) expect(members.find((m) => m.name === n)!.state).toBe('playing');
      expect(g.status().state).toBe('playing');
    } finally {
      await g.close();
    }
  });
});
