// Progress bar with seek. Between snapshots the position is interpolated every animation frame
// (positionNow on the server's clock), written straight to the DOM so the page does not re-render
// 60 times a second. A seek holds the chosen position until the server reports one from after it.
// `compact`: a thin line without seeking (the phone's mini player).
import { css, html, LitElement, type PropertyValues } from 'lit';
import { serverNow } from '../data/clock.js';
import { formatTime, positionNow } from '../data/position.js';
import type { SessionSnapshot } from '../data/types.js';
import { shared } from './styles.js';

export type Timing = Pick<SessionSnapshot, 'state' | 'position' | 'at' | 'rate' | 'duration'>;

const HOLD_MS = 4000;

export class RcProgress extends LitElement {
  static override properties = { timing: { attribute: false }, compact: { type: Boolean, reflect: true } };
  declare timing: Timing | null;
  declare compact: boolean;
  private dragging = false;
  private held: { value: number; sentAt: number } | null = null;
  private frame = 0;

  constructor() {
    super();
    this.timing = null;
    this.compact = false;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .times { display: flex; justify-content: space-between; font-size: 0.8rem; font-variant-numeric: tabular-nums; color: var(--muted); margin-top: -8px; }
      .line { height: 3px; background: var(--surface-2); border-radius: 2px; overflow: hidden; }
      .fill { height: 100%; width: 0; background: var(--accent); }
    `,
  ];

  private value(now: number): number {
    const t = this.timing;
    if (!t) return 0;
    if (this.held && now - this.held.sentAt < HOLD_MS) return this.held.value;
    return positionNow(t, now);
  }

  private tick = () => {
    this.frame = 0;
    if (!this.dragging) this.paint(this.value(serverNow()));
    if (this.timing?.state === 'playing' || this.held) this.frame = requestAnimationFrame(this.tick);
  };

  private paint(v: number): void {
    const input = this.renderRoot.querySelector('input');
    if (input) input.value = String(v);
    const elapsed = this.renderRoot.querySelector('.elapsed');
    if (elapsed) elapsed.textContent = formatTime(v);
    const fill = this.renderRoot.querySelector<HTMLElement>('.fill');
    const d = this.timing?.duration;
    if (fill) fill.style.width = d ? `${Math.min(100, (v / d) * 100)}%` : '0';
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // A snapshot taken after our seek was sent tells the truth again.
    if (changed.has('timing') && this.held && this.timing && this.timing.at >= this.held.sentAt) this.held = null;
  }

  override updated(): void {
    this.restart();
  }

  private restart(): void {
    cancelAnimationFrame(this.frame);
    this.tick();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private onInput(e: Event) {
    this.dragging = true;
    const elapsed = this.renderRoot.querySelector('.elapsed');
    if (elapsed) elapsed.textContent = formatTime(Number((e.target as HTMLInputElement).value));
  }

  private onChange(e: Event) {
    const v = Number((e.target as HTMLInputElement).value);
    this.dragging = false;
    this.held = { value: v, sentAt: serverNow() };
    this.dispatchEvent(new CustomEvent<number>('seek', { detail: v, bubbles: true, composed: true }));
    this.restart();
  }

  override render() {
    if (this.compact) return html`<div class="line"><div class="fill"></div></div>`;
    const t = this.timing;
    const duration = t?.duration ?? 0;
    return html`<input
        type="range" min="0" max=${duration || 1} step="0.1" aria-label="Position" ?disabled=${!t || !duration}
        @input=${this.onInput} @change=${this.onChange} @pointerup=${() => (this.dragging = false)}
      />
      <div class="times"><span class="elapsed">0:00</span><span class="duration">${formatTime(t?.duration)}</span></div>`;
  }
}
customElements.define('rc-progress', RcProgress);
declare global {
  interface HTMLElementTagNameMap { 'rc-progress': RcProgress }
}
