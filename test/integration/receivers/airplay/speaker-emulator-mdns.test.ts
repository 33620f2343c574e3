// The AirPlay speaker emulator's `_raop._tcp` advert as the server's discovery sees it
// (bonjour-service, inside a fresh network namespace): instance `<12 HEX>@<Name>`, shairport-sync's
// TXT keys with pw=true for a password, turned by our describe() into an AirPlay speaker that
// needs a password; and a goodbye when the emulator (its CLI, `npm run receiver -- airplay speaker`) exits.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describe as describeRecord } from '../../../../receivers/airplay/describe.js';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { projectRoot } from '../../../helpers/paths.js';
import { JsonLines } from '../chromecast/json-lines.js';

const dist = (p: string) => join(projectRoot, 'dist', p);
let ns: Netns | null = null;

afterEach(async () => {
  await ns?.close();
  ns = null;
});

function browse(n: Netns): JsonLines {
  const b = n.spawn(process.execPath, [dist('test/helpers/bonjour-browse.js'), 'raop']);
  return new JsonLines(b.stdout!, 'bonjour browser', b.stderr);
}

function speaker(n: Netns, args: string[]): { proc: ChildProcess; out: JsonLines } {
  const proc = n.spawn(process.execPath, [dist('receivers/cli.js'), 'airplay', 'speaker', '--host', n.addr, '--port', '0', ...args]);
  return { proc, out: new JsonLines(proc.stdout!, 'speaker', proc.stderr) };
}

describe('AirPlay speaker emulator mDNS advert', () => {
  it('is found as <ID>@<Name> with its TXT, described as a speaker needing a password, and says goodbye', { timeout: 30_000 }, async () => {
    ns = await createNetns();
    const browser = browse(ns);
    await browser.event('browsing');
    const emu = speaker(ns, ['--name', 'Kitchen', '--password', 'secret']);
    const listening = await emu.out.event('listening');
    expect(listening.id).toMatch(/^[0-9A-F]{12}$/);
    const up = await browser.waitFor((l) => l.event === 'up' && l.name === `${listening.id as string}@Kitchen`);
    expect(up).toMatchObject({
      port: listening.port,
      addresses: expect.arrayContaining([ns.addr]),
      txt: { txtvers: '1', ch: '2', cn: '0,1', et: '0', pw: 'true', sr: '44100', ss: '16', tp: 'UDP', md: '0,1,2' },
    });
    const d = describeRecord({ name: up.name as string, type: 'raop', host: up.host as string, port: up.port as number, addresses: up.addresses as string[], txt: up.txt as Record<string, unknown> });
    expect(d).toMatchObject({ id: `airplay:${listening.id as string}`, kind: 'airplay', name: 'Kitchen', host: ns.addr, port: listening.port, type: 'speaker', needsPassword: true });

    const from = browser.lines.length;
    const exited = new Promise((resolve) => emu.proc.once('exit', (code, signal) => resolve({ code, signal })));
    emu.proc.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    await browser.waitFor((l) => l.event === 'down' && l.name === up.name, 10_000, from);
  });
});
