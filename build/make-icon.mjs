#!/usr/bin/env node
// Draws build/icon.png (512×512): a drop, half full, on a rounded teal square — a reservoir.
// Only Node's zlib: `node build/make-icon.mjs` rewrites the file; the output is deterministic.
// electron-builder makes the Windows .ico and macOS .icns from this PNG.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

export const ICON_SIZE = 512;
const SUPERSAMPLE = 4;

const BG_TOP = [14, 86, 99];
const BG_BOTTOM = [9, 55, 72];
const DROP = [244, 250, 251];
const LIQUID_TOP = [94, 203, 222];
const LIQUID_BOTTOM = [38, 150, 184];

// The square: rounded corners.
const MARGIN = 16;
const RADIUS = 104;
// The drop: a circle below a point.
const TIP = { x: 256, y: 70 };
const CENTRE = { x: 256, y: 318 };
const R = 142;
const LEVEL = 300; // the liquid's surface
const D = CENTRE.y - TIP.y;
const SIN_A = R / D;
const COS_A = Math.sqrt(1 - SIN_A * SIN_A);
const TANGENT_Y = TIP.y + Math.sqrt(D * D - R * R) * COS_A;

function inRoundedSquare(x, y) {
  const lo = MARGIN;
  const hi = ICON_SIZE - MARGIN;
  if (x < lo || x > hi || y < lo || y > hi) return false;
  const cx = Math.min(Math.max(x, lo + RADIUS), hi - RADIUS);
  const cy = Math.min(Math.max(y, lo + RADIUS), hi - RADIUS);
  return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2;
}

function inDrop(x, y) {
  if ((x - CENTRE.x) ** 2 + (y - CENTRE.y) ** 2 <= R * R) return true;
  if (y < TIP.y || y > TANGENT_Y) return false;
  const dy = y - TIP.y;
  return Math.abs(x - TIP.x) <= dy * (SIN_A / COS_A);
}

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

/** Colour and coverage of one sample point. */
function sample(x, y) {
  if (!inRoundedSquare(x, y)) return null;
  if (!inDrop(x, y)) return mix(BG_TOP, BG_BOTTOM, y / ICON_SIZE);
  // a thin rim of the drop's colour keeps the liquid inside the outline
  const rim = 14;
  const inner = inDrop(x, y - rim) && inDrop(x, y + rim) && inDrop(x - rim, y) && inDrop(x + rim, y);
  if (inner && y >= LEVEL) return mix(LIQUID_TOP, LIQUID_BOTTOM, (y - LEVEL) / (CENTRE.y + R - LEVEL));
  return DROP;
}

/** RGBA pixels, anti-aliased by supersampling. */
export function renderIcon() {
  const pixels = Buffer.alloc(ICON_SIZE * ICON_SIZE * 4);
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < ICON_SIZE; py++) {
    for (let px = 0; px < ICON_SIZE; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const c = sample(px + (sx + 0.5) / SUPERSAMPLE, py + (sy + 0.5) / SUPERSAMPLE);
          if (c === null) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          covered++;
        }
      }
      const o = (py * ICON_SIZE + px) * 4;
      if (covered > 0) {
        pixels[o] = Math.round(r / covered);
        pixels[o + 1] = Math.round(g / covered);
        pixels[o + 2] = Math.round(b / covered);
        pixels[o + 3] = Math.round((covered / n) * 255);
      }
    }
  }
  return pixels;
}

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
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGBA PNG (8 bits per channel, no filtering) of `pixels`, `size`×`size`. */
export function encodePng(pixels, size) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0;
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function makeIconPng() {
  return encodePng(renderIcon(), ICON_SIZE);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = path.join(import.meta.dirname, 'icon.png');
  fs.writeFileSync(out, makeIconPng());
  process.stdout.write(`Wrote ${out}\n`);
}
