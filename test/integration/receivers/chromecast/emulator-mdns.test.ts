// The emulator's mDNS advert as a Node browser sees it (bonjour-service find({type:'googlecast'}))
// inside a fresh network namespace: TXT id/fn/md/ca/ve/st, the A record, and a goodbye on exit.
// Both paths: the browser already running (announcement) and started later (answer to its query).
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { projectRoot } from '../../../helpers/paths.js';
import { JsonLines } from './json-lines.js';

const dist = (p: string) => join(projectRoot, 'dist', p);
let ns: Netns | null = null;

afterEach(async () => {
  await ns?.close();
  ns = null;
});

function browse(n: Netns): JsonLines {
  const b = n.spawn(process.execPath, [dist('test/helpers/bonjour-browse.js'), 'googlecast']);
  return new JsonLines(b.stdout!, 'bonjour browser', b.stderr);
}

function emulator(n: Netns, args: string[]): { proc: ChildProcess; out: JsonLines } {
  const proc = n.spawn(process.execPath, [dist('receivers/cli.js'), 'chromecast', '--host', n.addr, '--port', '0', ...args]);
  return { proc, out: new JsonLines(proc.stdout!, 'emulator', proc.stderr) };
}

describe('Chromecast emulator mDNS advert', () => {
  it('is seen by bonjour-service with its TXT and address, and says goodbye on exit', async () => {
    ns = await createNetns();
    const browser = browse(ns);
    await browser.event('browsing');
    const emu = emulator(ns, ['--name', 'Bedroom TV', '--model', 'Chromecast Ultra', '--ca', '201221']);
    const listening = await emu.out.event('listening');
    const up = await browser.waitFor((l) => l.event === 'up' && (l.txt as Record<string, string>).fn === 'Bedroom TV');
    expect(up).toMatchObject({
      port: listening.port,
      addresses: expect.arrayContaining([ns.addr]),
      txt: { id: listening.id, fn: 'Bedroom TV', md: 'Chromecast Ultra', ca: '201221', ve: '05', st: '0' },
    });
    expect(up.name).toBe(`Chromecast-Ultra-${listening.id as string}`);

    const from = browser.lines.length;
    const exited = new Promise((resolve) => emu.proc.once('exit', (code, signal) => resolve({ code, signal })));
    emu.proc.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    await browser.waitFor((l) => l.event === 'down' && l.name === up.name, 10_000, from);
  });

  it('answers a later query with an explicit A record, even on loopback alone', async () => {
    ns = await createNetns({ veth: false });
    const emu = emulator(ns, ['--name', 'Kitchen speaker', '--model', 'Google Home']);
    const listening = await emu.out.event('listening');
    const browser = browse(ns);
    const up = await browser.waitFor((l) => l.event === 'up' && (l.txt as Record<string, string>).fn === 'Kitchen speaker');
    // Speakers get the ca real audio devices send.
    expect(up).toMatchObject({ port: listening.port, addresses: ['127.0.0.1'], txt: { id: listening.id, md: 'Google Home', ca: '2052' } });
  });
});
