// The composition root of the web remote: one connection, one store, one controller, the shell,
// the password dialog, the media session and the service worker. Nothing else creates these.
import { Controller } from './data/actions.js';
import { syncClock } from './data/clock.js';
import { Remote } from './data/socket.js';
import { connectStore, currentReceiver, initialState, Store } from './data/store.js';
import { devicePlayer } from './data/device-player.js';
import { devicePlayerSession, mediaSessionSync } from './media-session.js';
import type { RcPasswordDialog } from './components/rc-password-dialog.js';
import './views/rc-app.js';

function savedReceiver(): string | null {
  try {
    return localStorage.getItem('homecast.receiver');
  } catch {
    return null;
  }
}

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

const media = mediaSessionSync(controller);
// The lock screen shows what this device plays while it is a player, else the chosen receiver's.
const showOnLockScreen = (): void => {
  const s = store.state;
  const own = devicePlayer.controlling ? devicePlayerSession(s.receivers, s.sessions, devicePlayer.receiverId) : null;
  devicePlayer.showSession(own?.state === 'playing');
  const r = currentReceiver(s);
  media(own ?? (r && s.sessions[r.id]) ?? null);
};
store.subscribe(showOnLockScreen);
devicePlayer.subscribe(showOnLockScreen);

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('sw.js').catch(() => undefined));
}
