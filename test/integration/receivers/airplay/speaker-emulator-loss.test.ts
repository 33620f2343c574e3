// The speaker emulator's jitter buffer under loss, over real sockets on loopback: a small sender
// made in the test from our RAOP parts (RTSP client, timing responder, sync and audio packets)
// holds some packets back. Those it sends again when the speaker asks (0x80 0xD5 → 0x80 0xD6)
// play as if nothing happened; one it never sends in time is counted lost (silence in its place)
// and, when it comes after its time, late; everything else is the source, sample for sample.
import { createSocket, type Socket } from 'node:dgram';
import { once, type EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeEscapeFrame, PCM_BYTES_PER_PACKET } from '../../../../receivers/airplay/raop/alac.js';
import { NtpClock, Timeline, wrap32 } from '../../../../receivers/airplay/raop/clock.js';
import { encodeAudioPacket } from '../../../../receivers/airplay/raop/rtp.js';
import { RtspClient } from '../../../../receivers/airplay/raop/rtsp.js';
import { syncPacket } from '../../../../receivers/airplay/raop/sync.js';
import { TimingResponder } from '../../../../receivers/airplay/raop/timing.js';
import { startSpeakerEmulator, type SpeakerEmulator } from '../../../../receivers/airplay/emulator/speaker.js';
import { ffmpegPcm, record, when } from './speaker-emulator-helpers.js';

const LATENCY = 88200; // 2 s: the speaker plays frame f at timeline time f + LATENCY
const RESENT = new Set([20, 21, 60]); // held back, sent again on request
const WITHHELD = 90; // sent only after its time
let emu: SpeakerEmulator | undefined;
const sockets: { close(): void }[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await emu?.close();
  emu = undefined;
});

describe('AirPlay speaker emulator: resends, loss and lateness', () => {
  it('asks for gaps, plays resent packets in place, counts a missing one lost and then late', { timeout: 30_000 }, async () => {
    const source = ffmpegPcm('aevalsrc=0.5*sin(2*PI*(200*t+150*t*t))|0.25*sin(2*PI*(3000*t-300*t*t)):s=44100:d=1', true);
    const count = Math.floor(source.length / PCM_BYTES_PER_PACKET);
    emu = await startSpeakerEmulator({ name: 'Lossy', host: '127.0.0.1', port: 0, mdns: false });
    const rec = record(emu);

    const clock = new NtpClock();
    const rtsp = await RtspClient.connect(emu.host, emu.port);
    sockets.push(rtsp);
    await rtsp.options();
    await rtsp.announce('alac');
    const timing = new TimingResponder(clock);
    sockets.push(timing);
    const control: Socket = createSocket('udp4');
    sockets.push(control);
    control.bind(0, '127.0.0.1');
    await once(control, 'listening');
    const setup = await rtsp.setup(control.address().port, await timing.bind('127.0.0.1'));
    const seq0 = 1000;
    const timeline = new Timeline(123_456, clock.nowNs());
    const packet = (i: number): Buffer =>
      encodeAudioPacket({ seq: seq0 + i, timestamp: wrap32(timeline.rtp0 + i * 352), ssrc: 7, marker: i === 0, payload: encodeEscapeFrame(source.subarray(i * PCM_BYTES_PER_PACKET, (i + 1) * PCM_BYTES_PER_PACKET)) });

    // Resend requests: answer for the packets held back on purpose, never for the withheld one.
    const asked = new Set<number>();
    control.on('message', (m) => {
      if (m.length < 8 || (m[1]! & 0x7f) !== 0x55) return;
      const first = m.readUInt16BE(4);
      for (let k = 0; k < m.readUInt16BE(6); k++) {
        const i = ((first + k - seq0) & 0xffff);
        asked.add(i);
        if (RESENT.has(i)) control.send(Buffer.concat([Buffer.from([0x80, 0xd6, 0, 0]), packet(i)]), setup.controlPort, '127.0.0.1');
      }
    });

    await rtsp.record(seq0, timeline.rtp0);
    await timing.firstRequest(5000);
    const now = clock.nowNs();
    control.send(syncPacket({ first: true, rtpNow: timeline.rtpAt(now), ntpNs: now, latency: LATENCY }), setup.controlPort, '127.0.0.1');
    // All of it now (it plays 2 s later), a few packets at a time so the socket buffer keeps up.
    const audio = createSocket('udp4');
    sockets.push(audio);
    for (let i = 0; i < count; i++) {
      if (!RESENT.has(i) && i !== WITHHELD) audio.send(packet(i), setup.serverPort, '127.0.0.1');
      if (i % 8 === 7) await new Promise((r) => setImmediate(r));
    }

    // The withheld packet's turn passes: it is lost. Send it afterwards: it is late.
    const emitter = emu.events as unknown as EventEmitter;
    const lost = await when<{ seq: number; outcome: string }>(emitter, 'audio', (a) => a.seq === seq0 + WITHHELD, 10_000);
    expect(lost.outcome).toBe('lost');
    audio.send(packet(WITHHELD), setup.serverPort, '127.0.0.1');
    if (rec.audio.length < count) await when(emitter, 'audio', () => rec.audio.length >= count, 10_000);
    await rtsp.teardown();
    const stats = await rec.next('stats', (s) => s.final);

    expect([...RESENT, WITHHELD].every((i) => asked.has(i))).toBe(true);
    expect(stats).toMatchObject({ resent: RESENT.size, lost: 1, late: 1, played: count - 1, undecodable: 0 });
    expect(stats.resendRequested).toBeGreaterThanOrEqual(RESENT.size + 1);
    expect(rec.audio.map((a) => a.seq)).toEqual([...Array(count).keys()].map((i) => seq0 + i));
    // The source, with 352 frames of silence where the lost packet was.
    const expected = Buffer.from(source.subarray(0, count * PCM_BYTES_PER_PACKET));
    expected.fill(0, WITHHELD * PCM_BYTES_PER_PACKET, (WITHHELD + 1) * PCM_BYTES_PER_PACKET);
    expect(rec.pcm().equals(expected)).toBe(true);
    expect(emu.schedule.filter((r) => r.outcome !== 'played').map((r) => [r.seq - seq0, r.outcome])).toEqual([[WITHHELD, 'lost']]);
  });
});
