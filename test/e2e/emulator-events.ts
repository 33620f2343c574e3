// Waiting for what an emulated Chromecast does, from a test that drives it through the remote.
import type { CastEmulator, EventName } from '../../receivers/chromecast/emulator.js';

export type Emitted = Record<string, unknown>;

/** The next event of this name from `emu` that matches (events already past are not seen). */
export function emulatorEvent(emu: CastEmulator, name: EventName, match: (e: Emitted) => boolean = () => true, timeoutMs = 20_000): Promise<Emitted> {
  const events = emu.events as unknown as NodeJS.EventEmitter;
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (events.off(name, on), reject(new Error(`no "${name}" event from ${emu.name} within ${timeoutMs} ms`))), timeoutMs);
    const on = (e: Emitted) => {
      if (!match(e)) return;
      clearTimeout(t);
      events.off(name, on);
      resolve(e);
    };
    events.on(name, on);
  });
}

/** Every event of this name from `emu` from now on, until the returned stop() (for "none happened"). */
export function recordEmulatorEvents(emu: CastEmulator, name: EventName): { seen: Emitted[]; stop(): void } {
  const events = emu.events as unknown as NodeJS.EventEmitter;
  const seen: Emitted[] = [];
  const on = (e: Emitted) => seen.push(e);
  events.on(name, on);
  return { seen, stop: () => events.off(name, on) };
}
