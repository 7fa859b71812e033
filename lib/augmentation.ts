// Data augmentation (chapter "Generalisation and regularisation"): more training images for free,
// made by moving each image a pixel or two (and, for clothes, mirroring it), so that the network
// learns that a 7 two pixels to the left is still a 7. Pixels that come in from outside are blank.
import { ScratchnetError, ShapeError } from './errors.ts';
import { Matrix } from './matrix.ts';
import { shapeOf } from './ops.ts';
import { Random, defaultRandom } from './random.ts';

/** How augmentImages() moves the images: their size, how far, whether to mirror, and the generator. */
export interface AugmentOptions {
  /** Image width in pixels; each row of the inputs is one image, row by row. */
  width: number;
  height: number;
  /** Each image moves by a random whole dx and dy from −maxShift to maxShift; defaults to 2. */
  maxShift?: number;
  /** Also flip each image left to right with probability 1/2 (right for clothes, wrong for digits); defaults to false. */
  mirror?: boolean;
  /** The generator for the shifts; defaults to the shared one reset by `seed()`. */
  rng?: Random;
}

/** One image moved by (dx, dy) whole pixels, mirrored first if asked, with blank (0) pixels where nothing moved in. */
export function shiftImage(pixels: ArrayLike<number>, width: number, height: number, dx: number, dy: number, options: { mirror?: boolean } = {}): Float32Array {
  const out = new Float32Array(width * height);
  for (let row = 0; row < height; row++) {
    const fromRow = row - dy;
    if (fromRow < 0 || fromRow >= height) continue; // a row that came in from above or below stays blank
    for (let col = 0; col < width; col++) {
      const shifted = col - dx;
      if (shifted < 0 || shifted >= width) continue; // nothing wraps around from the other side
      const fromCol = options.mirror ? width - 1 - shifted : shifted;
      out[row * width + col] = pixels[fromRow * width + fromCol];
    }
  }
  return out;
}

/** Checks the options against x: sizes that are whole numbers and match x's columns, and a shift that leaves something of the image. */
function checkAugment(x: Matrix, options: AugmentOptions): number {
  const op = 'augmentImages';
  if (!(x instanceof Matrix)) throw new ShapeError(op, 'the images must be a Matrix with one image per row');
  const { width, height } = options;
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ScratchnetError(op, `${name} must be a positive whole number of pixels, not ${String(value)}`);
  }
  if (width * height !== x.cols) throw new ShapeError(op, `images of ${width} × ${height} pixels have ${width * height} values, but each row of the images ${shapeOf(x)} has ${x.cols}`);
  const maxShift = options.maxShift ?? 2;
  if (!Number.isInteger(maxShift) || maxShift < 0 || maxShift >= Math.min(width, height)) {
    throw new ScratchnetError(op, `maxShift must be a whole number of pixels from 0 to ${Math.min(width, height) - 1}, not ${String(maxShift)}`);
  }
  return maxShift;
}

/** A new matrix of the same images, each moved by its own random shift (and maybe mirrored): fresh training data every epoch. */
export function augmentImages(x: Matrix, options: AugmentOptions): Matrix {
  const maxShift = checkAugment(x, options);
  const { width, height } = options;
  const rng = options.rng ?? defaultRandom;
  const out = Matrix.zeros(x.rows, x.cols, { dtype: x.dtype });
  const span = 2 * maxShift + 1;
  for (let i = 0; i < x.rows; i++) {
    const dx = Math.floor(rng.next() * span) - maxShift;
    const dy = Math.floor(rng.next() * span) - maxShift;
    const mirror = options.mirror === true && rng.next() < 0.5;
    const image = x.data.subarray(i * x.cols, (i + 1) * x.cols);
    out.data.set(shiftImage(image, width, height, dx, dy, { mirror }), i * x.cols);
  }
  return out;
}

/** The function train()'s `augment` option takes: each training batch augmented afresh with train()'s generator. */
export function imageAugmenter(options: Omit<AugmentOptions, 'rng'>): (inputs: Matrix, rng: Random) => Matrix {
  return (inputs, rng) => augmentImages(inputs, { ...options, rng });
}
