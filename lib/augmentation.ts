// Data augmentation (chapter "Generalisation and regularisation"): more training images for free,
// made by moving each image a pixel or two (and, for clothes, mirroring it; optionally turning and
// scaling it a little), so the network learns that a 7 two pixels to the left is still a 7.
// Pixels that come in from outside are blank: nothing wraps around.
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
  /** Also turn each image by a random angle of up to this many degrees either way, about its centre; defaults to 0. */
  maxRotation?: number;
  /** Also scale each image by a random factor from 1 − maxScale to 1 + maxScale, about its centre; defaults to 0. */
  maxScale?: number;
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

/** How warpImage() moves an image: a shift in pixels, a turn in radians and a scale, about the centre, after an optional mirror. */
export interface Warp {
  dx: number;
  dy: number;
  angle?: number;
  scale?: number;
  mirror?: boolean;
}

/**
 * One image turned, scaled and shifted about its centre: each output pixel reads the point of the
 * original it came from, between four pixels, weighting them by nearness (bilinear); points outside are 0.
 */
export function warpImage(pixels: ArrayLike<number>, width: number, height: number, warp: Warp): Float32Array {
  const out = new Float32Array(width * height);
  const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
  const scale = warp.scale ?? 1;
  // The inverse map: undo the shift, then the turn and the scale, to find where a pixel came from.
  const cos = Math.cos(-(warp.angle ?? 0)) / scale;
  const sin = Math.sin(-(warp.angle ?? 0)) / scale;
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const u = col - cx - warp.dx;
      const v = row - cy - warp.dy;
      let x = cx + cos * u - sin * v;
      const y = cy + sin * u + cos * v;
      if (warp.mirror) x = width - 1 - x;
      out[row * width + col] = bilinear(pixels, width, height, x, y);
    }
  }
  return out;
}

/** The value between pixels at (x, y): the four around it, weighted by nearness; 0 for those outside the image. */
function bilinear(pixels: ArrayLike<number>, width: number, height: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  return (1 - fy) * ((1 - fx) * pixelAt(pixels, width, height, x0, y0) + fx * pixelAt(pixels, width, height, x0 + 1, y0)) +
    fy * ((1 - fx) * pixelAt(pixels, width, height, x0, y0 + 1) + fx * pixelAt(pixels, width, height, x0 + 1, y0 + 1));
}

/** The pixel at (x, y), or 0 outside the image. */
function pixelAt(pixels: ArrayLike<number>, width: number, height: number, x: number, y: number): number {
  return x >= 0 && x < width && y >= 0 && y < height ? pixels[y * width + x] : 0;
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
  for (const [name, value, limit] of [['maxRotation', options.maxRotation ?? 0, 180], ['maxScale', options.maxScale ?? 0, 0.99]] as const) {
    if (!(value >= 0 && value <= limit)) throw new ScratchnetError(op, `${name} must be a number from 0 to ${limit}, not ${String(value)}`);
  }
  return maxShift;
}

/** A new matrix of the same images, each moved by its own random shift (and maybe mirrored, turned or scaled): fresh training data every epoch. */
export function augmentImages(x: Matrix, options: AugmentOptions): Matrix {
  const maxShift = checkAugment(x, options);
  const { width, height } = options;
  const rng = options.rng ?? defaultRandom;
  const out = Matrix.zeros(x.rows, x.cols, { dtype: x.dtype });
  const span = 2 * maxShift + 1;
  // Whole-pixel shifts copy pixels exactly; a turn or a scale needs warpImage's interpolation.
  const turns = (options.maxRotation ?? 0) > 0 || (options.maxScale ?? 0) > 0;
  for (let i = 0; i < x.rows; i++) {
    const dx = Math.floor(rng.next() * span) - maxShift;
    const dy = Math.floor(rng.next() * span) - maxShift;
    const mirror = options.mirror === true && rng.next() < 0.5;
    const image = x.data.subarray(i * x.cols, (i + 1) * x.cols);
    if (!turns) {
      out.data.set(shiftImage(image, width, height, dx, dy, { mirror }), i * x.cols);
      continue;
    }
    const angle = (((2 * rng.next() - 1) * (options.maxRotation ?? 0)) * Math.PI) / 180;
    const scale = 1 + (2 * rng.next() - 1) * (options.maxScale ?? 0);
    out.data.set(warpImage(image, width, height, { dx, dy, angle, scale, mirror }), i * x.cols);
  }
  return out;
}

/** The function train()'s `augment` option takes: each training batch augmented afresh with train()'s generator. */
export function imageAugmenter(options: Omit<AugmentOptions, 'rng'>): (inputs: Matrix, rng: Random) => Matrix {
  return (inputs, rng) => augmentImages(inputs, { ...options, rng });
}
