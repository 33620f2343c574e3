import { describe as group, expect, it } from 'vitest';
import { describe, refusalFor, serviceTypes, unsupportedReason } from '../../../../receivers/airplay/describe.js';
import { levelToDb } from '../../../../receivers/airplay/driver.js';
import * as airplay from '../../../../receivers/airplay/index.js';
import type { ReceiverKind } from '../../../../receivers/index.js';
import type { MdnsRecord } from '../../../../receivers/types.js';

const NOW = 1_700_000_000_000;

// shairport-sync 3.3.8 as bonjour-service finds it (RECIPES.md "shairport-sync", PROTOCOLS.md §5).
const kitchen: MdnsRecord = {
  name: '2AC8B05365F3@Kitchen',
  host: 'lab.local',
  port: 5055,
  addresses: ['fe80::1', '10.77.0.1'],
  referer: { address: '10.77.0.1' },
  txt: { sf: '0x4', fv: '76400.10', am: 'ShairportSync', vs: '105.1', tp: 'TCP,UDP', vn: '65537', ss: '16', sr: '44100', da: 'true', sv: 'false', et: '0,1', ek: '1', cn: '0,1', ch: '2', txtvers: '1', pw: 'false' },
};

group('AirPlay describe', () => {
  it('is a receiver kind browsing _raop._tcp', () => {
    expect(serviceTypes).toEqual(['raop']);
    const k: ReceiverKind = airplay;
    expect(k.name).toBe('airplay');
    expect(k.defaultPort).toBe(5000);
    expect(typeof k.connectReceiver).toBe('function');
  });

  it('describes shairport-sync: name after @, id from the hex, model from am', () => {
    expect(describe(kitchen, NOW)).toEqual({
      id: 'airplay:2AC8B05365F3', kind: 'airplay', name: 'Kitchen', model: 'ShairportSync', host: '10.77.0.1', port: 5055,
      type: 'speaker', online: true, lastSeen: NOW, source: 'mdns',
    });
    expect(refusalFor('airplay:2AC8B05365F3')).toBeUndefined();
  });

  it('prefers TXT fn, falls back to md, then referer.address; never a host name', () => {
    const d = describe({ name: 'aabbccddeeff@Room', host: 'x.local', port: 7000, referer: { address: '192.168.1.9' }, txt: { fn: 'Living Room', md: 'AppleTV3,2', et: '0,3,5' } }, NOW)!;
    expect(d).toMatchObject({ id: 'airplay:AABBCCDDEEFF', name: 'Living Room', model: 'AppleTV3,2', host: '192.168.1.9', port: 7000 });
    expect(describe({ name: 'AABBCCDDEEFF@A', host: 'x.local', port: 7000, txt: {} })).toBeUndefined();
  });

  it('rejects records that are not <12 hex>@<name> or lack a port', () => {
    expect(describe({ ...kitchen, name: 'Kitchen' })).toBeUndefined();
    expect(describe({ ...kitchen, name: 'XYZ@Kitchen' })).toBeUndefined();
    expect(describe({ ...kitchen, port: 0 })).toBeUndefined();
  });

  it('still describes speakers we cannot play to, and notes why for the driver', () => {
    expect(unsupportedReason(kitchen.txt)).toBeUndefined();
    expect(unsupportedReason({ et: '1' })).toMatch(/needs encryption/);
    expect(unsupportedReason({ et: '3,5' })).toMatch(/needs encryption/);
    expect(unsupportedReason({ et: '0,1', pw: 'true' })).toMatch(/needs a password/);
    const d = describe({ ...kitchen, name: '001122334455@Bedroom', txt: { ...kitchen.txt, et: '1' } }, NOW)!;
    expect(d.name).toBe('Bedroom');
    expect(d.model).toBe('ShairportSync');
    expect(refusalFor(d.id)).toMatch(/needs encryption/);
    expect(describe({ ...kitchen, name: '001122334455@Bedroom', txt: { ...kitchen.txt, pw: 'true' } }, NOW)).toBeDefined();
    expect(refusalFor(d.id)).toMatch(/needs a password/);
  });

  it('the driver refuses a speaker that needs a password, before any network', async () => {
    const d = describe({ ...kitchen, name: '665544332211@Office', port: 1, txt: { ...kitchen.txt, pw: 'true' } }, NOW)!;
    const r = airplay.connectReceiver(d);
    await expect(r.connect()).rejects.toThrow('Office needs a password');
    await expect(r.load({ url: 'http://127.0.0.1:1/x', contentType: 'audio/flac', metadata: { title: 't', kind: 'audio' }, duration: 1, startAt: 0, live: false })).rejects.toThrow(/needs a password/);
    expect(r.capabilities).toEqual({ seek: true, volume: true, pause: true, subtitles: false });
    await r.close();
  });

  it('maps volume levels to AirPlay dB', () => {
    expect(levelToDb(1)).toBe(0);
    expect(levelToDb(0.5)).toBe(-15);
    expect(levelToDb(0.01)).toBeCloseTo(-29.7);
    expect(levelToDb(0)).toBe(-144);
    expect(levelToDb(2)).toBe(0);
  });
});
