// The media clock of one playback: a position that advances in real time while running, stops at
// the duration and calls `onEnd` then (a timer, not polling, so FINISHED comes on time).

export class MediaClock {
  private base = 0;
  private since = 0;
  private running = false;
  private endTimer: NodeJS.Timeout | null = null;

  constructor(
    private duration: number | null,
    private readonly onEnd: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Seconds into the media. */
  position(): number {
    const p = this.running ? this.base + (this.now() - this.since) / 1000 : this.base;
    return this.duration === null ? p : Math.min(p, this.duration);
  }

  setDuration(duration: number | null): void {
    this.duration = duration;
    this.arm();
  }

  start(): void {
    if (this.running) return;
    this.since = this.now();
    this.running = true;
    this.arm();
  }

  stop(): void {
    if (!this.running) return;
    this.base = this.position();
    this.running = false;
    this.arm();
  }

  seek(seconds: number): void {
    this.base = Math.max(0, this.duration === null ? seconds : Math.min(seconds, this.duration));
    this.since = this.now();
    this.arm();
  }

  dispose(): void {
    this.running = false;
    this.arm();
  }

  private arm(): void {
    if (this.endTimer) clearTimeout(this.endTimer);
    this.endTimer = null;
    if (!this.running || this.duration === null) return;
    const left = Math.max(0, this.duration - this.position());
    this.endTimer = setTimeout(() => {
      this.base = this.position();
      this.running = false;
      this.endTimer = null;
      this.onEnd();
    }, left * 1000);
  }
}
