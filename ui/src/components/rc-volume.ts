// Volume slider and mute. While the thumb moves, levels go out at most every 200 ms; the slider
// keeps the user's value until the server reports it (or for two seconds), so it never jumps back.
import { css, html, LitElement, type PropertyValues } from 'lit';
import { icons } from './icons.js';
import { shared } from './styles.js';

const SEND_EVERY_MS = 200;
const HOLD_MS = 2000;

export class RcVolume extends LitElement {
  static override properties = { level: { type: Number }, muted: { type: Boolean }, disabled: { type: Boolean }, label: {} };
  declare level: number;
  /** The slider's accessible name (a group member's: "Volume of Kitchen"). */
  declare label: string;
  declare muted: boolean;
  declare disabled: boolean;
  private held: { value: number; at: number } | null = null;
  private lastSent = 0;

  constructor() {
    super();
    this.level = 1;
    this.muted = false;
    this.disabled = false;
    this.label = 'Volume';
  }

  static override styles = [
    shared,
    css`
      :host { display: flex; align-items: center; gap: 4px; }
      input { flex: 1; }
      .pct { width: 3ch; text-align: right; font-size: 0.8rem; color: var(--muted); font-variant-numeric: tabular-nums; }
    `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('level') && this.held && Math.abs(this.level - this.held.value) < 0.011) this.held = null;
  }

  private shown(): number {
    return this.held && Date.now() - this.held.at < HOLD_MS ? this.held.value : this.level;
  }

  private send(value: number, final: boolean) {
    this.held = { value, at: Date.now() };
    if (!final && Date.now() - this.lastSent < SEND_EVERY_MS) return;
    this.lastSent = Date.now();
    this.dispatchEvent(new CustomEvent<number>('volume', { detail: value, bubbles: true, composed: true }));
  }

  override render() {
    const pct = Math.round(this.shown() * 100);
    const of = this.label === 'Volume' ? '' : ` ${this.label.replace(/^Volume of /, '')}`;
    return html`<button class="icon-btn" aria-label=${`${this.muted ? 'Unmute' : 'Mute'}${of}`} ?disabled=${this.disabled}
        @click=${() => this.dispatchEvent(new CustomEvent<boolean>('mute', { detail: !this.muted, bubbles: true, composed: true }))}>
        ${this.muted ? icons.muted : icons.volume}
      </button>
      <input type="range" min="0" max="100" step="1" .value=${String(pct)} aria-label=${this.label} ?disabled=${this.disabled}
        @input=${(e: Event) => (this.send(Number((e.target as HTMLInputElement).value) / 100, false), this.requestUpdate())}
        @change=${(e: Event) => this.send(Number((e.target as HTMLInputElement).value) / 100, true)} />
      <span class="pct">${pct}</span>`;
  }
}
customElements.define('rc-volume', RcVolume);
declare global {
  interface HTMLElementTagNameMap { 'rc-volume': RcVolume }
}
