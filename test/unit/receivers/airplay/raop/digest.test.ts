import { describe, expect, it } from 'vitest';
import { authorization, digestResponse, parseChallenge } from '../../../../../receivers/airplay/raop/digest.js';

describe('RTSP Digest auth (shairport-sync rtsp_auth)', () => {
  it('reads realm and nonce from the challenge shairport-sync sends', () => {
    expect(parseChallenge('Digest realm="raop", nonce="AbCdEfGh12I="')).toEqual({ realm: 'raop', nonce: 'AbCdEfGh12I=' });
    expect(parseChallenge('Basic realm="raop"')).toBeUndefined();
    expect(parseChallenge('Digest realm="raop"')).toBeUndefined();
    expect(parseChallenge(undefined)).toBeUndefined();
  });

  it('answers MD5(MD5(user:realm:pw):nonce:MD5(method:uri)) in lower-case hex', () => {
    // Reference computed with Python's hashlib for user "iTunes".
    const c = { realm: 'raop', nonce: 'AbCdEfGh12I=' };
    expect(digestResponse(c, 'open sesame', 'OPTIONS', '*')).toBe('7953f81b269d17aae79407a8adbeca16');
    expect(digestResponse(c, 'open sesame', 'ANNOUNCE', '*')).not.toBe('7953f81b269d17aae79407a8adbeca16');
  });

  it('sends every field shairport-sync looks for, quoted', () => {
    const h = authorization({ realm: 'raop', nonce: 'n0' }, 'pw', 'SETUP', 'rtsp://10.0.0.1/42');
    expect(h).toMatch(/^Digest /);
    expect(h).toContain('username="iTunes"');
    expect(h).toContain('realm="raop"');
    expect(h).toContain('nonce="n0"');
    expect(h).toContain('uri="rtsp://10.0.0.1/42"');
    expect(h).toMatch(/response="[0-9a-f]{32}"/);
  });
});
