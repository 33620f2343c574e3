// The control port: our sync packets go out here, and the receiver's retransmit requests
// (0x80 0xD5: first missing seq at 4, count at 6) come in; we resend from a short history as
// 0x80 0xD6 + the original packet, which shairport-sync 3.3.8 reads on this port (rtp.c).
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';

const HISTORY = 1024; // packets kept for resends (~8 s)

export class ControlChannel {
  private readonly socket: Socket;
  private readonly history = new Map<number, Buffer>();
  resent = 0;

  /** Known after SETUP. */
  remote: { address: string; controlPort: number; serverPort: number } | undefined;

  constructor(family: 'udp4' | 'udp6') {
    this.socket = createSocket(family);
    this.socket.on('message', (msg) => this.onMessage(msg));
    this.socket.on('error', () => {}); // ICMP unreachable after the receiver goes: nothing to do
  }

  async bind(address: string): Promise<number> {
    this.socket.bind(0, address);
    await once(this.socket, 'listening');
    return this.socket.address().port;
  }

  sendAudio(seq: number, packet: Buffer): void {
    this.history.set(seq, packet);
    this.history.delete((seq - HISTORY) & 0xffff);
    if (this.remote) this.socket.send(packet, this.remote.serverPort, this.remote.address);
  }

  sendControl(packet: Buffer): void {
    if (this.remote) this.socket.send(packet, this.remote.controlPort, this.remote.address);
  }

  close(): void {
    this.socket.close();
  }

  private onMessage(msg: Buffer): void {
    if (msg.length < 8 || (msg[1]! & 0x7f) !== 0x55) return;
    const first = msg.readUInt16BE(4);
    const count = msg.readUInt16BE(6);
    for (let i = 0; i < count && i < HISTORY; i++) {
      const seq = (first + i) & 0xffff;
      const p = this.history.get(seq);
      if (!p) continue;
      const head = Buffer.from([0x80, 0xd6, 0, 0]);
      head.writeUInt16BE(seq, 2);
      this.sendControl(Buffer.concat([head, p]));
      this.resent++;
    }
  }
}
