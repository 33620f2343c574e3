// One sender's RTSP connection to the speaker, and the RAOP session it sets up: ANNOUNCE (the
// codec), SETUP (three UDP ports: audio, control, timing), RECORD, SET_PARAMETER / GET_PARAMETER,
// FLUSH, TEARDOWN, answered as shairport-sync 3.3.8 answers them (rtsp.c). Requests are handled
// one at a time in arrival order. Never sends Apple-Response, so senders do not encrypt.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { decodePayload, parseSdp, type StreamFormat } from './audio.js';
import { DigestGate } from './auth.js';
import { monoNs, SenderClock } from './clock.js';
import type { PlayedAudio, SpeakerEvent } from './events.js';
import { rtpInfo, setParameterEvents } from './params.js';
import { Playout } from './playout.js';
import { formatResponse, parseRequest, type RtspRequest, type RtspResponse } from './rtsp.js';

/** What a connection needs from the speaker it belongs to. */
export interface SpeakerContext {
  readonly password: string | undefined;
  /** Answered as Audio-Latency, and added to sync packets whose flags are 7. */
  readonly latencyFrames: number;
  volume: number;
  emit(e: SpeakerEvent): void;
  audio(a: PlayedAudio): void;
  warn(line: string): void;
  /** Takes the player for this connection; false while another connection has it (→ 453). */
  claim(c: SpeakerConnection): boolean;
  release(c: SpeakerConnection): void;
}

const PUBLIC = 'ANNOUNCE, SETUP, RECORD, PAUSE, FLUSH, TEARDOWN, OPTIONS, GET_PARAMETER, SET_PARAMETER';
const LOUD = 64;

const plain = (a: string | undefined): string => (a ?? '0.0.0.0').replace(/^::ffff:/, '');

interface Udp {
  audio: UdpSocket;
  control: UdpSocket;
  timing: UdpSocket;
  sender: { address: string; controlPort: number; timingPort: number };
}

export class SpeakerConnection {
  private buf: Buffer = Buffer.alloc(0);
  private chain: Promise<void> = Promise.resolve();
  private readonly gate: DigestGate;
  private format: StreamFormat | undefined;
  private udp: Udp | undefined;
  private clock: SenderClock | undefined;
  private playout: Playout | undefined;
  private timingTimer: NodeJS.Timeout | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private awaitingSound = true;
  /** What the previous stats said, so an unchanged one is not sent again. */
  private lastStats = '';
  private lastWasFinal = false;
  private clockReported = false;
  private ended = false;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: SpeakerContext,
  ) {
    this.gate = new DigestGate(ctx.password);
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => {}); // a reset by the sender ends the session through 'close'
    socket.on('close', () => this.endSession('connection closed'));
  }

  private get peer(): string {
    return plain(this.socket.remoteAddress);
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      let parsed;
      try {
        parsed = parseRequest(this.buf);
      } catch (e) {
        this.ctx.warn(`RTSP from ${this.peer}: ${(e as Error).message}; closing`);
        this.socket.destroy();
        return;
      }
      if (!parsed) return;
      this.buf = parsed.rest;
      const req = parsed.request;
      this.chain = this.chain.then(() => this.answer(req));
    }
  }

  private async answer(req: RtspRequest): Promise<void> {
    let r: RtspResponse;
    try {
      r = await this.handle(req);
    } catch (e) {
      this.ctx.warn(`${req.method} from ${this.peer}: ${(e as Error).message}`);
      r = { status: 400 };
    }
    if (r.status !== 200) this.ctx.emit({ event: 'refused', method: req.method, status: r.status, reason: r.why ?? String(r.status) });
    if (this.socket.destroyed) return;
    this.socket.write(formatResponse(req.headers['cseq'], r));
    if (req.method === 'TEARDOWN' && r.status === 200) this.socket.end();
  }

  private async handle(req: RtspRequest): Promise<RtspResponse> {
    if (!this.gate.check(req.method, req.headers['authorization'])) {
      return { status: 401, headers: this.gate.challenge(), why: req.headers['authorization'] ? 'wrong password' : 'password required' };
    }
    switch (req.method) {
      case 'OPTIONS':
        return { status: 200, headers: { Public: PUBLIC } };
      case 'ANNOUNCE':
        return this.announce(req);
      case 'SETUP':
        return this.setup(req);
      case 'RECORD':
        return this.record(req);
      case 'SET_PARAMETER':
        return this.setParameter(req);
      case 'GET_PARAMETER':
        return this.getParameter(req);
      case 'FLUSH':
        return this.flush(req);
      case 'TEARDOWN':
        if (!this.format) return { status: 451 };
        this.endSession('teardown');
        return { status: 200, headers: { Connection: 'close' } };
      case 'PAUSE':
        return { status: 200 };
      default:
        return { status: 501, why: `${req.method} is not implemented` };
    }
  }

  private announce(req: RtspRequest): RtspResponse {
    if (!this.ctx.claim(this)) return { status: 453, why: 'another sender is playing' };
    const f = parseSdp(req.body.toString('utf8'));
    if ('refused' in f) {
      this.ctx.release(this);
      return { status: 415, why: f.refused };
    }
    this.format = f;
    // A new session (possibly on the connection of an ended one).
    this.ended = false;
    this.clockReported = false;
    this.lastStats = '';
    this.lastWasFinal = false;
    this.ctx.emit({ event: 'session', peer: this.peer, codec: f.codec, framesPerPacket: f.framesPerPacket, userAgent: req.headers['user-agent'] ?? null });
    return { status: 200 };
  }

  private async setup(req: RtspRequest): Promise<RtspResponse> {
    if (!this.format) return { status: 451, why: 'SETUP before ANNOUNCE' };
    const t = req.headers['transport'] ?? '';
    const port = (k: string): number => Number(new RegExp(`${k}=(\\d+)`).exec(t)?.[1] ?? NaN);
    const senderControl = port('control_port');
    const senderTiming = port('timing_port');
    if (!(senderControl > 0 && senderControl < 65536 && senderTiming > 0 && senderTiming < 65536)) return { status: 451, why: `no control_port/timing_port in Transport "${t}"` };
    if (this.udp) this.closeUdp();
    const local = plain(this.socket.localAddress);
    const family = local.includes(':') ? 'udp6' : 'udp4';
    const bind = async (): Promise<UdpSocket> => {
      const s = createSocket(family);
      s.on('error', (e) => this.ctx.warn(`UDP: ${e.message}`));
      s.bind(0, local);
      await once(s, 'listening');
      return s;
    };
    const [audio, control, timing] = await Promise.all([bind(), bind(), bind()]);
    const udp: Udp = { audio, control, timing, sender: { address: this.peer, controlPort: senderControl, timingPort: senderTiming } };
    this.udp = udp;
    const clock = new SenderClock(this.ctx.latencyFrames);
    this.clock = clock;
    this.playout = new Playout(clock, this.format.framesPerPacket, {
      play: (a) => this.played(a),
      requestResend: (first, count) => {
        const b = Buffer.from([0x80, 0xd5, 0, 1, 0, 0, 0, 0]);
        b.writeUInt16BE(first, 4);
        b.writeUInt16BE(count, 6);
        control.send(b, udp.sender.controlPort, udp.sender.address);
      },
    });
    audio.on('message', (m) => this.onAudio(m, false));
    control.on('message', (m) => this.onControl(m));
    timing.on('message', (m) => this.onTiming(m));
    this.startTiming();
    const ports = { serverPort: audio.address().port, controlPort: control.address().port, timingPort: timing.address().port };
    this.ctx.emit({ event: 'setup', ...ports, senderControlPort: senderControl, senderTimingPort: senderTiming });
    return {
      status: 200,
      headers: {
        Transport: `RTP/AVP/UDP;unicast;interleaved=0-1;mode=record;control_port=${ports.controlPort};timing_port=${ports.timingPort};server_port=${ports.serverPort}`,
        Session: '1',
        'Audio-Jack-Status': 'connected; type=analog',
      },
    };
  }

  /** Timing requests as shairport-sync sends them: six 0.3 s apart, then every 3 s. */
  private startTiming(): void {
    let n = 0;
    const send = (): void => {
      const u = this.udp;
      if (!u || !this.clock) return;
      u.timing.send(this.clock.request(), u.sender.timingPort, u.sender.address);
      n++;
      this.timingTimer = setTimeout(send, n <= 6 ? 300 : 3000);
      this.timingTimer.unref();
    };
    send();
  }

  private record(req: RtspRequest): RtspResponse {
    if (!this.udp || !this.playout) return { status: 451, why: 'RECORD before SETUP' };
    const info = rtpInfo(req.headers['rtp-info']);
    // shairport-sync flushes up to the RECORD's rtptime: what came before belongs to no one.
    if (info.rtptime !== null) this.playout.flush(info.rtptime);
    this.awaitingSound = true;
    this.ctx.emit({ event: 'record', seq: info.seq, rtptime: info.rtptime, audioLatency: this.ctx.latencyFrames });
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = setInterval(() => this.stats(false), 1000);
    this.statsTimer.unref();
    return { status: 200, headers: { 'Audio-Latency': String(this.ctx.latencyFrames) } };
  }

  private setParameter(req: RtspRequest): RtspResponse {
    const events = setParameterEvents(req.headers['content-type'] ?? 'text/parameters', req.body, rtpInfo(req.headers['rtp-info']).rtptime);
    if ('error' in events) return { status: 400, why: events.error };
    for (const e of events) {
      if (e.event === 'volume') this.ctx.volume = e.db;
      this.ctx.emit(e);
    }
    return { status: 200 };
  }

  private getParameter(req: RtspRequest): RtspResponse {
    const asked = req.body.toString('utf8').split(/\r?\n/).map((l) => l.trim().toLowerCase()).filter(Boolean);
    if (!asked.length) return { status: 200 };
    const known = new Map([['volume', this.ctx.volume.toFixed(6)]]);
    const lines = asked.filter((k) => known.has(k)).map((k) => `${k}: ${known.get(k)}\r\n`);
    return { status: 200, body: { type: 'text/parameters', data: lines.join('') } };
  }

  private flush(req: RtspRequest): RtspResponse {
    if (!this.playout) return { status: 451, why: 'FLUSH before SETUP' };
    const info = rtpInfo(req.headers['rtp-info']);
    this.playout.flush(info.rtptime ?? undefined);
    this.stats(true);
    this.awaitingSound = true;
    this.ctx.emit({ event: 'flush', seq: info.seq, rtptime: info.rtptime });
    return { status: 200 };
  }

  private onAudio(m: Buffer, resent: boolean): void {
    if (m.length < 12 || (m[1]! & 0x7f) !== 0x60 || !this.format || !this.playout) return;
    const seq = m.readUInt16BE(2);
    const rtptime = m.readUInt32BE(4);
    this.playout.put(seq, rtptime, decodePayload(this.format, m.subarray(12)), resent);
  }

  private onControl(m: Buffer): void {
    if (m.length < 4 || !this.clock || !this.playout) return;
    const type = m[1]! & 0x7f;
    if (type === 0x54) {
      if (this.clock.onSync(m)) this.playout.pump();
    } else if (type === 0x56) {
      this.onAudio(m.subarray(4), true);
    }
  }

  private onTiming(m: Buffer): void {
    const c = this.clock;
    if (!c || !c.onTimingReply(m, monoNs())) return;
    if (!this.clockReported && c.offsetNs !== undefined) {
      this.clockReported = true;
      this.ctx.emit({ event: 'clock', offsetMs: Number(c.offsetNs) / 1e6, rttMs: Number(c.rttNs ?? 0n) / 1e6 });
    }
    this.playout?.pump();
  }

  private played(a: PlayedAudio): void {
    this.ctx.audio(a);
    if (!this.awaitingSound || a.outcome !== 'played') return;
    for (let i = 0; i + 1 < a.pcm.length; i += 2) {
      if (Math.abs(a.pcm.readInt16LE(i)) > LOUD) {
        this.awaitingSound = false;
        this.ctx.emit({ event: 'playing', seq: a.seq, rtptime: a.rtptime, at: Number(a.playAtNs) / 1e6, latencyFrames: this.clock?.sync?.latency ?? 0 });
        return;
      }
    }
  }

  private stats(final: boolean): void {
    const p = this.playout;
    if (!p) return;
    const key = `${p.stats.packets}/${p.stats.flushed}/${p.stats.played}/${p.stats.late}/${p.stats.lost}`;
    // Periodic ones only when something moved; a final one unless the last was the same final one.
    if (key === this.lastStats && (!final || this.lastWasFinal)) return;
    this.lastStats = key;
    this.lastWasFinal = final;
    this.ctx.emit({ event: 'stats', final, ...p.snapshot() });
  }

  private closeUdp(): void {
    const u = this.udp;
    this.udp = undefined;
    if (!u) return;
    for (const s of [u.audio, u.control, u.timing]) s.close();
  }

  /** The session ends (TEARDOWN, connection gone, emulator closing): final stats, ports closed. */
  endSession(reason: 'teardown' | 'connection closed' | 'emulator closed'): void {
    if (this.ended || !this.format) return;
    this.ended = true;
    clearTimeout(this.timingTimer);
    clearInterval(this.statsTimer);
    this.playout?.close();
    this.stats(true);
    this.playout = undefined;
    this.clock = undefined;
    this.closeUdp();
    this.format = undefined;
    this.ctx.release(this);
    this.ctx.emit({ event: 'teardown', reason });
  }

  close(): void {
    this.endSession('emulator closed');
    this.socket.destroy();
  }
}
