// "Add to playlist": a sheet listing the playlists made here (imported ones follow their files)
// and a field for a new one. What is added is a source the server resolves: items, an album, a
// receiver's queue ("save queue as playlist"). Sends `done` with what happened (a line for the
// toast), or null when the user cancels; a refusal stays in the sheet.
import { css, html, LitElement, nothing } from 'lit';
import type { CommandArgs } from '../../../server/api/messages.js';
import type { Controller } from '../data/actions.js';
import { fetchPlaylists, type Playlist } from '../data/playlists.js';
import { shared } from './styles.js';

export type PlaylistSource = CommandArgs<'playlist:add'>['from'];

export class RcAddToPlaylist extends LitElement {
  static override properties = {
    heading: {},
    from: { attribute: false },
    controller: { attribute: false },
    playlists: { state: true },
    name: { state: true },
    problem: { state: true },
    busy: { state: true },
  };
  declare heading: string;
  declare from: PlaylistSource | null;
  declare controller: Controller | null;
  declare playlists: Playlist[] | null;
  declare name: string;
  declare problem: string | null;
  declare busy: boolean;

  constructor() {
    super();
    this.heading = '';
    this.from = null;
    this.controller = null;
    this.playlists = null;
    this.name = '';
    this.problem = null;
    this.busy = false;
  }

  static override styles = [
    shared,
    css`
      :host { position: fixed; inset: 0; z-index: 30; display: grid; align-items: end; justify-items: center; background: rgb(0 0 0 / 0.4); }
      .sheet { width: 100%; max-width: 420px; max-height: 80dvh; display: flex; flex-direction: column; background: var(--surface); border-radius: 16px 16px 0 0; padding: 8px 0 max(8px, env(safe-area-inset-bottom)); }
      @media (min-width: 600px) { :host { align-items: center; } .sheet { border-radius: 16px; } }
      h3 { margin: 0; padding: 12px 20px; font-size: 1rem; border-bottom: 1px solid var(--border); }
      .list { overflow-y: auto; }
      .list button, .cancel { display: block; width: 100%; text-align: left; padding: 0 20px; min-height: 52px; font-size: 1rem; }
      .list button:hover { background: var(--surface-2); }
      .list .n { color: var(--muted); font-size: 0.8rem; margin-left: 6px; }
      form { display: flex; gap: 8px; padding: 8px 20px; border-top: 1px solid var(--border); }
      input { flex: 1; min-width: 0; font: inherit; color: inherit; background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; min-height: var(--tap); padding: 0 10px; }
      form button { min-height: var(--tap); padding: 0 16px; border-radius: 999px; background: var(--accent); color: var(--accent-fg); font-weight: 600; }
      .problem { color: var(--danger); margin: 0; padding: 4px 20px; }
      .cancel { color: var(--muted); }
      .empty { padding: 12px 20px; margin: 0; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('click', this.backdrop);
    fetchPlaylists().then(
      (p) => (this.playlists = p.items.filter((x) => !x.imported)),
      (err: Error) => ((this.playlists = []), (this.problem = err.message)),
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('click', this.backdrop);
  }

  private backdrop = () => this.done(null);

  private done(message: string | null) {
    this.dispatchEvent(new CustomEvent<string | null>('done', { detail: message, bubbles: true, composed: true }));
  }

  private async run(send: () => Promise<Playlist | null>, verb: string) {
    if (!this.controller || !this.from || this.busy) return;
    this.busy = true;
    this.problem = null;
    const p = await send();
    this.busy = false;
    if (p) this.done(`${verb} “${p.name}”`);
  }

  private add(p: Playlist) {
    void this.run(() => this.controller!.playlist('playlist:add', { playlist: p.id, from: this.from! }), 'Added to');
  }

  private create(e: Event) {
    e.preventDefault();
    const name = this.name.trim();
    if (!name) return void (this.problem = 'A playlist needs a name');
    void this.run(() => this.controller!.playlist('playlist:create', { name, from: this.from! }), 'Made playlist');
  }

  override render() {
    return html`<div class="sheet" role="dialog" aria-label=${`Add ${this.heading} to a playlist`} @click=${(e: Event) => e.stopPropagation()}>
      <h3 class="clip">Add “${this.heading}” to…</h3>
      <div class="list">
        ${this.playlists === null
          ? html`<p class="empty muted">Loading…</p>`
          : this.playlists.length === 0
            ? html`<p class="empty muted">No playlists yet: name a new one below.</p>`
            : this.playlists.map((p) => html`<button data-playlist=${p.id} ?disabled=${this.busy} @click=${() => this.add(p)}>${p.name}<span class="n">${p.trackCount}</span></button>`)}
      </div>
      <form @submit=${this.create}>
        <input type="text" name="name" placeholder="New playlist" aria-label="New playlist name" maxlength="200" .value=${this.name}
          @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)} />
        <button type="submit" ?disabled=${this.busy}>Create</button>
      </form>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      <button class="cancel" @click=${() => this.done(null)}>Cancel</button>
    </div>`;
  }
}
customElements.define('rc-add-to-playlist', RcAddToPlaylist);
declare global {
  interface HTMLElementTagNameMap { 'rc-add-to-playlist': RcAddToPlaylist }
}
