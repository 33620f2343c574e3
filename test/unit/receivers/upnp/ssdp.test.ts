import { describe, expect, it } from 'vitest';
import { matchSearchTarget, parseSsdp, sameSubnet } from '../../../../receivers/shared/upnp/ssdp.js';

const dev = { udn: 'uuid:abc', deviceType: 'urn:schemas-upnp-org:device:MediaServer:1', serviceTypes: ['urn:schemas-upnp-org:service:ContentDirectory:2'] };

describe('SSDP search targets', () => {
  it('answers ssdp:all with every NT, and each single target with itself', () => {
    expect(matchSearchTarget('ssdp:all', dev)).toEqual(['upnp:rootdevice', 'uuid:abc', dev.deviceType, ...dev.serviceTypes]);
    expect(matchSearchTarget('upnp:rootdevice', dev)).toEqual(['upnp:rootdevice']);
    expect(matchSearchTarget('uuid:abc', dev)).toEqual(['uuid:abc']);
    expect(matchSearchTarget(dev.deviceType, dev)).toEqual([dev.deviceType]);
  });
  it('answers a lower version with the version asked, never a higher one or another type', () => {
    expect(matchSearchTarget('urn:schemas-upnp-org:service:ContentDirectory:1', dev)).toEqual(['urn:schemas-upnp-org:service:ContentDirectory:1']);
    expect(matchSearchTarget('urn:schemas-upnp-org:service:ContentDirectory:3', dev)).toEqual([]);
    expect(matchSearchTarget('urn:schemas-upnp-org:device:MediaRenderer:1', dev)).toEqual([]);
    expect(matchSearchTarget('uuid:other', dev)).toEqual([]);
  });
  it('parses headers case-insensitively and matches subnets', () => {
    const m = parseSsdp('M-SEARCH * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nman: "ssdp:discover"\r\nst: ssdp:all\r\nMx: 2\r\n\r\n');
    expect(m?.headers).toMatchObject({ MAN: '"ssdp:discover"', ST: 'ssdp:all', MX: '2' });
    expect(sameSubnet('10.77.0.2', { address: '10.77.0.1', netmask: '255.255.255.0' })).toBe(true);
    expect(sameSubnet('10.78.0.2', { address: '10.77.0.1', netmask: '255.255.255.0' })).toBe(false);
  });
});
