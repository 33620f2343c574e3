// Timing port: the receiver sends requests (0x80 0xD2) and we answer (0x80 0xD3) with NTP times
// of our clock, so it can map our sync packets onto its own clock. shairport-sync 3.3.8 ignores
// sync packets until it has one answer, and only reads bytes 16–31 of it (rtp.c).
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter, once } from 'node:events';
import { readNtp, writeNtp, type NtpClock } from './clock.js';

export const TIMING_REQUEST = 0x52;
export const TIMING_REPLY = 0x53;

/** The answer to one request: origin = the request's transmit time, then our receive/transmit. */
export function timingReply(request: Buffer, receivedNs: bigint, sentNs: bigint): Buffer {
  const r = Buffer.alloc(32);
  r[0] = 0x80;
  r[1] = 0x80 | TIMING_REPLY;
  r.writeUInt16BE(7, 2);
  if (request.length >= 32) request.copy(r, 8, 24, 32);
  writeNtp(r, 16, receivedNs);
  writeNtp(r, 24, sentNs);
  return r;
}

export function isTimingRequest(b: Buffer): boolean {
  return b.length >= 32 && (b[1]! & 0x7f) === TIMING_REQUEST;
}

export { readNtp };

/** Answers timing requests on its own UDP port; emits 'request' after each answer. */
export class TimingResponder extends EventEmitter {
  private readonly socket: Socket;
  requests = 0;
  /** performance.now() of the last request. */
  lastRequestAt = performance.now();

  constructor(private readonly clock: NtpClock, family: 'udp4' | 'udp6' = 'udp4') {
    super();
    this.socket = createSocket(family);
    this.socket.on('message', (msg, rinfo) => {
      const received = this.clock.nowNs();
      if (!isTimingRequest(msg)) return;
      this.socket.send(timingReply(msg, received, this.clock.nowNs()), rinfo.port, rinfo.address);
      this.requests++;
      this.lastRequestAt = performance.now();
      this.emit('request');
    });
    this.socket.on('error', () => {}); // ICMP unreachable once the receiver is gone: nothing to do
  }

  async bind(address: string): Promise<number> {
    this.socket.bind(0, address);
    await once(this.socket, 'listening');
    return this.socket.address().port;
  }

  /** Resolves once the receiver has asked for (and got) the time at least once. */
  async firstRequest(timeoutMs: number): Promise<void> {
    if (this.requests > 0) return;
    try {
      await once(this, 'request', { signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new Error(`the receiver asked for no timing within ${timeoutMs} ms`);
    }
  }

  close(): void {
    this.socket.close();
  }
}
