// Photos and signatures on the device: compression, hashing, the storage quota, a signature pad.

/** Long edge of a stored document photo: readable when printed on A4, ~150–300 KB as JPEG. */
export const MAX_EDGE = 1600;
export const JPEG_QUALITY = 0.72;
/** Free space that must remain after a photo, so earlier captures never hit the quota. */
export const QUOTA_RESERVE = 50 * 1024 * 1024;

export async function sha256Hex(blob) {
  const buf = await blob.arrayBuffer();
  const digest = await crypto.subtle.digest("SHA-256", buf);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function decode(file) {
  if (typeof createImageBitmap === "function") {
    try { return await createImageBitmap(file, { imageOrientation: "from-image" }); } catch { /* fall back */ }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Shrink a camera photo to MAX_EDGE and re-encode it as JPEG.  Besides saving space and
 * data, re-encoding drops the EXIF block (GPS position of the person's home).
 */
export async function compressPhoto(file) {
  const image = await decode(file);
  const w = image.width || image.naturalWidth;
  const h = image.height || image.naturalHeight;
  const scale = Math.min(1, MAX_EDGE / Math.max(w, h));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(w * scale));
  canvas.height = Math.max(1, Math.round(h * scale));
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  if (typeof image.close === "function") image.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
  if (!blob) throw new Error("encode failed");
  return blob;
}

/** {usage, quota, persisted} of this origin's storage (nulls where the browser does not say). */
export async function storageInfo() {
  const info = { usage: null, quota: null, persisted: null };
  if (navigator.storage && navigator.storage.estimate) {
    const e = await navigator.storage.estimate();
    info.usage = e.usage ?? null;
    info.quota = e.quota ?? null;
  }
  if (navigator.storage && navigator.storage.persisted) info.persisted = await navigator.storage.persisted();
  return info;
}

/** May a new file of `bytes` be kept without putting earlier captures at risk? */
export async function roomFor(bytes) {
  const { usage, quota } = await storageInfo();
  if (usage === null || quota === null) return true;
  return quota - usage - bytes * 2 > QUOTA_RESERVE;
}

export function formatBytes(n) {
  if (n === null || n === undefined) return "?";
  const units = ["B", "KB", "MB", "GB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

/** A signature pad on a canvas: pointer events (finger, stylus, mouse), exported as PNG. */
export class SignaturePad {
  constructor(canvas, onChange = () => {}) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.strokes = 0;
    const ctx = canvas.getContext("2d");
    this.ctx = ctx;
    this.resize();
    let last = null;
    const point = (e) => {
      const r = canvas.getBoundingClientRect();
      return [(e.clientX - r.left) * (canvas.width / r.width), (e.clientY - r.top) * (canvas.height / r.height)];
    };
    canvas.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      last = point(e);
      ctx.beginPath();
      ctx.arc(last[0], last[1], 1.5, 0, Math.PI * 2);
      ctx.fill();
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!last) return;
      const p = point(e);
      ctx.beginPath();
      ctx.moveTo(last[0], last[1]);
      ctx.lineTo(p[0], p[1]);
      ctx.stroke();
      last = p;
    });
    const end = () => {
      if (!last) return;
      last = null;
      this.strokes++;
      this.onChange();
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  }

  resize() {
    const ratio = Math.max(1, window.devicePixelRatio || 1);
    const rect = this.canvas.getBoundingClientRect();
    this.canvas.width = Math.round((rect.width || 340) * ratio);
    this.canvas.height = Math.round((rect.height || 180) * ratio);
    Object.assign(this.ctx, { lineWidth: 3 * ratio, lineCap: "round", lineJoin: "round", strokeStyle: "#111",
      fillStyle: "#111" });
    this.strokes = 0;
  }

  clear() {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.strokes = 0;
    this.onChange();
  }

  isEmpty() { return this.strokes === 0; }

  async toBlob() {
    const out = document.createElement("canvas");
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const c = out.getContext("2d");
    c.fillStyle = "#fff";
    c.fillRect(0, 0, out.width, out.height);
    c.drawImage(this.canvas, 0, 0);
    return new Promise((resolve) => out.toBlob(resolve, "image/png"));
  }
}

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function luhn32(values) {
  let total = 0;
  let factor = 2;
  for (let i = values.length - 1; i >= 0; i--) {
    const addend = factor * values[i];
    total += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return (32 - (total % 32)) % 32;
}

/** A provisional receipt code like F7K3-M2QQ: the same format and check character as onestop/domain/codes.py. */
export function newProvisionalCode() {
  const values = Array.from(crypto.getRandomValues(new Uint8Array(7)), (b) => b & 31);
  values.push(luhn32(values));
  const s = values.map((v) => ALPHABET[v]).join("");
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}
