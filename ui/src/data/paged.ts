// A long list read page by page as it scrolls into view: 50,000 tracks cost a few pages of
// memory. Pages answered for an older query (typing in the search box) are dropped.
export type PageLoader<T> = (offset: number, limit: number) => Promise<{ items: T[]; total: number }>;

export class PagedList<T> {
  total: number | null = null;
  error: string | null = null;
  private pages = new Map<number, T[]>();
  private loading = new Set<number>();
  /** Pages whose load failed: not asked again until `retry` (a render must not loop on them). */
  private failed = new Set<number>();
  private generation = 0;

  constructor(
    private load: PageLoader<T>,
    private onChange: () => void,
    readonly pageSize = 100,
    /** Pages kept; the farthest from the last request are forgotten first. */
    private maxPages = 40,
  ) {}

  /** The item at `i`, or undefined while its page loads (the load is started). */
  get(i: number): T | undefined {
    const page = Math.floor(i / this.pageSize);
    const items = this.pages.get(page);
    if (!items) {
      if (!this.failed.has(page)) void this.fetch(page);
      return undefined;
    }
    return items[i - page * this.pageSize];
  }

  /** Starts loading every page touching [from, to). */
  ensure(from: number, to: number): void {
    const last = this.total === null ? Math.floor(from / this.pageSize) : Math.floor((Math.min(to, this.total) - 1) / this.pageSize);
    for (let p = Math.floor(Math.max(0, from) / this.pageSize); p <= last; p++) if (!this.pages.has(p) && !this.failed.has(p)) void this.fetch(p);
  }

  /** A new query: forget everything; answers still on their way are ignored. */
  reset(load?: PageLoader<T>): void {
    if (load) this.load = load;
    this.generation++;
    this.pages.clear();
    this.loading.clear();
    this.failed.clear();
    this.total = null;
    this.error = null;
  }

  retry(): void {
    this.failed.clear();
    this.error = null;
    this.onChange();
  }

  private async fetch(page: number): Promise<void> {
    if (this.loading.has(page)) return;
    const gen = this.generation;
    this.loading.add(page);
    try {
      const r = await this.load(page * this.pageSize, this.pageSize);
      if (gen !== this.generation) return;
      this.pages.set(page, r.items);
      this.total = r.total;
      this.error = null;
      this.evict(page);
    } catch (err) {
      if (gen !== this.generation) return;
      this.error = (err as Error).message;
      this.failed.add(page);
    } finally {
      if (gen === this.generation) this.loading.delete(page);
    }
    this.onChange();
  }

  private evict(near: number): void {
    if (this.pages.size <= this.maxPages) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near));
    for (const p of far.slice(0, this.pages.size - this.maxPages)) this.pages.delete(p);
  }
}
