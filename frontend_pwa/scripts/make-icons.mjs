// Writes the app icons (PNG) with Node alone: a white "care" cross on the theme colour.
// Run once after a design change: `npm run icons`; the PNGs are committed.
import { deflateSync } from "node:zlib";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "public", "icons");
const THEME = [0x0b, 0x4f, 0x8a];
const WHITE = [0xff, 0xff, 0xff];
const ACCENT = [0xf2, 0xa9, 0x00];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b] = pixel(x / size, y / size);
      const i = y * (size * 3 + 1) + 1 + x * 3;
      raw[i] = r;
      raw[i + 1] = g;
      raw[i + 2] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** `scale` < 1 keeps the drawing inside the maskable safe zone (a centred circle of 80%). */
function design(scale, rounded) {
  return (u, v) => {
    const x = (u - 0.5) / scale + 0.5;
    const y = (v - 0.5) / scale + 0.5;
    if (rounded) {
      const r = 0.18;
      const cx = Math.min(Math.max(u, r), 1 - r);
      const cy = Math.min(Math.max(v, r), 1 - r);
      if ((u - cx) ** 2 + (v - cy) ** 2 > r * r) return WHITE;
    }
    const arm = 0.13;
    const inCross = (Math.abs(x - 0.5) < arm && y > 0.2 && y < 0.8) || (Math.abs(y - 0.5) < arm && x > 0.2 && x < 0.8);
    if (inCross) return WHITE;
    const ring = Math.hypot(x - 0.5, y - 0.5);
    if (ring > 0.4 && ring < 0.44) return ACCENT;
    return THEME;
  };
}

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "icon-192.png"), png(192, design(1, true)));
writeFileSync(join(OUT, "icon-512.png"), png(512, design(1, true)));
writeFileSync(join(OUT, "icon-512-maskable.png"), png(512, design(0.78, false)));
console.log(`icons written to ${OUT}`);
