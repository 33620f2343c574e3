// A renderer that answers badly (faulty-renderer.ts: our software renderer behind a proxy that
// spoils the answer to one action on request): a UPnP fault, a body that is not XML, or a SOAP
// envelope without the action's response each give the CLI an error naming the renderer and the
// action, and the session goes on: the next command works and playback continues.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, type LineReader } from '../../../helpers/lines.js';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { projectRoot } from '../../../helpers/paths.js';
import { LONG_ALBUM } from '../../../e2e/long-album.js';
import { onlineLine, startDlnaTestServer } from './renderer-flow.js';

const NAME = 'Faulty Renderer';
let ns: Netns;
let server: LineReader;
let cli: (...args: string[]) => ReturnType<Netns['run']>;
let proc: ChildProcess;
let out: LineReader;

const event = (name: string) => new RegExp(`^\\{"event":"${name}"`);

async function spoil(line: string): Promise<void> {
  const mark = out.lines.length;
  proc.stdin!.write(`${line}\n`);
  await out.wait(event('mode'), 10_000, mark);
}

beforeAll(async () => {
  ns = await createNetns();
  ({ server, cli } = await startDlnaTestServer(ns));
  proc = ns.spawn(process.execPath, [join(projectRoot, 'dist/test/integration/receivers/dlna/faulty-renderer.js'), ns.peerAddr, NAME], { stdio: ['pipe', 'pipe', 'pipe'] });
  out = readLines(proc, 'faulty renderer');
  await out.wait(event('ready'));
  await onlineLine(server, NAME);
}, 120_000);

afterAll(async () => {
  await ns?.close();
});

describe('DLNA renderer: bad answers', () => {
  it('a UPnP fault on SetAVTransportURI fails the play with the fault; the next play works', { timeout: 60_000 }, async () => {
    await spoil('fault SetAVTransportURI 714');
    const refused = await cli('play', '--to', NAME, LONG_ALBUM.tracks[0]!.title);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`${NAME} refused SetAVTransportURI \\(UPnP error 714: Injected fault\\)`));
    await spoil('ok');
    const mark = out.lines.length;
    const played = await cli('play', '--to', NAME, LONG_ALBUM.tracks[0]!.title);
    expect(played.code, played.stderr).toBe(0);
    await out.wait(event('playing'), 30_000, mark);
  });

  it('an answer that is not XML, or a SOAP body without the response, is an error that names both; the session goes on', { timeout: 60_000 }, async () => {
    await spoil('garbage Pause');
    const garbage = await cli('pause', '--to', NAME);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(new RegExp(`${NAME} answered Pause with HTTP 200 and a body that is not SOAP`));

    await spoil('nobody SetVolume');
    const nobody = await cli('volume', '40', '--to', NAME);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(new RegExp(`${NAME} answered SetVolume without a SetVolumeResponse element`));

    // Polls answered with garbage, more than the misses that count as gone: the renderer is
    // still there (it answers), nothing is lost.
    await spoil('garbage GetPositionInfo');
    let from = out.lines.length;
    for (let i = 0; i < 4; i++) from = out.lines.indexOf(await out.wait(/"event":"bad","action":"GetPositionInfo"/, 10_000, from), from) + 1;
    await spoil('ok');
    const mark = out.lines.length;
    const paused = await cli('pause', '--to', NAME);
    expect(paused.code, paused.stderr).toBe(0);
    await out.wait(event('paused'), 20_000, mark);
    const [status] = JSON.parse((await cli('status', '--to', NAME, '--json')).stdout) as { state: string }[];
    expect(status).toMatchObject({ state: 'paused' });
    expect(server.lines.some((l) => / receiver offline .*Faulty/.test(l))).toBe(false);
  });

  it('says goodbye on SSDP when it stops: offline at once, not after missed heartbeats', { timeout: 30_000 }, async () => {
    const mark = server.lines.length;
    proc.kill('SIGTERM');
    const line = await server.wait(new RegExp(` receiver offline .*name="${NAME}" `), 10_000, mark);
    expect(line).toContain('reason="said goodbye on SSDP"');
  });
});
