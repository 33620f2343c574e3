// The "Play on this device" switch and what the device player is doing (connected, clock in
// sync, the browser's output latency). The switch's tap is the user gesture audio needs, so
// switching on happens in its click handler; the player itself lives in data/device-player.ts.
import { css, html, LitElement } from 'lit';
import { devicePlayer, type DevicePlayer, type DevicePlayerState } from '../data/device-player.js';
import { shared } from './styles.js';

function statusText(s: DevicePlayerState): string {
  switch (s.status) {
    case 'off':
      return 'Plays what you send to it here, alone or in a group';
    case 'starting':
      return 'Connecting…';
    case 'reconnecting':
      return `${s.error ?? 'Connection lost'}: reconnecting…`;
    case 'error':
      return `Not playing: ${s.error ?? 'unknown error'}`;
    case 'connected': {
      const parts = [s.playing ? 'Playing' : 'Connected', s.synced ? 'in sync' : 'syncing clock…'];
      if (s.outputLatencyMs !== null) parts.push(`output latency ${s.outputLatencyMs} ms`);
      return parts.join(' · ');
    }
  }
}

export class RcDevicePlayer extends LitElement {
  static override properties = { state: { state: true } };
  declare state: DevicePlayerState;
  /** Replaceable for tests; the page's one device player by default. */
  player: DevicePlayer = devicePlayer;
  private unsubscribe: (() => void) | null = null;

  constructor() {
    super();
    this.state = devicePlayer.state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.player.subscribe((s) => (this.state = s));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private toggle(): void {
    if (this.state.status === 'off' || this.state.status === 'error') void this.player.switchOn();
    else this.player.switchOff();
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      button { width: 100%; display: grid; grid-template-columns: 1fr auto; gap: 12px; align-items: center; padding: 12px 16px; text-align: left; min-height: 64px; }
      button:hover { background: var(--surface-2); }
      .name { font-weight: 600; }
      .line { font-size: 0.85rem; }
      .error .line { color: var(--danger); }
      .track { width: 44px; height: 26px; border-radius: 13px; background: var(--border); position: relative; transition: background 0.15s; }
      .track::after { content: ''; position: absolute; top: 3px; left: 3px; width: 20px; height: 20px; border-radius: 50%; background: var(--surface); transition: transform 0.15s; }
      [aria-checked='true'] .track { background: var(--accent); }
      [aria-checked='true'] .track::after { transform: translateX(18px); }
    `,
  ];

  override render() {
    const s = this.state;
    const on = s.status !== 'off' && s.status !== 'error';
    return html`<button role="switch" aria-checked=${String(on)} class=${s.status} data-device-player=${s.status} @click=${() => this.toggle()}>
      <span class="clip">
        <div class="name">Play on this device</div>
        <div class="line muted clip" role="status">${statusText(s)}</div>
      </span>
      <span class="track" aria-hidden="true"></span>
    </button>`;
  }
}
customElements.define('rc-device-player', RcDevicePlayer);
declare global {
  interface HTMLElementTagNameMap { 'rc-device-player': RcDevicePlayer }
}
