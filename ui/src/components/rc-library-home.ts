// The library's home: "Continue watching" (with how far each got), "Recently added", "Recently
// played" and the favourites, each a row of cards that scrolls sideways. Tapping a card plays it
// (from where it was left, when the person says so: rc-resume-prompt.ts); the heart marks it.
import { css, html, LitElement, nothing } from 'lit';
import type { Controller } from '../data/actions.js';
import { formatTime } from '../data/position.js';
import { favourites, homeRow, type HomeItem } from '../data/remembered.js';
import { playResumable } from './rc-resume-prompt.js';
import './rc-art.js';
import './rc-heart.js';
import { shared } from './styles.js';

const ROWS = [
  { key: 'continue', title: 'Continue watching' },
  { key: 'recently-added', title: 'Recently added' },
  { key: 'recently-played', title: 'Recently played' },
  { key: 'favourites', title: 'Favourites' },
] as const;
type RowKey = (typeof ROWS)[number]['key'];

export class RcLibraryHome extends LitElement {
  static override properties = { controller: { attribute: false }, rows: { state: true }, error: { state: true } };
  declare controller: Controller | null;
  declare rows: Partial<Record<RowKey, HomeItem[]>>;
  declare error: string | null;

  constructor() {
    super();
    this.controller = null;
    this.rows = {};
    this.error = null;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; overflow-y: auto; padding: 4px 0 16px; }
      section { margin-bottom: 12px; }
      h2 { font-size: 1rem; margin: 8px 12px; }
      .cards { display: flex; gap: 10px; overflow-x: auto; padding: 0 12px 6px; scroll-snap-type: x proximity; }
      .card { flex: none; width: 140px; scroll-snap-align: start; position: relative; }
      .card .open { display: flex; flex-direction: column; gap: 2px; width: 100%; text-align: left; }
      .card rc-art { width: 140px; height: 140px; border-radius: 8px; }
      .card .t1 { font-size: 0.85rem; font-weight: 600; }
      .card .t2 { font-size: 0.75rem; color: var(--muted); }
      .card rc-heart { position: absolute; top: 0; right: 0; }
      .bar { height: 4px; border-radius: 2px; background: var(--surface-2); overflow: hidden; margin: 4px 0 2px; }
      .bar i { display: block; height: 100%; background: var(--accent); }
      .empty { padding: 24px 16px; text-align: center; color: var(--muted); }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Reads every row again (the home is shown anew, or something was played). */
  async load(): Promise<void> {
    try {
      const [cont, added, played, favs] = await Promise.all([homeRow('continue'), homeRow('recently-added'), homeRow('recently-played'), favourites()]);
      this.rows = { continue: cont, 'recently-added': added, 'recently-played': played, favourites: favs };
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private play(it: HomeItem) {
    if (it.kind === 'album') void this.controller?.playAlbum(it.id);
    else void playResumable(this.controller, it).then(() => this.load());
  }

  private card(it: HomeItem, key: RowKey) {
    const heartKind = it.kind === 'audio' ? 'track' : it.kind;
    const share = it.resumePosition !== null && it.duration ? Math.min(1, it.resumePosition / it.duration) : null;
    return html`<div class="card" data-kind=${it.kind} data-id=${it.id}>
      <button class="open" aria-label=${`Play ${it.title}`} @click=${() => this.play(it)}>
        <rc-art .src=${it.artUrl} icon=${it.kind === 'video' ? 'video' : 'album'}></rc-art>
        ${key === 'continue' && share !== null ? html`<span class="bar" aria-hidden="true"><i style=${`width:${(share * 100).toFixed(1)}%`}></i></span>` : nothing}
        <span class="t1 clip">${it.title}</span>
        <span class="t2 clip">${key === 'continue' && it.resumePosition !== null ? `${formatTime(it.resumePosition)} of ${formatTime(it.duration)}` : (it.subtitle ?? (it.watched ? 'Watched' : ''))}</span>
      </button>
      <rc-heart .kind=${heartKind} .itemId=${it.id} .on=${it.favourite} .label=${it.title} @favourite=${() => void this.load()}></rc-heart>
    </div>`;
  }

  override render() {
    if (this.error) return html`<div class="empty">Could not read the library: ${this.error} <button @click=${() => void this.load()}>Retry</button></div>`;
    const shown = ROWS.filter((r) => this.rows[r.key]?.length);
    if (!shown.length) return html`<div class="empty">Nothing played yet: what you play, add and favour shows here.</div>`;
    return shown.map((r) => html`<section data-row=${r.key}><h2>${r.title}</h2><div class="cards">${this.rows[r.key]!.map((it) => this.card(it, r.key))}</div></section>`);
  }
}
customElements.define('rc-library-home', RcLibraryHome);
declare global {
  interface HTMLElementTagNameMap { 'rc-library-home': RcLibraryHome }
}
