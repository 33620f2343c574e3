// One AirPlay device with both abilities (an Apple TV, or a speaker that also announces
// `_airplay._tcp`): video and photo loads go to the AirPlay video driver, audio loads to the RAOP
// driver when the device has RAOP (else the video driver plays the audio URL too). Commands,
// status and capabilities follow whichever driver took the last load; the other one is stopped
// when the active one changes, so the device never plays two things.
import { EventEmitter } from 'node:events';
import type { Capabilities, LoadRequest, Receiver, ReceiverEvents, ReceiverStatus } from '../../types.js';

export class CombinedAirPlayReceiver extends EventEmitter<ReceiverEvents> implements Receiver {
  readonly id: string;
  private active: Receiver;
  private audioConnected = false;

  constructor(private readonly video: Receiver, private readonly audio: Receiver | undefined) {
    super();
    this.id = video.id;
    this.active = video;
    for (const r of [video, audio]) {
      if (!r) continue;
      r.on('status', (s) => r === this.active && this.emit('status', s));
      r.on('gone', (why) => r === this.active && this.emit('gone', why));
    }
  }

  get capabilities(): Capabilities {
    return this.active.capabilities;
  }

  status(): ReceiverStatus {
    return this.active.status();
  }

  /** The video side answers for the device (RAOP is checked on the first audio load). */
  connect(): Promise<void> {
    return this.video.connect();
  }

  async load(req: LoadRequest): Promise<void> {
    const target = req.metadata.kind === 'audio' && this.audio ? this.audio : this.video;
    if (target !== this.active) {
      const before = this.active;
      this.active = target;
      if (before.status().state !== 'idle') await before.stop().catch(() => undefined);
    }
    if (target === this.audio && !this.audioConnected) {
      await target.connect();
      this.audioConnected = true;
    }
    await target.load(req);
  }

  /** Gapless on the RAOP side: the next track goes into the same stream. Anything else loads as usual. */
  preload(next: LoadRequest): void {
    if (this.active === this.audio && next.metadata.kind === 'audio') this.audio.preload?.(next);
  }

  play(): Promise<void> {
    return this.active.play();
  }

  pause(): Promise<void> {
    return this.active.pause();
  }

  seek(seconds: number): Promise<void> {
    return this.active.seek(seconds);
  }

  stop(): Promise<void> {
    return this.active.stop();
  }

  setVolume(level: number): Promise<void> {
    return this.active.setVolume(level);
  }

  setMuted(muted: boolean): Promise<void> {
    return this.active.setMuted(muted);
  }

  async close(): Promise<void> {
    await Promise.all([this.video.close(), this.audio?.close()]);
  }
}
