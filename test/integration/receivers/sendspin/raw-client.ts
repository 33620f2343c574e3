// A bare Sendspin client on a `ws` socket for tests that need to send exactly what they want
// (bad input, a given buffer_capacity) and see exactly what the server sends back.
import { WebSocket } from 'ws';
import { decodeBinary, type BinaryFrame } from '../../../../receivers/sendspin/protocol.js';
import { serverMicros } from '../../../../receivers/shared/server-clock.js';

export interface Received {
  type: string;
  payload: Record<string, any>;
}

export interface RawClient {
  ws: WebSocket;
  messages: Received[];
  /** Binary frames with the server time (µs) at which each arrived. */
  chunks: (BinaryFrame & { receivedUs: number })[];
  send(type: string, payload: unknown): void;
  next(type: string, timeoutMs?: number): Promise<Received>;
  closed: Promise<{ code: number; reason: string }>;
}

export function helloPayload(id: string, o: { roles?: string[]; formats?: unknown[]; capacity?: number; commands?: string[] } = {}) {
  return {
    client_id: id,
    name: `Client ${id}`,
    version: 1,
    supported_roles: o.roles ?? ['player@v1', 'controller@v1', 'metadata@v1'],
    'player@v1_support': {
      supported_formats: o.formats ?? [{ codec: 'pcm', sample_rate: 44100, channels: 2, bit_depth: 16 }],
      buffer_capacity: o.capacity ?? 1_000_000,
      supported_commands: o.commands ?? ['volume', 'mute'],
    },
  };
}

export async function rawClient(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
  const ws = new WebSocket(url, { headers });
  const messages: Received[] = [];
  const chunks: RawClient['chunks'] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) chunks.push({ ...decodeBinary(data), receivedUs: serverMicros() });
    else messages.push(JSON.parse(data.toString()) as Received);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let seen = 0;
  return {
    ws,
    messages,
    chunks,
    closed,
    send: (type, payload) => ws.send(JSON.stringify({ type, payload })),
    /** The next message of `type` after the last one `next` returned. */
    next(type, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms; got ${messages.map((m) => m.type).join(', ')}`)), timeoutMs);
        const check = () => {
          const i = messages.findIndex((m, k) => k >= seen && m.type === type);
          if (i < 0) return void waiters.push(check);
          seen = i + 1;
          clearTimeout(timer);
          resolve(messages[i]!);
        };
        check();
      });
    },
  };
}
