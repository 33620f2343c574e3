// One Opus encoder for every Cast member of one synced stream (issue 17: "Opus encode once per
// group, encrypt per member"). The stream hands each member the same PCM as the same timeline
// frames (shared/timeline-member.ts), so the first member to hand a frame over feeds the encoder
// and the others' copies are skipped. Every packet goes to every member attached, placed on the
// stream's timeline (48 kHz samples from timeline frame 0); each member then encrypts it with its
// own key and frame ids and sends it with its own SSRC, window and resends (sender.ts). A member
// that joins a running stream is given the recent packets from its first frame on, starting at a
// packet boundary of the shared run: its Opus frames are the others' frames, at the same places.
// One per stream (keyed by its Timeline, gone with it): the encoder runs from the first Cast
// member's first frame until the last one leaves (or all flush, for a pause or seek).
import type { Timeline } from '../../airplay/raop/clock.js';
import { SAMPLE_RATE } from '../../airplay/raop/clock.js';
import { OPUS_FRAME_SAMPLES, OPUS_RATE, OpusEncoder } from './opus.js';

/** 48 kHz samples per 44.1 kHz frame. */
const RATIO = OPUS_RATE / SAMPLE_RATE;
/** A gap in the frames handed over shorter than this is filled with silence rather than restarting the encoder. */
const MAX_FILL_FRAMES = SAMPLE_RATE / 2;
/** Packets kept for members that join: what the stream backfills a joiner with is within its latency (2 s). */
const KEEP_SAMPLES = 4 * OPUS_RATE;

export interface PlacedOpus {
  /** 48 kHz samples from timeline frame 0 to the first sample the packet decodes to. */
  at: number;
  data: Buffer;
}

/** A member's end of the shared encoder. */
export interface OpusTap {
  onPacket(p: PlacedOpus): void;
  onError(e: Error): void;
}

interface Run {
  /** Timeline frame of the encoder's first input frame. */
  f0: number;
  next: number;
  encoder: OpusEncoder;
  recent: PlacedOpus[];
}

export interface SharedOpusOptions {
  ffmpegPath?: string;
}

const byTimeline = new WeakMap<Timeline, SharedOpus>();

export class SharedOpus {
  /** Encoders started since the process began (tests and benches count them). */
  static started = 0;
  private run: Run | undefined;
  /** Attached taps and the first sample (48 kHz, timeline) each wants. */
  private readonly taps = new Map<OpusTap, number>();

  constructor(private readonly opts: SharedOpusOptions = {}) {}

  /** The encoder of the stream on `timeline` (made by its first Cast member). */
  static forTimeline(timeline: Timeline, opts: SharedOpusOptions = {}): SharedOpus {
    let s = byTimeline.get(timeline);
    if (!s) {
      s = new SharedOpus(opts);
      byTimeline.set(timeline, s);
    }
    return s;
  }

  /**
   * `tap` gets the packets from timeline frame `frame` on: the recent ones the encoder already
   * made (from the first whose start is at or after that frame), then each as it comes. On a stream
   * not yet encoding, or from the run's first frame, it gets the run from its first packet.
   */
  attach(tap: OpusTap, frame: number): void {
    const r = this.run;
    const from = !r || frame <= r.f0 ? -Infinity : Math.ceil(frame * RATIO);
    this.taps.set(tap, from);
    for (const p of r?.recent ?? []) if (p.at >= from) tap.onPacket(p);
  }

  /** Out of the stream; the encoder stops with the last tap. */
  detach(tap: OpusTap): void {
    if (this.taps.delete(tap) && !this.taps.size) this.stop();
  }

  /** PCM (s16le 44.1 kHz stereo) as timeline frame `frame`: encoded once, whichever member hands it over first. */
  write(pcm: Buffer, frame: number): void {
    let r = this.run;
    const frames = pcm.length / 4;
    if (r && frame < r.next) {
      // Handed over already by another member (or before this run: a joiner's backfill from before a restart).
      if (frame < r.f0 || frame + frames <= r.next) return;
      pcm = pcm.subarray((r.next - frame) * 4);
      frame = r.next;
    }
    if (r && frame > r.next && frame - r.next <= MAX_FILL_FRAMES) {
      r.encoder.write(Buffer.alloc((frame - r.next) * 4));
      r.next = frame;
    }
    if (!r || frame !== r.next) r = this.newRun(frame);
    r.encoder.write(pcm);
    r.next = frame + pcm.length / 4;
  }

  private newRun(f0: number): Run {
    this.stop();
    // Members attached get the new run from its start.
    for (const t of this.taps.keys()) this.taps.set(t, -Infinity);
    SharedOpus.started++;
    const run: Run = {
      f0, next: f0, recent: [],
      encoder: new OpusEncoder(
        (p) => {
          if (this.run !== run) return;
          // Packet n decodes to samples from n·960 − pre-skip: Cast RTP has no pre-skip, so the place carries it.
          const placed = { at: Math.round(f0 * RATIO) + p.index * OPUS_FRAME_SAMPLES - run.encoder.preSkip, data: p.data };
          run.recent.push(placed);
          while (run.recent[0]!.at < placed.at - KEEP_SAMPLES) run.recent.shift();
          for (const [t, from] of [...this.taps]) if (placed.at >= from) t.onPacket(placed);
        },
        (e) => {
          if (this.run !== run) return;
          this.stop();
          for (const t of [...this.taps.keys()]) t.onError(e);
        },
        this.opts.ffmpegPath ? { ffmpegPath: this.opts.ffmpegPath } : {},
      ),
    };
    this.run = run;
    return run;
  }

  /** Ends the run (a pause or seek flushes every member: the next frame starts a new one). */
  private stop(): void {
    this.run?.encoder.close();
    this.run = undefined;
  }
}
