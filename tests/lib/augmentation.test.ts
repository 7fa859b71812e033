// augmentImages() and shiftImage() on small worked images: a shift moves every pixel by exactly
// (dx, dy) with blank pixels coming in and nothing wrapping around, mirroring flips left to right,
// shifts stay within maxShift, the same seed gives the same images, and bad options are named.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../lib/matrix.ts';
import { Random } from '../../lib/random.ts';
import { augmentImages, imageAugmenter, shiftImage, warpImage } from '../../lib/augmentation.ts';
import { ScratchnetError, ShapeError } from '../../lib/errors.ts';
import { thrown } from '../support/expect.ts';

/** The message of what `attempt` threw. */
const messageOf = (attempt: () => unknown): string => (thrown(attempt) as Error).message;

// A 3 × 3 image numbered row by row: 1 2 3 / 4 5 6 / 7 8 9.
const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** The (dx, dy) that turned `original` into `shifted`, found by trying every shift up to `limit`; undefined if none fits. */
function shiftOf(original: ArrayLike<number>, shifted: ArrayLike<number>, width: number, height: number, limit: number, mirror = false): [number, number] | undefined {
  for (let dy = -limit; dy <= limit; dy++) {
    for (let dx = -limit; dx <= limit; dx++) {
      const candidate = shiftImage(original, width, height, dx, dy, { mirror });
      if (candidate.every((value, i) => value === shifted[i])) return [dx, dy];
    }
  }
  return undefined;
}

describe('shiftImage', () => {
  it('moves every pixel right by dx and down by dy, filling with blank pixels', () => {
    expect(Array.from(shiftImage(nine, 3, 3, 1, 0))).toEqual([0, 1, 2, 0, 4, 5, 0, 7, 8]);
    expect(Array.from(shiftImage(nine, 3, 3, 0, 1))).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(shiftImage(nine, 3, 3, -1, -1))).toEqual([5, 6, 0, 8, 9, 0, 0, 0, 0]);
  });

  it('never wraps pixels around from the other side', () => {
    const shifted = shiftImage(nine, 3, 3, 2, 0);
    // Only the first column survives, moved to the last; 3, 6 and 9 are gone rather than wrapped.
    expect(Array.from(shifted)).toEqual([0, 0, 1, 0, 0, 4, 0, 0, 7]);
  });

  it('mirrors left to right before shifting when asked', () => {
    expect(Array.from(shiftImage(nine, 3, 3, 0, 0, { mirror: true }))).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
    expect(Array.from(shiftImage(nine, 3, 3, 1, 0, { mirror: true }))).toEqual([0, 3, 2, 0, 6, 5, 0, 9, 8]);
  });

  it('leaves an image unchanged with no shift', () => {
    expect(Array.from(shiftImage(nine, 3, 3, 0, 0))).toEqual(nine);
  });
});

describe('augmentImages', () => {
  // 50 random 8 × 6 images with no blank pixels, so a shift shows in the blanks it brings in.
  const rng = new Random(3);
  const images = Matrix.zeros(50, 48);
  for (let i = 0; i < images.size; i++) images.data[i] = 0.1 + rng.next();

  it('shifts each image by whole pixels within maxShift, keeping its other pixels exactly', () => {
    const out = augmentImages(images, { width: 8, height: 6, maxShift: 2, rng: new Random(1) });
    const shifts = new Set<string>();
    for (let i = 0; i < images.rows; i++) {
      const found = shiftOf(images.row(i), out.row(i), 8, 6, 2);
      expect(found, `image ${i} is a shifted copy`).toBeDefined();
      shifts.add(found!.join(','));
    }
    // 50 draws from 25 shifts: most of them turn up, so the shift really is random.
    expect(shifts.size).toBeGreaterThan(12);
  });

  it('keeps the label meaning: a shifted image loses only the pixels pushed past its edge', () => {
    const out = augmentImages(images, { width: 8, height: 6, maxShift: 1, rng: new Random(2) });
    for (let i = 0; i < images.rows; i++) {
      const [dx, dy] = shiftOf(images.row(i), out.row(i), 8, 6, 1)!;
      const kept = Array.from(out.row(i)).filter((value) => value !== 0).length;
      expect(kept).toBe((8 - Math.abs(dx)) * (6 - Math.abs(dy)));
    }
  });

  it('mirrors about half of the images when mirror is on, and none when it is off', () => {
    const mirrored = (mirror: boolean) => {
      const out = augmentImages(images, { width: 8, height: 6, maxShift: 0, mirror, rng: new Random(4) });
      return Array.from({ length: images.rows }, (_, i) => shiftOf(images.row(i), out.row(i), 8, 6, 0, true) !== undefined).filter(Boolean).length;
    };
    expect(mirrored(false)).toBe(0);
    expect(mirrored(true)).toBeGreaterThan(15);
    expect(mirrored(true)).toBeLessThan(35);
  });

  it('gives the same images for the same seed and different ones for another', () => {
    const a = augmentImages(images, { width: 8, height: 6, rng: new Random(7) });
    const b = augmentImages(images, { width: 8, height: 6, rng: new Random(7) });
    const c = augmentImages(images, { width: 8, height: 6, rng: new Random(8) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it('returns a new matrix and leaves the inputs alone', () => {
    const before = Array.from(images.data);
    const out = augmentImages(images, { width: 8, height: 6, rng: new Random(1) });
    expect(out).not.toBe(images);
    expect(Array.from(images.data)).toEqual(before);
  });

  it('names the sizes when the images do not have width × height values', () => {
    const error = thrown(() => augmentImages(images, { width: 28, height: 28 })) as Error;
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toMatch(/augmentImages: images of 28 × 28 pixels have 784 values, but each row of the images \(50×48\) has 48/);
  });

  it('refuses a shift that would leave nothing of the image, and sizes that are not whole', () => {
    expect(messageOf(() => augmentImages(images, { width: 8, height: 6, maxShift: 6 }))).toMatch(/maxShift must be a whole number of pixels from 0 to 5, not 6/);
    expect(thrown(() => augmentImages(images, { width: 8, height: 6, maxShift: 1.5 }))).toBeInstanceOf(ScratchnetError);
    expect(messageOf(() => augmentImages(images, { width: 0, height: 6 }))).toMatch(/width must be a positive whole number of pixels, not 0/);
  });
});

describe('imageAugmenter', () => {
  it("makes the function train()'s augment option takes, drawing from the generator it is given", () => {
    const images = Matrix.fromRows([nine, nine]);
    const augment = imageAugmenter({ width: 3, height: 3, maxShift: 1 });
    expect(Array.from(augment(images, new Random(5)).data)).toEqual(Array.from(augmentImages(images, { width: 3, height: 3, maxShift: 1, rng: new Random(5) }).data));
  });
});

describe('warpImage', () => {
  it('is exactly shiftImage when it neither turns nor scales', () => {
    for (const [dx, dy, mirror] of [[1, 0, false], [-2, 1, true], [0, 0, false]] as const) {
      expect(Array.from(warpImage(nine, 3, 3, { dx, dy, mirror }))).toEqual(Array.from(shiftImage(nine, 3, 3, dx, dy, { mirror })));
    }
  });

  it('turns a quarter turn clockwise on the screen about the centre, pixel for pixel', () => {
    // Rows grow downwards, so a positive angle turns clockwise as the image is seen.
    const turned = Array.from(warpImage(nine, 3, 3, { dx: 0, dy: 0, angle: Math.PI / 2 }), (value) => Math.round(value * 1e6) / 1e6);
    expect(turned).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3]);
  });

  it('blends neighbours for a half-pixel shift and reads blank pixels from outside', () => {
    expect(Array.from(warpImage([0, 2, 4, 6], 4, 1, { dx: 0.5, dy: 0 }))).toEqual([0, 1, 3, 5]);
  });

  it('scales about the centre, and a smaller digit keeps its ink inside the image', () => {
    const image = new Float32Array(28 * 28);
    for (let row = 8; row < 20; row++) for (let col = 12; col < 16; col++) image[row * 28 + col] = 1;
    const smaller = warpImage(image, 28, 28, { dx: 0, dy: 0, scale: 0.8 });
    const ink = (pixels: ArrayLike<number>) => Array.from(pixels).reduce((a, b) => a + b, 0);
    expect(ink(smaller) / ink(image)).toBeCloseTo(0.64, 1);
    expect(Array.from(smaller.subarray(0, 28 * 9)).every((value) => value === 0)).toBe(true);
  });
});

describe('augmentImages with turns and scales', () => {
  it('turns and scales each image a little, keeping its ink within a fifth', () => {
    const digit = Matrix.zeros(20, 784);
    for (let i = 0; i < 20; i++) for (let row = 6; row < 22; row++) for (let col = 11; col < 17; col++) digit.data[i * 784 + row * 28 + col] = 1;
    const out = augmentImages(digit, { width: 28, height: 28, maxShift: 1, maxRotation: 10, maxScale: 0.1, rng: new Random(6) });
    for (let i = 0; i < 20; i++) {
      const ink = out.row(i).reduce((a, b) => a + b, 0);
      expect(ink / 96).toBeGreaterThan(0.8);
      expect(ink / 96).toBeLessThan(1.25);
      // Turned images have soft edges, so they are not just shifted copies.
      expect(out.row(i).some((value) => value > 0.01 && value < 0.99)).toBe(true);
    }
  });

  it('refuses a turn or a scale out of range, by name', () => {
    const images = Matrix.zeros(2, 9);
    expect(messageOf(() => augmentImages(images, { width: 3, height: 3, maxRotation: -5 }))).toMatch(/maxRotation must be a number from 0 to 180, not -5/);
    expect(messageOf(() => augmentImages(images, { width: 3, height: 3, maxScale: 1 }))).toMatch(/maxScale must be a number from 0 to 0.99, not 1/);
  });
});
