// A small PNG reader for the notebook tests, independent of the encoder: splits a PNG into its
// chunks, inflates the image data with node:zlib and strips the filter bytes, so tests can
// compare the pixels a figure embeds with the numbers it was drawn from.
import { inflateSync } from 'node:zlib';

/** One chunk: its type, its data and the CRC stored after it. */
export interface Chunk {
  type: string;
  data: Uint8Array;
  crc: number;
  /** The bytes the CRC covers: type and data. */
  covered: Uint8Array;
}

export const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** The chunks after the 8-byte signature, in order. */
export function chunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crc = view.getUint32(offset + 8 + length);
    out.push({ type, data, crc, covered: png.subarray(offset + 4, offset + 8 + length) });
    offset += 12 + length;
  }
  return out;
}

/** A decoded 8-bit greyscale or palette PNG whose rows all use filter 0. */
export interface DecodedPNG {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  /** Filter byte + pixels, row by row, as inflated from the IDAT data. */
  raw: Uint8Array;
  /** One byte per pixel: the grey level or the palette index. */
  pixels: number[];
  palette?: Uint8Array;
  transparency?: Uint8Array;
}

/** Decodes a PNG made by encodePNG (no interlace, filter type 0 on every row). */
export function decodePNG(png: Uint8Array): DecodedPNG {
  const all = chunks(png);
  const header = all.find((c) => c.type === 'IHDR');
  if (!header) throw new Error('no IHDR chunk');
  const view = new DataView(header.data.buffer, header.data.byteOffset, header.data.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const idat = all.filter((c) => c.type === 'IDAT').map((c) => c.data);
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  let offset = 0;
  for (const d of idat) {
    joined.set(d, offset);
    offset += d.length;
  }
  const raw = new Uint8Array(inflateSync(joined));
  const pixels: number[] = [];
  for (let y = 0; y < height; y++) {
    if (raw[y * (width + 1)] !== 0) throw new Error(`row ${y} uses filter ${raw[y * (width + 1)]}`);
    for (let x = 0; x < width; x++) pixels.push(raw[y * (width + 1) + 1 + x]);
  }
  return {
    width,
    height,
    bitDepth: header.data[8],
    colourType: header.data[9],
    raw,
    pixels,
    palette: all.find((c) => c.type === 'PLTE')?.data,
    transparency: all.find((c) => c.type === 'tRNS')?.data,
  };
}

/** The PNG bytes of a `data:image/png;base64,` URL. */
export function fromDataURL(url: string): Uint8Array {
  const prefix = 'data:image/png;base64,';
  if (!url.startsWith(prefix)) throw new Error(`not a PNG data URL: ${url.slice(0, 40)}`);
  return new Uint8Array(Buffer.from(url.slice(prefix.length), 'base64'));
}
