// Checks the tiny PNG encoder behind figures: the signature, the IHDR fields, chunk CRCs
// (computed here with node:zlib), its deflate (fixed-Huffman blocks, or stored ones) that zlib
// inflates back to the filter bytes and pixels, palettes with transparency, and the data: URL.
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePNG, pngDataURL } from '../../site/notebook/png.ts';
import { SIGNATURE, chunks, decodePNG, fromDataURL } from './read-png.ts';

/** Deterministic pixels 0…255. */
function pattern(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 37 + (i >> 8)) & 0xff);
}

/** The zlib stream inside the (single) IDAT chunk. */
function idat(png: Uint8Array): Uint8Array {
  const data = chunks(png).filter((c) => c.type === 'IDAT');
  expect(data).toHaveLength(1);
  return data[0].data;
}

/** The deflate blocks of a zlib stream made only of stored blocks: [final, length] each. */
function storedBlocks(zlib: Uint8Array): Array<[boolean, number]> {
  const blocks: Array<[boolean, number]> = [];
  let offset = 2;
  for (;;) {
    const header = zlib[offset];
    expect(header & 0b110, 'block type 00 (stored)').toBe(0);
    const length = zlib[offset + 1] | (zlib[offset + 2] << 8);
    const complement = zlib[offset + 3] | (zlib[offset + 4] << 8);
    expect(complement, 'NLEN is the complement of LEN').toBe(~length & 0xffff);
    blocks.push([(header & 1) === 1, length]);
    offset += 5 + length;
    if (header & 1) break;
  }
  expect(offset + 4, 'the Adler-32 checksum ends the stream').toBe(zlib.length);
  return blocks;
}

describe('encodePNG', () => {
  const pixels = pattern(4 * 3);
  const png = encodePNG(4, 3, pixels, undefined, { compress: false });

  it('starts with the PNG signature', () => {
    expect(Array.from(png.subarray(0, 8))).toEqual(SIGNATURE);
  });

  it('has IHDR, IDAT and IEND chunks, in that order, for a greyscale image', () => {
    expect(chunks(png).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('writes width, height, bit depth 8 and colour type 0 (grey) in the IHDR', () => {
    const [header] = chunks(png);
    expect(header.data).toHaveLength(13);
    const view = new DataView(header.data.buffer, header.data.byteOffset, 13);
    expect(view.getUint32(0)).toBe(4);
    expect(view.getUint32(4)).toBe(3);
    expect(header.data[8]).toBe(8);
    expect(header.data[9]).toBe(0);
    expect(Array.from(header.data.subarray(10))).toEqual([0, 0, 0]); // deflate, adaptive filtering, no interlace
  });

  it('stores correct CRCs on every chunk', () => {
    const palette = encodePNG(2, 2, Uint8Array.from([0, 1, 1, 0]), [[255, 0, 0, 255], [0, 0, 255, 128]]);
    for (const file of [png, palette]) {
      for (const chunk of chunks(file)) expect(chunk.crc, chunk.type).toBe(crc32(chunk.covered));
    }
  });

  it('ends exactly at the IEND chunk', () => {
    const all = chunks(png);
    expect(all[all.length - 1]).toMatchObject({ type: 'IEND', data: new Uint8Array(0) });
    expect(all.reduce((n, c) => n + 12 + c.data.length, 8)).toBe(png.length);
  });

  it('inflates back to a filter byte of 0 before each row, then the pixels', () => {
    const raw = new Uint8Array(inflateSync(idat(png)));
    const expected = [0, ...pixels.subarray(0, 4), 0, ...pixels.subarray(4, 8), 0, ...pixels.subarray(8, 12)];
    expect(Array.from(raw)).toEqual(expected);
  });

  it('uses a zlib header that zlib accepts and, uncompressed, stored deflate blocks', () => {
    const zlib = idat(png);
    expect(zlib[0]).toBe(0x78);
    expect(((zlib[0] << 8) | zlib[1]) % 31).toBe(0);
    expect(storedBlocks(zlib)).toEqual([[true, 3 * 5]]);
  });

  it('writes palette images with colour type 3, a PLTE of 3 bytes and a tRNS of 1 byte per colour', () => {
    const colours: Array<[number, number, number, number]> = [[10, 20, 30, 255], [40, 50, 60, 90], [70, 80, 90, 0]];
    const image = encodePNG(3, 1, Uint8Array.from([2, 0, 1]), colours);
    expect(chunks(image).map((c) => c.type)).toEqual(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
    const decoded = decodePNG(image);
    expect(decoded.colourType).toBe(3);
    expect(decoded.bitDepth).toBe(8);
    expect(Array.from(decoded.palette!)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(Array.from(decoded.transparency!)).toEqual([255, 90, 0]);
    expect(decoded.pixels).toEqual([2, 0, 1]);
  });

  it('throws when the pixel count does not fill width × height', () => {
    expect(() => encodePNG(4, 4, new Uint8Array(15))).toThrow('encodePNG: 15 pixels do not fill 4×4');
    expect(() => encodePNG(2, 2, new Uint8Array(5))).toThrow(/5 pixels/);
  });

  it('splits a 300 × 300 image (90,300 bytes with filter bytes) over two stored blocks that inflate correctly', () => {
    const big = pattern(300 * 300);
    const image = encodePNG(300, 300, big, undefined, { compress: false });
    expect(storedBlocks(idat(image))).toEqual([[false, 65535], [true, 300 * 301 - 65535]]);
    const decoded = decodePNG(image);
    expect([decoded.width, decoded.height]).toEqual([300, 300]);
    expect(decoded.raw).toHaveLength(300 * 301);
    expect(Buffer.from(Uint8Array.from(decoded.pixels)).equals(Buffer.from(big))).toBe(true);
  });

  it('fills stored blocks exactly when the data is a multiple of 65,535 bytes', () => {
    // 257 rows of 254 pixels plus a filter byte: 257 · 255 = 65,535 bytes, one full block.
    const exact = pattern(254 * 257);
    const image = encodePNG(254, 257, exact, undefined, { compress: false });
    expect(storedBlocks(idat(image))).toEqual([[true, 65535]]);
    expect(decodePNG(image).pixels).toEqual(Array.from(exact));
  });

  it('splits 65,536 bytes into a full block and a 1-byte block', () => {
    // 256 rows of 255 pixels plus a filter byte: 256 · 256 = 65,536 bytes, one more than a block holds.
    const over = pattern(255 * 256);
    const image = encodePNG(255, 256, over, undefined, { compress: false });
    expect(storedBlocks(idat(image))).toEqual([[false, 65535], [true, 1]]);
    expect(decodePNG(image).pixels).toEqual(Array.from(over));
  });

  it('encodes a 1 × 1 image', () => {
    expect(decodePNG(encodePNG(1, 1, Uint8Array.from([200]))).pixels).toEqual([200]);
    expect(decodePNG(encodePNG(1, 1, Uint8Array.from([200]), undefined, { compress: false })).pixels).toEqual([200]);
  });
});

describe('encodePNG compression', () => {
  /** Decision regions: two classes split by a slanted line, as scatterPlot's grid gives them. */
  const regions = (side: number): Uint8Array => Uint8Array.from({ length: side * side }, (_, i) => (i % side < side / 2 + Math.floor(i / side) / 3 ? 0 : 1));
  const pixels = (): Uint8Array => pattern(4 * 3);

  it('compresses by default into one final fixed-Huffman block with a valid Adler-32, which zlib inflates', () => {
    const zlib = idat(encodePNG(4, 3, pixels()));
    expect(zlib[0]).toBe(0x78);
    expect(((zlib[0] << 8) | zlib[1]) % 31).toBe(0);
    expect(zlib[2] & 0b111, 'BFINAL 1, BTYPE 01').toBe(0b011);
    // inflateSync checks the Adler-32 at the end and throws if it is wrong.
    expect(Array.from(inflateSync(zlib))).toEqual([0, ...pixels().subarray(0, 4), 0, ...pixels().subarray(4, 8), 0, ...pixels().subarray(8, 12)]);
  });

  it('round-trips images with long runs, repeated rows, noise and every byte value', () => {
    let state = 12345;
    const noise = Uint8Array.from({ length: 97 * 61 }, () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 24));
    const cases: Array<[number, number, Uint8Array]> = [
      [200, 200, regions(200)],
      [97, 61, noise],
      [256, 3, Uint8Array.from({ length: 768 }, (_, i) => i % 256)],
      [300, 300, pattern(300 * 300)],
      [1000, 1, new Uint8Array(1000)], // one run far longer than the longest match (258)
    ];
    for (const [width, height, image] of cases) {
      const decoded = decodePNG(encodePNG(width, height, image));
      expect(Buffer.from(Uint8Array.from(decoded.pixels)).equals(Buffer.from(image)), `${width}×${height}`).toBe(true);
    }
  });

  it('keeps a 200 × 200 decision-region image under 2 KB, where stored blocks take over 40 KB', () => {
    const compressed = encodePNG(200, 200, regions(200), [[0, 114, 178, 64], [213, 94, 0, 64]]);
    const stored = encodePNG(200, 200, regions(200), [[0, 114, 178, 64], [213, 94, 0, 64]], { compress: false });
    expect(stored.length).toBeGreaterThan(40_000);
    expect(compressed.length).toBeLessThan(2_000);
  });

  it('never grows noise by more than an eighth (literals take 8 or 9 bits)', () => {
    let state = 7;
    const noise = Uint8Array.from({ length: 64 * 64 }, () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 24));
    expect(encodePNG(64, 64, noise).length).toBeLessThan(64 * 65 * 1.125 + 200);
  });
});

describe('pngDataURL', () => {
  it('gives a data:image/png;base64, URL whose base64 decodes to the same bytes', () => {
    const png = encodePNG(3, 2, pattern(6));
    const url = pngDataURL(png);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    expect(url.slice('data:image/png;base64,'.length)).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Array.from(fromDataURL(url))).toEqual(Array.from(png));
  });
});
