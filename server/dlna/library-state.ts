// The tree TVs browse and its update counters. A library change (scan, watched file) makes a new
// generation a moment later (changes come in bursts); SystemUpdateID goes up once per generation
// and every container whose children differ gets that value as its update ID, which is what
// GENA sends as ContainerUpdateIDs so a TV re-reads only those. SystemUpdateID never goes back:
// it is kept in the data folder with the device's UUID (identity.ts).
// Memory: the tree is built when a control point first browses (the MediaServer is on by default,
// and most homes never browse it), dropped after DROP_AFTER_MS without a browse, and rebuilt from
// the same generation when asked again (the same rows give the same lists, so paging stays stable).
// What a later generation is compared with is one fingerprint per container, kept without the tree.
import { EventEmitter } from 'node:events';
import type { LibraryQueries } from '../library/queries.js';
import { releaseMemorySoon } from '../util/release-memory.js';
import { itemRows } from './items.js';
import { buildTree, fingerprint, type ItemRow, type Tree } from './tree.js';

export const DROP_AFTER_MS = 120_000;

export interface Changed {
  systemUpdateId: number;
  /** `id,updateId,id,updateId…` */
  containerUpdateIds: string;
  /** The containers in containerUpdateIds (each at systemUpdateId). */
  containers: string[];
}

export class DlnaLibrary extends EventEmitter<{ changed: [Changed]; dropped: [] }> {
  private tree: Tree | undefined;
  /** The last generation's containers: id → fingerprint; undefined until a tree was built. */
  private prints: Map<string, string> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private dropTimer: NodeJS.Timeout | undefined;
  private readonly containerIds = new Map<string, number>();
  /** How many trees were built (tests: none until a control point browses). */
  builds = 0;

  constructor(private queries: LibraryQueries, private updateId: number, private persist: (id: number) => void, private settleMs = 300, private dropAfterMs = DROP_AFTER_MS) {
    super();
  }

  get systemUpdateId(): number {
    return this.updateId;
  }

  /** Whether the tree is in memory now. */
  get built(): boolean {
    return this.tree !== undefined;
  }

  current(): Tree {
    if (!this.tree) {
      this.tree = this.build();
      // A container's update ID is the SystemUpdateID at which it last changed; unknown before now.
      for (const id of this.tree.containers.keys()) if (!this.containerIds.has(id)) this.containerIds.set(id, this.updateId);
    }
    this.keepFor(this.dropAfterMs);
    return this.tree;
  }

  /** The rows of items of `tree` (a generation current() gave), for a page. */
  rows(tree: Tree, fileIds: readonly number[]): Map<number, ItemRow> {
    return itemRows(this.queries, tree, fileIds);
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
    clearTimeout(this.dropTimer);
  }

  private build(): Tree {
    const tree = buildTree(this.queries);
    this.builds++;
    this.prints = new Map([...tree.containers.values()].map((c) => [c.id, fingerprint(c)]));
    return tree;
  }

  /** Drops the tree `ms` from now unless it is used again. */
  private keepFor(ms: number): void {
    clearTimeout(this.dropTimer);
    this.dropTimer = setTimeout(() => ((this.tree = undefined), releaseMemorySoon(), this.emit('dropped')), ms);
    this.dropTimer.unref();
  }

  private regenerate(): void {
    if (!this.prints) {
      // Never browsed: no tree to compare with and none to build; TVs re-read by SystemUpdateID.
      this.bump();
      return void this.emit('changed', { systemUpdateId: this.updateId, containerUpdateIds: '', containers: [] });
    }
    const before = this.prints;
    const after = this.build();
    const changed: string[] = [];
    for (const [id, print] of this.prints) if (before.get(id) !== print) changed.push(id);
    for (const id of before.keys()) if (!after.containers.has(id)) changed.push(id);
    // Kept while TVs that browsed re-read what changed; dropped later if none does.
    this.tree = after;
    this.keepFor(this.dropAfterMs);
    if (changed.length === 0) return;
    this.bump();
    for (const id of changed) this.containerIds.set(id, this.updateId);
    // ContainerUpdateIDs lists containers that still exist; gone ones show up through their parent.
    const live = changed.filter((id) => after.containers.has(id));
    this.emit('changed', { systemUpdateId: this.updateId, containerUpdateIds: live.map((id) => `${id},${this.updateId}`).join(','), containers: live });
  }

  private bump(): void {
    this.updateId = this.updateId >= 0xffffffff ? 1 : this.updateId + 1;
    this.persist(this.updateId);
  }
}
