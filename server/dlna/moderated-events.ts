// ContentDirectory's SystemUpdateID / ContainerUpdateIDs are moderated events (ContentDirectory:1:
// at most one event every 2 s; gerbera's src/content/update_manager.cc keeps the same specInterval of
// 2 s). The first change after a quiet spell goes out at once; changes within the interval are merged
// and sent when it has passed: the newest SystemUpdateID, and each changed container once with its
// newest update ID, so nothing is lost, only batched.
import type { Changed } from './library-state.js';

export const CDS_EVENT_INTERVAL_MS = 2000;

export class ModeratedCdsEvents {
  private lastSent = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private systemUpdateId: number | undefined;
  /** Container id → its newest update ID, in the order first changed. */
  private readonly containers = new Map<string, string>();

  constructor(
    private readonly send: (vars: { SystemUpdateID: string; ContainerUpdateIDs: string }) => void,
    private readonly intervalMs = CDS_EVENT_INTERVAL_MS,
  ) {}

  push(c: Pick<Changed, 'systemUpdateId' | 'containers'>): void {
    this.systemUpdateId = c.systemUpdateId;
    for (const id of c.containers) {
      this.containers.delete(id);
      this.containers.set(id, String(c.systemUpdateId));
    }
    if (this.timer) return;
    const wait = this.lastSent + this.intervalMs - Date.now();
    if (wait <= 0) return this.flush();
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    if (this.systemUpdateId === undefined) return;
    const ids = [...this.containers].map(([id, u]) => `${id},${u}`).join(',');
    this.send({ SystemUpdateID: String(this.systemUpdateId), ContainerUpdateIDs: ids });
    this.systemUpdateId = undefined;
    this.containers.clear();
    this.lastSent = Date.now();
  }
}
