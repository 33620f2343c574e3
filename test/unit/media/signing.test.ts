import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSigner, loadOrCreateSecret } from '../../../server/media/signing.js';

const secret = Buffer.alloc(32, 7);
const HOUR = 3600_000;
const t0 = Date.UTC(2026, 0, 1, 10, 15); // 10:15

function split(url: string): [string, URLSearchParams] {
  const q = url.indexOf('?');
  return [url.slice(0, q), new URLSearchParams(url.slice(q + 1))];
}

describe('createSigner', () => {
  const signer = createSigner({ secret, ttlSeconds: 6 * 3600, now: () => t0 });

  it('makes a stream URL that verifies', () => {
    const url = signer.streamUrl(12, { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', bitrate: 4e6 });
    expect(url).toMatch(/^\/media\/12\?c=mp4&vc=h264&ac=aac&br=4000000&exp=\d+&sig=[\w-]+$/);
    expect(signer.verify(...split(url))).toBe('ok');
    expect(signer.verify(...split(signer.streamUrl(3)))).toBe('ok');
  });

  it('rounds exp up to the hour, so one item keeps one URL for a while', () => {
    const [, q] = split(signer.streamUrl(1));
    expect(Number(q.get('exp'))).toBe(Date.UTC(2026, 0, 1, 17, 0) / 1000); // 10:15 + 6 h → 17:00
    const later = createSigner({ secret, ttlSeconds: 6 * 3600, now: () => t0 + 30 * 60_000 });
    expect(later.streamUrl(1)).toBe(signer.streamUrl(1));
  });

  it('refuses any tampered parameter, path or signature', () => {
    const url = signer.streamUrl(12, { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', bitrate: 4e6 });
    const [path, q] = split(url);
    for (const key of ['c', 'vc', 'ac', 'br', 'exp', 'sig']) {
      const t = new URLSearchParams(q);
      t.set(key, t.get(key) + '0');
      expect(signer.verify(path, t), key).toBe('bad');
      const d = new URLSearchParams(q);
      d.delete(key);
      expect(signer.verify(path, d), `without ${key}`).toBe('bad');
    }
    const added = new URLSearchParams(q);
    added.set('vc', 'copy');
    added.set('extra', '1');
    expect(signer.verify(path, added)).toBe('bad');
    const dup = new URLSearchParams(q);
    dup.append('c', 'mp4');
    expect(signer.verify(path, dup)).toBe('bad');
    expect(signer.verify('/media/13', q)).toBe('bad');
    expect(signer.verify('/media/%31%32', q)).toBe('bad');
    expect(signer.verify('/art/12', q)).toBe('bad');
    const other = createSigner({ secret: Buffer.alloc(32, 8), ttlSeconds: 6 * 3600, now: () => t0 });
    expect(other.verify(path, q)).toBe('bad');
  });

  it('signs every limit a decision sets, under short names', () => {
    const target = { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', sampleRate: 48_000, bitDepth: 16, channels: 2, maxWidth: 1280, maxHeight: 720, maxFrameRate: 29.97, toneMap: true } as const;
    const url = signer.streamUrl(12, target, 8);
    expect(url).toMatch(/^\/media\/12\?c=mp4&vc=h264&ac=aac&sr=48000&bd=16&ch=2&mw=1280&mh=720&fps=29\.97&tm=1&start=8&exp=\d+&sig=[\w-]+$/);
    const [path, q] = split(url);
    expect(signer.verify(path, q)).toBe('ok');
    for (const key of ['sr', 'bd', 'ch', 'mw', 'mh', 'fps', 'tm']) {
      const t = new URLSearchParams(q);
      t.set(key, t.get(key) + '0');
      expect(signer.verify(path, t), key).toBe('bad');
      const d = new URLSearchParams(q);
      d.delete(key);
      expect(signer.verify(path, d), `without ${key}`).toBe('bad');
    }
    // No tone mapping, no tm; fractional frame rates are kept to three decimals.
    expect(signer.streamUrl(1, { container: 'mp4', toneMap: false, maxFrameRate: 23.976023 })).toMatch(/^\/media\/1\?c=mp4&fps=23\.976&exp=/);
  });

  it('signs start: a URL seeks only where it was minted to', () => {
    const url = signer.streamUrl(5, { container: 'mp3', audioCodec: 'mp3' }, 42.5);
    const [path, q] = split(url);
    expect(q.get('start')).toBe('42.5');
    expect(signer.verify(path, q)).toBe('ok');
    q.set('start', '100');
    expect(signer.verify(path, q)).toBe('bad');
    q.delete('start');
    expect(signer.verify(path, q)).toBe('bad');
    const [plain, unseeked] = split(signer.streamUrl(5, { container: 'mp3', audioCodec: 'mp3' }));
    unseeked.set('start', '10');
    expect(signer.verify(plain, unseeked)).toBe('bad');
  });

  it('writes start as plain decimal seconds to the millisecond', () => {
    const start = (s: number) => split(signer.streamUrl(5, { container: 'mp3' }, s))[1].get('start');
    expect(start(12.3456789)).toBe('12.346');
    expect(start(90)).toBe('90');
    expect(start(0.0000001)).toBeNull(); // would be "1e-7"; rounds to no seek at all
    expect(start(0)).toBeNull();
  });

  it('expires with the clock', () => {
    let now = t0;
    const s = createSigner({ secret, ttlSeconds: 3600, now: () => now });
    const [path, q] = split(s.streamUrl(1)); // exp = 12:00
    now = t0 + HOUR; // 11:15
    expect(s.verify(path, q)).toBe('ok');
    now = Date.UTC(2026, 0, 1, 12, 0);
    expect(s.verify(path, q)).toBe('expired');
    q.set('exp', String(Number(q.get('exp')) + 3600)); // extending it breaks the signature
    expect(s.verify(path, q)).toBe('bad');
  });

  it('signs artwork URLs with an optional size from the fixed set', () => {
    const hash = 'a'.repeat(40);
    const url = signer.artUrl(hash, 300);
    expect(url).toMatch(new RegExp(`^/art/${hash}\\?size=300&exp=\\d+&sig=`));
    const [path, q] = split(url);
    expect(signer.verify(path, q)).toBe('ok');
    q.set('size', '600');
    expect(signer.verify(path, q)).toBe('bad');
    expect(signer.verify(...split(signer.artUrl(hash)))).toBe('ok');
    expect(() => signer.artUrl(hash, 301)).toThrow(RangeError);
    expect(() => signer.artUrl('../etc')).toThrow(RangeError);
    expect(() => signer.streamUrl(-1)).toThrow(RangeError);
  });
});

describe('loadOrCreateSecret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates 32 private bytes once and reads them back', () => {
    const data = join(dir, 'data');
    const a = loadOrCreateSecret(data);
    expect(a.length).toBe(32);
    expect(statSync(join(data, 'secret')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(data).equals(a)).toBe(true);
    expect(readFileSync(join(data, 'secret')).equals(a)).toBe(true);
  });

  it('refuses a secret of the wrong length', () => {
    const data = join(dir, 'bad');
    loadOrCreateSecret(data);
    writeFileSync(join(data, 'secret'), 'short');
    expect(() => loadOrCreateSecret(data)).toThrow(/32 bytes/);
  });
});
