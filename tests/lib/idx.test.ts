// The IDX reader on small files built in memory: raw and gzipped files parse to the same array,
// labelledImages scales pixels and keeps labels, and every damaged file (wrong magic number,
// truncated, left-over bytes, broken gzip, bad labels) is refused with a message naming it.
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../lib/errors.ts';
import { gunzip, isGzip, labelledImages, parseIDX, readIDX, type IDXArray } from '../../lib/idx.ts';
import { expectArrayClose } from '../support/expect.ts';
import { IMAGES, LABELS, gzip, idxBytes, imagesFile, labelsFile } from '../support/idx-fixtures.ts';

/** Runs `f` (sync or async) and returns the FormatError it throws; fails when it throws nothing or something else. */
async function formatError(f: () => unknown): Promise<FormatError> {
  try {
    await f();
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return error as FormatError;
  }
  throw new Error('expected a FormatError, but nothing was thrown');
}

const names = { images: 'images.idx3', labels: 'labels.idx1' };
const array = (dims: number[], values: number[]): IDXArray => ({ dims, data: Uint8Array.from(values) });

describe('parseIDX and readIDX on valid files', () => {
  it('parses a raw images file to its dimensions and its values', () => {
    const parsed = parseIDX(imagesFile(), 'images');
    expect(parsed.dims).toEqual([3, 2, 2]);
    expect(Array.from(parsed.data)).toEqual(IMAGES.values);
  });

  it('reads a raw and a gzipped file to the same dimensions and values', async () => {
    for (const fixture of [IMAGES, LABELS]) {
      const raw = idxBytes(fixture.dims, fixture.values);
      const fromRaw = await readIDX(raw, 'raw');
      const fromGzip = await readIDX(gzip(raw), 'gzipped');
      expect(fromRaw.dims).toEqual(fixture.dims);
      expect(fromGzip.dims).toEqual(fixture.dims);
      expect(Array.from(fromRaw.data)).toEqual(fixture.values);
      expect(Array.from(fromGzip.data)).toEqual(fixture.values);
    }
  });

  it('reads the sizes as big-endian 32-bit numbers', () => {
    const values = Array.from({ length: 2 * 300 }, (_, i) => i % 256);
    const parsed = parseIDX(idxBytes([2, 300], values), 'wide');
    expect(parsed.dims).toEqual([2, 300]);
    expect(Array.from(parsed.data)).toEqual(values);
  });

  it('reads a file that starts partway into a larger buffer', () => {
    const file = labelsFile();
    const buffer = new Uint8Array(file.length + 7).fill(0xff);
    buffer.set(file, 5);
    const parsed = parseIDX(buffer.subarray(5, 5 + file.length), 'offset');
    expect(parsed.dims).toEqual([3]);
    expect(Array.from(parsed.data)).toEqual([0, 9, 4]);
  });

  it('tells gzip bytes from raw IDX bytes with isGzip', () => {
    expect(isGzip(gzip(labelsFile()))).toBe(true);
    expect(isGzip(labelsFile())).toBe(false);
    expect(isGzip(Uint8Array.of(0x1f))).toBe(false);
    expect(isGzip(new Uint8Array(0))).toBe(false);
  });

  it('gunzips back to the original bytes', async () => {
    const raw = imagesFile();
    expect(Array.from(await gunzip(gzip(raw), 'images.gz'))).toEqual(Array.from(raw));
  });
});

describe('labelledImages', () => {
  it('scales pixels to [0, 1], keeps the labels and reports the width and height', () => {
    const { x, y, width, height } = labelledImages(parseIDX(imagesFile()), parseIDX(labelsFile()), names);
    expect([x.rows, x.cols]).toEqual([3, 4]);
    expect(x.data).toBeInstanceOf(Float32Array);
    expect(x.data[1]).toBe(1); // 255 → 1 exactly
    expect(x.data[0]).toBe(0);
    expect(x.data[2]).toBeCloseTo(0.2, 7); // 51 → 0.2 within float32 rounding
    expectArrayClose(x.data, IMAGES.values.map((v) => v / 255), 1e-7);
    expect(Array.from(y)).toEqual([0, 9, 4]);
    expect(y).toBeInstanceOf(Int32Array);
    expect([width, height]).toEqual([2, 2]);
  });

  it('reports the width as the last dimension and the height as the one before it', () => {
    const images = array([2, 3, 5], Array.from({ length: 30 }, (_, i) => i));
    const { x, width, height } = labelledImages(images, array([2], [1, 2]), names);
    expect({ width, height }).toEqual({ width: 5, height: 3 });
    expect([x.rows, x.cols]).toEqual([2, 15]);
    expect(x.data[15] * 255).toBeCloseTo(15, 4); // the second image starts after 3·5 pixels
  });

  it('accepts the highest class and refuses it when there is one class fewer', async () => {
    expect(Array.from(labelledImages(array([1, 1, 1], [0]), array([1], [4]), names, 5).y)).toEqual([4]);
    const error = await formatError(() => labelledImages(array([1, 1, 1], [0]), array([1], [5]), names, 5));
    expect(error.message).toBe('labelledImages: labels.idx1: label 5 at position 0 is outside 0…4');
  });
});

describe('wrong magic numbers', () => {
  it.each([
    ['signed bytes (type 0x09)', [0x00, 0x00, 0x09, 0x03], '0x00000903'],
    ['no dimensions', [0x00, 0x00, 0x08, 0x00], '0x00000800'],
    ['five dimensions', [0x00, 0x00, 0x08, 0x05], '0x00000805'],
    ['a non-zero first byte', [0x01, 0x00, 0x08, 0x03], '0x01000803'],
    ['a PNG file', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], '0x89504e47'],
  ])('refuses %s, naming the file and the magic number in hex', async (_, bytes, hex) => {
    const file = Uint8Array.from([...bytes, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7]);
    const error = await formatError(() => parseIDX(file, 'digits.idx'));
    expect(error.op).toBe('parseIDX');
    expect(error.message).toBe(`parseIDX: digits.idx: magic number ${hex} is not that of an IDX file of unsigned bytes (0x000008 followed by 1–4 dimensions)`);
  });

  it('says to use readIDX when parseIDX is given a gzipped file', async () => {
    const error = await formatError(() => parseIDX(gzip(labelsFile()), 'labels.gz'));
    expect(error.message).toBe(
      'parseIDX: labels.gz: magic number 0x1f8b0800 is not that of an IDX file of unsigned bytes (0x000008 followed by 1–4 dimensions) (it is gzipped: use readIDX, which decompresses)',
    );
  });

  it('checks the magic number of a gzipped file after decompressing it', async () => {
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    const error = await formatError(() => readIDX(gzip(png), 'picture.gz'));
    expect(error.message).toMatch(/^parseIDX: picture\.gz: magic number 0x89504e47 is not that of an IDX file/);
  });
});

describe('files of the wrong length', () => {
  it('refuses a file shorter than the magic number, naming it and its length', async () => {
    const error = await formatError(() => parseIDX(Uint8Array.of(0, 0, 8), 'tiny.idx'));
    expect(error.message).toBe('parseIDX: tiny.idx: 3 bytes is too short for an IDX header');
  });

  it('refuses a file cut inside its header, naming it, the bytes the header needs and the bytes it has', async () => {
    // magic number of a 3-dimensional file (header of 4 + 3·4 = 16 bytes), then only the first size
    const error = await formatError(() => parseIDX(imagesFile().subarray(0, 8), 'images.idx3'));
    expect(error.message).toMatch(/^parseIDX: images\.idx3: the file ends inside its header, which needs 16 bytes\b.*\b8\b/);
  });

  it('refuses a file cut inside its data, naming it, the count its header claims and how many the bytes hold', async () => {
    const file = imagesFile(); // 16 header bytes + 12 pixels
    const error = await formatError(() => parseIDX(file.subarray(0, file.length - 1), 'images.idx3'));
    expect(error.message).toBe('parseIDX: images.idx3: the header claims 3 images of 2×2 pixels, 28 bytes with the header, but the file has 27 bytes, which hold only 2 of them; the file is truncated');
    const labels = labelsFile(); // 8 header bytes + 3 labels
    expect((await formatError(() => parseIDX(labels.subarray(0, 9), 'labels.idx1'))).message).toBe(
      'parseIDX: labels.idx1: the header claims 3 labels, 11 bytes with the header, but the file has 9 bytes, which hold only 1 of them; the file is truncated',
    );
  });

  it('refuses a file with bytes left over, naming it and the expected and actual byte counts', async () => {
    const file = Uint8Array.from([...labelsFile(), 0, 0]);
    const error = await formatError(() => parseIDX(file, 'labels.idx1'));
    expect(error.message).toBe('parseIDX: labels.idx1: the file has bytes left over: a 3 array needs 11 bytes in all, but the file has 13');
  });

  it('names the file in the length error of a gzipped file too', async () => {
    const file = imagesFile();
    const error = await formatError(() => readIDX(gzip(file.subarray(0, 20)), 'images.idx3.gz'));
    expect(error.message).toBe('parseIDX: images.idx3.gz: the header claims 3 images of 2×2 pixels, 28 bytes with the header, but the file has 20 bytes, which hold only 1 of them; the file is truncated');
  });
});

describe('damaged gzip data', () => {
  it.each([
    ['its last byte', 1],
    ['its 8-byte trailer', 8],
    ['most of its data', 20],
  ])('refuses a gzip stream missing %s, naming the file', async (_, missing) => {
    const compressed = gzip(imagesFile());
    const error = await formatError(() => readIDX(compressed.subarray(0, compressed.length - missing), 'images.gz'));
    expect(error.op).toBe('gunzip');
    expect(error.message).toMatch(/^gunzip: images\.gz: the gzip data is damaged or truncated \(.+\)$/);
  });

  it('refuses bytes after the end of the gzip stream, naming the file', async () => {
    const error = await formatError(() => gunzip(Uint8Array.from([...gzip(labelsFile()), 1, 2, 3]), 'labels.gz'));
    expect(error.message).toMatch(/^gunzip: labels\.gz: the gzip data is damaged or truncated \(.+\)$/);
  });
});

describe('labelledImages on images and labels that do not match', () => {
  it('refuses a label outside the classes, naming the labels file, the label and its position', async () => {
    const labels = parseIDX(idxBytes([3], [0, 12, 4]));
    const error = await formatError(() => labelledImages(parseIDX(imagesFile()), labels, names));
    expect(error.op).toBe('labelledImages');
    expect(error.message).toBe('labelledImages: labels.idx1: label 12 at position 1 is outside 0…9');
  });

  it('refuses images and labels of different counts, naming both files', async () => {
    const labels = parseIDX(idxBytes([2], [0, 9]));
    const error = await formatError(() => labelledImages(parseIDX(imagesFile()), labels, names));
    expect(error.message).toBe('labelledImages: labels.idx1 has 2 labels but images.idx3 has 3 images');
  });

  it('refuses labels with two dimensions, naming the labels file and the dimensions', async () => {
    const labels = parseIDX(idxBytes([3, 1], [0, 9, 4]));
    const error = await formatError(() => labelledImages(parseIDX(imagesFile()), labels, names));
    expect(error.message).toBe('labelledImages: labels.idx1: expected one label per image, found 2 dimensions (3×1)');
  });

  it('refuses images with two dimensions, naming the images file and the dimensions', async () => {
    const images = parseIDX(idxBytes([3, 4], IMAGES.values));
    const error = await formatError(() => labelledImages(images, parseIDX(labelsFile()), names));
    expect(error.message).toBe('labelledImages: images.idx3: expected count × height × width images, found 2 dimensions (3×4)');
  });
});
