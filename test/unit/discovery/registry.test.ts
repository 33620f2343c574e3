import { describe, expect, it } from 'vitest';
import { ReceiverRegistry } from '../../../server/discovery/registry.js';
import type { ReceiverDescriptor } from '../../../receivers/types.js';

const tv: ReceiverDescriptor = { id: 'chromecast:abc', kind: 'chromecast', name: 'Living Room', model: 'Chromecast', host: '10.0.0.5', port: 8009, type: 'tv', online: true, lastSeen: 1, source: 'mdns' };

function recorder(r: ReceiverRegistry): ReceiverDescriptor[] {
  const seen: ReceiverDescriptor[] = [];
  r.on('changed', (d) => seen.push(d));
  return seen;
}

describe('ReceiverRegistry', () => {
  it('emits on a new receiver and on real changes only', () => {
    const r = new ReceiverRegistry();
    const events = recorder(r);
    r.seen(tv);
    r.seen({ ...tv, lastSeen: 2 });
    expect(events).toHaveLength(1);
    r.seen({ ...tv, host: '10.0.0.6' });
    expect(events.map((e) => e.host)).toEqual(['10.0.0.5', '10.0.0.6']);
  });

  it('keeps an offline receiver, and a sighting or heartbeat brings it back', () => {
    const r = new ReceiverRegistry();
    const events = recorder(r);
    r.seen(tv);
    r.markOffline(tv.id, 'not answering');
    r.markOffline(tv.id, 'still not answering');
    expect(r.get(tv.id)).toMatchObject({ online: false });
    r.markOnline(tv.id);
    expect(r.get(tv.id)).toMatchObject({ online: true });
    r.markOffline(tv.id, 'gone again');
    r.seen(tv);
    expect(events.map((e) => e.online)).toEqual([true, false, true, false, true]);
  });

  it('finds by id or by name, case-insensitively; a manual entry stays manual', () => {
    const r = new ReceiverRegistry();
    r.seen({ ...tv, source: 'config' });
    r.seen(tv);
    expect(r.find('living room')).toMatchObject({ id: tv.id, source: 'config' });
    expect(r.find(tv.id)).toBeDefined();
    expect(r.find('Kitchen')).toBeUndefined();
  });
});
