// One device, two mDNS services (an Apple TV's _raop._tcp and _airplay._tcp): one receiver with
// both endpoints, whichever record arrives first.
import { describe, expect, it } from 'vitest';
import { describe as describeRecord } from '../../../receivers/airplay/describe.js';
import type { MdnsRecord, ReceiverDescriptor } from '../../../receivers/types.js';
import { merge, ReceiverRegistry } from '../../../server/discovery/registry.js';

const NOW = 1_700_000_000_000;
const airplayRec: MdnsRecord = { name: 'Den TV', type: 'airplay', host: 'atv.local', port: 7000, addresses: ['10.0.0.20'], txt: { deviceid: '58:55:CA:1A:E2:88', model: 'AppleTV5,3', features: '0x5A7FFFF7,0x1E' } };
const raopRec: MdnsRecord = { name: '5855CA1AE288@Den TV', type: 'raop', host: 'atv.local', port: 49152, addresses: ['10.0.0.20'], txt: { cn: '0,1', et: '0,3', pw: 'true' } };
const video = describeRecord(airplayRec, NOW)!;
const audio = describeRecord(raopRec, NOW)!;

function both(first: ReceiverDescriptor, second: ReceiverDescriptor): { registry: ReceiverRegistry; events: ReceiverDescriptor[] } {
  const registry = new ReceiverRegistry();
  const events: ReceiverDescriptor[] = [];
  registry.on('changed', (d) => events.push(d));
  registry.seen(first);
  registry.seen(second);
  return { registry, events };
}

describe('registry merge of one device\'s services', () => {
  it('has the raop record without a model (no am) and the airplay one as a tv', () => {
    expect(audio).toMatchObject({ id: video.id, model: null, type: 'speaker', endpoints: { raop: 49152 }, needsPassword: true });
    expect(video).toMatchObject({ type: 'tv', model: 'AppleTV5,3', endpoints: { airplay: 7000 } });
  });

  it.each([
    ['raop first', audio, video],
    ['airplay first', video, audio],
  ])('%s: one receiver, both endpoints, a tv with the model, RAOP host/port, the password flag', (_, first, second) => {
    const { registry, events } = both(first, second);
    expect(registry.list()).toHaveLength(1);
    expect(registry.get(video.id)).toMatchObject({
      endpoints: { raop: 49152, airplay: 7000 }, type: 'tv', model: 'AppleTV5,3', modelName: 'Apple TV HD', host: '10.0.0.20', port: 49152, needsPassword: true, online: true,
    });
    // The second sighting changed it (new endpoint): announced.
    expect(events).toHaveLength(2);
    // The same sightings again change nothing.
    registry.seen(first);
    registry.seen(second);
    expect(events).toHaveLength(2);
  });

  it('leaves descriptors without endpoints (other kinds) as they come', () => {
    const cast: ReceiverDescriptor = { id: 'chromecast:x', kind: 'chromecast', name: 'TV', model: 'Chromecast', host: '10.0.0.5', port: 8009, type: 'tv', online: true, lastSeen: 1, source: 'mdns' };
    expect(merge(cast, { ...cast, type: 'speaker', host: '10.0.0.6' })).toMatchObject({ type: 'speaker', host: '10.0.0.6' });
  });

  it('a speaker stays a speaker, and a new pw flag from RAOP replaces the old one', () => {
    const spk = { ...video, type: 'speaker' as const, model: 'AirPort10,115' };
    const m = merge(merge(undefined, spk), audio);
    expect(m).toMatchObject({ type: 'speaker', model: 'AirPort10,115', needsPassword: true });
    expect(merge(m, { ...audio, needsPassword: false }).needsPassword).toBe(false);
  });
});
