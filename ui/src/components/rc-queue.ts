// The session's queue, the current entry marked. Tap an entry to play it; ✕ removes it; drag the
// handle (finger or mouse) to reorder, or Alt+↑/↓ (↑/↓ on the handle) from the keyboard. A drop
// sends `move` { entryId, to }; the order shown is always the pushed session's, never a local one.
// Virtualised: "play artist" can queue thousands.
import { css, html, LitElement, type PropertyValues } from 'lit';
import { formatTime } from '../data/position.js';
import type { QueueEntry } from '../data/types.js';
import { icons } from './icons.js';
import './rc-virtual-list.js';
import { shared } from './styles.js';

const ROW_H = 56;

interface Drag { entryId: number; from: number; startY: number; dy: number; to: number; pointerId: number; cell: HTMLElement | null }

/** Where a row dragged by `dy` pixels from index `from` lands among `count` rows. */
export function dropIndex(from: number, dy: number, count: number, rowHeight = ROW_H): number {
  return Math.min(count - 1, Math.max(0, from + Math.round(dy / rowHeight)));
}

export class RcQueue extends LitElement {
  static override properties = { entries: { attribute: false }, index: { type: Number } };
  declare entries: QueueEntry[];
  declare index: number;
  private drag: Drag | null = null;
  /** Re-renders the visible rows when entries, index or the drag change. */
  private version = 0;
  /** After a keyboard move, focus follows the entry to its new row. */
  private focusEntry: { entryId: number; to: number } | null = null;

  constructor() {
    super();
    this.entries = [];
    this.index = -1;
  }

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; }
      .head { display: flex; align-items: center; gap: 8px; padding-right: 8px; }
      .head h3 { flex: 1; }
      .save { font-size: 0.85rem; color: var(--accent); min-height: var(--tap); padding: 0 8px; }
      h3 { margin: 0; padding: 12px 16px 4px; font-size: 0.9rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
      rc-virtual-list { flex: 1; min-height: 120px; }
      .row { display: grid; grid-template-columns: var(--tap) 32px 1fr auto auto; align-items: center; gap: 4px 8px; height: 100%; padding: 0 4px 0 0; border-bottom: 1px solid var(--border); background: var(--surface, Canvas); position: relative; }
      .row button.entry { display: contents; text-align: left; }
      .handle { color: var(--muted); touch-action: none; cursor: grab; border-radius: 8px; min-height: var(--tap); }
      .dragging { box-shadow: 0 6px 18px rgb(0 0 0 / 0.25); opacity: 0.85; z-index: 2; }
      .dragging .handle { cursor: grabbing; color: var(--accent); }
      .drop-before::before, .drop-after::after { content: ''; position: absolute; left: 0; right: 0; height: 4px; z-index: 3; background: var(--accent); pointer-events: none; }
      .drop-before::before { top: -2px; }
      .drop-after::after { bottom: -2px; }
      .n { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 0.85rem; }
      .current { color: var(--accent); font-weight: 600; }
      .current .n { color: var(--accent); }
      .remove { color: var(--muted); }
      .title { font-size: 0.95rem; }
      .artist { font-size: 0.8rem; }
      .dur { font-size: 0.8rem; color: var(--muted); font-variant-numeric: tabular-nums; }
      .empty { padding: 16px; }
    `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('entries') || changed.has('index')) {
      this.version++;
      // A push while dragging (another remote changed the queue): the drag no longer applies.
      if (changed.has('entries') && this.drag && !this.entries.some((e) => e.entryId === this.drag!.entryId)) this.endDrag();
    }
  }

  override async updated(): Promise<void> {
    const f = this.focusEntry;
    if (!f || this.entries[f.to]?.entryId !== f.entryId) return;
    this.focusEntry = null;
    await this.renderRoot.querySelector('rc-virtual-list')?.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-entry="${f.entryId}"] .handle`)?.focus();
  }

  private emit(name: 'jump' | 'remove', entryId: number) {
    this.dispatchEvent(new CustomEvent<number>(name, { detail: entryId, bubbles: true, composed: true }));
  }

  private move(entryId: number, to: number) {
    this.dispatchEvent(new CustomEvent<{ entryId: number; to: number }>('move', { detail: { entryId, to }, bubbles: true, composed: true }));
  }

  private redraw() {
    this.version++;
    this.requestUpdate();
  }

  private onDown(e: PointerEvent, entryId: number, i: number) {
    if (this.drag || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture(e.pointerId);
    const cell = handle.closest<HTMLElement>('.vcell');
    if (cell) cell.style.zIndex = '2';
    this.drag = { entryId, from: i, startY: e.clientY, dy: 0, to: i, pointerId: e.pointerId, cell };
    this.redraw();
  }

  private onMove(e: PointerEvent) {
    const d = this.drag;
    if (!d || e.pointerId !== d.pointerId) return;
    // The row follows the pointer, held within the list (a little past either end).
    d.dy = Math.min((this.entries.length - 1 - d.from) * ROW_H + 16, Math.max(-d.from * ROW_H - 16, e.clientY - d.startY));
    d.to = dropIndex(d.from, d.dy, this.entries.length);
    this.redraw();
  }

  private onUp(e: PointerEvent) {
    const d = this.drag;
    if (!d || e.pointerId !== d.pointerId) return;
    this.endDrag();
    if (d.to !== d.from) this.move(d.entryId, d.to);
  }

  private endDrag() {
    if (this.drag?.cell) this.drag.cell.style.zIndex = '';
    this.drag = null;
    this.redraw();
  }

  private onKey(e: KeyboardEvent, entryId: number, i: number, onHandle: boolean) {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    if (!e.altKey && !onHandle) return;
    const to = e.key === 'ArrowUp' ? i - 1 : i + 1;
    e.preventDefault();
    e.stopPropagation();
    if (to < 0 || to >= this.entries.length) return;
    this.focusEntry = { entryId, to };
    this.move(entryId, to);
  }

  private row = (i: number) => {
    const e = this.entries[i];
    if (!e) return html``;
    const current = i === this.index;
    const d = this.drag;
    const dragging = d?.entryId === e.entryId;
    const indicator = d && !dragging && d.to === i && d.to !== d.from ? (d.to < d.from ? 'drop-before' : 'drop-after') : '';
    return html`<div class="row ${current ? 'current' : ''} ${dragging ? 'dragging' : ''} ${indicator}" data-entry=${e.entryId}
        style=${dragging ? `transform: translateY(${d.dy}px)` : ''} @keydown=${(ev: KeyboardEvent) => this.onKey(ev, e.entryId, i, false)}>
      <button class="icon-btn handle" aria-label=${`Move ${e.title}`} title="Drag to reorder (or Alt+↑/↓)" aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
        @pointerdown=${(ev: PointerEvent) => this.onDown(ev, e.entryId, i)} @pointermove=${(ev: PointerEvent) => this.onMove(ev)}
        @pointerup=${(ev: PointerEvent) => this.onUp(ev)} @pointercancel=${() => this.endDrag()} @lostpointercapture=${(ev: PointerEvent) => this.drag?.pointerId === ev.pointerId && this.onUp(ev)}
        @keydown=${(ev: KeyboardEvent) => this.onKey(ev, e.entryId, i, true)}>${icons.drag}</button>
      <button class="entry" aria-label=${`Play ${e.title}`} aria-current=${current ? 'true' : 'false'} @click=${() => this.emit('jump', e.entryId)}>
        <span class="n">${current ? (e.kind === 'video' ? icons.video : icons.nowPlaying) : i + 1}</span>
        <span class="clip"><div class="title clip">${e.title}</div>${e.artist || e.upNext ? html`<div class="artist muted clip">${[e.upNext ? 'Up next' : '', e.artist].filter(Boolean).join(' · ')}</div>` : ''}</span>
        <span class="dur">${formatTime(e.duration)}</span>
      </button>
      <button class="icon-btn remove" aria-label=${`Remove ${e.title}`} @click=${() => this.emit('remove', e.entryId)}>${icons.close}</button>
    </div>`;
  };

  override render() {
    return html`<div class="head"><h3>Queue${this.entries.length ? ` · ${this.entries.length}` : ''}</h3>
        ${this.entries.length ? html`<button class="save" data-action="save-queue" @click=${() => this.dispatchEvent(new CustomEvent('save-queue', { bubbles: true, composed: true }))}>Save as playlist</button>` : ''}</div>
      ${this.entries.length === 0
        ? html`<p class="empty muted">The queue is empty.</p>`
        : html`<rc-virtual-list .count=${this.entries.length} .rowHeight=${ROW_H} .renderItem=${this.row} .version=${this.version}></rc-virtual-list>`}`;
  }
}
customElements.define('rc-queue', RcQueue);
declare global {
  interface HTMLElementTagNameMap { 'rc-queue': RcQueue }
}
