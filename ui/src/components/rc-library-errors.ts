// The files the scan could not read, each with its library, path and the reason, and a Rescan
// button (after fixing or replacing a file). A sheet from the bottom on a phone, a card on a
// desktop. The list is read again whenever the library's stats change outside a scan (a scan
// ended: the server pushes the new counts). Sends `close`.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { LibraryStats, Page, Unreadable } from '../data/types.js';
import { icons } from './icons.js';
import { shared } from './styles.js';

const LIMIT = 500;

export class RcLibraryErrors extends LitElement {
  static override properties = {
    stats: { attribute: false },
    page: { state: true },
    failure: { state: true },
    rescanning: { state: true },
  };
  declare stats: LibraryStats | null;
  declare page: Page<Unreadable> | null;
  declare failure: string | null;
  declare rescanning: boolean;

  constructor() {
    super();
    this.stats = null;
    this.page = null;
    this.failure = null;
    this.rescanning = false;
  }

  static override styles = [
    shared,
    css`
      :host { position: fixed; inset: 0; z-index: 30; display: grid; align-items: end; justify-items: center; background: rgb(0 0 0 / 0.4); }
      .sheet { width: 100%; max-width: 640px; max-height: 85vh; max-height: 85dvh; display: flex; flex-direction: column; background: var(--surface); border-radius: 16px 16px 0 0; padding-bottom: env(safe-area-inset-bottom); }
      @media (min-width: 600px) { :host { align-items: center; } .sheet { border-radius: 16px; max-height: 80vh; } }
      header { display: flex; align-items: center; gap: 8px; padding: 4px 4px 4px 20px; border-bottom: 1px solid var(--border); }
      h3 { flex: 1; margin: 0; font-size: 1rem; }
      .hint { margin: 0; padding: 10px 20px 0; font-size: 0.85rem; }
      ul { list-style: none; margin: 0; padding: 4px 0; overflow-y: auto; flex: 1; min-height: 0; }
      li { padding: 10px 20px; display: grid; gap: 2px; }
      li + li { border-top: 1px solid var(--border); }
      .path { font-size: 0.9rem; overflow-wrap: anywhere; }
      .library { color: var(--muted); }
      .reason { font-size: 0.8rem; color: var(--danger); overflow-wrap: anywhere; }
      .none, .more { padding: 16px 20px; margin: 0; }
      footer { display: flex; align-items: center; justify-content: space-between; gap: 12px; padding: 10px 16px 12px 20px; border-top: 1px solid var(--border); font-size: 0.85rem; }
      .rescan { min-height: 40px; padding: 0 18px; border-radius: 999px; background: var(--accent); color: var(--accent-fg); font-weight: 600; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('click', this.backdrop);
    window.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('click', this.backdrop);
    window.removeEventListener('keydown', this.onKey);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // First show, or new counts outside a scan (the scan, ours or another, has ended).
    if (changed.has('stats') && !this.stats?.scanning) {
      this.rescanning = false;
      void this.load();
    }
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('.close')?.focus();
  }

  private async load(): Promise<void> {
    try {
      const res = await fetch(`api/library/errors?limit=${LIMIT}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.page = (await res.json()) as Page<Unreadable>;
      this.failure = null;
    } catch (err) {
      this.failure = `Could not read the list: ${(err as Error).message}`;
    }
  }

  private async rescan(): Promise<void> {
    this.rescanning = true;
    try {
      const res = await fetch('api/library/rescan', { method: 'POST' });
      if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { error?: string } | null)?.error ?? `HTTP ${res.status}`);
    } catch (err) {
      this.rescanning = false;
      this.failure = `Could not start a rescan: ${(err as Error).message}`;
    }
  }

  private close = () => this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }));
  // Inside the shadow root a click's target is retargeted to this host: only the backdrop itself is the first in its path.
  private backdrop = (e: Event) => e.composedPath()[0] === this && this.close();
  private onKey = (e: KeyboardEvent) => e.key === 'Escape' && this.close();

  private renderList() {
    const p = this.page;
    if (!p) return this.failure ? nothing : html`<p class="none muted">Loading…</p>`;
    if (p.total === 0) return html`<p class="none muted">Every file could be read.</p>`;
    return html`<ul>
        ${p.items.map((f) => html`<li><span class="path"><span class="library">${f.library} · </span>${f.path}</span><span class="reason">${f.error}</span></li>`)}
      </ul>
      ${p.total > p.items.length ? html`<p class="more muted">and ${(p.total - p.items.length).toLocaleString()} more</p>` : nothing}`;
  }

  override render() {
    const busy = this.rescanning || !!this.stats?.scanning;
    const n = this.page?.total;
    return html`<div class="sheet" role="dialog" aria-modal="true" aria-labelledby="title">
      <header><h3 id="title">Files that could not be read</h3>
        <button class="icon-btn close" aria-label="Close" @click=${this.close}>${icons.close}</button></header>
      <p class="hint muted">They are left out of the library. Repair or replace a file, then rescan.</p>
      ${this.renderList()}
      ${this.failure ? html`<p class="none reason" role="alert">${this.failure}</p>` : nothing}
      <footer>
        <span class="muted" role="status">${busy ? 'Scanning the library…' : n ? `${n.toLocaleString()} file${n === 1 ? '' : 's'}` : ''}</span>
        <button class="rescan" ?disabled=${busy} @click=${() => void this.rescan()}>Rescan</button>
      </footer>
    </div>`;
  }
}
customElements.define('rc-library-errors', RcLibraryErrors);
declare global {
  interface HTMLElementTagNameMap { 'rc-library-errors': RcLibraryErrors }
}
