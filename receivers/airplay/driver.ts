// The AirPlay (RAOP) driver: one Receiver per speaker, the shared PCM driver (shared/pcm-driver.ts:
// ffmpeg decoding, pause = FLUSH, seek, gapless preload, status from the audible position) playing
// per load to a stream of one RAOP member (speaker-stream.ts), paced like a group's. A speaker with a password gets the one from ConnectOptions (RTSP
// Digest); track info, cover art and progress go to the speaker's display with SET_PARAMETER.
import { explain, levelToDb, type AirPlayDriverOptions } from './driver-state.js';
import { RtspClient, type RaopCodec } from './raop/rtsp.js';
import type { Receiver, ReceiverDescriptor } from '../types.js';
import { codecFor, refusalFor } from './describe.js';
import { PcmDriver } from '../shared/pcm-driver.js';
import type { PcmStream } from '../shared/pcm-stream.js';
import { openSpeakerStream } from './speaker-stream.js';

export { levelToDb, type AirPlayDriverOptions } from './driver-state.js';

/** AirPlay volume in dB for a level and mute. */
export const volumeDb = (level: number, muted: boolean): number => (muted ? -144 : levelToDb(level));

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

  protected openStream(): Promise<PcmStream> {
    // This driver's port is the RAOP one (index.ts gives a combined Apple TV's RAOP endpoint here).
    const d = this.descriptor;
    return openSpeakerStream({ ...d, endpoints: { ...d.endpoints, raop: d.port } }, {
      volume: this.st.volume.level,
      muted: this.st.volume.muted,
      timeoutMs: this.opts.timeoutMs ?? 5000,
      codec: this.codec(),
      ...(this.opts.password !== undefined ? { password: this.opts.password } : {}),
      log: (m, f) => this.log(m, f),
    });
  }
}

export function connectReceiver(descriptor: ReceiverDescriptor, opts?: AirPlayDriverOptions): Receiver {
  return new AirPlayReceiver(descriptor, opts);
}
