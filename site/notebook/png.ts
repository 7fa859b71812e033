// A tiny PNG encoder for figures: greyscale or palette images, stored without compression
// (deflate "stored" blocks), so it needs no zlib and runs the same at build time and in a Worker.
// Figures embed the result as a data: URL, so the page fetches nothing for them.

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
  let a = 1;
  let s = 0;
  for (let i = 0; i < raw.length; i++) {
    a = (a + raw[i]) % 65521;
    s = (s + a) % 65521;
  }
  new DataView(out.buffer).setUint32(offset, ((s << 16) | a) >>> 0);
  return out;
}

/** Encodes width × height 8-bit pixels; with a palette (RGBA per entry) they are palette indices, else grey levels. */
export function encodePNG(width: number, height: number, pixels: Uint8Array, palette?: Array<[number, number, number, number]>): Uint8Array {
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
  parts.push(chunk('IDAT', zlibStored(raw)), chunk('IEND', new Uint8Array(0)));
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
