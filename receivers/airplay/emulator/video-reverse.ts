// The AirPlay 1 event channel, device side: the client opens `POST /reverse` with
// `Upgrade: PTTH/1.0`; we answer 101 and from then on WE send HTTP requests (`POST /event`, an XML
// plist { category, sessionID, state }) on that socket [docs/protocols.md §4, watson/reverse-http].
// Quirks [LAB]: every event needs a Host header (the client's Node parser answers 400 and drops
// it otherwise); /play can arrive before /reverse, so events wait in a queue until a reverse
// socket exists; a client opens a new one before each play, so several may come and go.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { toXmlPlist, type PlistValue } from '../video/plist.js';

const MAX_QUEUED = 32;

export class ReverseChannel {
  private readonly sockets: Duplex[] = [];
  private queue: Record<string, PlistValue>[] = [];
  private sessionId = '00000000-0000-0000-0000-000000000000';

  constructor(private readonly onOpen: (open: number) => void) {}

  get open(): number {
    return this.sockets.length;
  }

  /** An `upgrade` for /reverse: switch protocols and keep the socket for events. */
  accept(req: IncomingMessage, socket: Duplex): void {
    const sid = req.headers['x-apple-session-id'];
    if (typeof sid === 'string' && sid) this.sessionId = sid;
    socket.write('HTTP/1.1 101 Switching Protocols\r\nDate: ' + new Date().toUTCString() + '\r\nUpgrade: PTTH/1.0\r\nConnection: Upgrade\r\n\r\n');
    this.sockets.push(socket);
    socket.on('data', () => undefined); // the client's answers to our events
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const i = this.sockets.indexOf(socket);
      if (i >= 0) this.sockets.splice(i, 1);
    });
    this.onOpen(this.sockets.length);
    const queued = this.queue;
    this.queue = [];
    for (const e of queued) this.write(socket, e);
  }

  /** A `video` state event to the newest reverse socket, or queued until one exists. */
  state(state: 'loading' | 'playing' | 'paused' | 'stopped', extra: Record<string, PlistValue> = {}): void {
    const e: Record<string, PlistValue> = { category: 'video', sessionID: 1, state, ...extra };
    const socket = this.sockets.at(-1);
    if (socket && !socket.destroyed) return this.write(socket, e);
    this.queue.push(e);
    if (this.queue.length > MAX_QUEUED) this.queue.shift();
  }

  /** A new item: what was waiting for a reverse socket was about the old one. */
  dropQueued(): void {
    this.queue = [];
  }

  private write(socket: Duplex, e: Record<string, PlistValue>): void {
    const body = Buffer.from(toXmlPlist(e), 'utf8');
    const head = [
      'POST /event HTTP/1.1',
      'Host: homecast-airplay-emulator', // any value: the client's parser only needs one
      'Content-Type: text/x-apple-plist+xml',
      `Content-Length: ${body.length}`,
      `X-Apple-Session-ID: ${this.sessionId}`,
    ].join('\r\n');
    socket.write(Buffer.concat([Buffer.from(head + '\r\n\r\n'), body]));
  }

  close(): void {
    for (const s of this.sockets.splice(0)) s.destroy();
    this.queue = [];
  }
}
