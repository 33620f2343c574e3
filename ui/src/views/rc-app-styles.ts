// The shell's layout: phone (one page, mini player and tabs at the bottom) and, from WIDE up,
// the page beside a panel with now playing and the queue.
import { css, unsafeCSS } from 'lit';

export const WIDE = '(min-width: 960px)';

export const appStyles = css`
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
  nav { grid-area: nav; display: grid; grid-auto-flow: column; grid-auto-columns: 1fr; background: var(--surface); border-top: 1px solid var(--border); padding-bottom: env(safe-area-inset-bottom); }
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
`;
