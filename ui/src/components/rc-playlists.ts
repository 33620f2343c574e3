// The Playlists page: every playlist (made here, or imported from a .m3u/.m3u8/.pls file in a
// library), a field to make a new one, and one playlist's own page when tapped. Read again when
// the server says playlists changed (`version`).
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Controller } from '../data/actions.js';
import { fetchPlaylists, type Playlist } from '../data/playlists.js';
import { formatTime } from '../data/position.js';
import { icons } from './icons.js';
import './rc-playlist-page.js';
import './rc-virtual-list.js';
import { shared } from './styles.js';

const ROW_H = 64;

export class RcPlaylists extends LitElement {
  static override properties = {
    controller: { attribute: false },
    version: { type: Number },
    playlists: { state: true },
    error: { state: true },
    open: { state: true },
    name: { state: true },
  };
  declare controller: Controller | null;
  declare version: number;
  declare playlists: Playlist[] | null;
  declare error: string | null;
  /** The playlist whose page is shown. */
  declare open: number | null;
  declare name: string;
  private rows = 0;
  private loading = 0;

  constructor() {
    super();
    this.controller = null;
    this.version = 0;
    this.playlists = null;
    this.error = null;
    this.open = null;
    this.name = '';
  }

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; height: 100%; }
      h2 { margin: 0; padding: 12px 16px 4px; font-size: 1.2rem; }
      form { display: flex; gap: 8px; padding: 8px 16px; }
      input { flex: 1; min-width: 0; font: inherit; color: inherit; background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; min-height: var(--tap); padding: 0 10px; }
      form button { min-height: var(--tap); padding: 0 16px; border-radius: 999px; background: var(--accent); color: var(--accent-fg); font-weight: 600; }
      rc-virtual-list { flex: 1; min-height: 0; }
      .row { display: grid; grid-template-columns: minmax(0, 1fr) auto; align-items: center; height: 100%; border-bottom: 1px solid var(--border); }
      .open { display: flex; align-items: center; gap: 12px; text-align: left; height: 100%; padding: 0 8px 0 16px; min-width: 0; }
      .open svg { color: var(--muted); flex: none; }
      .t1 { font-size: 0.95rem; }
      .t2 { font-size: 0.8rem; }
      .text { display: grid; min-width: 0; }
      .play { color: var(--accent); }
      .empty { padding: 16px; }
    `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('version')) this.load();
  }

  private load() {
    const ticket = ++this.loading;
    fetchPlaylists().then(
      (p) => {
        if (ticket !== this.loading) return;
        this.playlists = p.items;
        this.error = null;
        this.rows++;
        // The shown playlist was deleted (here or by another remote): back to the list.
        if (this.open !== null && !p.items.some((x) => x.id === this.open)) this.open = null;
      },
      (err: Error) => ticket === this.loading && ((this.error = err.message), (this.playlists ??= [])),
    );
  }

  private async create(e: Event) {
    e.preventDefault();
    const name = this.name.trim();
    if (!name || !this.controller) return;
    const made = await this.controller.playlist('playlist:create', { name });
    if (!made) return;
    this.name = '';
    this.load();
    this.open = made.id;
  }

  private row = (i: number) => {
    const p = this.playlists?.[i];
    if (!p) return html``;
    return html`<div class="row" data-playlist=${p.id}>
      <button class="open" @click=${() => (this.open = p.id)}>${icons.playlist}
        <span class="text"><span class="t1 clip">${p.name}</span>
          <span class="t2 muted clip">${p.trackCount} ${p.trackCount === 1 ? 'entry' : 'entries'} · ${formatTime(p.duration)}${p.imported ? ` · file ${p.source?.path}` : ''}</span></span>
      </button>
      <button class="icon-btn play" aria-label=${`Play ${p.name}`} ?disabled=${!p.trackCount} @click=${() => void this.controller?.playPlaylist(p.id)}>${icons.play}</button>
    </div>`;
  };

  override render() {
    if (this.open !== null) {
      return html`<rc-playlist-page .playlistId=${this.open} .version=${this.version} .controller=${this.controller} @back=${() => (this.open = null)}></rc-playlist-page>`;
    }
    const list = this.playlists;
    return html`<h2>Playlists</h2>
      <form @submit=${this.create}>
        <input type="text" placeholder="New playlist" aria-label="New playlist name" maxlength="200" .value=${this.name}
          @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)} />
        <button type="submit" ?disabled=${!this.name.trim()}>Create</button>
      </form>
      ${this.error ? html`<p class="empty muted">Could not read the playlists: ${this.error}</p>` : nothing}
      ${list === null
        ? html`<p class="empty muted">Loading…</p>`
        : list.length === 0
          ? html`<p class="empty muted">No playlists yet. Name one above, or add to one from ⋮ on a track or album, or save the queue. Playlist files (.m3u, .m3u8, .pls) in the library folders show here after a scan.</p>`
          : html`<rc-virtual-list .count=${list.length} .rowHeight=${ROW_H} .renderItem=${this.row} .version=${this.rows}></rc-virtual-list>`}`;
  }
}
customElements.define('rc-playlists', RcPlaylists);
declare global {
  interface HTMLElementTagNameMap { 'rc-playlists': RcPlaylists }
}
