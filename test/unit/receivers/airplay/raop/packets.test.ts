// RTP audio, sync and timing packets: the byte layouts shairport-sync 3.3.8 reads (rtp.c).
import { describe, expect, it } from 'vitest';
import { readNtp, Timeline, writeNtp } from '../../../../../receivers/airplay/raop/clock.js';
import { decodeAudioPacket, encodeAudioPacket } from '../../../../../receivers/airplay/raop/rtp.js';
import { syncPacket } from '../../../../../receivers/airplay/raop/sync.js';
import { isTimingRequest, timingReply } from '../../../../../receivers/airplay/raop/timing.js';

describe('RTP audio packets', () => {
  it('mark the first packet (0x80 0xE0), then 0x80 0x60, and round-trip', () => {
    const payload = Buffer.from([1, 2, 3]);
    const first = encodeAudioPacket({ seq: 0x1_0005, timestamp: 0xffff_fff0, ssrc: 42, marker: true, payload });
    expect([...first.subarray(0, 2)]).toEqual([0x80, 0xe0]);
    const next = encodeAudioPacket({ seq: 6, timestamp: 10, ssrc: 42, marker: false, payload });
    expect([...next.subarray(0, 2)]).toEqual([0x80, 0x60]);
    expect(decodeAudioPacket(first)).toEqual({ seq: 5, timestamp: 0xffff_fff0, ssrc: 42, marker: true, payload });
  });
});

describe('sync packets', () => {
  it('say the RTP time now, its NTP time and the latency less the fixed 11025 frames', () => {
    const ns = 3_900_000_000n * 1_000_000_000n + 250_000_000n;
    const p = syncPacket({ first: true, rtpNow: 100_000, ntpNs: ns, latency: 88_200 });
    expect(p.length).toBe(20);
    expect([...p.subarray(0, 4)]).toEqual([0x90, 0xd4, 0, 7]);
    expect(p.readUInt32BE(16)).toBe(100_000);
    expect(100_000 - p.readUInt32BE(4) + 11_025).toBe(88_200);
    expect(Number(readNtp(p, 8) - ns)).toBeLessThanOrEqual(1);
    expect(syncPacket({ first: false, rtpNow: 5, ntpNs: ns, latency: 88_200 }).readUInt32BE(4)).toBe((5 - 77_175) >>> 0);
    expect(syncPacket({ first: false, rtpNow: 5, ntpNs: ns, latency: 88_200 })[0]).toBe(0x80);
  });
});

describe('timing replies', () => {
  it('answer 0xD2 with 0xD3, echo the request transmit time as origin, then receive and transmit', () => {
    const req = Buffer.alloc(32);
    req[0] = 0x80;
    req[1] = 0xd2;
    writeNtp(req, 24, 123_456_789_000n);
    expect(isTimingRequest(req)).toBe(true);
    const r = timingReply(req, 5_000_000_000n, 5_000_100_000n);
    expect([...r.subarray(0, 4)]).toEqual([0x80, 0xd3, 0, 7]);
    expect(r.subarray(8, 16).equals(req.subarray(24, 32))).toBe(true);
    expect(Number(readNtp(r, 16))).toBeCloseTo(5_000_000_000, -1);
    expect(Number(readNtp(r, 24))).toBeCloseTo(5_000_100_000, -1);
  });
});

describe('timeline', () => {
  it('maps NTP time to RTP frames at 44.1 kHz, wrapping at 2^32', () => {
    const t = new Timeline(0xffff_ff00, 1_000_000_000n);
    expect(t.framesAt(2_000_000_000n)).toBe(44_100);
    expect(t.rtpAt(2_000_000_000n)).toBe(44_100 - 0x100);
    expect(t.nsAtFrames(44_100)).toBe(2_000_000_000n);
  });
});
