// One playlist: play or shuffle it on the controlled receiver, tap an entry to play from there;
// a playlist made here is renamed, deleted, reordered (▲/▼ on each entry, or Alt+↑/↓) and trimmed
// (✕). An imported one follows its file: it shows where it comes from and the entries the file
// names that could not be taken. Export downloads it as .m3u8. Sends `back` when it is left.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Controller } from '../data/actions.js';
import { exportUrl, fetchPlaylistItems, type PlaylistItems } from '../data/playlists.js';
import { formatTime } from '../data/position.js';
import { icons } from './icons.js';
import './rc-virtual-list.js';
import { shared } from './styles.js';

const ROW_H = 56;

export class RcPlaylistPage extends LitElement {
  static override properties = {
    playlistId: { type: Number },
    version: { type: Number },
    controller: { attribute: false },
    data: { state: true },
    error: { state: true },
    renaming: { state: true },
    confirming: { state: true },
  };
  declare playlistId: number;
  /** Bumped when the server says playlists changed. */
  declare version: number;
  declare controller: Controller | null;
  declare data: PlaylistItems | null;
  declare error: string | null;
  declare renaming: boolean;
  declare confirming: boolean;
  private rows = 0;
  private loading = 0;

  constructor() {
    super();
    this.playlistId = 0;
    this.version = 0;
    this.controller = null;
    this.data = null;
    this.error = null;
    this.renaming = false;
    this.confirming = false;
  }

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; height: 100%; }
      .top { display: flex; align-items: center; gap: 4px; padding: 4px 8px 0 4px; }
      h2 { margin: 0; font-size: 1.2rem; flex: 1; }
      .meta { padding: 0 16px; font-size: 0.85rem; }
      .actions { display: flex; flex-wrap: wrap; gap: 8px; padding: 10px 16px; }
      .actions button, .actions a { display: inline-flex; align-items: center; gap: 4px; min-height: var(--tap); padding: 0 14px; border-radius: 999px; background: var(--surface-2); color: inherit; text-decoration: none; font-size: 0.9rem; }
      .actions .primary { background: var(--accent); color: var(--accent-fg); font-weight: 600; }
      .actions .danger { color: var(--danger); }
      form { display: flex; gap: 8px; padding: 0 16px 8px; }
      input { flex: 1; min-width: 0; font: inherit; color: inherit; background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; min-height: var(--tap); padding: 0 10px; }
      form button { min-height: var(--tap); padding: 0 14px; border-radius: 999px; background: var(--surface-2); }
      details { padding: 0 16px 8px; font-size: 0.85rem; }
      details li { margin: 2px 0; overflow-wrap: anywhere; }
      rc-virtual-list { flex: 1; min-height: 120px; }
      .row { display: grid; grid-template-columns: 32px minmax(0, 1fr) auto auto; align-items: center; gap: 4px; height: 100%; padding: 0 4px 0 12px; border-bottom: 1px solid var(--border); }
      .row button.entry { display: contents; text-align: left; }
      .n { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 0.85rem; }
      .title { font-size: 0.95rem; }
      .artist { font-size: 0.8rem; }
      .dur { font-size: 0.8rem; color: var(--muted); font-variant-numeric: tabular-nums; padding-right: 4px; }
      .edit { display: flex; }
      .edit .icon-btn { min-width: 36px; color: var(--muted); }
      .empty { padding: 16px; }
    `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('playlistId') || changed.has('version')) this.load();
  }

  private load() {
    const id = this.playlistId;
    const ticket = ++this.loading;
    fetchPlaylistItems(id).then(
      (d) => {
        if (ticket !== this.loading) return;
        this.data = d;
        this.error = null;
        this.rows++;
      },
      (err: Error) => ticket === this.loading && (this.error = err.message),
    );
  }

  private back() {
    this.dispatchEvent(new CustomEvent('back', { bubbles: true, composed: true }));
  }

  private async change(p: Promise<unknown>) {
    if (await p) this.load();
  }

  private move(entryId: number, to: number) {
    const n = this.data?.items.length ?? 0;
    if (to < 0 || to >= n) return;
    const dir = to < this.indexOf(entryId) ? 'up' : 'down';
    void this.change(this.controller!.playlist('playlist:move', { playlist: this.playlistId, entryId, to })).then(async () => {
      await this.updateComplete;
      await this.renderRoot.querySelector('rc-virtual-list')?.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-entry="${entryId}"] .${dir}`)?.focus();
    });
  }

  private indexOf(entryId: number): number {
    return this.data?.items.findIndex((e) => e.entryId === entryId) ?? -1;
  }

  private rename(e: Event) {
    e.preventDefault();
    const name = new FormData(e.target as HTMLFormElement).get('name');
    if (typeof name !== 'string' || !name.trim()) return;
    void this.controller?.playlist('playlist:rename', { playlist: this.playlistId, name }).then((p) => p && ((this.renaming = false), this.load()));
  }

  private async deletePlaylist() {
    if (await this.controller?.playlist('playlist:delete', { playlist: this.playlistId })) this.back();
  }

  private row = (i: number) => {
    const e = this.data?.items[i];
    if (!e) return html``;
    const editable = !this.data!.playlist.imported;
    const n = this.data!.items.length;
    const keys = (ev: KeyboardEvent) => {
      if (!editable || !ev.altKey || (ev.key !== 'ArrowUp' && ev.key !== 'ArrowDown')) return;
      ev.preventDefault();
      this.move(e.entryId, ev.key === 'ArrowUp' ? i - 1 : i + 1);
    };
    return html`<div class="row" data-entry=${e.entryId} @keydown=${keys}>
      <button class="entry" aria-label=${`Play from ${e.title}`} @click=${() => void this.controller?.playPlaylist(this.playlistId, false, i)}>
        <span class="n">${i + 1}</span>
        <span class="clip"><div class="title clip">${e.title}</div>${e.artist ? html`<div class="artist muted clip">${e.artist}</div>` : nothing}</span>
      </button>
      <span class="dur">${formatTime(e.duration)}</span>
      ${editable
        ? html`<span class="edit">
            <button class="icon-btn up" aria-label=${`Move ${e.title} up`} ?disabled=${i === 0} @click=${() => this.move(e.entryId, i - 1)}>${icons.up}</button>
            <button class="icon-btn down" aria-label=${`Move ${e.title} down`} ?disabled=${i === n - 1} @click=${() => this.move(e.entryId, i + 1)}>${icons.down}</button>
            <button class="icon-btn remove" aria-label=${`Remove ${e.title}`} @click=${() => void this.change(this.controller!.playlist('playlist:remove', { playlist: this.playlistId, entryId: e.entryId }))}>${icons.close}</button>
          </span>`
        : html`<span></span>`}
    </div>`;
  };

  override render() {
    const d = this.data;
    const top = html`<div class="top"><button class="icon-btn" aria-label="All playlists" @click=${this.back}>${icons.back}</button>
      <h2 class="clip">${d?.playlist.name ?? ''}</h2></div>`;
    if (!d) return html`${top}<p class="empty muted">${this.error ?? 'Loading…'}</p>`;
    const p = d.playlist;
    return html`${top}
      <div class="meta muted">${p.trackCount} ${p.trackCount === 1 ? 'entry' : 'entries'} · ${formatTime(p.duration)}${p.imported ? html` · from ${p.source?.library}/${p.source?.path}` : nothing}</div>
      <div class="actions">
        <button class="primary" data-action="play" ?disabled=${!p.trackCount} @click=${() => void this.controller?.playPlaylist(p.id)}>${icons.play}Play</button>
        <button data-action="shuffle" ?disabled=${!p.trackCount} @click=${() => void this.controller?.playPlaylist(p.id, true)}>${icons.shuffle}Shuffle</button>
        ${p.imported ? nothing : html`<button data-action="rename" @click=${() => (this.renaming = !this.renaming)}>Rename</button>`}
        <a data-action="export" href=${exportUrl(p.id)} download>Export</a>
        ${p.imported
          ? nothing
          : this.confirming
            ? html`<button class="danger" data-action="confirm-delete" @click=${() => void this.deletePlaylist()}>Delete “${p.name}”</button>
                <button @click=${() => (this.confirming = false)}>Keep</button>`
            : html`<button class="danger" data-action="delete" @click=${() => (this.confirming = true)}>Delete</button>`}
      </div>
      ${this.renaming
        ? html`<form @submit=${this.rename}><input name="name" aria-label="Playlist name" maxlength="200" .value=${p.name} /><button type="submit">Save</button></form>`
        : nothing}
      ${d.problems.length
        ? html`<details><summary class="muted">${d.problems.length} ${d.problems.length === 1 ? 'entry' : 'entries'} of the file not taken</summary>
            <ul>${d.problems.map((x) => html`<li>line ${x.line}: ${x.entry} — ${x.reason}</li>`)}</ul></details>`
        : nothing}
      ${d.items.length
        ? html`<rc-virtual-list .count=${d.items.length} .rowHeight=${ROW_H} .renderItem=${this.row} .version=${this.rows}></rc-virtual-list>`
        : html`<p class="empty muted">${p.imported ? 'Nothing in this file is in the library.' : 'Empty: add to it with ⋮ → Add to playlist on a track or album, or save a queue.'}</p>`}`;
  }
}
customElements.define('rc-playlist-page', RcPlaylistPage);
declare global {
  interface HTMLElementTagNameMap { 'rc-playlist-page': RcPlaylistPage }
}
