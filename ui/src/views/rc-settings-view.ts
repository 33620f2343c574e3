// The owner's settings page: libraries (add with the folder browser, remove), receivers added by
// address, discovery on/off, the transcode cap, per-user limits, the audio language receivers
// start videos in, remote access, and the users and devices (rc-account). Each change is saved at once; what waits for a restart is said beside it
// and in a banner. Everyone signed in also keeps their own audio languages here (theirs win over the
// server's); others than the owner see only that and their devices (the server refuses them the rest).
import { css, html, LitElement, nothing } from 'lit';
import type { AuthUser } from '../data/auth.js';
import { changeSettings, getSettings, resetSetting, type ReceiverSetting, type Settings, type SettingsView } from '../data/settings.js';
import { changePreferences, getPreferences, languagesTyped, type Preferences } from '../data/preferences.js';
import type { Receiver } from '../data/types.js';
import '../components/rc-account.js';
import '../components/rc-library-adder.js';
import { shared } from '../components/styles.js';

const KINDS = ['chromecast', 'airplay', 'dlna', 'sendspin'];

export class RcSettingsView extends LitElement {
  static override properties = { user: { attribute: false }, receivers: { attribute: false }, view: { state: true }, mine: { state: true }, error: { state: true }, saved: { state: true } };
  declare user: AuthUser | null;
  declare receivers: Receiver[];
  declare view: SettingsView | null;
  /** The signed-in person's own preferences. */
  declare mine: Preferences | null;
  declare error: string | null;
  declare saved: string | null;

  constructor() {
    super();
    this.user = null;
    this.receivers = [];
    this.view = null;
    this.mine = null;
    this.error = null;
    this.saved = null;
    this.addEventListener('changed', (e) => {
      const detail = (e as CustomEvent<SettingsView | undefined>).detail;
      if (detail?.values) this.view = detail;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void getPreferences().then((p) => (this.mine = p), (e: Error) => (this.error = e.message));
  }

  /** The server's settings are the owner's only: asked once the user is known to be the owner. */
  private askedSettings = false;

  override willUpdate(): void {
    if (this.askedSettings || this.user?.role !== 'owner') return;
    this.askedSettings = true;
    void getSettings().then((v) => (this.view = v), (e: Error) => (this.error = e.message));
  }

  private async saveMine(p: Preferences) {
    try {
      this.mine = await changePreferences(p);
      this.error = null;
      this.saved = 'your audio language';
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private renderMine() {
    const langs = this.mine?.audioLanguages ?? null;
    return html`<section class="card mine">
      <h2>Your playback</h2>
      <label>Your audio language <input name="myAudioLanguages" placeholder=${this.user?.role === 'owner' ? 'as on receivers below' : "the server's"} aria-label="Your audio languages" .value=${langs?.join(', ') ?? ''}
        ?disabled=${!this.mine} @change=${(e: Event) => void this.saveMine({ audioLanguages: languagesTyped((e.target as HTMLInputElement).value) })} /></label>
      <p class="note">Yours only, most wanted first ("fr, en"): what you play starts in the first of them the video has, on any receiver and on this device. Empty: the server's languages (and the browser's on this device).</p>
    </section>`;
  }

  private async save<K extends keyof Settings>(key: K, value: Settings[K], what: string) {
    try {
      this.view = await changeSettings({ [key]: value } as Partial<Settings>);
      this.error = null;
      this.saved = what;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private async reset(key: keyof Settings) {
    try {
      this.view = await resetSetting(key);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private num(e: Event): number | null {
    const v = (e.target as HTMLInputElement).value.trim();
    return v === '' ? null : Number(v);
  }

  private addReceiver(e: Event, s: Settings) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const port = String(f.get('port') ?? '').trim();
    const r: ReceiverSetting = { kind: String(f.get('kind')), name: String(f.get('name') ?? '').trim(), host: String(f.get('host') ?? '').trim(), ...(port ? { port: Number(port) } : {}) };
    void this.save('receivers', [...s.receivers, r], `${r.name} added`).then(() => !this.error && form.reset());
  }

  static override styles = [
    shared,
    css`
      :host { display: block; overflow-y: auto; height: 100%; }
      .wrap { max-width: 880px; margin: 0 auto; display: grid; gap: 16px; padding: 12px 0 24px; }
      .card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 12px 16px; }
      @media (max-width: 959px) { .card { border-radius: 0; border-left: 0; border-right: 0; } }
      h2 { font-size: 1rem; margin: 0 0 8px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; display: flex; gap: 8px; align-items: center; }
      h2 .reset { margin-left: auto; font-size: 0.8rem; text-transform: none; letter-spacing: 0; color: var(--accent); }
      ul { list-style: none; margin: 0 0 8px; padding: 0; }
      li { display: flex; align-items: center; gap: 8px; min-height: var(--tap); border-top: 1px solid var(--border); }
      li .what { flex: 1; min-width: 0; }
      .path { font-family: ui-monospace, monospace; font-size: 0.8rem; }
      .btn { min-height: var(--tap); padding: 0 14px; border-radius: 22px; background: var(--surface-2); font-weight: 600; }
      select, input:not([type='checkbox']) { font: inherit; min-height: var(--tap); padding: 4px 8px; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); color: var(--fg); }
      input[type='number'] { width: 7em; }
      label { display: flex; gap: 8px; align-items: center; min-height: var(--tap); flex-wrap: wrap; }
      form { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
      .note { font-size: 0.85rem; color: var(--muted); margin: 4px 0; }
      .banner { background: var(--surface-2); border-radius: 8px; padding: 8px 12px; font-weight: 600; }
      .error { color: var(--danger); }
      .status, .banner { margin: 0 16px; }
    `,
  ];

  private heading(title: string, key: keyof Settings) {
    const changed = this.view?.changed.includes(key);
    return html`<h2>${title}${changed ? html`<button class="reset" @click=${() => void this.reset(key)}>Back to the config file's</button>` : nothing}</h2>`;
  }

  override render() {
    const v = this.view;
    if (this.user?.role !== 'owner') {
      return html`<div class="wrap">
        ${this.error ? html`<p class="error card" role="alert">${this.error}</p>` : nothing}
        ${this.saved && !this.error ? html`<p class="muted status" role="status">Saved: ${this.saved}</p>` : nothing}
        ${this.renderMine()}
        <section class="card account"><rc-account .user=${this.user} .receivers=${this.receivers}></rc-account></section>
      </div>`;
    }
    if (!v) return html`<div class="wrap">${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p class="muted">Loading…</p>`}</div>`;
    const s = v.values;
    const restart = (key: string) => v.restartNeeded.some((k) => k === key || k.startsWith(`${key}.`));
    return html`<div class="wrap">
      ${v.restartNeeded.length ? html`<p class="banner" role="status">Restart the server for these to take effect: ${v.restartNeeded.join(', ')}</p>` : nothing}
      ${this.error ? html`<p class="error card" role="alert">${this.error}</p>` : nothing}
      ${this.saved && !this.error ? html`<p class="muted status" role="status">Saved: ${this.saved}</p>` : nothing}
      ${this.renderMine()}
      <section class="card libraries">
        ${this.heading('Libraries', 'libraries')}
        <ul>${s.libraries.map((l) => html`<li data-library=${l.name}><span class="what"><span class="clip">${l.name} <span class="muted">(${l.kind})</span></span><br /><span class="path muted">${l.path}</span></span>
          <button class="btn remove" aria-label=${`Remove ${l.name}`} @click=${() => void this.save('libraries', s.libraries.filter((o) => o !== l), `${l.name} removed`)}>Remove</button></li>`)}</ul>
        <p class="note">Added and removed at once: the server scans a new folder now.</p>
        <rc-library-adder .current=${s.libraries} @changed=${() => (this.saved = 'library added')}></rc-library-adder>
      </section>
      <section class="card receivers">
        ${this.heading('Receivers by address', 'receivers')}
        <ul>${s.receivers.map((r) => html`<li><span class="what clip">${r.name} <span class="muted">${r.kind} · ${r.host}${r.port ? `:${r.port}` : ''}</span></span>
          <button class="btn" aria-label=${`Remove ${r.name}`} @click=${() => void this.save('receivers', s.receivers.filter((o) => o !== r), `${r.name} removed`)}>Remove</button></li>`)}</ul>
        <form @submit=${(e: Event) => this.addReceiver(e, s)} aria-label="Add a receiver by address">
          <select name="kind" aria-label="Kind">${KINDS.map((k) => html`<option value=${k}>${k}</option>`)}</select>
          <input name="name" required placeholder="Name" aria-label="Receiver name" maxlength="100" />
          <input name="host" required placeholder="Address" aria-label="Address" maxlength="253" />
          <input name="port" type="number" min="1" max="65535" placeholder="Port" aria-label="Port" />
          <button class="btn" type="submit">Add receiver</button>
        </form>
        <p class="note">For networks where discovery does not get through.</p>
      </section>
      <section class="card discovery">
        ${this.heading('Discovery', 'discovery')}
        <label><input type="checkbox" name="mdns" .checked=${s.discovery.mdns} @change=${(e: Event) => void this.save('discovery', { ...s.discovery, mdns: (e.target as HTMLInputElement).checked }, 'discovery')} />mDNS (Chromecast, AirPlay, Sendspin)</label>
        <label><input type="checkbox" name="ssdp" .checked=${s.discovery.ssdp} @change=${(e: Event) => void this.save('discovery', { ...s.discovery, ssdp: (e.target as HTMLInputElement).checked }, 'discovery')} />SSDP (DLNA renderers)</label>
        <p class="note">Turned on or off at once.</p>
      </section>
      <section class="card transcode">
        ${this.heading('Transcoding', 'transcode')}
        <label>At most <input type="number" name="maxProcesses" min="1" max="256" .value=${String(s.transcode.maxProcesses)} @change=${(e: Event) => void this.save('transcode', { ...s.transcode, maxProcesses: this.num(e) ?? s.transcode.maxProcesses }, 'transcode cap')} /> video transcodes at once (one that encodes only audio counts an eighth)</label>
        <label>Per stream URL <input type="number" name="perUrl" min="1" max="16" .value=${String(s.transcode.perUrl)} @change=${(e: Event) => void this.save('transcode', { ...s.transcode, perUrl: this.num(e) ?? s.transcode.perUrl }, 'per URL')} />${restart('transcode.perUrl') ? html`<span class="note">after a restart</span>` : nothing}</label>
        <label>Drop a client idle for <input type="number" name="idleSeconds" min="1" max="3600" .value=${String(s.transcode.idleSeconds)} @change=${(e: Event) => void this.save('transcode', { ...s.transcode, idleSeconds: this.num(e) ?? s.transcode.idleSeconds }, 'idle time')} /> s${restart('transcode.idleSeconds') ? html`<span class="note">after a restart</span>` : nothing}</label>
      </section>
      <section class="card limits">
        ${this.heading('Limits per user', 'limits')}
        <label>A member's transcodes at once <input type="number" name="memberTranscodes" min="1" max="64" placeholder="no cap" .value=${s.limits.memberTranscodes === null ? '' : String(s.limits.memberTranscodes)} @change=${(e: Event) => void this.save('limits', { ...s.limits, memberTranscodes: this.num(e) }, 'member cap')} /></label>
        <label>From outside, transcode down to <input type="number" name="remoteBitrateKbps" min="64" max="100000" placeholder="no cap" .value=${s.limits.remoteBitrateKbps === null ? '' : String(s.limits.remoteBitrateKbps)} @change=${(e: Event) => void this.save('limits', { ...s.limits, remoteBitrateKbps: this.num(e) }, 'bandwidth cap')} /> kbit/s</label>
        <label>Sign out devices used from outside after <input type="number" name="remoteSessionIdleDays" min="1" max="3650" .value=${String(s.limits.remoteSessionIdleDays)} @change=${(e: Event) => void this.save('limits', { ...s.limits, remoteSessionIdleDays: this.num(e) ?? s.limits.remoteSessionIdleDays }, 'session expiry')} /> days unused</label>
        <p class="note">At once. Devices on the home network stay signed in.</p>
      </section>
      <section class="card playback">
        ${this.heading('Playback', 'playback')}
        <label>Audio language on receivers <input name="audioLanguages" placeholder="the file's default" aria-label="Audio languages on receivers" .value=${s.playback.audioLanguages.join(', ')}
          @change=${(e: Event) => void this.save('playback', { audioLanguages: languagesTyped((e.target as HTMLInputElement).value) ?? [] }, 'audio language')} /></label>
        <p class="note">Languages such as "fr, en", most wanted first: a video starts in the first it has. This device follows the browser's languages. A track picked on now playing wins.</p>
      </section>
      <section class="card remote">
        ${this.heading('Remote access', 'remote')}
        <label><input type="checkbox" name="remoteEnabled" .checked=${s.remote.enabled} @change=${(e: Event) => void this.save('remote', { ...s.remote, enabled: (e.target as HTMLInputElement).checked }, 'remote access')} />HTTPS for use outside the home</label>
        <label>Port <input type="number" name="remotePort" min="0" max="65535" .value=${String(s.remote.port)} @change=${(e: Event) => void this.save('remote', { ...s.remote, port: this.num(e) ?? s.remote.port }, 'remote port')} /></label>
        <label>Public URL <input type="url" name="publicUrl" placeholder="https://media.example.org/" .value=${s.remote.publicUrl ?? ''} @change=${(e: Event) => void this.save('remote', { ...s.remote, publicUrl: (e.target as HTMLInputElement).value.trim() || null }, 'public URL')} /></label>
        <p class="note">Takes effect when the server restarts.</p>
      </section>
      <section class="card account"><rc-account .user=${this.user} .receivers=${this.receivers}></rc-account></section>
    </div>`;
  }
}
customElements.define('rc-settings-view', RcSettingsView);
declare global {
  interface HTMLElementTagNameMap { 'rc-settings-view': RcSettingsView }
}
