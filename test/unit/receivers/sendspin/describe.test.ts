import { describe as group, expect, it } from 'vitest';
import type { ReceiverKind } from '../../../../receivers/index.js';
import * as sendspin from '../../../../receivers/sendspin/index.js';
import { connectUrl, describe } from '../../../../receivers/sendspin/describe.js';

const NOW = 1_700_000_000_000;

group('Sendspin describe', () => {
  it('is a receiver kind browsing _sendspin._tcp, audio only, with no driver of its own', () => {
    const k: ReceiverKind = sendspin;
    expect(k.name).toBe('sendspin');
    expect(k.serviceTypes).toEqual(['sendspin']);
    expect(k.defaultPort).toBe(8928);
    expect(k.connectReceiver).toBeUndefined();
    expect(k.profileForModel(null)).toMatchObject({ audioOnly: true, videoCodecs: [], audioCodecs: expect.arrayContaining([{ codec: 'pcm' }, { codec: 'flac' }]) });
  });

  it('describes a player advertising _sendspin._tcp and knows the URL to connect to from TXT path', () => {
    const d = describe({ name: 'Kitchen', type: 'sendspin', host: 'k.local', port: 8928, addresses: ['fe80::1', '10.77.0.2'], txt: { path: '/ws/sendspin', id: 'esp-01' } }, NOW);
    expect(d).toEqual({ id: 'sendspin:esp-01', kind: 'sendspin', name: 'Kitchen', model: null, host: '10.77.0.2', port: 8928, type: 'speaker', online: true, lastSeen: NOW, source: 'mdns', endpoints: { sendspin: 8928 } });
    expect(connectUrl(d!)).toBe('ws://10.77.0.2:8928/ws/sendspin');
  });

  it('defaults the path to /sendspin and the id to the instance name; refuses records it cannot reach', () => {
    const d = describe({ name: 'Den', host: 'd.local', port: 9000, referer: { address: '10.0.0.9' }, txt: {} }, NOW);
    expect(d?.id).toBe('sendspin:Den');
    expect(connectUrl(d!)).toBe('ws://10.0.0.9:9000/sendspin');
    expect(describe({ name: 'X', host: 'x.local', port: 9000, addresses: ['fe80::2'] }, NOW)).toBeUndefined();
    expect(describe({ name: 'X', host: 'x.local', port: 0, addresses: ['10.0.0.1'] }, NOW)).toBeUndefined();
  });
});
