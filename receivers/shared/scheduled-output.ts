// A software receiver's "DAC" (the Sendspin player's, the Cast Streaming receiver's): s16le
// 44.1 kHz stereo on a byte stream, in shairport-sync 3.3.8's stdout convention so a test can place the output in time (test/integration/receivers/airplay/
// schedule.ts; docs/testing.md "Measuring whether two speakers play in sync"): when a stream starts, silence as long as (the first
// chunk's play time − now) is written at once (the output is a "virtual DAC" started now), then
// each period is written exactly `leadMs` before its first frame plays (never early: a read says
// "this frame plays no later than read time + lead"); with nothing to play, silence goes on.
// Chunks are placed by their play time on the local clock. A chunk that lands less than 1 ms from
// where the previous one ended is joined to it: the clock filter moves a little at each sync burst,
// and the reference's scheduler leaves sync errors under 1 ms alone (@sendspin/sendspin-js
// dist/audio/scheduler.js DEFAULT_CORRECTION_THRESHOLDS.sync.deadbandBelowMs). Beyond that it
// jumps to the new place (the reference corrects 1–8 ms by inserting or dropping samples; a jump
// is what its resync does). Late frames are dropped (spec "Playback Synchronization").

const RATE = 44100;
const BYTES_PER_FRAME = 4;
/** Frames (1 ms) within which a chunk is joined to the previous one instead of leaving a gap or overlap. */
const JOIN_FRAMES = Math.round(RATE / 1000);
/** Wake this long before a period is due and wait out the rest without sleeping (timers run late). */
const SPIN_US = 1500;

interface Pending {
  frame: number;
  data: Buffer;
}

export interface OutputEvents {
  /** `frames` of audio for output frames from `atFrame` on came after they were written (dropped). */
  late: (frames: number, atFrame: number) => void;
  drained: () => void;
}

export class ScheduledOutput {
  /** Linear gain applied to the samples (volume). */
  gain = 1;
  private running = false;
  private ending = false;
  /** Closed for good (the session is over): audio still handed in is not played. */
  private closed = false;
  /** Local µs at which output frame 0 plays. */
  private originUs = 0;
  /** Next output frame to write. */
  private cursor = 0;
  private pending: Pending[] = [];
  private expectedNext: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly nowUs: () => number,
    private readonly on: Partial<OutputEvents> = {},
    private readonly leadMs = 1000,
    private readonly periodFrames = 1024,
  ) {}

  /** The output frame playing now (counted from this output's start), for messages. */
  get frameNow(): number {
    return this.running ? Math.round(((this.nowUs() - this.originUs) * RATE) / 1e6) : this.cursor;
  }

  get active(): boolean {
    return this.running;
  }

  /** Plays `pcm` starting at local time `playUs`; starts the output clock if it is not running. */
  add(playUs: number, pcm: Buffer): void {
    // A decoder's last output can come after the session closed: restarting here would write a
    // lead-in of up to the target delay at once and then silence for ever, into the next session.
    if (this.closed) return;
    this.ending = false;
    if (!this.running) this.start(playUs);
    let frame = Math.round(((playUs - this.originUs) * RATE) / 1e6);
    if (this.expectedNext !== null && Math.abs(frame - this.expectedNext) <= JOIN_FRAMES) frame = this.expectedNext;
    let data = pcm.subarray(0, pcm.length - (pcm.length % BYTES_PER_FRAME));
    const frames = data.length / BYTES_PER_FRAME;
    this.expectedNext = frame + frames;
    if (frame < this.cursor) {
      const late = Math.min(frames, this.cursor - frame);
      this.on.late?.(late, frame);
      data = data.subarray(late * BYTES_PER_FRAME);
      frame += late;
      if (!data.length) return;
    }
    this.pending.push({ frame, data });
  }

  /** stream/clear: drops what is queued; the output runs on (silence). */
  clear(): void {
    this.pending = [];
    this.expectedNext = null;
  }

  /**
   * stream/end: "clients should stop output and clear buffers" (the spec's `stream/end`;
   * @sendspin/sendspin-js dist/core/protocol-handler.js handleStreamEnd stops its scheduler too):
   * what is queued is dropped and writing stops. The server ends a stream that ran out only once
   * its last audio was heard, so nothing audible is lost then; after a stop or a move it is silent
   * at once, like the speakers.
   */
  end(): void {
    this.ending = true;
    this.pending = [];
    this.expectedNext = null;
    if (this.running) this.stop();
  }

  close(): void {
    this.closed = true;
    this.pending = [];
    this.stop();
  }

  private start(firstPlayUs: number): void {
    this.running = true;
    // The frame at the cursor plays now; silence up to the first chunk goes out at once.
    const now = this.nowUs();
    this.originUs = now - (this.cursor * 1e6) / RATE;
    const leadIn = Math.max(0, Math.round(((firstPlayUs - now) * RATE) / 1e6));
    if (leadIn) {
      this.out.write(Buffer.alloc(leadIn * BYTES_PER_FRAME));
      this.cursor += leadIn;
    }
    this.tick();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) {
      this.running = false;
      this.on.drained?.();
    }
  }

  private releaseUs(frame: number): number {
    return this.originUs + (frame * 1e6) / RATE - this.leadMs * 1000;
  }

  private tick(): void {
    this.timer = null;
    if (!this.running) return;
    let now = this.nowUs();
    const due = this.releaseUs(this.cursor);
    if (due - now <= SPIN_US) {
      while (now < due) now = this.nowUs();
      while (this.running && this.releaseUs(this.cursor) <= now) {
        this.writePeriod();
        if (this.ending && !this.pending.length) return this.stop();
      }
    }
    const next = this.releaseUs(this.cursor) - this.nowUs();
    this.timer = setTimeout(() => this.tick(), Math.max(0, (next - SPIN_US) / 1000));
  }

  private writePeriod(): void {
    const from = this.cursor;
    const to = from + this.periodFrames;
    const buf = Buffer.alloc(this.periodFrames * BYTES_PER_FRAME);
    for (const p of this.pending) {
      const pEnd = p.frame + p.data.length / BYTES_PER_FRAME;
      if (pEnd <= from || p.frame >= to) continue;
      const a = Math.max(from, p.frame);
      const b = Math.min(to, pEnd);
      p.data.copy(buf, (a - from) * BYTES_PER_FRAME, (a - p.frame) * BYTES_PER_FRAME, (b - p.frame) * BYTES_PER_FRAME);
    }
    this.pending = this.pending.filter((p) => p.frame + p.data.length / BYTES_PER_FRAME > to);
    if (this.gain !== 1) {
      for (let i = 0; i < buf.length; i += 2) buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(buf.readInt16LE(i) * this.gain))), i);
    }
    this.cursor = to;
    this.out.write(buf);
  }
}
