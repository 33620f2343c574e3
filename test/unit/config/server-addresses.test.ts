// Which URLs the server gives for opening the remote on a phone (log at start, GET /api/server):
// the public URL first when configured; for all interfaces, the LAN address of the default route
// first, then the other non-loopback ones; a specific host as it is; loopback only said as such.
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isLoopback, serverAddresses } from '../../../server/api/server-addresses.js';

const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as NetworkInterfaceInfo;

const interfaces = {
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  docker0: [nic('172.17.0.1', 'IPv4')],
  wlan0: [nic('192.168.1.23', 'IPv4'), nic('fd00::23', 'IPv6'), nic('fe80::1', 'IPv6')],
};

describe('server addresses', () => {
  it('all interfaces: the routed LAN address first, then the others; never loopback', () => {
    expect(serverAddresses({ host: '0.0.0.0', port: 8420, interfaces, routed: '192.168.1.23' })).toEqual({
      urls: ['http://192.168.1.23:8420/', 'http://172.17.0.1:8420/'], host: '0.0.0.0', loopbackOnly: false,
    });
    // No default route: the interfaces' own order.
    expect(serverAddresses({ host: '0.0.0.0', port: 8420, interfaces }).urls).toEqual(['http://172.17.0.1:8420/', 'http://192.168.1.23:8420/']);
  });

  it('"::" adds IPv6 addresses a URL can hold (not link-local), bracketed, after IPv4', () => {
    expect(serverAddresses({ host: '::', port: 80, interfaces, routed: '192.168.1.23' }).urls).toEqual([
      'http://192.168.1.23:80/', 'http://172.17.0.1:80/', 'http://[fd00::23]:80/',
    ]);
  });

  it('a specific host is used as it is; a public URL comes first', () => {
    expect(serverAddresses({ host: '192.168.1.23', port: 9000, interfaces }).urls).toEqual(['http://192.168.1.23:9000/']);
    expect(serverAddresses({ host: 'nas.lan', port: 9000, interfaces }).urls).toEqual(['http://nas.lan:9000/']);
    expect(serverAddresses({ host: '0.0.0.0', port: 8420, interfaces, routed: '192.168.1.23', publicUrl: 'https://media.example.org' }).urls).toEqual([
      'https://media.example.org/', 'http://192.168.1.23:8420/', 'http://172.17.0.1:8420/',
    ]);
  });

  it('loopback only: no URL for another device, and said so (a public URL, as through a proxy, still given)', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.1.1']) {
      expect(serverAddresses({ host, port: 8420, interfaces })).toEqual({ urls: [], host, loopbackOnly: true });
    }
    expect(serverAddresses({ host: '127.0.0.1', port: 8420, interfaces, publicUrl: 'https://m.example.org/x/' })).toEqual({
      urls: ['https://m.example.org/x/'], host: '127.0.0.1', loopbackOnly: true,
    });
    expect([isLoopback('[::1]'), isLoopback('app.localhost'), isLoopback('10.0.0.1'), isLoopback('0.0.0.0')]).toEqual([true, true, false, false]);
  });

  it('no network interface up: nothing to give', () => {
    expect(serverAddresses({ host: '0.0.0.0', port: 8420, interfaces: { lo: interfaces.lo } })).toEqual({ urls: [], host: '0.0.0.0', loopbackOnly: false });
  });
});
