// The composition root of the web remote: one connection, one store, one controller, the shell,
// the password dialog, the media session and the service worker. Nothing else creates these.
// Before any of it, the device must be signed in (data/auth.ts): a pairing link (#pair=…) is
// redeemed, the first-run setup link (/setup#token=…) asks for the owner's password, and a device
// that is not signed in (or is signed out while open) gets the sign-in page instead of the remote.
import { Controller } from './data/actions.js';
import { syncClock } from './data/clock.js';
import { Remote } from './data/socket.js';
import { connectStore, currentReceiver, initialState, Store } from './data/store.js';
import { devicePlayer } from './data/device-player.js';
import { BrowserReceiver } from './data/browser-receiver.js';
import { devicePlayerSession, mediaSessionSync } from './media-session.js';
import type { RcPasswordDialog } from './components/rc-password-dialog.js';
import { authState, redeemPairing, tokensInHash, type AuthUser } from './data/auth.js';
import './views/rc-app.js';

function savedReceiver(): string | null {
  try {
    return localStorage.getItem('homecast.receiver');
  } catch {
    return null;
  }
}

/** Replaces whatever shows with the sign-in page; once signed in, the remote starts afresh. */
async function showSignIn(setupToken: string | null, message: string | null): Promise<void> {
  await import('./views/rc-sign-in.js');
  document.querySelector('rc-app')?.remove();
  const page = document.createElement('rc-sign-in');
  page.setupToken = setupToken;
  page.message = message;
  page.addEventListener('signed-in', () => location.replace(new URL('./', location.href).href));
  document.body.replaceChildren(page);
}

function startRemote(user: AuthUser | null): void {
  const remote = new Remote();
  const store = new Store(initialState(savedReceiver()));
  connectStore(store, remote.socket);
  // Each (re)connection re-reads the server's clock: positions are stamped with it.
  remote.socket.on('connect', () => void syncClock());

  const app = document.querySelector('rc-app')!;
  // One password dialog, above everything: asked by the controller (a command refused for want of
  // a password) and by the picker (a locked receiver with no password kept). Loaded on first use:
  // most homes have no such receiver, and the main bundle stays small.
  let dialog: Promise<RcPasswordDialog> | undefined;
  const passwordDialog = () =>
    (dialog ??= import('./components/rc-password-dialog.js').then(() => document.body.appendChild(document.createElement('rc-password-dialog'))));
  const askPassword = async (receiver: string, wrong: boolean): Promise<boolean> =>
    (await passwordDialog()).ask({
      name: store.state.receivers.find((r) => r.id === receiver)?.name ?? 'The receiver',
      wrong,
      save: (password) => remote.command('receiver:password', { receiver, password }),
    });
  app.addEventListener('need-password', (e) => {
    const id = (e as CustomEvent<string>).detail;
    void askPassword(id, false).then((saved) => saved && app.dispatchEvent(new CustomEvent<string>('choose', { detail: id })));
  });
  // With no receiver chosen, a play opens the picker and goes to the receiver picked there.
  const controller = new Controller(remote, () => currentReceiver(store.state)?.id ?? null, (message) => app.showToast(message), askPassword, () => app.askReceiver());
  app.store = store;
  app.controller = controller;

  // "This device": the page plays what is sent to it; a video shows in this box.
  const screen = document.createElement('div');
  screen.className = 'this-device-screen';
  screen.hidden = true;
  document.body.append(screen);
  const self = new BrowserReceiver(remote, screen);
  const media = mediaSessionSync(controller);
  // The lock screen shows what this device plays while it is a player (Sendspin, or the page's own
  // element), else the chosen receiver's.
  const showOnLockScreen = (): void => {
    const s = store.state;
    const mine = self.id ? s.sessions[self.id] : undefined;
    const own = devicePlayer.controlling ? devicePlayerSession(s.receivers, s.sessions, devicePlayer.receiverId) : mine && mine.state !== 'idle' ? mine : null;
    devicePlayer.showSession(own?.state === 'playing');
    const r = currentReceiver(s);
    media(own ?? (r && s.sessions[r.id]) ?? null);
  };
  store.subscribe(showOnLockScreen);
  devicePlayer.subscribe(showOnLockScreen);
  app.user = user;
  // Signed out while open (revoked, or the owner changed this user's rights): ask the server what now.
  const recheck = (message: string) =>
    void authState().then(
      (s) => {
        if (!s.user) return void showSignIn(null, message);
        app.user = s.mode === 'lan-open' ? null : s.user;
        remote.socket.connect();
      },
      () => void remote.socket.connect(),
    );
  remote.socket.on('auth:signed-out', () => {
    remote.close();
    void showSignIn(null, 'This device was signed out. Sign in again, or open a new QR code from the owner.');
  });
  remote.socket.on('connect_error', (err: Error) => {
    if (/sign in|set up/.test(err.message)) recheck('Sign in to use this remote.');
  });
  remote.socket.on('disconnect', (reason: string) => {
    // The server closed it: signed out (then `auth:signed-out` came first), or this user's rights changed.
    if (reason === 'io server disconnect') recheck('This device was signed out.');
  });
}

async function start(): Promise<void> {
  const { setup, pair } = tokensInHash(location.hash, location.pathname);
  let message: string | null = null;
  if (pair) {
    await redeemPairing(pair).catch((err: Error) => (message = err.message));
  }
  // The tokens leave the address bar (and the history) once read.
  if (pair || setup || location.pathname.endsWith('/setup')) history.replaceState(null, '', new URL('./', location.href).href);
  const state = await authState().catch(() => null);
  if (state && !state.user) return showSignIn(state.setupNeeded ? (setup ?? state.setupToken ?? null) : null, message ?? (state.setupNeeded && !setup && !state.setupToken ? 'This server is not set up yet: open the setup link from its log.' : null));
  // In lan-open mode nobody signs in: no account card.
  startRemote(state?.mode === 'lan-open' ? null : (state?.user ?? null));
}

void start();

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('sw.js').catch(() => undefined));
}
