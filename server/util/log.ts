// One line per event on stdout: `<iso time> <level> <message> key=value ...`.
// Tests and benchmarks read some lines (e.g. "listening ... port=N", "scan finished ..."): keep those stable.
export type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export type Fields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

/** Control characters (a file name can hold ESC sequences or newlines), C1 controls and bidi
 *  overrides: written as \uXXXX so a value cannot forge a line or repaint a terminal. */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const unsafeAll = new RegExp(unsafe.source, 'g');

function format(value: Fields[string]): string {
  const s = String(value);
  const quoted = /[\s"=]/.test(s) || s === '' || unsafe.test(s) ? JSON.stringify(s) : s;
  return quoted.replace(unsafeAll, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function createLogger(level: Level = 'info', write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const emit = (lv: Level) => (msg: string, fields: Fields = {}) => {
    if (order[lv] < order[level]) return;
    const kv = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}=${format(v)}`)
      .join('');
    write(`${new Date().toISOString()} ${lv} ${msg}${kv}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
