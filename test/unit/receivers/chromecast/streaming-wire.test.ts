// Cast Streaming's wire formats against Open Screen's own fuzzer seed packets (copied from
// cast/streaming/rtp_packet_parser_fuzzer_seeds and compound_rtcp_parser_fuzzer_seeds, BSD
// licence, chromium-cheri/openscreen @d15ba4f): no independent Cast Streaming peer exists on this
// machine, so these golden packets stand in for one. Crypto: NIST SP 800-38A F.5.1 (AES-128-CTR)
// and chromecast-sink's vectors (src/cast_rtp.rs, checked there against Nest devices).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameCrypto } from '../../../../receivers/chromecast/streaming/crypto.js';
import { buildOffer, parseAnswer, selectOpusStream } from '../../../../receivers/chromecast/streaming/messages.js';
import { buildReceiverRtcp, buildSenderReport, parseRtcp } from '../../../../receivers/chromecast/streaming/rtcp.js';
import { expand, isRtp, packetizeFrame, parseCastRtp } from '../../../../receivers/chromecast/streaming/rtp.js';
import { projectRoot } from '../../../helpers/paths.js';

const seeds = join(projectRoot, 'test/unit/receivers/chromecast/openscreen-seeds');
const seed = (dir: string, name: string): Buffer => readFileSync(join(seeds, dir, `${name}.bin`));
const rtp = (name: string) => seed('rtp_packet_parser_fuzzer_seeds', name);
const rtcp = (name: string) => seed('compound_rtcp_parser_fuzzer_seeds', name);

describe('Cast RTP against Open Screen seed packets', () => {
  it('parses the key frame, the latency extension among others, and reference frame ids', () => {
    const k = parseCastRtp(rtp('rtp_packet_for_key_frame'))!;
    expect(k).toMatchObject({ payloadType: 96, sequence: 0xbeef, rtpTimestamp: 0x09080706, ssrc: 0x01020304, keyFrame: true, frameId8: 5, packetId: 0x0a0b, maxPacketId: 0x0a0c });
    expect(k.payload.toString('hex')).toBe('0f0e0d0c0b0a0908');
    const m = parseCastRtp(rtp('rtp_packet_for_key_frame_with_multiple_ext'))!;
    expect(m).toMatchObject({ keyFrame: true, frameId8: 0x40, refFrameId8: 0x40, newPlayoutDelayMs: 270 });
    expect(m.payload[0]).toBe(1);
    expect(parseCastRtp(rtp('rtp_packet_for_key_frame_with_latency_ext'))!.newPlayoutDelayMs).toBe(270);
    expect(parseCastRtp(rtp('rtp_packet_for_non_key_frame_with_rfid'))).toMatchObject({ keyFrame: false, frameId8: 0x2a, refFrameId8: 0x27 });
    expect(parseCastRtp(rtp('rtp_packet_for_non_key_frame_without_rfid'))!.refFrameId8).toBeUndefined();
  });

  it('refuses what the reference parser refuses: a packet id past the max, truncated headers and extensions', () => {
    expect(parseCastRtp(rtp('rtp_packet_for_key_frame_with_bad_packet_id'))).toBeUndefined();
    for (const n of [1, 18, 22, 33]) expect(parseCastRtp(rtp(`rtp_packet_trunc_to_${n}_byte${n === 1 ? '' : 's'}`)), `${n} bytes`).toBeUndefined();
  });

  it('packetizes a frame as the parser reads it back; RTP and RTCP are told apart on the one port', () => {
    const data = Buffer.alloc(3000, 7);
    const ps = packetizeFrame({ frameId: 300, rtpTimestamp: 0xfffffff0, data, newPlayoutDelayMs: 2000 }, 0xdeadbeef, 127, 0xfffe);
    expect(ps.length).toBe(3);
    const parsed = ps.map((p) => parseCastRtp(p)!);
    expect(parsed.map((p) => [p.sequence, p.packetId, p.maxPacketId, p.marker, p.frameId8])).toEqual([[0xfffe, 0, 2, false, 44], [0xffff, 1, 2, false, 44], [0, 2, 2, true, 44]]);
    expect(parsed[0]!.newPlayoutDelayMs).toBe(2000);
    expect(Buffer.concat(parsed.map((p) => p.payload))).toEqual(data);
    expect(isRtp(ps[0]!)).toBe(true);
    expect(isRtp(buildSenderReport({ ssrc: 1, ntpNs: 1n, rtpTimestamp: 0, packetCount: 0, octetCount: 0 }))).toBe(false);
    expect(expand(2, 254, 8)).toBe(258);
    expect(expand(250, 260, 8)).toBe(250);
  });
});

describe('Cast RTCP against Open Screen seed packets', () => {
  it('parses every seed of the compound parser', () => {
    for (const f of readdirSync(join(seeds, 'compound_rtcp_parser_fuzzer_seeds'))) expect(() => parseRtcp(rtcp(f.replace(/\.bin$/, ''))), f).not.toThrow();
  });

  it('reads report blocks, NACKs with their bit vectors and CST2 ACKs', () => {
    const rr = parseRtcp(rtcp('receiver_report_with_report_block'));
    expect(rr[0]).toEqual({ type: 'rr', receiverSsrc: 2, reportBlock: { ssrc: 1, fractionLost: 5, cumulativeLost: 0x010203, highestSequence: 0x09090902, jitter: 0xaa, lastReportId: 0x0b0c8fed, delaySinceLastReport: 0x10000 } });
    const fb = parseRtcp(rtcp('feedback_with_one_nack_and_one_ack'))[0];
    expect(fb).toMatchObject({ type: 'feedback', feedback: { receiverSsrc: 2, senderSsrc: 1, checkpointFrameId8: 0x0a, playoutDelayMs: 0x126, nacks: [{ frameId8: 0x0b, packetId: 3 }], acks: [0x0d], feedbackCount: 0x99 } });
    const nacks = parseRtcp(rtcp('feedback_with_nacks'))[0] as { feedback: { nacks: unknown[] } };
    // (0b, 7, bits 8d) = packets 7, 8, 10, 11, 15 of frame 0x0b.
    expect(nacks.feedback.nacks.slice(1, 6)).toEqual([7, 8, 10, 11, 15].map((packetId) => ({ frameId8: 0x0b, packetId })));
    expect(nacks.feedback.nacks).toContainEqual({ frameId8: 0x0d, packetId: 0xffff });
    expect(parseRtcp(rtcp('three_extended_reports')).filter((i) => i.type === 'rrtr')).toHaveLength(1);
  });

  it('builds the receiver compound packet byte for byte as Open Screen (builder_with_one_ack, builder_with_multiple_acks)', () => {
    for (const name of ['builder_with_one_ack', 'builder_with_multiple_acks', 'builder_basics']) {
      const want = rtcp(name);
      const items = parseRtcp(want);
      const rrtr = items.find((i) => i.type === 'rrtr')!;
      const fb = (items.find((i) => i.type === 'feedback') as { feedback: Parameters<typeof buildReceiverRtcp>[0]['feedback'] & { receiverSsrc: number } }).feedback;
      const got = buildReceiverRtcp({ receiverSsrc: 2, referenceTimeNs: rrtr.type === 'rrtr' ? rrtr.ntpNs : 0n, feedback: fb });
      // The NTP fraction goes through nanoseconds: compare all but its last byte.
      expect(got.length, name).toBe(want.length);
      got[27] = want[27]!;
      expect(got.toString('hex'), name).toBe(want.toString('hex'));
    }
  });

  it('gives a clear error for garbage', () => {
    expect(() => parseRtcp(Buffer.from('hello, world'))).toThrow(/RTCP/);
    expect(() => parseRtcp(Buffer.from('8fce000b00000002', 'hex'))).toThrow(/says 44 bytes/);
  });
});

describe('frame crypto', () => {
  it('matches NIST SP 800-38A F.5.1 (frame 0, mask = the initial counter block)', () => {
    const c = new FrameCrypto(Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex'), Buffer.from('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff', 'hex'));
    const pt = Buffer.from('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51', 'hex');
    expect(c.apply(0, pt).toString('hex')).toBe('874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff');
    expect(c.apply(0, c.apply(0, pt))).toEqual(pt);
  });

  it("matches chromecast-sink's vectors for frame ids 0, 5, 256 and 0x12345678", () => {
    const key = Buffer.from([...Array(16).keys()]);
    const mask = Buffer.from([...Array(16).keys()].map((i) => 0xf0 + i));
    const c = new FrameCrypto(key, mask);
    const payload = Buffer.from('0123456789abcdef');
    const want: [number, string][] = [[0, '5696f5db0067077faf68bf655072c8cb'], [5, '32f6787cc44c4201f466acc715997af9'], [256, 'da4c3a84b5565c4161b5d95ebcffa2d4'], [0x12345678, '747b8dae4bc012851ec33fba1e6b8ea3']];
    for (const [id, hex] of want) expect(c.apply(id, payload).toString('hex'), `frame ${id}`).toBe(hex);
  });
});

describe('OFFER and ANSWER', () => {
  const offer = buildOffer({ seqNum: 3, ssrc: 1234, targetDelayMs: 2000, aesKeyHex: '00'.repeat(16), aesIvMaskHex: '11'.repeat(16) });
  it('takes our OFFER: Opus 48 kHz, the target delay, the key', () => {
    const r = selectOpusStream(offer);
    expect('audio' in r && r.audio).toMatchObject({ index: 0, ssrc: 1234, payloadType: 127, rtpTimebase: 48000, channels: 2, targetDelayMs: 2000 });
  });
  it('refuses an unencrypted OFFER and one without mandatory fields; an out-of-range delay becomes 400 ms', () => {
    const streams = (offer.offer as { supportedStreams: Record<string, unknown>[] }).supportedStreams;
    const without = (k: string) => ({ ...offer, offer: { castMode: 'mirroring', supportedStreams: streams.map((s) => Object.fromEntries(Object.entries(s).filter(([x]) => x !== k))) } });
    expect(selectOpusStream(without('aesKey'))).toEqual({ error: expect.stringMatching(/aesKey and aesIvMask/) });
    expect(selectOpusStream(without('ssrc'))).toEqual({ error: expect.stringMatching(/mandatory field \(ssrc\)/) });
    const late = { ...offer, offer: { supportedStreams: [{ ...streams[0], targetDelay: 9000 }] } };
    expect(selectOpusStream(late)).toMatchObject({ audio: { targetDelayMs: 400 } });
  });
  it('reads an ANSWER, with a clear error when it is malformed, refused or has no udpPort', () => {
    expect(parseAnswer({ type: 'ANSWER', seqNum: 3, result: 'ok', answer: { udpPort: 2344, sendIndexes: [0], ssrcs: [1235] } }, 3)).toMatchObject({ udpPort: 2344 });
    expect(() => parseAnswer({ type: 'ANSWER', seqNum: 3, result: 'ok', answer: { sendIndexes: [0], ssrcs: [1235] } }, 3)).toThrow(/malformed ANSWER: udpPort/);
    expect(() => parseAnswer({ type: 'ANSWER', seqNum: 3, result: 'error', error: { code: 1, description: 'no codec' } }, 3)).toThrow(/refused the OFFER: no codec/);
    expect(() => parseAnswer('nonsense', 3)).toThrow(/malformed ANSWER/);
  });
});
