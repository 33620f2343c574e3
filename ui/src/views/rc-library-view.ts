// The library: one search box across everything, tabs for artists, albums (cover grid), tracks,
// videos and photos (thumbnail grid, full view), read page by page as they scroll into view.
// Tapping plays on the controlled receiver; ⋮ offers play next, add to queue and navigation.
// Each tab's count is the total of the list that tab shows (search text and filter applied); files
// the scan could not read are a count under the tabs that opens their list.
import { css, html, LitElement, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import type { Controller } from '../data/actions.js';
import { rememberArt } from '../data/art.js';
import { fetchAll, fetchPage, type ListQuery } from '../data/library.js';
import { PagedList } from '../data/paged.js';
import type { Album, Artist, LibraryKind, LibraryStats, Photo, Track, Video } from '../data/types.js';
import { icons } from '../components/icons.js';
import type { MenuChoice } from '../components/rc-menu.js';
import '../components/rc-menu.js';
import '../components/rc-photo-viewer.js';
import '../components/rc-virtual-list.js';
import '../components/rc-library-home.js';
import { albumCell, artistRow, photoCell, placeholderRow, trackRow, videoRow, type RowHandlers } from '../components/rows.js';
import { shared } from '../components/styles.js';
import { rowHandlers, type Filter } from './library-actions.js';
import { rowStyles } from './library-styles.js';
import { filterBar, loadFilterChoices, photoBar, type FilterChoices, type Narrow, type PhotoNarrow } from './library-filters.js';
import './rc-browse-page.js';
import type { BrowsePage } from './rc-browse-page.js';

const TABS: { kind: LibraryKind; label: string }[] = [
  { kind: 'albums', label: 'Albums' },
  { kind: 'artists', label: 'Artists' },
  { kind: 'tracks', label: 'Tracks' },
  { kind: 'videos', label: 'Videos' },
  { kind: 'photos', label: 'Photos' },
];

/** Row height, or grid cell size per list width (two columns on a phone, larger cells from 600 px). */
const LAYOUT: Record<LibraryKind, { rowHeight: number; minCellWidth: number | ((w: number) => number); cellExtra: number }> = {
  artists: { rowHeight: 64, minCellWidth: 0, cellExtra: 0 },
  // cellExtra: two lines of title and one of artist under the cover.
  albums: { rowHeight: 0, minCellWidth: (w) => (w < 600 ? 150 : 200), cellExtra: 66 },
  tracks: { rowHeight: 60, minCellWidth: 0, cellExtra: 0 },
  videos: { rowHeight: 84, minCellWidth: 0, cellExtra: 0 },
  photos: { rowHeight: 0, minCellWidth: (w) => (w < 600 ? 110 : 160), cellExtra: 0 },
};

const isEmpty = (q: ListQuery) => Object.keys(q).length === 0;

const WARNING = svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z"></path></svg>`;

interface Menu {
  heading: string;
  choices: MenuChoice[];
  act(id: string): void;
}

type Counts = Partial<Record<LibraryKind, number>>;

export class RcLibraryView extends LitElement {
  static override properties = {
    controller: { attribute: false },
    stats: { attribute: false },
    receiverName: {},
    tab: { state: true },
    q: { state: true },
    filter: { state: true },
    counts: { state: true },
    version: { state: true },
    menu: { state: true },
    photo: { state: true },
    unreadable: { state: true },
    home: { state: true },
    pages: { state: true },
    narrow: { state: true },
    photoNarrow: { state: true },
    choices: { state: true },
  };
  declare controller: Controller | null;
  declare stats: LibraryStats | null;
  declare receiverName: string | null;
  declare tab: LibraryKind;
  declare q: string;
  declare filter: Filter;
  declare counts: Counts | null;
  declare version: number;
  declare menu: Menu | null;
  declare photo: Photo | null;
  /** The list of files that could not be read is open. */
  declare unreadable: boolean;
  /** The home (rc-library-home.ts: continue watching, recently added and played, favourites) shows instead of a tab's list. */
  declare home: boolean;
  /** Album, artist and show pages opened over the tabs, the last on top (Back closes it). */
  declare pages: BrowsePage[];
  /** Genre, year and sort of the albums and tracks tabs. */
  declare narrow: Narrow;
  declare photoNarrow: PhotoNarrow;
  declare choices: FilterChoices | null;
  private list: PagedList<unknown>;
  private typing = 0;
  private countsFor = '';

  constructor() {
    super();
    this.controller = null;
    this.stats = null;
    this.receiverName = null;
    this.tab = 'albums';
    this.q = '';
    this.filter = {};
    this.counts = null;
    this.version = 0;
    this.menu = null;
    this.photo = null;
    this.unreadable = false;
    this.home = false;
    this.pages = [];
    this.narrow = {};
    this.photoNarrow = {};
    this.choices = null;
    this.list = new PagedList<unknown>(this.loader(), () => this.version++);
  }

  static override styles = [
    shared,
    rowStyles,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; height: 100%; position: relative; }
      .narrow { display: flex; gap: 6px; padding-bottom: 8px; }
      .narrow select { flex: 1; min-width: 0; height: 34px; border-radius: 8px; border: 1px solid var(--border); background: var(--surface); color: inherit; font: inherit; font-size: 0.85rem; }
      .bar { padding: 8px 12px 0; background: var(--bg); }
      .search { display: flex; align-items: center; gap: 8px; background: var(--surface); border: 1px solid var(--border); border-radius: 999px; padding: 0 6px 0 14px; }
      .search svg { color: var(--muted); flex: none; }
      .search input { flex: 1; min-width: 0; border: 0; background: none; color: inherit; font: inherit; font-size: 1rem; height: 42px; outline: none; }
      :host { container-type: inline-size; }
      /* Phone: the five tabs share the width, each count under its label, so all are on screen. */
      .tabs { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); margin: 6px 0 8px; border-bottom: 1px solid var(--border); }
      .tabs button { display: flex; flex-direction: column; align-items: center; justify-content: center; min-height: 48px; padding: 4px 2px; margin-bottom: -1px;
        border-bottom: 2px solid transparent; color: var(--muted); font-size: 0.9rem; }
      .tabs button:hover { color: var(--fg); }
      .tabs button[aria-selected='true'] { color: var(--accent); border-bottom-color: var(--accent); font-weight: 600; }
      .tabs .label { max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .tabs .n { font-size: 0.75rem; font-weight: 400; font-variant-numeric: tabular-nums; min-height: 1.2em; }
      /* Wider: tabs as wide as their words, the count beside the label. */
      @container (min-width: 560px) {
        .tabs { grid-auto-columns: max-content; gap: 4px; }
        .tabs button { flex-direction: row; gap: 6px; padding: 0 14px; }
      }
      .unreadable { display: flex; align-items: center; gap: 6px; margin: -2px 0 6px; padding: 0 4px; min-height: 32px; font-size: 0.8rem; color: var(--muted); }
      .unreadable:hover { color: var(--fg); }
      .unreadable svg { width: 16px; height: 16px; color: var(--danger); flex: none; }
      .chips { display: flex; gap: 6px; padding-bottom: 8px; flex-wrap: wrap; }
      .chip { display: inline-flex; align-items: center; gap: 2px; padding: 0 4px 0 12px; height: 32px; border-radius: 999px; background: var(--surface-2); font-size: 0.85rem; }
      .chip svg { width: 18px; height: 18px; }
      .chip .play { color: var(--accent); padding: 0 8px 0 10px; min-height: 32px; font-weight: 600; }
      .scan { font-size: 0.8rem; color: var(--muted); padding: 0 4px 6px; display: flex; align-items: center; gap: 8px; }
      .scan progress { flex: 1; height: 6px; accent-color: var(--accent, currentColor); }
      rc-virtual-list { flex: 1; min-height: 0; }
      .empty { padding: 32px 16px; text-align: center; color: var(--muted); }
    `,
  ];

  /** What one tab lists: the search text and the filter that applies to it (its count uses the same). */
  private queryFor(kind: LibraryKind): ListQuery {
    const f = this.filter;
    const q = this.q.trim();
    const base: ListQuery = { ...(q ? { q } : {}), ...(kind === 'albums' || kind === 'tracks' ? this.narrow : kind === 'photos' ? this.photoNarrow : {}) };
    if (kind === 'albums' && f.artist) return { ...base, artistId: f.artist.id };
    if (kind === 'tracks' && f.album) return { ...base, albumId: f.album.id };
    if (kind === 'tracks' && f.artist) return { ...base, artistId: f.artist.id };
    return base;
  }

  private query(): ListQuery {
    return this.queryFor(this.tab);
  }

  private loader() {
    const kind = this.tab;
    const query = this.query();
    return (offset: number, limit: number) =>
      fetchPage(kind, query, offset, limit).then((page) => {
        rememberArt(page.items);
        return page as { items: unknown[]; total: number };
      });
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if ((this.tab === 'albums' || this.tab === 'tracks' || this.tab === 'photos') && !this.choices) void loadFilterChoices().then((c) => (this.choices = c)).catch(() => undefined);
    if (changed.has('tab') || changed.has('q') || changed.has('filter') || changed.has('narrow') || changed.has('photoNarrow')) {
      this.resetList();
      this.renderRoot.querySelector('rc-virtual-list')?.scrollToTop();
    }
    // A scan finished or the counts moved: what is listed may have changed.
    const before = changed.get('stats') as LibraryStats | null | undefined;
    const now = this.stats;
    const rescanned = before && now && !now.scanning && (before.scanning || (before.tracks !== undefined && before.tracks !== now.tracks));
    if (rescanned) this.resetList();
    if (changed.has('q') || changed.has('filter') || changed.has('narrow') || changed.has('photoNarrow') || rescanned) this.refreshCounts();
  }

  /** A new query: the old pages go, and the bumped version makes the visible rows ask again. */
  private resetList(): void {
    this.list.reset(this.loader());
    this.version++;
  }

  /**
   * Per-tab totals under the search text and the filter (one small request per narrowed tab), shown
   * on the tabs; a tab nothing narrows shows the library's own count. Old totals go at once: a
   * count never stands beside a list it does not describe.
   */
  private refreshCounts(): void {
    const narrowed = TABS.filter((t) => !isEmpty(this.queryFor(t.kind)));
    const key = JSON.stringify(narrowed.map((t) => this.queryFor(t.kind)));
    this.countsFor = key;
    this.counts = null;
    if (!narrowed.length) return;
    void Promise.all(
      narrowed.map((t) => fetchPage(t.kind, this.queryFor(t.kind), 0, 1).then((p) => [t.kind, p.total] as const).catch(() => [t.kind, undefined] as const)),
    ).then((pairs) => {
      if (this.countsFor === key) this.counts = Object.fromEntries(pairs);
    });
  }

  private onSearch(e: Event) {
    const value = (e.target as HTMLInputElement).value;
    clearTimeout(this.typing);
    this.typing = window.setTimeout(() => ((this.q = value), value.trim() && (this.home = false)), 250);
  }

  private count(kind: LibraryKind): number | undefined {
    if (isEmpty(this.queryFor(kind))) return this.stats?.[kind];
    // The shown tab's own list has the last word once it has answered.
    if (kind === this.tab && this.list.total !== null) return this.list.total;
    return this.counts?.[kind];
  }

  private handlers(): RowHandlers {
    return rowHandlers(this.tab, {
      controller: this.controller,
      item: (i) => this.list.get(i),
      filter: this.filter,
      albumOrder: !!this.filter.album && !this.q.trim(),
      browse: (filter, tab) => ((this.filter = filter), (this.tab = tab)),
      menu: (heading, choices, act) => (this.menu = { heading, choices: choices.map(([id, label]) => ({ id, label })), act }),
      openPhoto: (p) => (this.photo = p),
      // The shell opens the sheet (the queue's "Save as playlist" uses it too).
      addToPlaylist: (heading, from) => this.dispatchEvent(new CustomEvent('add-to-playlist', { detail: { heading, from }, bubbles: true, composed: true })),
      openPage: (p) => (this.pages = [...this.pages, p]),
    });
  }

  private renderItem = (i: number): TemplateResult => {
    const it = this.list.get(i);
    const h = this.handlers();
    if (it === undefined) return this.tab === 'albums' || this.tab === 'photos' ? html`` : placeholderRow();
    switch (this.tab) {
      case 'artists':
        return artistRow(it as Artist, i, h);
      case 'albums':
        return albumCell(it as Album, i, h);
      case 'tracks':
        return trackRow(it as Track, i, h, !!this.filter.album && !this.q.trim());
      case 'videos':
        return videoRow(it as Video, i, h);
      case 'photos':
        return photoCell(it as Photo, i, h);
    }
  };

  private renderChips() {
    const f = this.filter;
    if (!f.artist && !f.album) return nothing;
    const chip = (label: string, clear: () => void, play?: () => void) =>
      html`<span class="chip">${label}${play ? html`<button class="play" @click=${play}>Play</button>` : nothing}<button class="icon-btn" aria-label=${`Clear ${label}`} @click=${clear}>${icons.close}</button></span>`;
    return html`<div class="chips">
      ${f.artist ? chip(f.artist.name, () => (this.filter = {}), () => void this.controller?.playArtist(f.artist!.id)) : nothing}
      ${f.album ? chip(f.album.title, () => (this.filter = f.artist ? { artist: f.artist } : {}), () => void this.controller?.playAlbum(f.album!.id)) : nothing}
    </div>`;
  }

  /** Every photo the tab shows (the search narrows it), played in order: each stays for the
   * receiver's slideshow interval, then the queue moves on (an Apple TV shows them with /photo). */
  private slideshow = async (): Promise<void> => {
    const photos = await fetchAll('photos', this.query(), fetch, 2000);
    if (photos.length) await this.controller?.play(photos.map((p) => p.id));
  };

  private renderSlideshow() {
    if (this.tab === 'videos') {
      return html`<div class="chips"><span class="chip"><button class="play" data-action="shows" @click=${() => (this.pages = [{ kind: 'shows' }])}>TV shows</button></span></div>`;
    }
    if (this.tab !== 'photos' || !this.list.total) return nothing;
    return html`<div class="chips"><span class="chip"><button class="play" data-action="slideshow" ?disabled=${!this.controller}
      @click=${() => void this.slideshow()}>Slideshow</button></span></div>`;
  }

  /** "2 files could not be read": opens their list (hidden while a scan runs, and when there are none). */
  private renderUnreadable() {
    const n = this.stats?.errors ?? 0;
    if (!n || this.stats?.scanning) return nothing;
    return html`<button class="unreadable" data-action="unreadable" aria-haspopup="dialog" @click=${this.openUnreadable}>${WARNING}
      ${n.toLocaleString()} file${n === 1 ? '' : 's'} could not be read<span aria-hidden="true">›</span></button>`;
  }

  // The list is loaded on first use (most visits never open it); the element upgrades when it arrives.
  private openUnreadable = () => {
    void import('../components/rc-library-errors.js');
    this.unreadable = true;
  };

  /** A bar while files are read (done of total), text while the folders are walked. */
  private renderScan() {
    const p = this.stats?.progress;
    const reading = p && p.phase === 'probe' && p.total > 0;
    return html`<div class="scan" role="status">
      <span>${reading ? `Scanning ${p.library}: ${p.done.toLocaleString()} of ${p.total.toLocaleString()}` : 'Scanning the library…'}</span>
      ${reading ? html`<progress max=${p.total} value=${p.done}></progress>` : nothing}
    </div>`;
  }

  private renderList() {
    const total = this.list.total;
    if (this.list.error && total === null) return html`<div class="empty">Could not read the library: ${this.list.error} <button @click=${() => this.list.retry()}>Retry</button></div>`;
    if (total === 0) {
      const what = TABS.find((t) => t.kind === this.tab)!.label.toLowerCase();
      return html`<div class="empty">${this.q.trim() ? `No ${what} match “${this.q.trim()}”.` : this.stats?.scanning ? 'Scanning the library…' : `No ${what} in the library.`}</div>`;
    }
    const l = LAYOUT[this.tab];
    // Until the first page answers, show a screenful of placeholders.
    return html`<rc-virtual-list data-tab=${this.tab} .count=${total ?? 12} .rowHeight=${l.rowHeight} .minCellWidth=${l.minCellWidth} .cellExtra=${l.cellExtra}
      .renderItem=${this.renderItem} .version=${this.version}></rc-virtual-list>`;
  }

  override render() {
    return html`<div class="bar">
        <label class="search">${icons.search}
          <input type="search" placeholder="Search the library" aria-label="Search the library" enterkeyhint="search" autocomplete="off" @input=${this.onSearch} />
        </label>
        <div class="tabs" role="tablist">
          <button role="tab" aria-selected=${String(this.home)} data-tab="home" @click=${() => (this.home = true)}><span class="label">Home</span><span class="n"></span></button>
          ${TABS.map((t) => {
            const n = this.count(t.kind);
            return html`<button role="tab" aria-selected=${String(!this.home && this.tab === t.kind)} data-tab=${t.kind} @click=${() => ((this.home = false), (this.tab = t.kind))}>
              <span class="label">${t.label}</span><span class="n">${n !== undefined ? n.toLocaleString() : nothing}</span></button>`;
          })}
        </div>
        ${this.renderUnreadable()}
        ${this.renderChips()}
        ${this.renderSlideshow()}
        ${this.tab === 'albums' || this.tab === 'tracks' ? filterBar(this.narrow, this.choices, (n) => (this.narrow = n)) : nothing}
        ${this.tab === 'photos' ? photoBar(this.photoNarrow, this.choices, (n) => (this.photoNarrow = n)) : nothing}
        ${this.stats?.scanning ? this.renderScan() : nothing}
      </div>
      ${this.home ? html`<rc-library-home .controller=${this.controller}></rc-library-home>` : this.renderList()}
      ${this.pages.length
        ? html`<rc-browse-page .page=${this.pages[this.pages.length - 1]!} .controller=${this.controller}
            @page-open=${(e: CustomEvent<BrowsePage>) => (this.pages = [...this.pages, e.detail])} @page-close=${() => (this.pages = this.pages.slice(0, -1))}></rc-browse-page>`
        : nothing}
      ${this.unreadable ? html`<rc-library-errors .stats=${this.stats} @close=${() => (this.unreadable = false)}></rc-library-errors>` : nothing}
      ${this.menu
        ? html`<rc-menu .heading=${this.menu.heading} .choices=${this.menu.choices}
            @pick=${(e: CustomEvent<string | null>) => {
              const m = this.menu;
              this.menu = null;
              if (m && e.detail) m.act(e.detail);
            }}></rc-menu>`
        : nothing}
      ${this.photo
        ? html`<rc-photo-viewer .photo=${this.photo} .receiverName=${this.receiverName}
            @close=${() => (this.photo = null)} @cast=${(e: CustomEvent<number>) => void this.controller?.play([e.detail])}></rc-photo-viewer>`
        : nothing}`;
  }
}
customElements.define('rc-library-view', RcLibraryView);
declare global {
  interface HTMLElementTagNameMap { 'rc-library-view': RcLibraryView }
}
