// Types for the npm package airplay-protocol 2.0.2 (watson/airplay-protocol, index.js), which ships
// none. Only what the package really does: every callback gets (err, res, body) where err is set
// for any status but 200, and body is parsed by the exact response Content-Type (XML plist,
// binary plist or text/parameters; anything else stays a Buffer).
declare module 'airplay-protocol' {
  import type { EventEmitter } from 'node:events';
  import type { Agent, IncomingMessage, RequestOptions, Server } from 'node:http';

  type Callback<T = unknown> = (err: Error | undefined, res: IncomingMessage, body: T) => void;

  class AirPlay extends EventEmitter {
    constructor(host: string, port?: number);
    host: string;
    port: number;
    /** 'loading' | 'playing' | 'paused' | 'stopped', from the last reverse event. */
    state?: string;
    /** keepAlive, maxSockets 1: the Apple TV stops playing when the /play connection closes. */
    _agent: Agent;
    /** The reverse-http server of the last play() (a PTTH/1.0 upgraded socket); emits 'error'. */
    _rserver?: Server & { destroy(): void };
    serverInfo(cb: Callback<Record<string, unknown>>): void;
    /** Opens /reverse, then POSTs /play with a text/parameters body; position is a 0..1 fraction. */
    play(url: string, position: number, cb?: Callback): void;
    play(url: string, cb?: Callback): void;
    scrub(position: number, cb?: Callback): void;
    scrub(cb: Callback<{ duration?: number; position?: number }>): void;
    rate(speed: number, cb?: Callback): void;
    pause(cb?: Callback): void;
    resume(cb?: Callback): void;
    stop(cb?: Callback): void;
    playbackInfo(cb: Callback<Record<string, unknown> | Buffer>): void;
    property(name: string, value: unknown, cb: Callback): void;
    property(name: string, cb: Callback): void;
    close(cb?: () => void): void;
    destroy(): void;
    _request(method: string, path: string, body: unknown, cb: Callback): void;
    _request(method: string, path: string, cb: Callback): void;
    _reqOpts(method: string, path: string, body: unknown): RequestOptions & { body?: Buffer | string };
    // Reverse events: the parsed plist of each POST /event ({ category, sessionID, state }).
    on(event: 'event', listener: (data: Record<string, unknown> | Buffer) => void): this;
  }
  export = AirPlay;
}
