// The shell: header with the controlled receiver, the pages, and the player. On a phone one page
// at a time with tabs at the bottom under a mini player; from 960 px wide the library (or the
// receivers) beside a panel with now playing and the queue. Holds no data of its own: it reads
// the store and turns the components' events into controller calls.
import { css, html, LitElement, nothing, unsafeCSS, type PropertyValues } from 'lit';
import type { Controller } from '../data/actions.js';
import { artFor, knownArt } from '../data/art.js';
import { stateText } from '../data/format.js';
import { currentReceiver, type RemoteState, type Store } from '../data/store.js';
import type { Repeat, SessionSnapshot } from '../data/types.js';
import { icons } from '../components/icons.js';
import '../components/rc-mini-player.js';
import type { Control } from '../components/rc-now-playing.js';
import '../components/rc-now-playing.js';
import '../components/rc-phone-link.js';
import '../components/rc-queue.js';
import { shared } from '../components/styles.js';
import './rc-library-view.js';
import './rc-receivers-view.js';

export type View = 'library' | 'playing' | 'queue' | 'receivers';

const WIDE = '(min-width: 960px)';
const NEXT_REPEAT: Record<Repeat, Repeat> = { off: 'all', all: 'one', one: 'off' };

export class RcApp extends LitElement {
  static override properties = {
    store: { attribute: false },
    controller: { attribute: false },
    state: { state: true },
    view: { state: true },
    wide: { state: true },
    art: { state: true },
    toast: { state: true },
    phoneLink: { state: true },
  };
  declare store: Store | null;
  declare controller: Controller | null;
  declare state: RemoteState | null;
  declare view: View;
  declare wide: boolean;
  declare art: string | null;
  declare toast: string | null;
  declare phoneLink: boolean;
  private unsubscribe: (() => void) | null = null;
  private media = matchMedia(WIDE);
  private artItem = -1;
  private toastTimer = 0;
  private previousView: View = 'library';

  constructor() {
    super();
    this.store = null;
    this.controller = null;
    this.state = null;
    this.view = 'library';
    this.wide = this.media.matches;
    this.art = null;
    this.toast = null;
    this.phoneLink = false;
    this.media.addEventListener('change', () => (this.wide = this.media.matches));
    this.addEventListener('control', (e) => void this.control((e as CustomEvent<Control>).detail));
    this.addEventListener('seek', (e) => void this.controller?.seek((e as CustomEvent<number>).detail));
    this.addEventListener('volume', (e) => void this.controller?.volume((e as CustomEvent<number>).detail));
    this.addEventListener('mute', (e) => void this.controller?.mute((e as CustomEvent<boolean>).detail));
    this.addEventListener('jump', (e) => void this.controller?.jump((e as CustomEvent<number>).detail));
    this.addEventListener('remove', (e) => void this.controller?.remove((e as CustomEvent<number>).detail));
    this.addEventListener('choose', (e) => this.choose((e as CustomEvent<string>).detail));
    this.addEventListener('open', () => (this.view = 'playing'));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the page after a removal: willUpdate subscribes again.
    if (this.store && !this.unsubscribe) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Shown for a few seconds at the bottom (command errors, mostly). */
  showToast(message: string): void {
    this.toast = message;
    clearTimeout(this.toastTimer);
    this.toastTimer = window.setTimeout(() => (this.toast = null), 5000);
  }

  private session(): SessionSnapshot | null {
    const r = this.state && currentReceiver(this.state);
    return (r && this.state?.sessions[r.id]) ?? null;
  }

  private async control(c: Control) {
    const ctl = this.controller;
    const s = this.session();
    if (!ctl) return;
    if (c === 'next') return ctl.next();
    if (c === 'previous') return ctl.previous();
    if (c === 'shuffle') return ctl.shuffle(!s?.shuffle);
    if (c === 'repeat') return ctl.repeat(NEXT_REPEAT[s?.repeat ?? 'off']);
    if (!s) return;
    if (s.state === 'playing' || s.state === 'buffering' || s.state === 'loading') return ctl.pause();
    if (s.state === 'paused') return ctl.resume();
    // Stopped with a queue: start the current entry again.
    const entry = s.queue[Math.max(0, s.index)];
    if (entry) return ctl.jump(entry.entryId);
  }

  private choose(id: string) {
    this.store?.choose(id);
    try {
      localStorage.setItem('homecast.receiver', id);
    } catch {
      /* private mode: the choice lasts this visit */
    }
    if (!this.wide && this.view === 'receivers') this.view = this.previousView;
  }

  private go(v: View) {
    if (v === 'receivers' && this.view !== 'receivers') this.previousView = this.view;
    this.view = v;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // The store is handed over after the element is on the page: subscribe then.
    if (changed.has('store') || (this.store && !this.unsubscribe && this.isConnected)) {
      this.unsubscribe?.();
      this.unsubscribe = this.store?.subscribe((s) => (this.state = s)) ?? null;
    }
    const item = this.session()?.item ?? null;
    if ((item?.id ?? -1) !== this.artItem) {
      this.artItem = item?.id ?? -1;
      this.art = item ? knownArt(item.artHash) : null;
      if (item && !this.art) void artFor(item).then((url) => item.id === this.artItem && (this.art = url));
    }
    document.title = item ? `${item.title} · homecast` : 'homecast';
    if (this.wide && (this.view === 'playing' || this.view === 'queue')) this.view = 'library';
  }

  static override styles = [
    shared,
    css`
      :host {
        display: grid; height: 100vh; height: 100dvh; overflow: hidden; background: var(--bg);
        grid-template-columns: 100%; grid-template-rows: auto auto minmax(0, 1fr) auto auto;
        grid-template-areas: 'header' 'banner' 'main' 'mini' 'nav';
      }
      header { grid-area: header; display: flex; align-items: center; gap: 8px; padding: 8px 8px 4px 16px; padding-top: max(8px, env(safe-area-inset-top)); }
      .brand { font-weight: 700; letter-spacing: -0.01em; display: flex; align-items: center; gap: 8px; }
      .brand img { width: 24px; height: 24px; }
      .spacer { flex: 1; }
      .receiver { display: inline-flex; align-items: center; gap: 6px; max-width: 60vw; padding: 0 12px; min-height: 40px; border-radius: 999px; background: var(--surface-2); font-size: 0.9rem; }
      .receiver .sub { color: var(--muted); font-size: 0.8rem; }
      .receiver.playing svg { color: var(--accent); }
      .banner { grid-area: banner; background: var(--danger); color: #fff; font-size: 0.85rem; padding: 4px 16px; text-align: center; }
      main { grid-area: main; min-height: 0; overflow: hidden; position: relative; }
      main > * { height: 100%; }
      .page { overflow-y: auto; }
      rc-mini-player { grid-area: mini; }
      nav { grid-area: nav; display: grid; grid-template-columns: repeat(4, 1fr); background: var(--surface); border-top: 1px solid var(--border); padding-bottom: env(safe-area-inset-bottom); }
      nav button { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 2px; min-height: 56px; font-size: 0.72rem; color: var(--muted); }
      nav button[aria-current='page'] { color: var(--accent); font-weight: 600; }
      aside { display: none; }
      .toast { position: fixed; left: 50%; transform: translateX(-50%); bottom: calc(140px + env(safe-area-inset-bottom)); max-width: min(92vw, 520px); background: var(--fg); color: var(--bg); padding: 10px 16px; border-radius: 10px; font-size: 0.9rem; z-index: 40; box-shadow: 0 6px 20px rgb(0 0 0 / 0.25); }
      .tabs-wide { display: none; }
      .dialog { position: fixed; inset: 0; background: rgb(0 0 0 / 0.4); display: grid; place-items: center; z-index: 30; }
      .dialog > div { background: var(--surface); border-radius: var(--radius); width: 320px; position: relative; }
      .dialog .close { position: absolute; right: 4px; top: 4px; }
      @media ${unsafeCSS(WIDE)} {
        :host { grid-template-columns: minmax(0, 1fr) 400px; grid-template-rows: auto auto minmax(0, 1fr); grid-template-areas: 'header header' 'banner banner' 'main side'; }
        nav, rc-mini-player { display: none; }
        aside { grid-area: side; display: flex; flex-direction: column; min-height: 0; border-left: 1px solid var(--border); background: var(--surface); }
        aside rc-queue { flex: 1; min-height: 0; border-top: 1px solid var(--border); }
        header { padding: 10px 16px; border-bottom: 1px solid var(--border); }
        .tabs-wide { display: flex; gap: 4px; margin-left: 24px; }
        .tabs-wide button { padding: 0 14px; min-height: 36px; border-radius: 999px; color: var(--muted); }
        .tabs-wide button[aria-current='page'] { color: var(--fg); background: var(--surface-2); font-weight: 600; }
        .toast { bottom: 24px; }
      }
    `,
  ];

  private renderHeader(s: RemoteState, session: SessionSnapshot | null) {
    const r = currentReceiver(s);
    const sub = !r ? '' : !r.online ? 'offline' : session?.item && session.state !== 'idle' ? stateText[session.state].toLowerCase() : '';
    return html`<header>
      <span class="brand"><img src="icon.svg" alt="" />homecast</span>
      <span class="tabs-wide">
        <button aria-current=${this.view === 'library' ? 'page' : 'false'} @click=${() => this.go('library')}>Library</button>
        <button aria-current=${this.view === 'receivers' ? 'page' : 'false'} @click=${() => this.go('receivers')}>Receivers</button>
      </span>
      <span class="spacer"></span>
      ${this.wide ? html`<button class="icon-btn" aria-label="Open on your phone" title="Open on your phone" @click=${() => (this.phoneLink = true)}>${icons.phone}</button>` : nothing}
      <button class="receiver ${session?.state === 'playing' ? 'playing' : ''}" aria-label="Choose receiver" @click=${() => this.go('receivers')}>
        ${r ? icons[r.type] : icons.cast}
        <span class="clip">${r?.name ?? 'No receiver'}</span>${sub ? html`<span class="sub">${sub}</span>` : nothing}
      </button>
    </header>`;
  }

  private renderMain(s: RemoteState, session: SessionSnapshot | null) {
    const r = currentReceiver(s);
    switch (this.view) {
      case 'playing':
        return html`<rc-now-playing class="page" .session=${session} .receiver=${r} .art=${this.art}></rc-now-playing>`;
      case 'queue':
        return html`<rc-queue .entries=${session?.queue ?? []} .index=${session?.index ?? -1}></rc-queue>`;
      case 'receivers':
        return html`<rc-receivers-view .receivers=${s.receivers} .sessions=${s.sessions} .selected=${r?.id ?? null} .wide=${this.wide}></rc-receivers-view>`;
      case 'library':
        return html`<rc-library-view .controller=${this.controller} .stats=${s.library} .receiverName=${r?.name ?? null}></rc-library-view>`;
    }
  }

  override render() {
    const s = this.state;
    if (!s) return nothing;
    const session = this.session();
    const r = currentReceiver(s);
    const tab = (v: View, label: string, icon: keyof typeof icons) =>
      html`<button aria-current=${this.view === v ? 'page' : 'false'} data-view=${v} @click=${() => this.go(v)}>${icons[icon]}${label}</button>`;
    return html`
      ${this.renderHeader(s, session)}
      ${s.connected ? nothing : html`<div class="banner" role="status">Connecting to the server…</div>`}
      <main>${this.renderMain(s, session)}</main>
      ${this.wide
        ? html`<aside>
            <rc-now-playing compact .session=${session} .receiver=${r} .art=${this.art}></rc-now-playing>
            <rc-queue .entries=${session?.queue ?? []} .index=${session?.index ?? -1}></rc-queue>
          </aside>`
        : nothing}
      ${!this.wide && this.view !== 'playing' ? html`<rc-mini-player .session=${session} .art=${this.art}></rc-mini-player>` : nothing}
      <nav aria-label="Pages">
        ${tab('library', 'Library', 'library')}${tab('playing', 'Playing', 'nowPlaying')}${tab('queue', 'Queue', 'queue')}${tab('receivers', 'Receivers', 'cast')}
      </nav>
      ${this.toast ? html`<div class="toast" role="alert">${this.toast}</div>` : nothing}
      ${this.phoneLink
        ? html`<div class="dialog" @click=${() => (this.phoneLink = false)}>
            <div @click=${(e: Event) => e.stopPropagation()}>
              <button class="icon-btn close" aria-label="Close" @click=${() => (this.phoneLink = false)}>${icons.close}</button>
              <rc-phone-link></rc-phone-link>
            </div>
          </div>`
        : nothing}
    `;
  }
}
customElements.define('rc-app', RcApp);
declare global {
  interface HTMLElementTagNameMap { 'rc-app': RcApp }
}
