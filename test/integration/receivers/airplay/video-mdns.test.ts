// Discovery of an Apple TV, inside a network namespace of its own: the emulator (its CLI module)
// advertises `_airplay._tcp`; the server's mDNS discovery (bonjour-service) finds it as an AirPlay
// 'tv' with the id from its deviceid, and a play from the CLI reaches it through the airplay endpoint.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureLibrary, type LibraryCopy } from '../../../helpers/library-copy.js';
import { readLines, type LineReader } from '../../../helpers/lines.js';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { projectRoot } from '../../../helpers/paths.js';
import { ownerTokenAt } from '../../../helpers/server.js';

const dist = (p: string) => join(projectRoot, 'dist', p);
const node = process.execPath;
let ns: Netns;
let lib: LibraryCopy;
let server: LineReader;
let tv: LineReader;
let token: string | undefined;

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  ns = await createNetns();
  const dataDir = await mkdtemp(join(tmpdir(), 'hc-atv-mdns-'));
  const config = join(dataDir, 'config.json');
  await writeFile(config, JSON.stringify({
    host: '0.0.0.0', port: 8420, dataDir, libraries: [{ name: 'Video', path: lib.video, kind: 'video' }],
    scan: { watch: false }, discovery: { mdns: true, heartbeatSeconds: 1 },
  }));
  server = readLines(ns.spawn(node, [dist('server/main.js'), '--config', config]), 'server');
  await server.wait(/ listening /);
  token = await ownerTokenAt(`http://${ns.addr}:8420`, ns, (p) => server.wait(p));
  await server.wait(/ scan finished library=Video /, 60_000);
  // The CLI module as receivers/cli.ts loads it (`main(argv)`).
  const cli = `import(${JSON.stringify(dist('receivers/airplay/emulator/video-cli.js'))}).then((m) => m.main(process.argv.slice(1))).catch((e) => { console.error(e.message); process.exit(2); })`;
  tv = readLines(ns.spawn(node, ['-e', cli, '--', '--name', 'Den TV', '--model', 'AppleTV3,2', '--host', ns.peerAddr, '--port', '7000', '--device-id', '58:55:CA:1A:E2:88']), 'apple tv');
}, 90_000);

afterAll(async () => {
  await ns?.close();
});

describe('Apple TV by mDNS', () => {
  it('is found as an AirPlay tv with its deviceid as id, on its own address and port', async () => {
    const listening = JSON.parse(await tv.wait(/^\{"event":"listening"/)) as Record<string, unknown>;
    expect(listening).toMatchObject({ port: 7000, host: ns.peerAddr, mdns: true, deviceId: '58:55:CA:1A:E2:88' });
    const online = await server.wait(/ receiver online .*name="Den TV"/, 30_000);
    expect(online).toContain('id=airplay:5855CA1AE288');
    expect(online).toContain('kind=airplay');
    expect(online).toContain('type=tv');
    expect(online).toContain(`host=${ns.peerAddr}`);
    expect(online).toContain('port=7000');
  });

  it('plays there: the server connects by the airplay endpoint and the TV probes the stream', async () => {
    const mark = tv.lines.length;
    const r = await ns.run('env', [`HOMECAST_TOKEN=${token}`, node, dist('server/cli/main.js'), 'play', '--to', 'Den TV', 'Test Clip', '--server', `http://${ns.addr}:8420`]);
    expect(r.code, r.stderr).toBe(0);
    const playing = JSON.parse(await tv.wait(/^\{"event":"playing"/, 30_000, mark)) as Record<string, unknown>;
    expect(playing).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', container: 'mp4' });
    expect(String(playing.url)).toMatch(/^http:\/\/10\.77\.0\.\d:8420\/media\/\d+\?/);
  });
});
