// The AirPlay (RAOP) driver: one Receiver per speaker, the shared PCM driver (shared/pcm-driver.ts:
// ffmpeg decoding, pause = FLUSH, seek, gapless preload, status from the audible position) playing
// to one RaopSession per load. A speaker with a password gets the one from ConnectOptions (RTSP
// Digest); track info, cover art and progress go to the speaker's display with SET_PARAMETER.
import { EventEmitter } from 'node:events';
import { sendNowPlaying } from './raop/metadata.js';
import { explain, levelToDb, type AirPlayDriverOptions } from './driver-state.js';
import { RtspClient, type RaopCodec } from './raop/rtsp.js';
import { RaopSession } from './raop/sender.js';
import type { Receiver, ReceiverDescriptor } from '../types.js';
import { codecFor, refusalFor } from './describe.js';
import { PcmDriver } from '../shared/pcm-driver.js';
import type { PcmStream, PcmStreamEvents, StreamNowPlaying } from '../shared/pcm-stream.js';

export { levelToDb, type AirPlayDriverOptions } from './driver-state.js';

/** AirPlay volume in dB for a level and mute. */
export const volumeDb = (level: number, muted: boolean): number => (muted ? -144 : levelToDb(level));

/** One speaker's RAOP session as the driver's stream. */
class SessionStream extends EventEmitter<PcmStreamEvents> implements PcmStream {
  private done = false;

  constructor(
    private readonly s: RaopSession,
    private readonly log: (msg: string, fields?: object) => void,
  ) {
    super();
    s.on('error', (e: Error) => {
      this.done = true;
      this.emit('error', e);
    });
  }

  get clock() { return this.s.clock; }
  get timeline() { return this.s.timeline; }
  get latency() { return this.s.latency; }
  get packetsSent() { return this.s.packetsSent; }
  get lastFrame() { return this.s.lastFrame; }
  frameNow(): number { return this.s.frameNow(); }
  play(source: AsyncIterable<Buffer>): Promise<void> { return this.s.play(source); }
  pause(): Promise<void> { return this.s.pause(); }
  resume(): void { this.s.resume(); }
  playedOutAtNs(): bigint { return this.s.playedOutAtNs(); }

  async setVolume(level: number, muted: boolean): Promise<void> {
    await this.s.setVolume(volumeDb(level, muted));
  }

  nowPlaying(n: StreamNowPlaying): void {
    const { frame, ...rest } = n;
    sendNowPlaying(this.s.rtsp, { rtp: this.s.timeline.rtp0 + frame, ...rest }, this.log, () => !this.done);
  }

  stop(): Promise<void> {
    this.done = true;
    return this.s.stop();
  }
}

export class AirPlayReceiver extends PcmDriver {
  constructor(private readonly descriptor: ReceiverDescriptor, private readonly opts: AirPlayDriverOptions = {}) {
    super(descriptor.id, descriptor.name, opts, 'airplay driver');
  }

  protected override refuse(): void {
    super.refuse();
    const why = refusalFor(this.id);
    if (why) throw new Error(`${this.name} ${why}`);
  }

  protected override explain(e: unknown): Error {
    return explain(e, this.name);
  }

  /** Checks the speaker answers RTSP (OPTIONS), and that we can play to it. */
  async connect(): Promise<void> {
    this.refuse();
    const rtsp = await RtspClient.connect(this.descriptor.host, this.descriptor.port, this.opts.timeoutMs ?? 5000, this.opts.password);
    try {
      await rtsp.options();
    } catch (e) {
      throw explain(e, this.name);
    } finally {
      rtsp.close();
    }
  }

  /** ALAC unless the speaker's TXT `cn` lists PCM without ALAC (describe.ts codecFor). */
  private codec(): RaopCodec {
    return this.opts.codec ?? codecFor(this.id);
  }

  protected async openStream(): Promise<PcmStream> {
    const session = await RaopSession.open({
      host: this.descriptor.host,
      port: this.descriptor.port,
      volume: volumeDb(this.st.volume.level, this.st.volume.muted),
      timeoutMs: this.opts.timeoutMs ?? 5000,
      codec: this.codec(),
      ...(this.opts.password !== undefined ? { password: this.opts.password } : {}),
    });
    return new SessionStream(session, (m, f) => this.log(m, f));
  }
}

export function connectReceiver(descriptor: ReceiverDescriptor, opts?: AirPlayDriverOptions): Receiver {
  return new AirPlayReceiver(descriptor, opts);
}
