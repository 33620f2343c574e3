// Picks a folder of the server's machine (owner only): the places to start from, then one folder's
// folders at a time (the server never lists files here), or a path typed in; "Use this folder" sends `pick` with its path.
import { css, html, LitElement, nothing } from 'lit';
import { listFolders, startingPoints, type Folder, type FolderListing } from '../data/settings.js';
import { icons } from './icons.js';
import { shared } from './styles.js';

export class RcFolderBrowser extends LitElement {
  static override properties = { places: { state: true }, listing: { state: true }, error: { state: true } };
  declare places: Folder[];
  declare listing: FolderListing | null;
  declare error: string | null;

  constructor() {
    super();
    this.places = [];
    this.listing = null;
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void startingPoints().then((s) => (this.places = s.places), (e: Error) => (this.error = e.message));
  }

  private async open(path: string) {
    try {
      this.listing = await listFolders(path);
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .path { display: flex; align-items: center; gap: 8px; font-family: ui-monospace, monospace; font-size: 0.85rem; word-break: break-all; }
      ul { list-style: none; margin: 8px 0; padding: 0; max-height: 320px; overflow-y: auto; border: 1px solid var(--border); border-radius: 8px; }
      li button { display: flex; align-items: center; width: 100%; min-height: var(--tap); padding: 0 12px; text-align: left; gap: 8px; }
      li + li { border-top: 1px solid var(--border); }
      .btn { min-height: var(--tap); padding: 0 14px; border-radius: 22px; background: var(--surface-2); font-weight: 600; }
      .use { background: var(--accent); color: var(--on-accent, #fff); }
      .row { display: flex; gap: 8px; flex-wrap: wrap; }
      .error { color: var(--danger); }
      .go { margin-top: 8px; }
      .go input { flex: 1; min-width: 10em; font: inherit; min-height: var(--tap); padding: 4px 8px; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); color: var(--fg); }
    `,
  ];

  override render() {
    const l = this.listing;
    return html`<div class="row places">${this.places.map((p) => html`<button class="btn place" @click=${() => void this.open(p.path)}>${p.name}</button>`)}</div>
      <form class="row go" aria-label="Go to a folder" @submit=${(e: Event) => {
        e.preventDefault();
        const path = String(new FormData(e.target as HTMLFormElement).get('path') ?? '').trim();
        if (path) void this.open(path);
      }}><input name="path" aria-label="Folder path" placeholder="/path/to/folder" /><button class="btn" type="submit">Go</button></form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${l
        ? html`<p class="path">
              ${l.parent !== null ? html`<button class="icon-btn up" aria-label="Up one folder" @click=${() => void this.open(l.parent!)}>${icons.up}</button>` : nothing}
              <span class="current">${l.path}</span>
            </p>
            <ul aria-label="Folders">
              ${l.folders.length === 0 ? html`<li class="muted" style="padding: 8px 12px">No folders here</li>` : nothing}
              ${l.folders.map((f) => html`<li><button class="folder" data-path=${f.path} @click=${() => void this.open(f.path)}>${icons.library}<span class="clip">${f.name}</span></button></li>`)}
            </ul>
            ${l.truncated ? html`<p class="muted">Only the first folders are listed.</p>` : nothing}
            <button class="btn use" @click=${() => this.dispatchEvent(new CustomEvent<string>('pick', { detail: l.path, bubbles: true, composed: true }))}>Use this folder</button>`
        : html`<p class="muted">Choose where to start.</p>`}`;
  }
}
customElements.define('rc-folder-browser', RcFolderBrowser);
declare global {
  interface HTMLElementTagNameMap { 'rc-folder-browser': RcFolderBrowser }
}
