// What the emulator CLIs (`npm run receiver -- chromecast|airplay speaker|airplay-video`) share:
// one JSON line per event on stdout, whole-number flags, and a clean stop on SIGINT/SIGTERM.

/** Writes one event as a JSON line on stdout. */
export function printEvent(obj: object): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

/** A flag that must be a whole number ≥ 0; undefined when not given. */
export function wholeNumber(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${what} must be a whole number, got "${v}"`);
  return n;
}

/**
 * Starts an emulator and exits the process (code 0) once it has closed after SIGINT/SIGTERM;
 * `afterClose` runs between the two (e.g. to flush a capture file). The handlers go in first:
 * a signal that lands while starting (or right after `listening`) still closes cleanly.
 */
export async function startUntilSignal<T extends { close(): Promise<void> }>(start: () => Promise<T>, afterClose?: () => unknown): Promise<T> {
  let emu: T | null = null;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (emu) void emu.close().then(afterClose).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  emu = await start();
  if (stopping) {
    await emu.close();
    process.exit(0);
  }
  return emu;
}
