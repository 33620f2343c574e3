// The composition root of the web remote: one connection, one store, one controller, the shell,
// the media session and the service worker. Nothing else creates these.
import { Controller } from './data/actions.js';
import { syncClock } from './data/clock.js';
import { Remote } from './data/socket.js';
import { connectStore, currentReceiver, initialState, Store } from './data/store.js';
import { mediaSessionSync } from './media-session.js';
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
const controller = new Controller(remote, () => currentReceiver(store.state)?.id ?? null, (message) => app.showToast(message));
app.store = store;
app.controller = controller;

const media = mediaSessionSync(controller);
store.subscribe((s) => {
  const r = currentReceiver(s);
  media((r && s.sessions[r.id]) ?? null);
});

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('sw.js').catch(() => undefined));
}
