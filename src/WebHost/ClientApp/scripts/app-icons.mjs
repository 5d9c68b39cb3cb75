// Draws the volunteer app's home-screen icons (public/app/icon-192.png and icon-512.png): the
// favicon's mark (a white "D" on the brand red) on a full square, so the launcher's own mask
// (circle or rounded square) cuts it cleanly. Run once after changing the mark; the PNGs are
// committed. Node's zlib only: a PNG is a few chunks around deflated rows.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const brand = [0xc0, 0x39, 0x2b];
const white = [0xff, 0xff, 0xff];

// The mark on the favicon's 32-unit grid, shrunk to 70% around the centre so it sits inside the
// "safe zone" every launcher mask keeps.
function inMark(x, y) {
  const u = (x - 16) / 0.7 + 16;
  const v = (y - 16) / 0.7 + 16;
  if (v < 7 || v > 25 || u < 9) return false;
  if (u <= 16) return true;
  return (u - 16) ** 2 + (v - 16) ** 2 <= 81;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function icon(size) {
  const samples = 4; // 4×4 samples a pixel: smooth edges
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 3); // filter byte 0, then RGB
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++)
          if (inMark(((px + (sx + 0.5) / samples) * 32) / size, ((py + (sy + 0.5) / samples) * 32) / size)) covered++;
      const a = covered / (samples * samples);
      for (let i = 0; i < 3; i++) row[1 + px * 3 + i] = Math.round(brand[i] * (1 - a) + white[i] * a);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  writeFileSync(new URL(`../public/app/icon-${size}.png`, import.meta.url), png);
}

icon(192);
icon(512);
