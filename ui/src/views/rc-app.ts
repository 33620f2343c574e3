// The shell: header with the controlled receiver, the pages, and the player. On a phone one page
// at a time with tabs at the bottom under a mini player; from 960 px wide the library (or the
// receivers) beside a panel with now playing and the queue. Holds no data of its own: it reads
// the store and turns the components' events into controller calls. The receiver it controls is
// only ever the one its user picked: a play with none picked opens the picker (askReceiver).
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Controller } from '../data/actions.js';
import type { AuthUser } from '../data/auth.js';
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
import type { PlaylistSource } from '../components/rc-add-to-playlist.js';
import { shared } from '../components/styles.js';
import { appStyles, WIDE } from './rc-app-styles.js';
import './rc-library-view.js';
import './rc-receivers-view.js';

export type View = 'library' | 'playlists' | 'playing' | 'queue' | 'receivers' | 'settings';

/** What `add-to-playlist` (from a library menu, or the queue's "Save as playlist") carries. */
export interface AddToPlaylist {
  heading: string;
  from: PlaylistSource;
}

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
    picking: { state: true },
    user: { attribute: false },
    adding: { state: true },
    firstRun: { state: true },
  };
  /** The owner has no library yet: the first-run page stands in for the library (views/rc-first-run.ts). */
  declare firstRun: boolean;
  private firstRunChecked = false;
  /** Who is signed in on this device (null in lan-open mode or when the server did not say). */
  declare user: AuthUser | null;
  declare store: Store | null;
  declare controller: Controller | null;
  declare state: RemoteState | null;
  declare view: View;
  declare wide: boolean;
  declare art: string | null;
  declare toast: string | null;
  declare phoneLink: boolean;
  /** A play waits for the user to pick a receiver; called with null when they leave the picker. */
  declare picking: ((receiverId: string | null) => void) | null;
  /** The "add to playlist" sheet is open for this. */
  declare adding: AddToPlaylist | null;
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
    this.picking = null;
    this.user = null;
    this.adding = null;
    this.firstRun = false;
    this.addEventListener('first-run-done', () => (this.firstRun = false));
    this.media.addEventListener('change', () => (this.wide = this.media.matches));
    this.addEventListener('control', (e) => void this.control((e as CustomEvent<Control>).detail));
    this.addEventListener('seek', (e) => void this.controller?.seek((e as CustomEvent<number>).detail));
    this.addEventListener('volume', (e) => void this.controller?.volume((e as CustomEvent<number>).detail));
    this.addEventListener('mute', (e) => void this.controller?.mute((e as CustomEvent<boolean>).detail));
    this.addEventListener('subtitle', (e) => void this.controller?.subtitle((e as CustomEvent<number | null>).detail));
    this.addEventListener('audio-track', (e) => void this.controller?.audio((e as CustomEvent<number>).detail));
    this.addEventListener('jump', (e) => void this.controller?.jump((e as CustomEvent<number>).detail));
    this.addEventListener('remove', (e) => void this.controller?.remove((e as CustomEvent<number>).detail));
    this.addEventListener('move', (e) => {
      const { entryId, to } = (e as CustomEvent<{ entryId: number; to: number }>).detail;
      void this.controller?.move(entryId, to);
    });
    this.addEventListener('choose', (e) => this.choose((e as CustomEvent<string>).detail));
    this.addEventListener('open', () => this.go('playing'));
    this.addEventListener('add-to-playlist', (e) => {
      // The sheet's module is loaded on first use.
      void import('../components/rc-add-to-playlist.js');
      this.adding = (e as CustomEvent<AddToPlaylist>).detail;
    });
    this.addEventListener('save-queue', () => {
      const r = this.state && currentReceiver(this.state);
      if (r) this.dispatchEvent(new CustomEvent<AddToPlaylist>('add-to-playlist', { detail: { heading: `the queue of ${r.name}`, from: { queue: r.id } } }));
    });
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

  /** Opens the picker; resolves with the receiver picked there, or null if the user goes elsewhere. */
  askReceiver(): Promise<string | null> {
    this.picking?.(null);
    return new Promise((resolve) => {
      this.go('receivers');
      this.picking = resolve;
    });
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
    // Paused, or nothing loaded on the receiver (stopped, after a server restart): the server goes
    // on with the current entry where it was (from its start once it ended).
    if (s.state === 'paused' || (s.index >= 0 && s.queue[s.index])) return ctl.resume();
    // A queue not started yet: its first entry.
    const entry = s.queue[0];
    if (entry) return ctl.jump(entry.entryId);
  }

  private choose(id: string) {
    this.store?.choose(id);
    try {
      localStorage.setItem('homecast.receiver', id);
    } catch {
      /* private mode: the choice lasts this visit */
    }
    const picking = this.picking;
    this.picking = null;
    // Back to where the user was (on a desktop only when the picker was opened for a play).
    if ((picking || !this.wide) && this.view === 'receivers') this.view = this.previousView;
    picking?.(id);
  }

  private go(v: View) {
    // Loaded on first use: the element upgrades when it arrives.
    if (v === 'playlists') void import('../components/rc-playlists.js');
    if (v === 'settings') void import('./rc-settings-view.js');
    if (v === 'receivers' && this.view !== 'receivers') this.previousView = this.view;
    if (v !== 'receivers' && this.picking) {
      this.picking(null);
      this.picking = null;
    }
    this.view = v;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // The store is handed over after the element is on the page: subscribe then.
    if (changed.has('store') || (this.store && !this.unsubscribe && this.isConnected)) {
      this.unsubscribe?.();
      this.unsubscribe = this.store?.subscribe((s) => (this.state = s)) ?? null;
    }
    if (changed.has('user') && this.user?.role === 'owner' && !this.firstRunChecked) {
      this.firstRunChecked = true;
      void import('../data/settings.js')
        .then((m) => m.getSettings())
        .then((v) => v.values.libraries.length === 0 && import('./rc-first-run.js').then(() => (this.firstRun = true)))
        .catch(() => undefined);
    }
    const item = this.session()?.item ?? null;
    if ((item?.id ?? -1) !== this.artItem) {
      this.artItem = item?.id ?? -1;
      this.art = item ? (item.artUrl ?? knownArt(item.artHash)) : null;
      if (item && !this.art) void artFor(item).then((url) => item.id === this.artItem && (this.art = url));
    }
    document.title = item ? `${item.title} · homecast` : 'homecast';
    if (this.wide && (this.view === 'playing' || this.view === 'queue')) this.view = 'library';
  }

  static override styles = [shared, appStyles];

  private renderHeader(s: RemoteState, session: SessionSnapshot | null) {
    const r = currentReceiver(s);
    const sub = !r ? '' : !r.online ? 'offline' : session?.item && session.state !== 'idle' ? stateText[session.state].toLowerCase() : '';
    return html`<header>
      <span class="brand"><img src="icon.svg" alt="" />homecast</span>
      <span class="tabs-wide">
        <button aria-current=${this.view === 'library' ? 'page' : 'false'} @click=${() => this.go('library')}>Library</button>
        <button aria-current=${this.view === 'playlists' ? 'page' : 'false'} data-view="playlists" @click=${() => this.go('playlists')}>Playlists</button>
        <button aria-current=${this.view === 'receivers' ? 'page' : 'false'} @click=${() => this.go('receivers')}>Receivers</button>
        ${this.user ? html`<button aria-current=${this.view === 'settings' ? 'page' : 'false'} data-view="settings" @click=${() => this.go('settings')}>Settings</button>` : nothing}
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
        return html`<rc-now-playing class="page" .session=${session} .receiver=${r} .art=${this.art} .receivers=${s.receivers} .controller=${this.controller}></rc-now-playing>`;
      case 'queue':
        return html`<rc-queue .entries=${session?.queue ?? []} .index=${session?.index ?? -1}></rc-queue>`;
      case 'receivers':
        return html`<rc-receivers-view .receivers=${s.receivers} .sessions=${s.sessions} .controller=${this.controller} .selected=${r?.id ?? null} .wide=${this.wide} ?asking=${!!this.picking} .user=${this.user}></rc-receivers-view>`;
      case 'playlists':
        return html`<rc-playlists .controller=${this.controller} .version=${s.playlists}></rc-playlists>`;
      case 'settings':
        return html`<rc-settings-view .user=${this.user} .receivers=${s.receivers}></rc-settings-view>`;
      case 'library':
        if (this.firstRun) return html`<rc-first-run></rc-first-run>`;
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
            <rc-now-playing compact .session=${session} .receiver=${r} .art=${this.art} .receivers=${s.receivers} .controller=${this.controller}></rc-now-playing>
            <rc-queue .entries=${session?.queue ?? []} .index=${session?.index ?? -1}></rc-queue>
          </aside>`
        : nothing}
      ${!this.wide && this.view !== 'playing' ? html`<rc-mini-player .session=${session} .art=${this.art}></rc-mini-player>` : nothing}
      <nav aria-label="Pages">
        ${tab('library', 'Library', 'library')}${tab('playlists', 'Playlists', 'playlist')}${tab('playing', 'Playing', 'nowPlaying')}${tab('queue', 'Queue', 'queue')}${tab('receivers', 'Receivers', 'cast')}${this.user && !this.wide ? tab('settings', 'Settings', 'settings') : nothing}
      </nav>
      ${this.adding
        ? html`<rc-add-to-playlist .heading=${this.adding.heading} .from=${this.adding.from} .controller=${this.controller}
            @done=${(e: CustomEvent<string | null>) => ((this.adding = null), e.detail && this.showToast(e.detail))}></rc-add-to-playlist>`
        : nothing}
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
