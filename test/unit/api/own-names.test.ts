// The names and origins the server answers to (server/api/own-origin.ts) and the proxies it
// believes (server/api/trusted-proxy.ts): the pure rules behind the browser edge.
import { hostname } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { hostOfHeader, ownNames } from '../../../server/api/own-origin.js';
import { trustedProxy } from '../../../server/api/trusted-proxy.js';
import { isProxyEntry } from '../../../server/config/proxy-entry.js';

const names = ownNames({ ports: () => [8420, 8443], publicUrl: 'https://media.example.org/home/', allowedHosts: ['Box.home.arpa'], interfaceAddresses: () => ['127.0.0.1', '192.168.1.20', 'fd00::20'] });

describe('own names', () => {
  it('reads a Host header: name or address, optional port, nothing else', () => {
    expect(hostOfHeader('Media.Example.org:443')).toBe('media.example.org');
    expect(hostOfHeader('[FD00::20]:8420')).toBe('fd00::20');
    expect(hostOfHeader('192.168.1.20')).toBe('192.168.1.20');
    expect(hostOfHeader('box.local.')).toBe('box.local');
    for (const bad of ['', 'a b', 'user@host', 'host/path', 'host:port', '[::1']) expect(hostOfHeader(bad), bad).toBeUndefined();
  });

  it('answers to loopback, its interface addresses, its hostname (.local), the public URL\'s host and configured names only', () => {
    const own = ['localhost', 'app.localhost', '127.0.0.1', '::1', '[::1]', '192.168.1.20', '::ffff:192.168.1.20', 'fd00::20', hostname(), `${hostname().split('.')[0]}.local`, 'media.example.org', 'box.home.arpa', 'BOX.home.arpa.'];
    for (const n of own) expect(names.isOwnHost(n), n).toBe(true);
    for (const n of ['attacker-rebind.example', '192.168.1.21', '10.0.0.1', 'example.org', `${hostname()}.example.com`, '']) expect(names.isOwnHost(n), n).toBe(false);
    expect(names.isOwnHostHeader(undefined)).toBe(true);
    expect(names.isOwnHostHeader('192.168.1.20:8420')).toBe(true);
    expect(names.isOwnHostHeader('attacker-rebind.example:8420')).toBe(false);
  });

  it('an address that appears later (DHCP) is learned on a later look, at most once a second', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      let list = ['127.0.0.1'];
      let reads = 0;
      const n = ownNames({ ports: () => [1], interfaceAddresses: () => (reads++, list) });
      list = ['127.0.0.1', '10.1.2.3'];
      expect(n.isOwnHost('10.1.2.3')).toBe(false);
      expect(n.isOwnHost('10.9.9.9')).toBe(false);
      expect(reads).toBe(1);
      vi.setSystemTime(1_001_100);
      expect(n.isOwnHost('10.1.2.3')).toBe(true);
      expect(reads).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an Origin is ours on our names and ports, the public URL\'s origin, or the host the request was sent to', () => {
    for (const o of ['http://192.168.1.20:8420', 'https://192.168.1.20:8443', `http://${hostname()}:8420`, 'http://localhost:8420', 'https://media.example.org', undefined]) expect(names.isOwnOrigin(o), String(o)).toBe(true);
    for (const o of ['http://evil.example', 'null', 'http://192.168.1.20:8421', 'http://media.example.org', 'https://media.example.org:8444', 'file:///x', 'chrome-extension://abc', 'not a url']) expect(names.isOwnOrigin(o), o).toBe(false);
    // Behind a proxy that keeps Host: the page's origin is the Host it sent to, if that name is ours.
    expect(names.isOwnOrigin('https://box.home.arpa', 'box.home.arpa')).toBe(true);
    expect(names.isOwnOrigin('https://evil.example', 'evil.example')).toBe(false);
  });
});

describe('trusted proxies', () => {
  it('takes addresses and subnets, nothing else', () => {
    for (const e of ['127.0.0.1', '::1', '192.168.1.0/24', 'fd00::/64']) expect(isProxyEntry(e), e).toBe(true);
    for (const e of ['localhost', '192.168.1.0/33', '10.0.0.1/8/1', '', '1.2.3']) expect(isProxyEntry(e), e).toBe(false);
  });

  it('believes only the listed peers, IPv4-mapped addresses included; nobody by default', () => {
    const t = trustedProxy(['127.0.0.1', '192.168.1.0/24']);
    expect(t('127.0.0.1')).toBe(true);
    expect(t('::ffff:127.0.0.1')).toBe(true);
    expect(t('192.168.1.99')).toBe(true);
    expect(t('192.168.2.1')).toBe(false);
    expect(t(undefined)).toBe(false);
    expect(trustedProxy([])('127.0.0.1')).toBe(false);
  });
});
