// A software Sendspin player that behaves like a device: it says hello with the player and
// controller roles, keeps its clock synced to the server's (time-sync.ts, as the reference client),
// turns each audio chunk's server time into its own clock (CLOCK_MONOTONIC) and plays it then
// (output.ts). It connects to a server (client-initiated) or waits for one (`_sendspin._tcp`,
// server-initiated). Every event is a JSON line through `log`.
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { BINARY_AUDIO, decodeBinary, type AudioFormat } from '../protocol.js';
import { ScheduledOutput } from '../../shared/scheduled-output.js';
import { TimeSync } from './time-sync.js';

export const PLAYER_FORMAT: AudioFormat = { codec: 'pcm', sample_rate: 44100, channels: 2, bit_depth: 16 };
const BYTES_PER_SECOND = 44100 * 4;

/** CLOCK_MONOTONIC in µs: the player's own clock. */
export const localMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** Volume 0..100 → amplitude, as the reference's perceptualGain (dist/audio/scheduler.js). */
export const perceptualGain = (volume: number): number => Math.pow(volume / 100, 1.5);

export interface EmulatedPlayerOptions {
  clientId: string;
  name: string;
  /** Bytes of audio it holds ahead of play time (player@v1_support.buffer_capacity). */
  bufferCapacity?: number;
  out: NodeJS.WritableStream;
  log: (event: Record<string, unknown>) => void;
}

interface ServerLink {
  ws: WebSocket;
  serverId: string | null;
  reason: 'discovery' | 'playback' | null;
}

export class EmulatedPlayer extends EventEmitter {
  volume = 100;
  muted = false;
  private link: ServerLink | null = null;
  private streaming = false;
  private readonly output: ScheduledOutput;
  private readonly sync: TimeSync;
  /** Chunks that came before the first clock sync. */
  private early: { ts: number; data: Buffer }[] = [];
  /** Chunks held and not yet played, to check the server keeps within buffer_capacity. */
  private held: { endUs: number; bytes: number }[] = [];
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly capacity: number;

  constructor(private readonly opts: EmulatedPlayerOptions) {
    super();
    this.capacity = opts.bufferCapacity ?? 4 * BYTES_PER_SECOND;
    this.output = new ScheduledOutput(opts.out, localMicros, {
      late: (frames) => opts.log({ event: 'late', frames }),
      drained: () => opts.log({ event: 'drained' }),
    });
    this.sync = new TimeSync(
      (t) => this.send({ type: 'client/time', payload: { client_transmitted: t } }),
      localMicros,
      (rttUs) => this.onSynced(rttUs),
      (rttUs) => opts.log({ event: 'sync-skipped', rttUs }),
    );
  }

  /** Client-initiated: connects to a server's `ws://host:port/path`. */
  async connect(url: string): Promise<void> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    this.adopt(ws);
  }

  /** Server-initiated: waits for servers on `path`; resolves with the port. */
  async listen(host: string, port: number, path: string): Promise<number> {
    this.http = createServer((_q, res) => res.writeHead(426).end());
    this.wss = new WebSocketServer({ server: this.http, path });
    this.wss.on('connection', (ws) => this.adopt(ws));
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(port, host, () => resolve());
    });
    return (this.http.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.sync.stop();
    this.output.close();
    if (this.link) {
      this.send({ type: 'client/goodbye', payload: { reason: 'shutdown' } });
      this.link.ws.close(1000, 'shutdown');
    }
    this.wss?.close();
    if (this.http) await new Promise<void>((resolve) => this.http!.close(() => resolve()));
  }

  private send(m: { type: string; payload: unknown }, ws = this.link?.ws): void {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
  }

  private adopt(ws: WebSocket): void {
    const link: ServerLink = { ws, serverId: null, reason: null };
    ws.on('message', (data, isBinary) => this.onMessage(link, data as Buffer, isBinary));
    ws.on('close', (code, reason) => {
      this.opts.log({ event: 'disconnected', code, reason: reason.toString() });
      if (this.link === link) {
        this.link = null;
        this.sync.stop();
        this.endStream();
      }
    });
    ws.on('error', (err) => this.opts.log({ event: 'socket-error', error: err.message }));
    this.send(
      {
        type: 'client/hello',
        payload: {
          client_id: this.opts.clientId,
          name: this.opts.name,
          version: 1,
          supported_roles: ['player@v1', 'controller@v1'],
          device_info: { product_name: 'homecast Sendspin emulator', manufacturer: 'homecast', software_version: '0.1.0' },
          'player@v1_support': { supported_formats: [PLAYER_FORMAT], buffer_capacity: this.capacity, supported_commands: ['volume', 'mute'] },
        },
      },
      ws,
    );
  }

  /** After hello: the spec's rule for a second server (spec "Multiple Servers"), without a stored history. */
  private onHello(link: ServerLink, p: { server_id: string; name: string; connection_reason: 'discovery' | 'playback' }): void {
    link.serverId = p.server_id;
    link.reason = p.connection_reason;
    const current = this.link;
    if (current && current !== link) {
      const keepCurrent = p.connection_reason !== 'playback';
      const drop = keepCurrent ? link : current;
      this.send({ type: 'client/goodbye', payload: { reason: 'another_server' } }, drop.ws);
      drop.ws.close(1000, 'another server');
      if (keepCurrent) return;
      this.sync.stop();
      this.endStream();
    }
    this.link = link;
    this.opts.log({ event: 'hello', server: p.server_id, name: p.name, reason: p.connection_reason });
    this.send({ type: 'client/state', payload: { state: 'synchronized', player: { volume: this.volume, muted: this.muted } } });
    this.sync.reset();
    this.sync.start();
  }

  private onMessage(link: ServerLink, data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      if (link !== this.link) return;
      return this.onBinary(data);
    }
    let m: { type?: string; payload?: Record<string, unknown> };
    try {
      m = JSON.parse(data.toString('utf8')) as typeof m;
    } catch {
      return this.opts.log({ event: 'bad-message', error: 'malformed JSON from server' });
    }
    const p = (m.payload ?? {}) as Record<string, any>;
    if (m.type === 'server/hello') return this.onHello(link, p as never);
    if (link !== this.link) return;
    switch (m.type) {
      case 'server/time':
        return this.sync.onServerTime(p as never);
      case 'stream/start': {
        const f = p.player as AudioFormat | undefined;
        if (!f) return;
        const ok = f.codec === PLAYER_FORMAT.codec && f.sample_rate === PLAYER_FORMAT.sample_rate && f.channels === PLAYER_FORMAT.channels && f.bit_depth === PLAYER_FORMAT.bit_depth;
        this.streaming = ok;
        return this.opts.log({ event: ok ? 'stream-start' : 'stream-refused', format: f });
      }
      case 'stream/clear':
        if (p.roles && !(p.roles as string[]).includes('player')) return;
        this.output.clear();
        this.early = [];
        this.held = [];
        return this.opts.log({ event: 'stream-clear' });
      case 'stream/end':
        if (p.roles && !(p.roles as string[]).includes('player')) return;
        this.opts.log({ event: 'stream-end' });
        return this.endStream();
      case 'server/command':
        return this.onCommand(p.player as { command: string; volume?: number; mute?: boolean } | undefined);
      case 'server/state':
      case 'group/update':
        return this.opts.log({ event: m.type, payload: p });
      default:
        return this.opts.log({ event: 'unknown-message', type: m.type });
    }
  }

  private onBinary(buf: Buffer): void {
    let frame;
    try {
      frame = decodeBinary(buf);
    } catch (err) {
      return this.opts.log({ event: 'bad-binary', error: (err as Error).message });
    }
    if (frame.type !== BINARY_AUDIO) return;
    // "Binary messages should be rejected if there is no active stream."
    if (!this.streaming) return this.opts.log({ event: 'chunk-without-stream' });
    this.checkCapacity(frame.timestampUs, frame.data.length);
    if (!this.sync.filter.synchronized) {
      this.early.push({ ts: frame.timestampUs, data: frame.data });
      return;
    }
    this.play(frame.timestampUs, frame.data);
  }

  private play(serverUs: number, data: Buffer): void {
    if (!this.output.active) this.opts.log({ event: 'output-start', offsetUs: Math.round(this.sync.filter.offsetUs), errorUs: this.sync.filter.errorUs });
    this.output.add(this.sync.filter.clientTime(serverUs), data);
  }

  private onSynced(rttUs: number): void {
    this.opts.log({ event: 'synced', offsetUs: Math.round(this.sync.filter.offsetUs), errorUs: this.sync.filter.errorUs, rttUs });
    const early = this.early;
    this.early = [];
    for (const c of early) this.play(c.ts, c.data);
  }

  /** Logs `overflow` when the server sent more than buffer_capacity ahead of play time. */
  private checkCapacity(serverUs: number, bytes: number): void {
    const nowServer = this.sync.filter.synchronized ? this.sync.filter.serverTime(localMicros()) : -Infinity;
    this.held = this.held.filter((h) => h.endUs > nowServer);
    this.held.push({ endUs: serverUs + (bytes / BYTES_PER_SECOND) * 1e6, bytes });
    const total = this.held.reduce((s, h) => s + h.bytes, 0);
    if (total > this.capacity) this.opts.log({ event: 'overflow', bytes: total, capacity: this.capacity });
  }

  private onCommand(c: { command: string; volume?: number; mute?: boolean } | undefined): void {
    if (!c) return;
    if (c.command === 'volume' && typeof c.volume === 'number') this.volume = Math.max(0, Math.min(100, Math.round(c.volume)));
    else if (c.command === 'mute' && typeof c.mute === 'boolean') this.muted = c.mute;
    else return;
    this.output.gain = this.muted ? 0 : perceptualGain(this.volume);
    this.opts.log({ event: 'volume', volume: this.volume, muted: this.muted });
    this.send({ type: 'client/state', payload: { player: { volume: this.volume, muted: this.muted } } });
  }

  private endStream(): void {
    this.streaming = false;
    this.early = [];
    this.held = [];
    this.output.end();
  }
}
