// A page over the library tabs: an album (cover, artist, year, tracks by disc, total time, play /
// shuffle / add to queue), an artist (albums, then every track), TV shows, and a show (seasons →
// episodes). Playing an episode queues the show's following episodes, so the next one plays
// after it ends. Every long list is windowed (a virtual list that follows this page's scroll): an
// album's tracks (one list a disc), an artist's tracks, a show's episodes (one list a season), and
// the shows, read page by page as they scroll into view (all of them, however many).
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Controller, PlayMode } from '../data/actions.js';
import { fetchAll, getJson } from '../data/library.js';
import { PagedList } from '../data/paged.js';
import { formatTime } from '../data/position.js';
import type { Album, Track } from '../data/types.js';
import { icons } from '../components/icons.js';
import '../components/rc-art.js';
import { placeholderRow } from '../components/rows.js';
import '../components/rc-virtual-list.js';
import { shared } from '../components/styles.js';
import { rowStyles } from './library-styles.js';

export type BrowsePage = { kind: 'album'; id: number } | { kind: 'artist'; id: number; name: string } | { kind: 'shows' } | { kind: 'show'; name: string };

interface Episode { id: number; season: number; episode: number | null; title: string; duration: number | null; artUrl: string | null }
interface Show { name: string; episodes: number; artUrl: string | null; seasons: { season: number; name: string; episodes: Episode[] }[] }
/** Tracks as the server sends them (the fields the lists do not use are not in Track). */
type PageTrack = Track & { discNo?: number | null; year?: number | null };
type AlbumPage = Omit<Album, 'tracks'> & { genres: string[]; discs: number; tracks: PageTrack[] };
type Loaded = { kind: 'album'; album: AlbumPage } | { kind: 'artist'; albums: Album[]; tracks: PageTrack[] } | { kind: 'shows'; shows: PagedList<Show> } | { kind: 'show'; show: Show | undefined };

const ROW_H = 56;
const showsUrl = (offset: number, limit: number, q?: string) =>
  `api/library/shows?${new URLSearchParams({ offset: String(offset), limit: String(limit), ...(q ? { q } : {}) })}`;

/** The show of this name: the server narrows to names (or episode titles) containing it (a search
 *  takes 200 characters: a longer name is looked for among them all), read to the end. */
async function findShow(name: string): Promise<Show | undefined> {
  const q = name.length <= 200 ? name : undefined;
  for (let offset = 0; ; offset += 500) {
    const page = await getJson<{ items: Show[]; total: number }>(showsUrl(offset, 500, q));
    const found = page.items.find((s) => s.name === name);
    if (found || !page.items.length || offset + page.items.length >= page.total) return found;
  }
}

const total = (items: { duration: number | null }[]) => items.reduce((s, t) => s + (t.duration ?? 0), 0);

/** "1 h 12 min" / "42 min" for an album's or a show's length. */
function longTime(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : m >= 1 ? `${m} min` : formatTime(seconds);
}

function shuffled<T>(list: T[]): T[] {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export class RcBrowsePage extends LitElement {
  static override properties = {
    page: { attribute: false },
    controller: { attribute: false },
    loaded: { state: true },
    error: { state: true },
    version: { state: true },
  };
  declare page: BrowsePage;
  declare controller: Controller | null;
  declare loaded: Loaded | null;
  declare error: string | null;
  /** Bumped when a page of shows arrives. */
  declare version: number;

  constructor() {
    super();
    this.version = 0;
    this.controller = null;
    this.loaded = null;
    this.error = null;
  }

  static override styles = [
    shared,
    rowStyles,
    css`
      :host { position: absolute; inset: 0; z-index: 2; display: flex; flex-direction: column; background: var(--bg); overflow-y: auto; }
      .top { display: flex; align-items: center; gap: 4px; padding: 6px 8px; position: sticky; top: 0; background: var(--bg); z-index: 1; }
      .top h2 { font-size: 1rem; margin: 0; flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .head { display: flex; gap: 14px; padding: 4px 12px 12px; align-items: flex-end; }
      .head rc-art { width: 132px; height: 132px; border-radius: 10px; flex: none; }
      .facts { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
      .facts .title { font-size: 1.2rem; font-weight: 600; overflow-wrap: anywhere; }
      .facts .sub { color: var(--muted); font-size: 0.85rem; }
      .actions { display: flex; gap: 8px; padding: 0 12px 12px; flex-wrap: wrap; }
      .actions button { display: inline-flex; align-items: center; gap: 4px; height: 40px; padding: 0 16px; border-radius: 999px; background: var(--surface-2); font-weight: 600; }
      .actions button.primary { background: var(--accent); color: var(--on-accent, #fff); }
      .actions svg { width: 20px; height: 20px; }
      h3 { font-size: 0.85rem; color: var(--muted); margin: 12px 12px 4px; font-weight: 600; }
      .row { height: 56px; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); padding: 0 6px; }
      .cell { height: auto; }
      .empty { padding: 32px 16px; text-align: center; color: var(--muted); }
    `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('page')) void this.load();
  }

  private async load(): Promise<void> {
    const p = this.page;
    this.loaded = null;
    this.error = null;
    try {
      let loaded: Loaded;
      if (p.kind === 'album') loaded = { kind: 'album', album: await getJson<AlbumPage>(`api/library/albums/${p.id}`) };
      else if (p.kind === 'artist') {
        const [albums, tracks] = await Promise.all([fetchAll('albums', { artistId: p.id, sort: 'year' }), fetchAll('tracks', { artistId: p.id })]);
        loaded = { kind: 'artist', albums, tracks };
      } else if (p.kind === 'shows') {
        const shows = new PagedList<Show>((offset, limit) => getJson(showsUrl(offset, limit)), () => this.version++);
        shows.ensure(0, 1);
        loaded = { kind: 'shows', shows };
      } else loaded = { kind: 'show', show: await findShow(p.name) };
      if (this.page === p) this.loaded = loaded;
    } catch (err) {
      if (this.page === p) this.error = (err as Error).message;
    }
  }

  private open(page: BrowsePage) {
    // Heard on this element only: an 'open' reaching the app means "show now playing".
    this.dispatchEvent(new CustomEvent<BrowsePage>('page-open', { detail: page }));
  }

  private back = () => this.dispatchEvent(new CustomEvent('page-close'));

  private play(ids: number[], mode: PlayMode = 'replace', start = 0) {
    void this.controller?.play(ids, mode, start);
  }

  private actions(ids: number[]) {
    return html`<div class="actions">
      <button class="primary" data-action="play" @click=${() => this.play(ids)}>${icons.play}Play</button>
      <button data-action="shuffle" @click=${() => this.play(shuffled(ids))}>${icons.shuffle}Shuffle</button>
      <button data-action="append" @click=${() => this.play(ids, 'append')}>Add to queue</button>
    </div>`;
  }

  private trackRow(t: PageTrack, i: number, ids: number[], inAlbum: boolean): TemplateResult {
    return html`<div class="row" data-kind="track">
      <button class="open" aria-label=${`Play ${t.title}`} @click=${() => this.play(ids, 'replace', i)}>
        ${inAlbum ? html`<span class="no">${t.trackNo ?? ''}</span>` : html`<rc-art class="thumb" .src=${t.artUrl} icon="album"></rc-art>`}
        <span class="text"><span class="t1 clip">${t.title}</span>
          <span class="t2 clip">${inAlbum ? t.artist : [t.album, t.year].filter(Boolean).join(' · ')}</span></span>
        <span class="dur">${formatTime(t.duration)}</span>
      </button></div>`;
  }

  /** A list of rows that follows this page's scroll; row `i` is `row(i)`. */
  private windowed(count: number, row: (i: number) => TemplateResult, version = 0) {
    return html`<rc-virtual-list .scroller=${this} .count=${count} .rowHeight=${ROW_H} .renderItem=${row} .version=${version}></rc-virtual-list>`;
  }

  private renderAlbum(a: AlbumPage) {
    const ids = a.tracks.map((t) => t.id);
    const discs = a.discs > 1 ? [...new Set(a.tracks.map((t) => t.discNo ?? 1))] : [null];
    // Each disc's tracks with their place in the album (playing one queues the album from there).
    const onDisc = (d: number | null) => a.tracks.flatMap((t, i) => (d === null || (t.discNo ?? 1) === d ? [i] : []));
    return html`<div class="head">
        <rc-art .src=${a.artUrl} icon="album"></rc-art>
        <div class="facts"><span class="title">${a.title}</span>
          <button class="sub" data-action="artist" @click=${() => this.open({ kind: 'artist', id: a.artistId, name: a.artist })}>${a.artist}</button>
          <span class="sub">${[a.year, ...a.genres].filter(Boolean).join(' · ')}</span>
          <span class="sub total">${a.tracks.length} track${a.tracks.length === 1 ? '' : 's'} · ${longTime(total(a.tracks))}</span></div>
      </div>
      ${this.actions(ids)}
      ${discs.map((d) => {
        const at = onDisc(d);
        return html`${d !== null ? html`<h3 data-disc=${d}>Disc ${d}</h3>` : nothing}
          ${this.windowed(at.length, (i) => this.trackRow(a.tracks[at[i]!]!, at[i]!, ids, true))}`;
      })}`;
  }

  private renderArtist(albums: Album[], tracks: PageTrack[]) {
    const ids = tracks.map((t) => t.id);
    return html`${this.actions(ids)}
      <h3>Albums</h3>
      <div class="grid">${albums.map((a) => html`<div class="cell" data-kind="album">
        <button class="open" aria-label=${`Open ${a.title}`} @click=${() => this.open({ kind: 'album', id: a.id })}>
          <rc-art class="cover" .src=${a.artUrl} icon="album"></rc-art>
          <span class="t1 lines">${a.title}</span><span class="t2 clip">${a.year ?? ''}</span></button></div>`)}</div>
      <h3>Tracks</h3>
      ${this.windowed(tracks.length, (i) => this.trackRow(tracks[i]!, i, ids, false))}`;
  }

  private renderShows(shows: PagedList<Show>) {
    if (shows.error && shows.total === null) return html`<div class="empty">Could not read the library: ${shows.error} <button @click=${() => shows.retry()}>Retry</button></div>`;
    if (shows.total === null) return html`<div class="empty">Loading…</div>`;
    if (!shows.total) return html`<div class="empty">No TV shows: name episodes "Show/Season 01/Show - S01E02.mkv".</div>`;
    return this.windowed(shows.total, (i) => {
      const s = shows.get(i);
      return s ? this.showRow(s) : placeholderRow();
    }, this.version);
  }

  private showRow(s: Show): TemplateResult {
    return html`<div class="row" data-kind="show">
      <button class="open" aria-label=${`Open ${s.name}`} @click=${() => this.open({ kind: 'show', name: s.name })}>
        <rc-art class="poster" fit="contain" .src=${s.artUrl} icon="video"></rc-art>
        <span class="text"><span class="t1 clip">${s.name}</span>
          <span class="t2 clip">${s.seasons.filter((x) => x.season > 0).length} season(s) · ${s.episodes} episode${s.episodes === 1 ? '' : 's'}</span></span>
      </button></div>`;
  }

  private renderShow(show: Show | undefined) {
    if (!show) return html`<div class="empty">This show is no longer in the library.</div>`;
    // The show in order: playing an episode queues the ones after it (next episode when it ends).
    const ids = show.seasons.flatMap((s) => s.episodes.map((e) => e.id));
    let start = 0;
    return html`${this.actions(ids)}
      ${show.seasons.map((s) => {
        const from = start;
        start += s.episodes.length;
        return html`<h3 data-season=${s.season}>${s.name}</h3>
          ${this.windowed(s.episodes.length, (i) => {
            const e = s.episodes[i]!;
            return html`<div class="row" data-kind="episode">
              <button class="open" aria-label=${`Play ${e.title}`} @click=${() => this.play(ids, 'replace', from + i)}>
                <span class="no">${e.episode ?? ''}</span>
                <span class="text"><span class="t1 clip">${e.title}</span><span class="t2 clip">${s.name}${e.episode !== null ? ` · Episode ${e.episode}` : ''}</span></span>
                <span class="dur">${formatTime(e.duration)}</span>
              </button></div>`;
          })}`;
      })}`;
  }

  private heading(): string {
    const p = this.page;
    const l = this.loaded;
    if (p.kind === 'artist') return p.name;
    if (p.kind === 'show') return p.name;
    if (p.kind === 'shows') return 'TV shows';
    return l?.kind === 'album' ? l.album.title : 'Album';
  }

  private body() {
    const l = this.loaded;
    if (this.error) return html`<div class="empty">Could not read the library: ${this.error}</div>`;
    if (!l) return html`<div class="empty">Loading…</div>`;
    switch (l.kind) {
      case 'album': return this.renderAlbum(l.album);
      case 'artist': return this.renderArtist(l.albums, l.tracks);
      case 'shows': return this.renderShows(l.shows);
      case 'show': return this.renderShow(l.show);
    }
  }

  override render() {
    return html`<div class="top"><button class="icon-btn" aria-label="Back" @click=${this.back}>${icons.back}</button><h2>${this.heading()}</h2></div>
      <section data-page=${this.page.kind}>${this.body()}</section>`;
  }
}
customElements.define('rc-browse-page', RcBrowsePage);
declare global {
  interface HTMLElementTagNameMap { 'rc-browse-page': RcBrowsePage }
}
