// The tree TVs browse and its update counters. A library change (scan, watched file) makes a new
// generation a moment later (changes come in bursts); SystemUpdateID goes up once per generation
// and every container whose children differ gets that value as its update ID, which is what
// GENA sends as ContainerUpdateIDs so a TV re-reads only those. SystemUpdateID never goes back:
// it is kept in the data folder with the device's UUID (identity.ts).
import { EventEmitter } from 'node:events';
import type { LibraryQueries } from '../library/queries.js';
import { buildTree, type Tree } from './tree.js';

export interface Changed {
  systemUpdateId: number;
  /** `id,updateId,id,updateId…` */
  containerUpdateIds: string;
  /** The containers in containerUpdateIds (each at systemUpdateId). */
  containers: string[];
}

export class DlnaLibrary extends EventEmitter<{ changed: [Changed] }> {
  private tree: Tree | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly containerIds = new Map<string, number>();

  constructor(private queries: LibraryQueries, private updateId: number, private persist: (id: number) => void, private settleMs = 300) {
    super();
  }

  get systemUpdateId(): number {
    return this.updateId;
  }

  current(): Tree {
    if (!this.tree) {
      this.tree = buildTree(this.queries);
      // A container's update ID is the SystemUpdateID at which it last changed; unknown before now.
      for (const id of this.tree.containers.keys()) if (!this.containerIds.has(id)) this.containerIds.set(id, this.updateId);
    }
    return this.tree;
  }

  containerUpdateId(id: string): number {
    return this.containerIds.get(id) ?? this.updateId;
  }

  /** The library changed: a new generation after a short settle. */
  invalidate(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.regenerate(), this.settleMs);
    this.timer.unref();
  }

  close(): void {
    clearTimeout(this.timer);
  }

  private regenerate(): void {
    // Never browsed yet: nothing to compare with, so everything counts as changed.
    const before: Tree = this.tree ?? { containers: new Map(), items: new Map() };
    const after = buildTree(this.queries);
    const changed: string[] = [];
    for (const [id, c] of after.containers) {
      const old = before.containers.get(id);
      if (!old || old.title !== c.title || old.children.length !== c.children.length || old.children.some((x, i) => x !== c.children[i])) changed.push(id);
    }
    for (const id of before.containers.keys()) if (!after.containers.has(id)) changed.push(id);
    this.tree = after;
    if (changed.length === 0) return;
    this.updateId = this.updateId >= 0xffffffff ? 1 : this.updateId + 1;
    this.persist(this.updateId);
    for (const id of changed) this.containerIds.set(id, this.updateId);
    // ContainerUpdateIDs lists containers that still exist; gone ones show up through their parent.
    const live = changed.filter((id) => after.containers.has(id));
    this.emit('changed', { systemUpdateId: this.updateId, containerUpdateIds: live.map((id) => `${id},${this.updateId}`).join(','), containers: live });
  }
}
