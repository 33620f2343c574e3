// What a kind says of itself in its manifest (receivers/index.ts) decides how the server treats
// its devices in groups and discovery, so server/ names no protocol: whether a device joins a
// group's clock (openMember), and whether it connected to us (dialedIn: no heartbeat, and its
// address is not one media URLs are chosen for). A scan of server/ keeps protocol names out.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kinds, kindByName } from '../../../receivers/index.js';
import type { TimelineContext } from '../../../receivers/shared/timeline-member.js';
import type { ReceiverDescriptor } from '../../../receivers/types.js';
import { projectRoot } from '../../helpers/paths.js';

const device = (kind: string, source: ReceiverDescriptor['source']): ReceiverDescriptor =>
  ({ id: `${kind}:x`, kind, name: 'X', model: null, host: '10.0.0.9', port: 1, type: 'speaker', online: true, lastSeen: 1, source });

describe('kind manifests', () => {
  it('AirPlay speakers, Chromecasts (Cast Streaming) and Sendspin players join a group\'s clock; DLNA renderers follow unsynced', () => {
    expect(kinds.filter((k) => 'openMember' in k).map((k) => k.name).sort()).toEqual(['airplay', 'chromecast', 'sendspin']);
  });

  it('a Sendspin player that connected to us is dialed in; one we dial, and other kinds, are not', () => {
    const dialedIn = (kind: string, source: ReceiverDescriptor['source']) => kindByName(kind)?.dialedIn?.(device(kind, source)) ?? false;
    expect(dialedIn('sendspin', 'sendspin')).toBe(true);
    expect(dialedIn('sendspin', 'mdns')).toBe(false);
    expect(dialedIn('airplay', 'mdns')).toBe(false);
    expect(dialedIn('chromecast', 'config')).toBe(false);
  });

  it('a Sendspin member without the server role running is refused with a clear error', () => {
    expect(() => kindByName('sendspin')!.openMember!(device('sendspin', 'mdns'), {} as TimelineContext, {})).toThrow(/Sendspin server is off/);
  });
});

describe('server/', () => {
  it('names no receiver protocol in a string literal (kinds decide through their manifests)', () => {
    // The demo starts named emulators; the Sendspin server role's wiring logs under its name.
    const allowed = new Map([['server/discovery/sendspin-players.ts', [`const LOG_NAME = 'sendspin'`]]]);
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const found: string[] = [];
    for (const f of files(join(projectRoot, 'server'))) {
      const rel = relative(projectRoot, f);
      if (rel.startsWith('server/demo/')) continue;
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        if (!/(['"`])(sendspin|chromecast|airplay|raop)\1/.test(line)) return;
        if ((allowed.get(rel) ?? []).some((ok) => line.includes(ok))) return;
        found.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
