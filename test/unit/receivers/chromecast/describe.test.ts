import { describe as group, expect, it } from 'vitest';
import { describe, serviceTypes, type CastServiceRecord } from '../../../../receivers/chromecast/describe.js';
import { kindByName, kinds } from '../../../../receivers/index.js';

const NOW = 1_700_000_000_000;

// Shaped like bonjour-service 1.4.4 find() results for real devices (docs/protocols.md §2): empty TXT
// values (`rs=`, `rm=`) arrive as undefined, the SRV target is a UUID host, fe80 comes without scope.
const tv: CastServiceRecord = {
  name: 'Chromecast-1930a236896105d6f9026ddc5e85e3a8',
  host: '1930a236-8961-05d6-f902-6ddc5e85e3a8.local',
  port: 8009,
  addresses: ['fe80::1c2b:3aff:fe4d:5e6f', '192.168.1.20'],
  referer: { address: '192.168.1.20' },
  txt: {
    id: '1930a236896105d6f9026ddc5e85e3a8', cd: 'A1B2C3D4E5F60718293A4B5C6D7E8F90', rm: undefined, ve: '05', md: 'Chromecast',
    ic: '/setup/icon.png', fn: 'Living Room TV', ca: '4101', st: '0', bs: 'FA8FCA7A1F2E', nf: '1', rs: undefined,
  },
};
const speaker: CastServiceRecord = {
  name: 'Google-Home-Mini-9cd1691d91e3dd6a3b2edbe9b2f8aff4',
  host: '9cd1691d-91e3-dd6a-3b2e-dbe9b2f8aff4.local',
  port: 8009,
  addresses: ['192.168.1.31'],
  txt: { id: '9cd1691d91e3dd6a3b2edbe9b2f8aff4', ve: '05', md: 'Google Home Mini', fn: 'Kitchen speaker', ca: '2052', st: '0', ic: '/setup/icon.png', nf: '1' },
};
const castGroup: CastServiceRecord = {
  name: 'Google-Cast-Group-D953E9E64D954CEB959076DE7749EB39',
  host: '9cd1691d-91e3-dd6a-3b2e-dbe9b2f8aff4.local',
  port: 42238,
  addresses: ['192.168.1.31'],
  txt: { id: 'd953e9e6-4d95-4ceb-9590-76de7749eb39', ve: '05', md: 'Google Cast Group', fn: 'Downstairs', ca: '2084', st: '0', ic: '/setup/icon.png', nf: '1', rs: undefined },
};

const with_ = (r: CastServiceRecord, over: Partial<CastServiceRecord>, txt: Record<string, unknown> = {}): CastServiceRecord => ({ ...r, ...over, txt: { ...r.txt, ...txt } });

group('describe (Cast mDNS record → descriptor)', () => {
  it('serviceTypes is what bonjour-service find({type}) wants', () => {
    expect(serviceTypes).toEqual(['googlecast']);
  });

  it('a TV: id from TXT id, name from fn, first IPv4 address, video out bit → tv', () => {
    expect(describe(tv, NOW)).toEqual({
      id: 'chromecast:1930a236896105d6f9026ddc5e85e3a8', kind: 'chromecast', name: 'Living Room TV', model: 'Chromecast',
      host: '192.168.1.20', port: 8009, type: 'tv', online: true, lastSeen: NOW, source: 'mdns',
    });
  });

  // [case, record, expected fields (undefined = record refused)]
  const rows: [string, CastServiceRecord, Partial<ReturnType<typeof describe>> | undefined][] = [
    ['audio device ca=2052 (audio out, no video out)', speaker, { type: 'speaker', model: 'Google Home Mini', name: 'Kitchen speaker', host: '192.168.1.31' }],
    ['group ca=2084 on port 42238, dashed UUID id', castGroup, { type: 'group', port: 42238, id: 'chromecast:d953e9e6-4d95-4ceb-9590-76de7749eb39' }],
    ['group by ca bit 0x20 alone (ca=198692)', with_(castGroup, {}, { md: 'Something', ca: '198692' }), { type: 'group' }],
    ['group by md alone, no ca', with_(castGroup, {}, { ca: undefined }), { type: 'group' }],
    ['TV with ca=5 (video out + audio out)', with_(tv, {}, { ca: '5' }), { type: 'tv' }],
    ['audio device ca=198660', with_(speaker, {}, { ca: '198660' }), { type: 'speaker' }],
    ['no ca: a known speaker model', with_(speaker, {}, { ca: undefined }), { type: 'speaker' }],
    ['no ca: a video model', with_(tv, {}, { ca: undefined }), { type: 'tv' }],
    ['unreadable ca falls back to the model', with_(speaker, {}, { ca: 'zz' }), { type: 'speaker' }],
    ['missing id → refused', with_(tv, {}, { id: undefined }), undefined],
    ['empty id (decoded as undefined or blank) → refused', with_(tv, {}, { id: '  ' }), undefined],
    ['no TXT at all → refused', { ...tv, txt: undefined }, undefined],
    ['empty fn → the instance name', with_(tv, {}, { fn: undefined }), { name: 'Chromecast-1930a236896105d6f9026ddc5e85e3a8' }],
    ['no md → model null', with_(tv, {}, { md: undefined }), { model: null, type: 'tv' }],
    ['no addresses → the UDP source (referer)', with_(tv, { addresses: [] }), { host: '192.168.1.20' }],
    ['only IPv6 addresses → the referer', with_(tv, { addresses: ['fe80::1'], referer: { address: '10.0.0.7' } }), { host: '10.0.0.7' }],
    ['no IPv4 and no referer → refused (host names are never resolved)', with_(tv, { addresses: ['fe80::1'], referer: undefined }), undefined],
    ['port 0 → refused', with_(tv, { port: 0 }), undefined],
    ['Buffer TXT values (rawTxt style) are read as UTF-8', with_(tv, {}, { fn: Buffer.from('Salle de séjour') }), { name: 'Salle de séjour' }],
  ];
  it.each(rows)('%s', (_case, record, expected) => {
    const d = describe(record, NOW);
    if (expected === undefined) expect(d).toBeUndefined();
    else expect(d).toMatchObject(expected);
  });
});

group('receivers/index kinds', () => {
  it('registers each kind once; the Cast kind with its manifest and profiles', () => {
    expect(kinds.map((k) => k.name)).toEqual(['chromecast', 'airplay', 'sendspin', 'dlna']);
    const cast = kindByName('chromecast');
    expect(cast?.serviceTypes).toEqual(['googlecast']);
    expect(cast?.defaultPort).toBe(8009);
    expect(cast?.describe(speaker, NOW)?.type).toBe('speaker');
    expect(cast?.profileForModel('Chromecast Ultra').name).toBe('Chromecast Ultra');
    expect(kindByName('airplay')?.serviceTypes).toEqual(['raop', 'airplay']);
    expect(kindByName('sendspin')?.serviceTypes).toEqual(['sendspin']);
    expect(kindByName('dlna')?.serviceTypes).toEqual([]);
    expect(kindByName('dlna')?.discover).toBeTypeOf('function');
    expect(kindByName('upnp')).toBeUndefined();
  });
});
