// When this process read a packet, was it kept from running just before? A device stamps a
// packet's arrival in its network stack (Open Screen: the packet router's receive time,
// receiver.cc OnReceivedRtcpPacket(arrival_time, …)); node reads it when its event loop runs, and a
// loop starved of CPU (another process, a GC pause) stamps it late by the stall. For a Sender
// Report that lateness goes into the clock smoother as a clock offset (elapsed / (elapsed + 30 s)
// of it: a 300 ms stall moves the output ~4 ms), which no device would see. A heartbeat tells
// such reads: the loop last turned `gapMs()` ago.
import { performance } from 'node:perf_hooks';

/** The heartbeat's period: a loop that ran nothing else turns this often. */
const BEAT_MS = 2;
/** A beat this late found the loop had stood still. */
const STALL_MS = 10;
/**
 * Reads this soon after a stall ended are the queue it left: the beat may run before them (libuv
 * runs timers before I/O after a signal's EINTR) and the queue is read over several turns (at most
 * 32 datagrams each); 1 s of a Cast stream's packets (~60) are read within a few ms.
 */
const HOLD_MS = 50;

export class ReadWatch {
  private last = performance.now();
  private stallEnd = -Infinity;
  private stallMs = 0;
  private readonly timer = setInterval(() => {
    const now = performance.now();
    if (now - this.last >= STALL_MS) {
      this.stallEnd = now;
      this.stallMs = now - this.last;
    }
    this.last = now;
  }, BEAT_MS).unref();

  /** How long the event loop stood still before a read now (or before the queue it is reading): ~BEAT_MS when it ran freely. */
  gapMs(now = performance.now()): number {
    const sinceBeat = now - this.last;
    if (sinceBeat >= STALL_MS) return sinceBeat;
    return now - this.stallEnd < HOLD_MS ? this.stallMs : sinceBeat;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
