// The IDX file format that MNIST and Fashion-MNIST ship in: a magic number, the size of each
// dimension, then the values. Reads raw or gzipped bytes with the same code in Node, browsers
// and Workers (DecompressionStream), and names the file and the problem when one is damaged.
import { FormatError } from './errors.ts';
import { Matrix } from './matrix.ts';

/** An IDX array of unsigned bytes: its dimensions and its values, row-major. */
export interface IDXArray {
  dims: number[];
  data: Uint8Array;
}

/** Images as rows of pixels scaled to [0, 1], with their labels. */
export interface LabelledImages {
  /** count × (height · width), float32 in [0, 1]. */
  x: Matrix;
  y: Int32Array;
  width: number;
  height: number;
}

const UNSIGNED_BYTE = 0x08;

/** True when the bytes start with gzip's signature. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip bytes with the platform's DecompressionStream. */
export async function gunzip(bytes: Uint8Array, name = 'file'): Promise<Uint8Array> {
  try {
    const stream = new DecompressionStream('gzip');
    const writer = stream.writable.getWriter();
    // Writing and reading run together; Promise.all also keeps a failed write from going unhandled.
    const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
    const [buffer] = await Promise.all([new Response(stream.readable).arrayBuffer(), written]);
    return new Uint8Array(buffer);
  } catch (error) {
    const reason = (error as Error).message || 'the compressed data ends early';
    throw new FormatError('gunzip', `${name}: the gzip data is damaged or truncated (${reason})`);
  }
}

/** Parses an uncompressed IDX file of unsigned bytes, checking its magic number, dimensions and length. */
export function parseIDX(bytes: Uint8Array, name = 'IDX file'): IDXArray {
  const op = 'parseIDX';
  if (bytes.length < 4) throw new FormatError(op, `${name}: ${bytes.length} bytes is too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = bytes[2];
  const rank = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || type !== UNSIGNED_BYTE || rank < 1 || rank > 4) {
    const hex = `0x${magic.toString(16).padStart(8, '0')}`;
    const hint = isGzip(bytes) ? ' (it is gzipped: use readIDX, which decompresses)' : '';
    throw new FormatError(op, `${name}: magic number ${hex} is not that of an IDX file of unsigned bytes (0x000008 followed by 1–4 dimensions)${hint}`);
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new FormatError(op, `${name}: the file ends inside its header, which needs ${headerLength} bytes, but the file has ${bytes.length}`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const problem = idxLengthProblem(dims, bytes.length);
  if (problem) throw new FormatError(op, `${name}: ${problem}`);
  return { dims, data: bytes.subarray(headerLength) };
}

/** What `dims` claim, in words: `60000 images of 28×28 pixels`, `60000 labels`, or `5 items of 2×3 values`. */
function claimOf(dims: readonly number[]): { count: number; text: string } {
  const [count, ...item] = dims;
  if (item.length === 0) return { count, text: `${count} labels` };
  return { count, text: `${count} ${item.length === 2 ? 'images' : 'items'} of ${item.join('×')} ${item.length === 2 ? 'pixels' : 'values'}` };
}

/**
 * Why an IDX file of `byteLength` bytes cannot hold what its header's `dims` claim (the claimed
 * count and how many whole items the bytes hold), or undefined when it can. A reader can ask this
 * of a file's size and first bytes alone, before reading or allocating anything.
 */
export function idxLengthProblem(dims: readonly number[], byteLength: number): string | undefined {
  const headerLength = 4 + 4 * dims.length;
  const itemBytes = dims.slice(1).reduce((total, d) => total * d, 1);
  const expected = headerLength + dims[0] * itemBytes;
  if (byteLength === expected) return undefined;
  if (byteLength > expected) return `the file has bytes left over: a ${dims.join('×')} array needs ${expected} bytes in all, but the file has ${byteLength}`;
  const holds = itemBytes === 0 ? 0 : Math.max(0, Math.floor((byteLength - headerLength) / itemBytes));
  const claim = claimOf(dims);
  return `the header claims ${claim.text}, ${expected} bytes with the header, but the file has ${byteLength} bytes, which hold only ${holds} of them; the file is truncated`;
}

/** Reads an IDX file, raw or gzipped. */
export async function readIDX(bytes: Uint8Array, name = 'IDX file'): Promise<IDXArray> {
  return parseIDX(isGzip(bytes) ? await gunzip(bytes, name) : bytes, name);
}

/** Pairs an images file with its labels file, checking that they match and that every label is a class. */
export function labelledImages(images: IDXArray, labels: IDXArray, names: { images: string; labels: string }, classes = 10): LabelledImages {
  const op = 'labelledImages';
  if (images.dims.length !== 3) throw new FormatError(op, `${names.images}: expected count × height × width images, found ${images.dims.length} dimensions (${images.dims.join('×')})`);
  if (labels.dims.length !== 1) throw new FormatError(op, `${names.labels}: expected one label per image, found ${labels.dims.length} dimensions (${labels.dims.join('×')})`);
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count) throw new FormatError(op, `${names.labels} has ${labels.dims[0]} labels but ${names.images} has ${count} images`);
  // Arrays made by hand (not by parseIDX) may claim more than they hold: checked before the images are allocated.
  if (images.data.length < count * height * width) {
    const holds = Math.floor(images.data.length / (height * width));
    throw new FormatError(op, `${names.images}: its dimensions claim ${claimOf(images.dims).text}, but it holds ${images.data.length} values, only ${holds} of them`);
  }
  if (labels.data.length < count) throw new FormatError(op, `${names.labels}: its dimensions claim ${count} labels, but it holds ${labels.data.length}`);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels.data[i];
    if (label >= classes) throw new FormatError(op, `${names.labels}: label ${label} at position ${i} is outside 0…${classes - 1}`);
    y[i] = label;
  }
  const x = Matrix.zeros(count, height * width);
  for (let i = 0; i < x.size; i++) x.data[i] = images.data[i] / 255;
  return { x, y, width, height };
}
