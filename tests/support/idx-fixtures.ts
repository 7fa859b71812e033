// Small IDX files built in memory for the reader's tests: the header (magic number and
// big-endian sizes) written byte by byte, so each test can also build a damaged one.
import { gzipSync } from 'node:zlib';

/** The bytes of an IDX file of unsigned bytes with these dimensions and values (magic 0x000008NN). */
export function idxBytes(dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x00000800 + dims.length);
  dims.forEach((size, i) => view.setUint32(4 + 4 * i, size));
  const file = new Uint8Array(header.length + values.length);
  file.set(header);
  file.set(Array.from(values), header.length);
  return file;
}

/** The same bytes, gzipped as the official .gz files are. */
export function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes));
}

/** Three 2×2 images (pixel 255 and 51 among them) and their labels 0, 9, 4. */
export const IMAGES = { dims: [3, 2, 2], values: [0, 255, 51, 102, 255, 0, 0, 51, 204, 153, 255, 0] } as const;
export const LABELS = { dims: [3], values: [0, 9, 4] } as const;

export const imagesFile = (): Uint8Array => idxBytes(IMAGES.dims, IMAGES.values);
export const labelsFile = (): Uint8Array => idxBytes(LABELS.dims, LABELS.values);
