// A scrolling list or grid that renders only what is on screen (plus a little), so 50,000 rows
// cost as much as 30. Rows have one fixed height; a grid fits as many columns of at least
// `minCellWidth` as the width allows (a number, or one per list width: larger cells on a desktop)
// and keeps its cells square plus `cellExtra` pixels. With `scroller` set, it is a part of a page
// that scrolls (an artist's tracks under the albums): as tall as all its rows, it renders the rows
// that page shows.
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';

const OVERSCAN_PX = 400;

export class RcVirtualList extends LitElement {
  static override properties = {
    count: { type: Number },
    rowHeight: { type: Number },
    minCellWidth: { attribute: false },
    cellExtra: { type: Number },
    renderItem: { attribute: false },
    version: { type: Number },
    scroller: { attribute: false },
  };
  declare count: number;
  declare rowHeight: number;
  /** Set for a grid; 0 = a list. */
  declare minCellWidth: number | ((listWidth: number) => number);
  declare cellExtra: number;
  declare renderItem: (i: number) => TemplateResult | typeof nothing;
  /** Bumped by the owner when items arrive, to re-render the visible cells. */
  declare version: number;
  /** The page that scrolls this list, when it does not scroll itself. */
  declare scroller: HTMLElement | null;
  private followed: HTMLElement | null = null;
  private width = 0;
  private height = 0;
  private top = 0;
  private pending = 0;
  private resize = new ResizeObserver(([e]) => {
    if (!e) return;
    this.width = e.contentRect.width;
    this.height = e.contentRect.height;
    this.requestUpdate();
  });

  constructor() {
    super();
    this.count = 0;
    this.rowHeight = 56;
    this.minCellWidth = 0;
    this.cellExtra = 0;
    this.renderItem = () => nothing;
    this.version = 0;
    this.scroller = null;
  }

  // Rendered into the light DOM: the rows are the owner's templates and take the owner's styles.
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    Object.assign(this.style, { display: 'block', overflowY: 'auto', overflowX: 'hidden', position: 'relative', contain: 'strict' });
    this.resize.observe(this);
    this.addEventListener('scroll', this.onScroll, { passive: true });
    this.follow();
  }

  override willUpdate(): void {
    if (this.scroller !== this.followed) this.follow();
  }

  /** Listens to the page that scrolls it (or to itself alone); a part of a page is as tall as its rows. */
  private follow(): void {
    this.followed?.removeEventListener('scroll', this.onScroll);
    this.followed = this.isConnected ? this.scroller : null;
    this.followed?.addEventListener('scroll', this.onScroll, { passive: true });
    Object.assign(this.style, this.scroller ? { overflowY: 'visible', contain: 'content' } : { overflowY: 'auto', contain: 'strict' });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.removeEventListener('scroll', this.onScroll);
    this.followed?.removeEventListener('scroll', this.onScroll);
    this.followed = null;
    cancelAnimationFrame(this.pending);
  }

  private onScroll = () => {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.top = this.scrollTop;
      this.requestUpdate();
    });
  };

  scrollToTop(): void {
    this.scrollTop = 0;
    this.top = 0;
  }

  /** Columns, cell width and row height for the current width. */
  private metrics(): { cols: number; cellW: number; rowH: number } {
    const w = this.width || this.clientWidth || 360;
    const min = typeof this.minCellWidth === 'function' ? this.minCellWidth(w) : this.minCellWidth;
    if (!min) return { cols: 1, cellW: w, rowH: this.rowHeight };
    const cols = Math.max(1, Math.floor(w / min));
    const cellW = w / cols;
    return { cols, cellW, rowH: Math.round(cellW + this.cellExtra) };
  }

  override render() {
    const { cols, cellW, rowH } = this.metrics();
    const rows = Math.ceil(this.count / cols);
    const s = this.scroller;
    // A part of a page: how far the page has scrolled past the list's top, and the page's height.
    const top = s ? s.getBoundingClientRect().top - this.getBoundingClientRect().top : this.top;
    const h = s ? s.clientHeight : this.height || this.clientHeight || 800;
    const first = Math.max(0, Math.floor((top - OVERSCAN_PX) / rowH));
    const last = Math.min(rows, Math.ceil((top + h + OVERSCAN_PX) / rowH));
    const visible: number[] = [];
    for (let r = first; r < last; r++) for (let c = 0; c < cols; c++) if (r * cols + c < this.count) visible.push(r * cols + c);
    return html`<div style=${styleMap({ position: 'relative', width: '100%', height: `${rows * rowH}px` })}>
      ${repeat(visible, (i) => i, (i) => {
        const style = { position: 'absolute', left: '0', top: '0', width: `${cellW}px`, height: `${rowH}px`, transform: `translate(${(i % cols) * cellW}px, ${Math.floor(i / cols) * rowH}px)` };
        return html`<div class="vcell" style=${styleMap(style)}>${this.renderItem(i)}</div>`;
      })}
    </div>`;
  }
}
customElements.define('rc-virtual-list', RcVirtualList);
declare global {
  interface HTMLElementTagNameMap { 'rc-virtual-list': RcVirtualList }
}
