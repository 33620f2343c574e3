// When does a shairport-sync speaker play a given output sample? Its stdout backend has no delay():
// after writing a lead-in of silence at once, it releases every packet exactly `leadMs` (1.0 s)
// before that packet's presentation time, and never stuffs or drops frames (docs/testing.md "Measuring
// whether two speakers play in sync"). So each read of the output, stamped on arrival, says
// "frame f plays no later than (read time + leadMs)"; a read can only arrive late, never early, so
// the lower envelope of (read time + leadMs − f / 44.1) over the steady part of a session is the
// time at which output frame 0 would play, and frame n plays n / 44.1 ms after that.
// Times are performance.now() (CLOCK_MONOTONIC), comparable between outputs read by one process.

const RATE = 44100;

interface Read {
  atMs: number;
  /** Output frame of the read's first byte. */
  frame: number;
}

export class StampedOutput {
  private readonly reads: Read[] = [];
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  constructor(stream: NodeJS.ReadableStream, readonly leadMs = 1000) {
    stream.on('data', (d: Buffer) => {
      this.reads.push({ atMs: performance.now(), frame: Math.floor(this.bytes / 4) });
      this.bytes += d.length;
      this.chunks.push(d);
    });
  }

  get frames(): number {
    return Math.floor(this.bytes / 4);
  }

  /** Samples (interleaved L/R) of output frames [from, to). */
  samples(from = 0, to = this.frames): Int16Array {
    const all = Buffer.concat(this.chunks);
    const b = all.subarray(from * 4, to * 4);
    return new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  }

  /**
   * performance.now() time at which output frame 0 plays, from the reads whose first frame lies
   * in [from, to): pass a stretch after the session's lead-in (the lead-in is written early).
   */
  origin(from: number, to = this.frames): number {
    let best = Infinity;
    let n = 0;
    for (const r of this.reads) {
      if (r.frame < from || r.frame >= to) continue;
      best = Math.min(best, r.atMs + this.leadMs - (r.frame / RATE) * 1000);
      n++;
    }
    if (n < 20) throw new Error(`only ${n} reads of the output in frames [${from}, ${to}): too few to place it in time`);
    return best;
  }

  /** When output frame `frame` plays, using reads in [from, to) (see origin). */
  msOfFrame(frame: number, from: number, to = this.frames): number {
    return this.origin(from, to) + (frame / RATE) * 1000;
  }

  /**
   * Output frames where sound starts after at least `quietFrames` of near-silence: the first
   * frame whose |sample| (either channel) exceeds `threshold`.
   */
  onsets(threshold = 1000, quietFrames = 2205, from = 0, to = this.frames): number[] {
    const s = this.samples(from, to);
    const out: number[] = [];
    let quiet = 0; // sound at `from` itself is not an onset: nothing before it is known
    for (let i = 0; i < s.length / 2; i++) {
      const loud = Math.abs(s[2 * i]!) > threshold || Math.abs(s[2 * i + 1]!) > threshold;
      if (loud) {
        if (quiet >= quietFrames) out.push(from + i);
        quiet = 0;
      } else quiet++;
    }
    return out;
  }
}
