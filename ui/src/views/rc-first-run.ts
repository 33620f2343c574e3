// After the owner's first sign-in, while no library is configured: offers the media folders the
// server found and the folder browser, in place of an empty library. Sends `first-run-done` when a library
// is added or the owner skips (Settings has the same later).
import { css, html, LitElement } from 'lit';
import type { SettingsView } from '../data/settings.js';
import '../components/rc-library-adder.js';
import { shared } from '../components/styles.js';

export class RcFirstRun extends LitElement {
  constructor() {
    super();
    this.addEventListener('changed', (e) => {
      if ((e as CustomEvent<SettingsView>).detail?.values.libraries.length) this.done();
    });
  }

  private done() {
    this.dispatchEvent(new CustomEvent('first-run-done', { bubbles: true, composed: true }));
  }

  static override styles = [
    shared,
    css`
      :host { display: block; overflow-y: auto; height: 100%; }
      .card { max-width: 640px; margin: 16px auto; background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 16px; }
      h2 { margin: 0 0 8px; font-size: 1.2rem; }
      .skip { margin-top: 16px; color: var(--muted); min-height: var(--tap); }
    `,
  ];

  override render() {
    return html`<section class="card" aria-label="First run">
      <h2>Add your media</h2>
      <p>No library yet. Choose the folders with your music, videos and photos: the server scans them now.</p>
      <rc-library-adder .current=${[]}></rc-library-adder>
      <button class="skip" @click=${() => this.done()}>Later (Settings has this too)</button>
    </section>`;
  }
}
customElements.define('rc-first-run', RcFirstRun);
declare global {
  interface HTMLElementTagNameMap { 'rc-first-run': RcFirstRun }
}
