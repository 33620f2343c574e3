import { describe as group, expect, it } from 'vitest';
import { codecFor, codecFromTxt, describe, refusalFor, serviceTypes, unsupportedReason } from '../../../../receivers/airplay/describe.js';
import { levelToDb } from '../../../../receivers/airplay/driver.js';
import * as airplay from '../../../../receivers/airplay/index.js';
import type { ReceiverKind } from '../../../../receivers/index.js';
import type { MdnsRecord } from '../../../../receivers/types.js';

const NOW = 1_700_000_000_000;

// shairport-sync 3.3.8 as bonjour-service finds it (docs/protocols.md §5).
const kitchen: MdnsRecord = {
  name: '2AC8B05365F3@Kitchen',
  host: 'lab.local',
  port: 5055,
  addresses: ['fe80::1', '10.77.0.1'],
  referer: { address: '10.77.0.1' },
  txt: { sf: '0x4', fv: '76400.10', am: 'ShairportSync', vs: '105.1', tp: 'TCP,UDP', vn: '65537', ss: '16', sr: '44100', da: 'true', sv: 'false', et: '0,1', ek: '1', cn: '0,1', ch: '2', txtvers: '1', pw: 'false' },
};

group('AirPlay describe', () => {
  it('is a receiver kind browsing _raop._tcp and _airplay._tcp', () => {
    expect(serviceTypes).toEqual(['raop', 'airplay']);
    const k: ReceiverKind = airplay;
    expect(k.name).toBe('airplay');
    expect(k.defaultPort).toBe(5000);
    expect(typeof k.connectReceiver).toBe('function');
  });

  it('describes shairport-sync: name after @, id from the hex, model from am', () => {
    expect(describe(kitchen, NOW)).toEqual({
      id: 'airplay:2AC8B05365F3', kind: 'airplay', name: 'Kitchen', model: 'ShairportSync', modelName: 'Shairport Sync', host: '10.77.0.1', port: 5055,
      type: 'speaker', online: true, lastSeen: NOW, source: 'mdns', endpoints: { raop: 5055 }, needsPassword: false,
    });
    expect(refusalFor('airplay:2AC8B05365F3')).toBeUndefined();
  });

  it('prefers TXT fn, falls back to md, then referer.address; never a host name', () => {
    const d = describe({ name: 'aabbccddeeff@Room', host: 'x.local', port: 7000, referer: { address: '192.168.1.9' }, txt: { fn: 'Living Room', md: 'AppleTV3,2', et: '0,3,5' } }, NOW)!;
    expect(d).toMatchObject({ id: 'airplay:AABBCCDDEEFF', name: 'Living Room', model: 'AppleTV3,2', host: '192.168.1.9', port: 7000, type: 'tv' });
    expect(describe({ name: 'AABBCCDDEEFF@A', host: 'x.local', port: 7000, txt: {} })).toBeUndefined();
  });

  it('rejects records that are not <12 hex>@<name> or lack a port', () => {
    expect(describe({ ...kitchen, name: 'Kitchen' })).toBeUndefined();
    expect(describe({ ...kitchen, name: 'XYZ@Kitchen' })).toBeUndefined();
    expect(describe({ ...kitchen, port: 0 })).toBeUndefined();
  });

  it('still describes speakers we cannot play to, and notes why for the driver; pw=true only marks needsPassword', () => {
    expect(unsupportedReason(kitchen.txt)).toBeUndefined();
    expect(unsupportedReason({ et: '1' })).toMatch(/needs encryption/);
    expect(unsupportedReason({ et: '3,5' })).toMatch(/needs encryption/);
    expect(unsupportedReason({ et: '0,1', pw: 'true' })).toBeUndefined();
    const d = describe({ ...kitchen, name: '001122334455@Bedroom', txt: { ...kitchen.txt, et: '1' } }, NOW)!;
    expect(d.name).toBe('Bedroom');
    expect(d.model).toBe('ShairportSync');
    expect(refusalFor(d.id)).toMatch(/needs encryption/);
    const pw = describe({ ...kitchen, name: '001122334455@Bedroom', txt: { ...kitchen.txt, pw: 'true' } }, NOW)!;
    expect(pw).toMatchObject({ id: d.id, needsPassword: true });
    expect(refusalFor(d.id)).toBeUndefined();
  });

  it('the driver refuses an encryption-only speaker before any network', async () => {
    const d = describe({ ...kitchen, name: '665544332211@Office', port: 1, txt: { ...kitchen.txt, et: '1' } }, NOW)!;
    const r = airplay.connectReceiver(d);
    await expect(r.connect()).rejects.toThrow('Office needs encryption');
    expect(r.capabilities).toMatchObject({ seek: true, volume: true, pause: true });
    await r.close();
  });

  it('reads the codec from TXT cn, remembered per id: ALAC when listed or unsaid, PCM when only 0', () => {
    expect(codecFromTxt({ cn: '0,1,2,3' })).toBe('alac');
    expect(codecFromTxt({ cn: '1' })).toBe('alac');
    expect(codecFromTxt({ cn: '0' })).toBe('pcm');
    expect(codecFromTxt({ cn: '0, 2' })).toBe('pcm');
    expect(codecFromTxt({})).toBe('alac');
    const pcm = describe({ ...kitchen, name: 'A1B2C3D4E5F6@Porch', txt: { ...kitchen.txt, cn: '0' } }, NOW)!;
    expect(codecFor(pcm.id)).toBe('pcm');
    describe({ ...kitchen, name: 'A1B2C3D4E5F6@Porch', txt: { ...kitchen.txt, cn: '0,1' } }, NOW);
    expect(codecFor(pcm.id)).toBe('alac');
    expect(codecFor('airplay:000000000000')).toBe('alac');
  });

  // An Apple TV 3 as it announces itself (airplay-spec service_discovery.md; docs/protocols.md §4).
  const atvAirplay: MdnsRecord = {
    name: 'Living Room', type: 'airplay', host: 'Apple-TV.local', port: 7000, addresses: ['192.168.1.20'],
    txt: { deviceid: '58:55:CA:1A:E2:88', features: '0x5A7FFFF7,0x1E', model: 'AppleTV3,2', srcvers: '220.68' },
  };
  const atvRaop: MdnsRecord = {
    name: '5855CA1AE288@Living Room', type: 'raop', host: 'Apple-TV.local', port: 7000, addresses: ['192.168.1.20'],
    txt: { am: 'AppleTV3,2', cn: '0,1,2,3', et: '0,3,5', tp: 'UDP', pw: 'false' },
  };

  it('describes an _airplay._tcp record with the same id as the device\'s _raop._tcp one', () => {
    const v = describe(atvAirplay, NOW)!;
    expect(v).toEqual({
      id: 'airplay:5855CA1AE288', kind: 'airplay', name: 'Living Room', model: 'AppleTV3,2', modelName: 'Apple TV (3rd generation)', host: '192.168.1.20', port: 7000,
      type: 'tv', online: true, lastSeen: NOW, source: 'mdns', endpoints: { airplay: 7000 }, secondary: true,
    });
    expect(describe(atvRaop, NOW)).toMatchObject({ id: v.id, type: 'tv', endpoints: { raop: 7000 } });
    // A speaker that also announces _airplay._tcp (an AirPort Express) stays a speaker.
    expect(describe({ ...atvAirplay, txt: { ...atvAirplay.txt, model: 'AirPort10,115' } }, NOW)).toMatchObject({ type: 'speaker' });
  });

  it('rejects _airplay._tcp records without a usable deviceid, address or port', () => {
    expect(describe({ ...atvAirplay, txt: { model: 'AppleTV3,2' } })).toBeUndefined();
    expect(describe({ ...atvAirplay, txt: { deviceid: 'not-a-mac' } })).toBeUndefined();
    expect(describe({ ...atvAirplay, addresses: ['fe80::1'] })).toBeUndefined();
    expect(describe({ ...atvAirplay, port: 70_000 })).toBeUndefined();
  });

  it('maps volume levels to AirPlay dB', () => {
    expect(levelToDb(1)).toBe(0);
    expect(levelToDb(0.5)).toBe(-15);
    expect(levelToDb(0.01)).toBeCloseTo(-29.7);
    expect(levelToDb(0)).toBe(-144);
    expect(levelToDb(2)).toBe(0);
  });
});
