// The jitter buffer and the play-out: packets kept by sequence number (extended past the 16-bit
// wrap), asked for again when a gap shows, and released one by one at the moment the sender's
// timeline says (clock.ts). Nothing is dropped without being counted: a packet that came after
// its time is "late", one that never came before its time is "lost", and each
// plays as silence so the output keeps its length and place in time. A FLUSH empties the buffer
// and the next packet starts a new run.
import type { PlayRecord, PlayedAudio, SpeakerStats } from './events.js';
import { monoNs, type SenderClock } from './clock.js';

/** Play a packet this close before its time rather than arming a timer. */
const LEAD_NS = 500_000n;
const LOUD = 64;
/** A jump in sequence numbers beyond this is a new stream (a sender restarted), not a gap. */
const MAX_GAP = 1024;

interface Entry {
  seq: number;
  rtptime: number;
  /** undefined: the payload could not be decoded. */
  pcm: Buffer | undefined;
  /** It came after its play time. */
  late: boolean;
}

export interface PlayoutHooks {
  play(a: PlayedAudio): void;
  requestResend(firstSeq: number, count: number): void;
}

const signed32 = (x: number): number => x | 0;

export class Playout {
  private readonly buf = new Map<number, Entry>();
  /** Extended seq of the next packet to play; undefined until the first packet of a run. */
  private next: number | undefined;
  private highest: number | undefined;
  private readonly lostSeqs = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  /** After a FLUSH: packets before this RTP time are dropped. */
  private flushBefore: number | undefined;
  private closed = false;
  private sumSq = 0;
  private samples = 0;
  private peak = 0;
  readonly stats: Omit<SpeakerStats, 'rmsDb' | 'peakDb'> = { packets: 0, played: 0, late: 0, lost: 0, resendRequested: 0, resent: 0, duplicates: 0, flushed: 0, undecodable: 0, discontinuities: 0, loudFrames: 0 };

  constructor(
    private readonly clock: SenderClock,
    private readonly framesPerPacket: number,
    private readonly hooks: PlayoutHooks,
  ) {}

  /** The extended sequence number nearest to `ref` for a 16-bit `seq`. */
  private extend(seq: number): number {
    const ref = this.highest ?? this.next;
    if (ref === undefined) return seq;
    return ref + ((((seq - ref) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
  }

  put(seq: number, rtptime: number, pcm: Buffer | undefined, resent: boolean): void {
    if (this.closed) return;
    this.stats.packets++;
    if (resent) this.stats.resent++;
    if (pcm === undefined) this.stats.undecodable++;
    if (this.flushBefore !== undefined) {
      if (signed32(rtptime - this.flushBefore) < 0) {
        this.stats.flushed++;
        return;
      }
      this.flushBefore = undefined;
    }
    let ext = this.extend(seq);
    const ref = this.highest ?? this.next;
    if (ref !== undefined && Math.abs(ext - ref) > MAX_GAP) {
      // Start over from this packet rather than wait for (and count lost) a thousand packets.
      this.stats.discontinuities++;
      this.stats.flushed += this.buf.size;
      this.buf.clear();
      this.lostSeqs.clear();
      this.next = undefined;
      this.highest = undefined;
      ext = seq;
    }
    if (this.next === undefined) this.next = ext;
    if (ext < this.next) {
      // Already played or given up on; a copy of a played packet is only a duplicate.
      if (this.lostSeqs.delete(ext)) this.stats.late++;
      else this.stats.duplicates++;
      return;
    }
    if (this.buf.has(ext)) {
      this.stats.duplicates++;
      return;
    }
    // Late is a property of the packet (it came after its time), not of how promptly our timers
    // fire: a busy event loop delays the play-out of a packet that was here in time, no more.
    const due = this.clock.localNsOf(rtptime);
    this.buf.set(ext, { seq, rtptime, pcm, late: due !== undefined && monoNs() > due.local });
    if (this.highest === undefined || ext > this.highest) {
      const from = this.highest === undefined ? this.next : this.highest + 1;
      if (ext > from) {
        const count = Math.min(ext - from, 512);
        this.stats.resendRequested += count;
        this.hooks.requestResend(from & 0xffff, count);
      }
      this.highest = ext;
    }
    this.pump();
  }

  /** Drops what is buffered (from `rtptime` on only, when given) and waits for a new first packet. */
  flush(rtptime?: number): void {
    this.stats.flushed += this.buf.size;
    this.buf.clear();
    this.lostSeqs.clear();
    this.next = undefined;
    this.highest = undefined;
    this.flushBefore = rtptime;
    this.disarm();
  }

  /** Something changed (a packet, a sync, a timing answer): play what is due, arm for the next. */
  pump(): void {
    if (this.closed) return;
    this.disarm();
    while (this.next !== undefined && this.highest !== undefined && this.next <= this.highest) {
      const e = this.buf.get(this.next);
      // A missing packet's time is guessed from the next one that is there.
      const rtp = e ? e.rtptime : this.guessRtp(this.next);
      const when = this.clock.localNsOf(rtp);
      if (!when) return; // no sync or timing yet: wait for them
      const now = monoNs();
      const wait = when.local - now;
      if (wait > LEAD_NS) {
        this.timer = setTimeout(() => this.pump(), Math.max(1, Number(wait / 1_000_000n)));
        return;
      }
      const seq = this.next & 0xffff;
      if (!e) {
        this.lostSeqs.add(this.next);
        this.stats.lost++;
        this.out(seq, rtp, when, undefined, 'lost');
      } else if (e.late) {
        this.stats.late++;
        this.out(seq, rtp, when, undefined, 'late', e.pcm?.length);
      } else {
        this.stats.played++;
        this.out(seq, rtp, when, e.pcm, 'played');
      }
      this.buf.delete(this.next);
      this.next++;
    }
  }

  private guessRtp(ext: number): number {
    for (let k = ext + 1; this.highest !== undefined && k <= this.highest; k++) {
      const e = this.buf.get(k);
      if (e) return (e.rtptime - (k - ext) * this.framesPerPacket) >>> 0;
    }
    return 0;
  }

  private out(seq: number, rtptime: number, when: { local: bigint; sender: bigint }, pcm: Buffer | undefined, outcome: PlayRecord['outcome'], bytes?: number): void {
    const audio = pcm ?? Buffer.alloc(bytes ?? this.framesPerPacket * 4);
    if (pcm) this.measure(pcm);
    this.hooks.play({ seq, rtptime, playAtNs: when.local, senderNs: when.sender, pcm: audio, outcome });
  }

  private measure(pcm: Buffer): void {
    for (let i = 0; i + 3 < pcm.length; i += 4) {
      const l = pcm.readInt16LE(i);
      const r = pcm.readInt16LE(i + 2);
      this.sumSq += l * l + r * r;
      this.samples += 2;
      const m = Math.max(Math.abs(l), Math.abs(r));
      if (m > this.peak) this.peak = m;
      if (m > LOUD) this.stats.loudFrames++;
    }
  }

  /** The counters, with the loudness since the previous call. */
  snapshot(): SpeakerStats {
    const db = (x: number): number | null => (x > 0 ? Math.round(20 * Math.log10(x / 32768) * 10) / 10 : null);
    const s: SpeakerStats = { ...this.stats, rmsDb: this.samples ? db(Math.sqrt(this.sumSq / this.samples)) : null, peakDb: db(this.peak) };
    this.sumSq = 0;
    this.samples = 0;
    this.peak = 0;
    return s;
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Stops; what is still buffered counts as flushed (the session ended before its time). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.disarm();
    this.stats.flushed += this.buf.size;
    this.buf.clear();
  }
}
