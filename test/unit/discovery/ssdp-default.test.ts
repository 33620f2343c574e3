// SSDP search for DLNA renderers is on or off with mDNS unless the config says otherwise: test
// servers on the host run with `discovery.mdns: false` and must send no multicast at all.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../server/config/schema.js';
import { ssdpOn } from '../../../server/discovery/index.js';

const discovery = (d: unknown) => configSchema.parse({ discovery: d }).discovery;

describe('discovery.ssdp', () => {
  it('follows discovery.mdns when not given', () => {
    expect(ssdpOn(discovery({ mdns: false }))).toBe(false);
    expect(ssdpOn(discovery({ mdns: true }))).toBe(true);
    expect(ssdpOn(configSchema.parse({}).discovery)).toBe(true);
  });

  it('can be set on its own', () => {
    expect(ssdpOn(discovery({ mdns: false, ssdp: true }))).toBe(true);
    expect(ssdpOn(discovery({ mdns: true, ssdp: false }))).toBe(false);
    expect(() => discovery({ ssdp: 'yes' })).toThrow();
  });
});
