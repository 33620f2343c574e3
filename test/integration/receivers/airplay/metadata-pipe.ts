// Reads shairport-sync's metadata pipe: items `<item><type>hex</type><code>hex</code>
// <length>n</length>[<data encoding="base64">…</data>]</item>` (rtsp.c metadata_process), type
// 'core' for what the sender sent (DMAP tags) and 'ssnc' for shairport-sync's own (PICT, prgr, …).
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { spawnSync } from 'node:child_process';

export interface MetadataItem {
  type: string;
  code: string;
  data: Buffer;
}

const ascii = (hex: string): string => Buffer.from(hex.padStart(8, '0'), 'hex').toString('latin1');

export class MetadataPipe {
  readonly items: MetadataItem[] = [];
  private text = '';
  private readonly waiters = new Set<() => void>();
  private readonly socket: Socket;

  /** Makes the FIFO (shairport-sync tolerates EEXIST) and attaches before the speaker writes. */
  constructor(path: string) {
    const r = spawnSync('mkfifo', ['-m', '0666', path]);
    if (r.status !== 0) throw new Error(`mkfifo ${path}: ${r.stderr.toString()}`);
    // O_RDWR: the pipe never reads as ended while shairport-sync has it closed (Linux FIFOs).
    this.socket = new Socket({ fd: openSync(path, constants.O_RDWR | constants.O_NONBLOCK), readable: true, writable: false });
    this.socket.on('data', (d: Buffer) => this.onData(d));
  }

  private onData(d: Buffer): void {
    this.text += d.toString('latin1');
    const re = /<item><type>([0-9a-f]+)<\/type><code>([0-9a-f]+)<\/code><length>(\d+)<\/length>(?:\n<data encoding="base64">\n([^<]*)<\/data>)?<\/item>\n/y;
    let m: RegExpExecArray | null;
    let end = 0;
    re.lastIndex = 0;
    while ((m = re.exec(this.text))) {
      const data = m[4] ? Buffer.from(m[4].replace(/\s+/g, ''), 'base64') : Buffer.alloc(0);
      if (data.length !== Number(m[3])) throw new Error(`metadata item ${ascii(m[2]!)}: ${data.length} bytes, length says ${m[3]}`);
      this.items.push({ type: ascii(m[1]!), code: ascii(m[2]!), data });
      end = re.lastIndex;
    }
    this.text = this.text.slice(end);
    for (const w of this.waiters) w();
  }

  /** Items of `code` from index `after` on. */
  find(code: string, after = 0): MetadataItem[] {
    return this.items.slice(after).filter((i) => i.code === code);
  }

  /** Resolves with the first item of `code` from index `after` on. */
  wait(code: string, timeoutMs: number, after = 0): Promise<MetadataItem> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = this.find(code, after)[0];
        if (!hit) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`metadata pipe: no '${code}' within ${timeoutMs} ms; saw ${this.items.map((i) => i.code).join(' ')}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
