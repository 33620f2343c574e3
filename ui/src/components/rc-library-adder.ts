// Adds a library (owner only): a media folder the server found (XDG Music, Videos, Pictures) in one
// tap, or any folder picked in the folder browser, with a name and a kind. Saves the whole list
// (`current` plus the new one) and sends `changed` with the server's answer; the server scans it.
import { css, html, LitElement, nothing } from 'lit';
import { changeSettings, nameFromPath, startingPoints, type LibraryKind, type LibrarySetting, type SettingsView } from '../data/settings.js';
import './rc-folder-browser.js';
import { shared } from './styles.js';

const KINDS: LibraryKind[] = ['music', 'video', 'photo', 'mixed'];

export class RcLibraryAdder extends LitElement {
  static override properties = { current: { attribute: false }, found: { state: true }, picked: { state: true }, browsing: { state: true }, error: { state: true } };
  declare current: LibrarySetting[];
  declare found: LibrarySetting[];
  /** A folder picked in the browser, waiting for its name and kind. */
  declare picked: string | null;
  declare browsing: boolean;
  declare error: string | null;

  constructor() {
    super();
    this.current = [];
    this.found = [];
    this.picked = null;
    this.browsing = false;
    this.error = null;
    this.addEventListener('pick', (e) => {
      this.picked = (e as CustomEvent<string>).detail;
      this.browsing = false;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void startingPoints().then((s) => (this.found = s.found), () => undefined);
  }

  private async add(lib: LibrarySetting) {
    try {
      const view = await changeSettings({ libraries: [...this.current, lib] });
      this.picked = null;
      this.error = null;
      this.dispatchEvent(new CustomEvent<SettingsView>('changed', { detail: view, bubbles: true, composed: true }));
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    void this.add({ name: String(f.get('name') ?? '').trim(), path: this.picked!, kind: String(f.get('kind')) as LibraryKind });
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      .btn { min-height: var(--tap); padding: 0 14px; border-radius: 22px; background: var(--surface-2); font-weight: 600; }
      select, input { font: inherit; min-height: var(--tap); padding: 4px 8px; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); color: var(--fg); }
      form { display: grid; gap: 8px; margin-top: 8px; }
      .path { font-family: ui-monospace, monospace; font-size: 0.85rem; word-break: break-all; }
      .error { color: var(--danger); }
      ul { list-style: none; padding: 0; margin: 8px 0; }
      li { display: flex; align-items: center; gap: 8px; min-height: var(--tap); }
      li .what { flex: 1; min-width: 0; }
    `,
  ];

  override render() {
    const suggestions = this.found.filter((f) => !this.current.some((c) => c.path === f.path));
    return html`${suggestions.length
        ? html`<p class="muted">Found on this computer:</p>
            <ul class="found">${suggestions.map((s) => html`<li><span class="what clip">${s.name} <span class="muted path">${s.path}</span></span>
              <button class="btn add-found" aria-label=${`Add ${s.name}`} @click=${() => void this.add(s)}>Add</button></li>`)}</ul>`
        : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.picked
        ? html`<form @submit=${(e: Event) => this.submit(e)} aria-label="New library">
            <span class="path">${this.picked}</span>
            <div class="row">
              <input name="name" aria-label="Library name" required maxlength="64" .value=${nameFromPath(this.picked)} />
              <select name="kind" aria-label="Kind">${KINDS.map((k) => html`<option value=${k}>${k}</option>`)}</select>
            </div>
            <div class="row"><button class="btn" type="submit">Add library</button><button class="btn" type="button" @click=${() => (this.picked = null)}>Cancel</button></div>
          </form>`
        : this.browsing
          ? html`<rc-folder-browser></rc-folder-browser>`
          : html`<button class="btn browse" @click=${() => (this.browsing = true)}>Add a folder…</button>`}`;
  }
}
customElements.define('rc-library-adder', RcLibraryAdder);
declare global {
  interface HTMLElementTagNameMap { 'rc-library-adder': RcLibraryAdder }
}
