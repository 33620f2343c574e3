// The app icon as PNG, drawn and encoded here at build time so no binary is committed:
// a rounded indigo square with a white play triangle (the same drawing as public/icon.svg).
// Home screens and iOS want PNGs; SVG alone is not enough for them.
import { deflateSync } from 'node:zlib';

export const ICON_BG = [0x4f, 0x46, 0xe5] as const;

/** Inside-tests in unit coordinates (0..1 across the icon). */
function inRoundedSquare(x: number, y: number, r: number): boolean {
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

// Play triangle, its visual centre slightly right of the middle; scaled down for maskable icons.
function inTriangle(x: number, y: number, scale: number): boolean {
  const u = (x - 0.5) / scale + 0.5;
  const v = (y - 0.5) / scale + 0.5;
  const [ax, ay, bx, by, cx, cy] = [0.38, 0.28, 0.38, 0.72, 0.74, 0.5];
  const e = (px: number, py: number, qx: number, qy: number) => (qx - px) * (v - py) - (qy - py) * (u - px);
  const d1 = e(ax, ay, bx, by);
  const d2 = e(bx, by, cx, cy);
  const d3 = e(cx, cy, ax, ay);
  return (d1 <= 0 && d2 <= 0 && d3 <= 0) || (d1 >= 0 && d2 >= 0 && d3 >= 0);
}

/** RGBA pixels, 4×4 supersampled so edges are smooth. `maskable`: full bleed, motif in the safe zone. */
export function drawIcon(size: number, maskable: boolean): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const u = (x + (sx + 0.5) / n) / size;
          const v = (y + (sy + 0.5) / n) / size;
          if (!maskable && !inRoundedSquare(u, v, 0.22)) continue;
          if (inTriangle(u, v, maskable ? 0.8 : 1)) fg++;
          else bg++;
        }
      }
      const a = (bg + fg) / (n * n);
      const o = (y * size + x) * 4;
      const w = bg + fg === 0 ? 0 : fg / (bg + fg);
      px[o] = Math.round(ICON_BG[0] * (1 - w) + 255 * w);
      px[o + 1] = Math.round(ICON_BG[1] * (1 - w) + 255 * w);
      px[o + 2] = Math.round(ICON_BG[2] * (1 - w) + 255 * w);
      px[o + 3] = Math.round(a * 255);
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A minimal PNG: 8-bit RGBA, no filtering (filter byte 0 per row), one IDAT. */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

/** Every PNG the manifest and index.html name. */
export function iconFiles(): { fileName: string; source: Buffer }[] {
  const png = (size: number, maskable: boolean) => encodePng(size, drawIcon(size, maskable));
  return [
    { fileName: 'icon-192.png', source: png(192, false) },
    { fileName: 'icon-512.png', source: png(512, false) },
    { fileName: 'icon-maskable-512.png', source: png(512, true) },
    { fileName: 'apple-touch-icon.png', source: png(180, true) },
  ];
}
