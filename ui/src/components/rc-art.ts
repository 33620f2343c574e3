// Artwork with a placeholder icon while it loads or when there is none. `fit="contain"` shows the
// whole picture in the box (video frames and posters keep their aspect); covers fill it.
import { css, html, LitElement } from 'lit';
import { icons, type IconName } from './icons.js';

export class RcArt extends LitElement {
  static override properties = { src: {}, icon: {}, fit: { reflect: true }, failed: { state: true } };
  declare src: string | null;
  declare icon: IconName;
  declare fit: 'cover' | 'contain';
  declare failed: boolean;

  constructor() {
    super();
    this.src = null;
    this.icon = 'album';
    this.fit = 'cover';
    this.failed = false;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('src')) this.failed = false;
  }

  static override styles = css`
    :host { display: block; position: relative; overflow: hidden; background: var(--surface-2); color: var(--muted); border-radius: inherit; }
    img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; }
    :host([fit='contain']) img { object-fit: contain; }
    .ph { position: absolute; inset: 0; display: grid; place-items: center; }
    .ph svg { width: 40%; height: 40%; max-width: 96px; max-height: 96px; opacity: 0.6; }
  `;

  override render() {
    return html`<div class="ph">${icons[this.icon]}</div>
      ${this.src && !this.failed ? html`<img src=${this.src} alt="" loading="lazy" decoding="async" @error=${() => (this.failed = true)} />` : null}`;
  }
}
customElements.define('rc-art', RcArt);
