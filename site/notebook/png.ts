// A tiny PNG encoder for figures: greyscale or palette images, compressed by a small deflate of
// its own (LZ77 matches with the fixed Huffman codes; or stored blocks), so it needs no zlib and
// runs the same at build time and in a Worker. Figures embed the result as a data: URL, so the
// page fetches nothing for them.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** zlib data holding `raw` in stored (uncompressed) deflate blocks. */
function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const out = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let offset = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const length = Math.min(65535, raw.length - start);
    out[offset++] = b === blocks - 1 ? 1 : 0;
    out[offset++] = length & 0xff;
    out[offset++] = length >>> 8;
    out[offset++] = ~length & 0xff;
    out[offset++] = (~length >>> 8) & 0xff;
    out.set(raw.subarray(start, start + length), offset);
    offset += length;
  }
  new DataView(out.buffer).setUint32(offset, adler32(raw));
  return out;
}

/** Appends bits to a byte array, least significant bit first, as deflate packs them. */
class BitWriter {
  private bytes: number[] = [];
  private current = 0;
  private filled = 0;

  /** `count` bits of `value`, lowest first (extra bits, block headers). */
  bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) this.bit((value >>> i) & 1);
  }

  /** A Huffman code of `length` bits, most significant first. */
  code(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bit((value >>> i) & 1);
  }

  private bit(b: number): void {
    this.current |= b << this.filled;
    if (++this.filled === 8) {
      this.bytes.push(this.current);
      this.current = 0;
      this.filled = 0;
    }
  }

  /** The bytes written, the last one padded with zeros. */
  finish(): Uint8Array {
    if (this.filled > 0) this.bytes.push(this.current);
    return Uint8Array.from(this.bytes);
  }
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/** The fixed Huffman code of a literal/length symbol (RFC 1951, 3.2.6). */
function literal(out: BitWriter, symbol: number): void {
  if (symbol < 144) out.code(0x30 + symbol, 8);
  else if (symbol < 256) out.code(0x190 + symbol - 144, 9);
  else if (symbol < 280) out.code(symbol - 256, 7);
  else out.code(0xc0 + symbol - 280, 8);
}

/** The last index i with table[i] ≤ value. */
const bucket = (table: number[], value: number): number => {
  let i = table.length - 1;
  while (table[i] > value) i--;
  return i;
};

/** One fixed-Huffman deflate block: greedy LZ77 matches (3–258 bytes back up to 32 KB) found through a hash of 3 bytes. */
function deflateFixed(raw: Uint8Array): Uint8Array {
  const out = new BitWriter();
  out.bits(1, 1); // the final block
  out.bits(1, 2); // fixed Huffman codes
  const WINDOW = 32768;
  const head = new Int32Array(1 << 15).fill(-1);
  const previous = new Int32Array(raw.length).fill(-1);
  const hash = (i: number): number => Math.imul((raw[i] << 16) | (raw[i + 1] << 8) | raw[i + 2], 0x9e3779b1) >>> 17;
  const remember = (i: number): void => {
    if (i + 2 >= raw.length) return;
    const h = hash(i);
    previous[i] = head[h];
    head[h] = i;
  };
  let i = 0;
  while (i < raw.length) {
    let bestLength = 0;
    let bestDistance = 0;
    if (i + 2 < raw.length) {
      let candidate = head[hash(i)];
      for (let tries = 0; candidate >= 0 && i - candidate <= WINDOW && tries < 16; tries++) {
        let length = 0;
        while (length < 258 && i + length < raw.length && raw[candidate + length] === raw[i + length]) length++;
        if (length > bestLength) {
          bestLength = length;
          bestDistance = i - candidate;
          if (length >= 128) break; // long enough: looking further costs more than it saves
        }
        candidate = previous[candidate];
      }
    }
    if (bestLength >= 3) {
      const l = bucket(LENGTH_BASE, bestLength);
      literal(out, 257 + l);
      out.bits(bestLength - LENGTH_BASE[l], LENGTH_EXTRA[l]);
      const d = bucket(DISTANCE_BASE, bestDistance);
      out.code(d, 5);
      out.bits(bestDistance - DISTANCE_BASE[d], DISTANCE_EXTRA[d]);
      for (let k = 0; k < bestLength; k++) remember(i + k);
      i += bestLength;
    } else {
      literal(out, raw[i]);
      remember(i);
      i++;
    }
  }
  literal(out, 256); // end of block
  return out.finish();
}

/** The Adler-32 checksum that ends a zlib stream. */
function adler32(raw: Uint8Array): number {
  let a = 1;
  let s = 0;
  for (let i = 0; i < raw.length; i++) {
    a = (a + raw[i]) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

/** zlib data holding `raw` compressed by deflateFixed. */
function zlibCompressed(raw: Uint8Array): Uint8Array {
  const body = deflateFixed(raw);
  const out = new Uint8Array(2 + body.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  out.set(body, 2);
  new DataView(out.buffer).setUint32(2 + body.length, adler32(raw));
  return out;
}

/** Options for encodePNG. */
export interface PNGOptions {
  /** Compress the pixels (the default); false stores them as they are, which is only larger. */
  compress?: boolean;
}

/** Encodes width × height 8-bit pixels; with a palette (RGBA per entry) they are palette indices, else grey levels. */
export function encodePNG(width: number, height: number, pixels: Uint8Array, palette?: Array<[number, number, number, number]>, options: PNGOptions = {}): Uint8Array {
  if (pixels.length !== width * height) throw new Error(`encodePNG: ${pixels.length} pixels do not fill ${width}×${height}`);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = palette ? 3 : 0; // palette or greyscale
  const raw = new Uint8Array(height * (width + 1)); // each row starts with filter type 0
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header)];
  if (palette) {
    parts.push(chunk('PLTE', Uint8Array.from(palette.flatMap(([r, g, b]) => [r, g, b]))));
    parts.push(chunk('tRNS', Uint8Array.from(palette.map(([, , , alpha]) => alpha))));
  }
  parts.push(chunk('IDAT', options.compress === false ? zlibStored(raw) : zlibCompressed(raw)), chunk('IEND', new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A PNG as a data: URL. */
export function pngDataURL(png: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < png.length; i++) binary += String.fromCharCode(png[i]);
  return `data:image/png;base64,${btoa(binary)}`;
}
