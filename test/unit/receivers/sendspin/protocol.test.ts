import { describe, expect, it } from 'vitest';
import {
  activateRoles,
  decodeBinary,
  encodeAudioChunk,
  groupUpdate,
  parseClientMessage,
  playerCommand,
  serverHello,
  serverState,
  serverTime,
  streamClear,
  streamEnd,
  streamStart,
} from '../../../../receivers/sendspin/protocol.js';

const text = (type: string, payload: unknown) => JSON.stringify({ type, payload });

// The hello @sendspin/sendspin-js 3.2.1 sends (core/protocol-handler.js sendClientHello), in Node.
const jsHello = {
  client_id: 'sendspin-js-ab12',
  name: 'Sendspin JS Client (ab12)',
  version: 1,
  supported_roles: ['player@v1', 'controller@v1', 'metadata@v1'],
  device_info: { product_name: 'Web Browser', manufacturer: 'Unknown', software_version: 'Unknown' },
  'player@v1_support': {
    supported_formats: [
      { codec: 'pcm', sample_rate: 48000, channels: 2, bit_depth: 16 },
      { codec: 'pcm', sample_rate: 44100, channels: 2, bit_depth: 16 },
    ],
    buffer_capacity: 5 * 1024 * 1024,
    supported_commands: ['volume', 'mute'],
  },
};

describe('Sendspin client messages', () => {
  it('parses the reference client hello', () => {
    const r = parseClientMessage(text('client/hello', jsHello));
    expect(r).toEqual({ ok: true, message: { type: 'client/hello', payload: jsHello } });
  });

  it('parses every other client message, dropping extra keys the reference adds', () => {
    expect(parseClientMessage(text('client/time', { client_transmitted: 123456 }))).toEqual({ ok: true, message: { type: 'client/time', payload: { client_transmitted: 123456 } } });
    // sendspin-js puts its state inside `player` with fields the spec does not have.
    const state = parseClientMessage(text('client/state', { player: { state: 'synchronized', volume: 40, muted: false, static_delay_ms: 0, supported_commands: ['set_static_delay'] } }));
    expect(state).toEqual({ ok: true, message: { type: 'client/state', payload: { player: { volume: 40, muted: false } } } });
    expect(parseClientMessage(text('client/state', { state: 'external_source' }))).toMatchObject({ ok: true, message: { payload: { state: 'external_source' } } });
    expect(parseClientMessage(text('client/command', { controller: { command: 'volume', volume: 30 } }))).toMatchObject({ ok: true, message: { payload: { controller: { command: 'volume', volume: 30 } } } });
    expect(parseClientMessage(text('stream/request-format', { player: { codec: 'flac', sample_rate: 48000 } }))).toMatchObject({ ok: true, message: { payload: { player: { codec: 'flac' } } } });
    expect(parseClientMessage(text('stream/request-format', { artwork: { channel: 0, source: 'none' } }))).toMatchObject({ ok: true });
    expect(parseClientMessage(text('client/goodbye', { reason: 'shutdown' }))).toMatchObject({ ok: true, message: { payload: { reason: 'shutdown' } } });
    const art = { ...jsHello, supported_roles: ['artwork@v1'], 'artwork@v1_support': { channels: [{ source: 'album', format: 'jpeg', media_width: 800, media_height: 800 }] } };
    expect(parseClientMessage(text('client/hello', art))).toMatchObject({ ok: true });
  });

  it('refuses malformed JSON, unknown types and bad payloads with a reason', () => {
    expect(parseClientMessage('{"type":')).toMatchObject({ ok: false, reason: 'json', error: expect.stringMatching(/^malformed JSON/) });
    expect(parseClientMessage('[1,2]')).toMatchObject({ ok: false, reason: 'payload' });
    expect(parseClientMessage(text('client/dance', {}))).toEqual({ ok: false, reason: 'type', error: 'unknown message type "client/dance"' });
    expect(parseClientMessage(text('client/time', { client_transmitted: 'now' }))).toMatchObject({ ok: false, reason: 'payload', error: expect.stringContaining('client_transmitted') });
    expect(parseClientMessage(text('client/hello', { ...jsHello, version: 2 }))).toMatchObject({ ok: false, reason: 'payload', error: expect.stringContaining('version') });
    expect(parseClientMessage(text('client/command', { controller: { command: 'volume', volume: 101 } }))).toMatchObject({ ok: false, reason: 'payload' });
    expect(parseClientMessage(text('client/goodbye', { reason: 'bored' }))).toMatchObject({ ok: false });
    expect(parseClientMessage(text('client/state', { player: { volume: -1 } }))).toMatchObject({ ok: false });
  });

  it('ignores application-specific messages (types starting with _)', () => {
    expect(parseClientMessage(text('_myapp/ping', { x: 1 }))).toEqual({ ok: true, ignored: '_myapp/ping' });
  });

  it('activates the first listed version per role family and notes roles it does not implement', () => {
    expect(activateRoles(['player@v2', 'player@v1', 'controller@v1', '_x@v1', 'metadata@v1', 'metadata@v1'])).toEqual({ active: ['player@v1', 'controller@v1', 'metadata@v1'], unknown: [] });
    expect(activateRoles(['player@v2', 'lights@v1'])).toEqual({ active: [], unknown: ['player@v2', 'lights@v1'] });
  });
});

describe('Sendspin server messages', () => {
  it('builds each message as the spec names it', () => {
    expect(serverHello({ server_id: 's1', name: 'Homecast', active_roles: ['player@v1'], connection_reason: 'discovery' })).toEqual({
      type: 'server/hello',
      payload: { server_id: 's1', name: 'Homecast', version: 1, active_roles: ['player@v1'], connection_reason: 'discovery' },
    });
    expect(serverTime({ client_transmitted: 1, server_received: 2, server_transmitted: 3 })).toEqual({ type: 'server/time', payload: { client_transmitted: 1, server_received: 2, server_transmitted: 3 } });
    expect(playerCommand({ command: 'volume', volume: 40 })).toEqual({ type: 'server/command', payload: { player: { command: 'volume', volume: 40 } } });
    expect(streamStart({ player: { codec: 'pcm', sample_rate: 44100, channels: 2, bit_depth: 16 } })).toEqual({ type: 'stream/start', payload: { player: { codec: 'pcm', sample_rate: 44100, channels: 2, bit_depth: 16 } } });
    expect(streamClear(['player'])).toEqual({ type: 'stream/clear', payload: { roles: ['player'] } });
    expect(streamEnd()).toEqual({ type: 'stream/end', payload: {} });
    expect(groupUpdate({ playback_state: 'playing' })).toEqual({ type: 'group/update', payload: { playback_state: 'playing' } });
    expect(serverState({ controller: { supported_commands: ['play'], volume: 50, muted: false } }).payload.controller?.volume).toBe(50);
  });
});

describe('Sendspin binary audio chunks', () => {
  it('is type 4, a big-endian int64 timestamp in µs, then the audio bytes', () => {
    const ts = 3_973_000_000_123_456; // NTP-epoch µs, as serverMicros() gives: beyond 2^32, within 2^53
    const chunk = encodeAudioChunk(ts, Buffer.from([1, 2, 3, 4]));
    expect(chunk.length).toBe(13);
    expect(chunk[0]).toBe(4);
    expect(chunk.readBigInt64BE(1)).toBe(BigInt(ts));
    expect([...chunk.subarray(9)]).toEqual([1, 2, 3, 4]);
    const d = decodeBinary(chunk);
    expect(d.type).toBe(4);
    expect(d.timestampUs).toBe(ts);
    expect([...d.data]).toEqual([1, 2, 3, 4]);
  });

  it('refuses a frame too short to hold a timestamp', () => {
    expect(() => decodeBinary(Buffer.from([4, 0, 0]))).toThrow(/at least 9/);
  });
});
