// Drawing → MNIST: the ink is cropped, its longer side scaled to 20 pixels with its proportions
// kept, and it is placed in 28×28 with its centre of mass at the centre, as MNIST's digits were.
import { describe, expect, it } from 'vitest';
import { inkBox, toMnist, type Greyscale } from '../../site/lab/preprocess.ts';

/** A blank width × height image with `fill(x, y)` giving the ink. */
function image(width: number, height: number, fill: (x: number, y: number) => number): Greyscale {
  const pixels = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = fill(x, y);
  return { width, height, pixels };
}

/** The bounding box and centre of mass of a 28×28 result. */
function describe28(pixels: Float32Array) {
  const box = inkBox({ width: 28, height: 28, pixels })!;
  let mass = 0;
  let cx = 0;
  let cy = 0;
  pixels.forEach((v, i) => {
    mass += v;
    cx += v * ((i % 28) + 0.5);
    cy += v * (Math.floor(i / 28) + 0.5);
  });
  return { width: box.right - box.left + 1, height: box.bottom - box.top + 1, cx: cx / mass, cy: cy / mass };
}

describe('inkBox', () => {
  it('finds the smallest box around the ink, and nothing in a blank image', () => {
    expect(inkBox(image(10, 10, (x, y) => (x >= 2 && x <= 4 && y >= 6 && y <= 8 ? 1 : 0)))).toEqual({ left: 2, top: 6, right: 4, bottom: 8 });
    expect(inkBox(image(10, 10, () => 0))).toBeUndefined();
  });
});

describe('toMnist', () => {
  it('scales a square of ink in a corner to 20×20 and centres it', () => {
    const result = toMnist(image(280, 280, (x, y) => (x < 60 && y < 60 ? 1 : 0)));
    const { width, height, cx, cy } = describe28(result);
    expect([width, height]).toEqual([20, 20]);
    expect(cx).toBeCloseTo(14, 0);
    expect(cy).toBeCloseTo(14, 0);
  });

  it('keeps a tall stroke tall: 20 pixels high and narrow', () => {
    const result = toMnist(image(280, 280, (x, y) => (x >= 130 && x < 150 && y >= 40 && y < 240 ? 1 : 0)));
    const { width, height } = describe28(result);
    expect(height).toBe(20);
    expect(width).toBe(2);
  });

  it('centres by the centre of mass, not the box: a heavy bottom sits above the middle', () => {
    // A wide shape: a thin top bar and a thick bottom block. Its mass is low in its box, so the
    // box moves up until the mass is at the centre.
    const result = toMnist(image(100, 100, (x, y) => ((y >= 40 && y < 42) || (y >= 50 && y < 60) ? (x >= 10 && x < 90 ? 1 : 0) : 0)));
    const { cy, width } = describe28(result);
    expect(width).toBe(20);
    expect(cy).toBeCloseTo(14, 0);
    const box = inkBox({ width: 28, height: 28, pixels: result })!;
    expect((box.top + box.bottom) / 2).toBeLessThan(13.5);
  });

  it('moves a lopsided drawing as far as the frame allows, without cutting any of it off', () => {
    // Tall, with nearly all its mass at the bottom: centring the mass would push the top out.
    const drawing = image(100, 100, (x, y) => ((y === 0 && x >= 45 && x < 55) || (y >= 80 && x >= 40 && x < 60) ? 1 : 0));
    const result = toMnist(drawing);
    const { height } = describe28(result);
    expect(height).toBe(20);
    expect(inkBox({ width: 28, height: 28, pixels: result })!.top).toBe(0);
  });

  it('gives an empty image for an empty drawing, and values within [0, 1]', () => {
    expect(toMnist(image(50, 50, () => 0)).every((v) => v === 0)).toBe(true);
    expect(toMnist(image(50, 50, (x, y) => ((x - 25) ** 2 + (y - 25) ** 2 < 200 ? 1 : 0))).every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});
