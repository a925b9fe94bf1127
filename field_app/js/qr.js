// A small QR Code encoder for the provisional receipt (byte mode, error correction M, versions 1–10).
//
// Why our own: the receipt is made offline on the device, so the encoder must ship
// with the app; a receipt needs only short text, so 150 lines suffice where a
// general library is thousands.  The algorithm follows ISO/IEC 18004 as written
// up by Project Nayuki (MIT); tests/integration/test_field_sync.py compares every module
// with the Python `qrcode` package, for every mask and versions 1–10.

// [count, total codewords, data codewords] groups per version, level M (ISO 18004 table 9).
const BLOCKS_M = [null,
  [[1, 26, 16]], [[1, 44, 28]], [[1, 70, 44]], [[2, 50, 32]], [[2, 67, 43]], [[4, 43, 27]], [[4, 49, 31]],
  [[2, 60, 38], [2, 61, 39]], [[3, 58, 36], [2, 59, 37]], [[4, 69, 43], [1, 70, 44]]];
const FORMAT_BITS_M = 0; // level M is 00 in the format information
export const MAX_VERSION = BLOCKS_M.length - 1;

function dataCapacity(version) {
  return BLOCKS_M[version].reduce((sum, [count, , data]) => sum + count * data, 0);
}

function rsMultiply(x, y) {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z;
}

function rsDivisor(degree) {
  const result = new Array(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < result.length; j++) {
      result[j] = rsMultiply(result[j], root);
      if (j + 1 < result.length) result[j] ^= result[j + 1];
    }
    root = rsMultiply(root, 0x02);
  }
  return result;
}

function rsRemainder(data, divisor) {
  const result = divisor.map(() => 0);
  for (const b of data) {
    const factor = b ^ result.shift();
    result.push(0);
    divisor.forEach((coef, i) => { result[i] ^= rsMultiply(coef, factor); });
  }
  return result;
}

function alignmentPositions(version) {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2;
  const result = [6];
  for (let pos = version * 4 + 10; result.length < count; pos -= step) result.splice(1, 0, pos);
  return result;
}

function codewords(bytes, version) {
  const capacity = dataCapacity(version);
  const bits = [];
  const push = (value, n) => { for (let i = n - 1; i >= 0; i--) bits.push((value >>> i) & 1); };
  push(0b0100, 4);
  push(bytes.length, version < 10 ? 8 : 16);
  bytes.forEach((b) => push(b, 8));
  push(0, Math.min(4, capacity * 8 - bits.length));
  push(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity * 8; pad ^= 0xec ^ 0x11) push(pad, 8);
  const data = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  // split into blocks, add error correction, interleave
  const blocks = [];
  let k = 0;
  const eccLen = BLOCKS_M[version][0][1] - BLOCKS_M[version][0][2];
  const divisor = rsDivisor(eccLen);
  for (const [count, , dataLen] of BLOCKS_M[version]) {
    for (let i = 0; i < count; i++) {
      const dat = data.slice(k, k + dataLen);
      k += dataLen;
      blocks.push({ dat, ecc: rsRemainder(dat, divisor) });
    }
  }
  const out = [];
  const maxData = Math.max(...blocks.map((b) => b.dat.length));
  for (let i = 0; i < maxData; i++) blocks.forEach((b) => { if (i < b.dat.length) out.push(b.dat[i]); });
  for (let i = 0; i < eccLen; i++) blocks.forEach((b) => out.push(b.ecc[i]));
  return out;
}

function penalty(m) {
  const n = m.length;
  let score = 0;
  let dark = 0;
  const line = (get) => {
    for (let a = 0; a < n; a++) {
      let run = 1;
      for (let b = 1; b <= n; b++) {
        if (b < n && get(a, b) === get(a, b - 1)) run++;
        else { if (run >= 5) score += 3 + run - 5; run = 1; }
      }
      for (let b = 0; b + 7 <= n; b++) {
        const p = [1, 0, 1, 1, 1, 0, 1].every((v, i) => get(a, b + i) === !!v);
        if (!p) continue;
        const lightBefore = [1, 2, 3, 4].every((i) => b - i < 0 || !get(a, b - i));
        const lightAfter = [7, 8, 9, 10].every((i) => b + i >= n || !get(a, b + i));
        if (lightBefore || lightAfter) score += 40;
      }
    }
  };
  line((y, x) => m[y][x]);
  line((x, y) => m[y][x]);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (m[y][x]) dark++;
      if (y + 1 < n && x + 1 < n && m[y][x] === m[y][x + 1] && m[y][x] === m[y + 1][x] && m[y][x] === m[y + 1][x + 1]) {
        score += 3;
      }
    }
  }
  score += 10 * Math.floor(Math.abs((dark * 100) / (n * n) - 50) / 5);
  return score;
}

function build(version, data, mask) {
  const size = version * 4 + 17;
  const m = Array.from({ length: size }, () => new Array(size).fill(false));
  const fn = Array.from({ length: size }, () => new Array(size).fill(false));
  const set = (x, y, dark) => { m[y][x] = dark; fn[y][x] = true; };
  for (let i = 0; i < size; i++) { set(6, i, i % 2 === 0); set(i, 6, i % 2 === 0); }
  const finder = (cx, cy) => {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, d !== 2 && d !== 4);
      }
    }
  };
  finder(3, 3); finder(size - 4, 3); finder(3, size - 4);
  const align = alignmentPositions(version);
  align.forEach((ay, i) => align.forEach((ax, j) => {
    const corner = (i === 0 && j === 0) || (i === 0 && j === align.length - 1) || (i === align.length - 1 && j === 0);
    if (corner) return;
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) set(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
  }));
  const formatBits = (msk) => {
    const d = (FORMAT_BITS_M << 3) | msk;
    let rem = d;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((d << 10) | rem) ^ 0x5412;
    const bit = (i) => ((bits >>> i) & 1) === 1;
    for (let i = 0; i <= 5; i++) set(8, i, bit(i));
    set(8, 7, bit(6)); set(8, 8, bit(7)); set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) set(8, size - 15 + i, bit(i));
    set(8, size - 8, true);
  };
  formatBits(0);
  if (version >= 7) {
    let rem = version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(a, b, dark); set(b, a, dark);
    }
  }
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const y = ((right + 1) & 2) === 0 ? size - 1 - vert : vert;
        if (!fn[y][x] && i < data.length * 8) { m[y][x] = ((data[i >>> 3] >>> (7 - (i & 7))) & 1) === 1; i++; }
      }
    }
  }
  const masked = m.map((row) => row.slice());
  const invert = [
    (x, y) => (x + y) % 2 === 0, (x, y) => y % 2 === 0, (x) => x % 3 === 0, (x, y) => (x + y) % 3 === 0,
    (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0, (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
    (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0, (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
  ][mask];
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (!fn[y][x] && invert(x, y)) masked[y][x] = !masked[y][x];
  // write the real format bits over the placeholder ones
  const keep = { m: masked };
  const setMasked = (x, y, dark) => { keep.m[y][x] = dark; };
  const d = (FORMAT_BITS_M << 3) | mask;
  let rem = d;
  for (let k = 0; k < 10; k++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  const bits = ((d << 10) | rem) ^ 0x5412;
  const bit = (k) => ((bits >>> k) & 1) === 1;
  for (let k = 0; k <= 5; k++) setMasked(8, k, bit(k));
  setMasked(8, 7, bit(6)); setMasked(8, 8, bit(7)); setMasked(7, 8, bit(8));
  for (let k = 9; k < 15; k++) setMasked(14 - k, 8, bit(k));
  for (let k = 0; k < 8; k++) setMasked(size - 1 - k, 8, bit(k));
  for (let k = 8; k < 15; k++) setMasked(8, size - 15 + k, bit(k));
  setMasked(8, size - 8, true);
  return masked;
}

/**
 * Encode text (UTF-8, byte mode, level M) as a square matrix of booleans (true = dark).
 * opts.mask (0–7) and opts.version force a choice (tests); otherwise the smallest version
 * and the mask with the lowest penalty are used.
 */
export function encodeQr(text, opts = {}) {
  const bytes = Array.from(new TextEncoder().encode(String(text)));
  let version = opts.version ?? 0;
  if (!version) {
    for (let v = 1; v <= MAX_VERSION; v++) {
      if (4 + (v < 10 ? 8 : 16) + bytes.length * 8 <= dataCapacity(v) * 8) { version = v; break; }
    }
  }
  if (!version || 4 + (version < 10 ? 8 : 16) + bytes.length * 8 > dataCapacity(version) * 8) {
    throw new Error(`QR: text too long (${bytes.length} bytes)`);
  }
  const data = codewords(bytes, version);
  if (opts.mask !== undefined) return build(version, data, opts.mask);
  let best = null;
  let bestScore = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    const m = build(version, data, mask);
    const s = penalty(m);
    if (s < bestScore) { best = m; bestScore = s; }
  }
  return best;
}

/** The matrix as an SVG string with a 4-module quiet zone (scales crisply for print). */
export function qrSvg(text, { label = "QR" } = {}) {
  const m = encodeQr(text);
  const n = m.length + 8;
  let path = "";
  m.forEach((row, y) => row.forEach((dark, x) => { if (dark) path += `M${x + 4} ${y + 4}h1v1h-1z`; }));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges" ` +
    `role="img" aria-label="${label.replace(/"/g, "&quot;")}"><rect width="${n}" height="${n}" fill="#fff"/>` +
    `<path d="${path}" fill="#000"/></svg>`;
}
