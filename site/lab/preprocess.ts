// Turns a drawing into an MNIST-style digit, the way the MNIST images were made: crop to the
// ink, scale the longer side to 20 pixels (keeping the aspect ratio), and place it in a 28×28
// image so that its centre of mass sits at the centre. Pure arithmetic: no DOM, testable in Node.

/** A greyscale image: values in [0, 1] (1 = ink), row by row. */
export interface Greyscale {
  width: number;
  height: number;
  pixels: Float32Array;
}

/** The bounding box of the pixels above `threshold`, or undefined for a blank image. */
export function inkBox(image: Greyscale, threshold = 0.05): { left: number; top: number; right: number; bottom: number } | undefined {
  let left = Infinity;
  let top = Infinity;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.pixels[y * image.width + x] <= threshold) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  return right < 0 ? undefined : { left, top, right, bottom };
}

/** Resamples a region of `image` to width × height by averaging the source area under each target pixel. */
function resample(image: Greyscale, box: { left: number; top: number; right: number; bottom: number }, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const sourceWidth = box.right - box.left + 1;
  const sourceHeight = box.bottom - box.top + 1;
  for (let ty = 0; ty < height; ty++) {
    const y0 = box.top + (ty * sourceHeight) / height;
    const y1 = box.top + ((ty + 1) * sourceHeight) / height;
    for (let tx = 0; tx < width; tx++) {
      const x0 = box.left + (tx * sourceWidth) / width;
      const x1 = box.left + ((tx + 1) * sourceWidth) / width;
      let total = 0;
      let area = 0;
      for (let sy = Math.floor(y0); sy < Math.ceil(y1); sy++) {
        const wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
        for (let sx = Math.floor(x0); sx < Math.ceil(x1); sx++) {
          const wx = Math.min(x1, sx + 1) - Math.max(x0, sx);
          total += image.pixels[sy * image.width + sx] * wx * wy;
          area += wx * wy;
        }
      }
      out[ty * width + tx] = area > 0 ? total / area : 0;
    }
  }
  return out;
}

/** The 784 pixels of an MNIST-style 28×28 digit made from `image`; all zeros for a blank image. */
export function toMnist(image: Greyscale): Float32Array {
  const out = new Float32Array(28 * 28);
  const box = inkBox(image);
  if (!box) return out;
  const boxWidth = box.right - box.left + 1;
  const boxHeight = box.bottom - box.top + 1;
  // The longer side becomes 20 pixels; the other keeps the drawing's proportions.
  const scale = 20 / Math.max(boxWidth, boxHeight);
  const width = Math.max(1, Math.round(boxWidth * scale));
  const height = Math.max(1, Math.round(boxHeight * scale));
  const digit = resample(image, box, width, height);
  // Centre of mass of the scaled digit, which MNIST puts at the centre (14, 14) of the 28×28 field.
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = digit[y * width + x];
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  // Kept inside the frame, so a lopsided drawing is moved as far as it can go but never clipped.
  const offsetX = Math.min(28 - width, Math.max(0, Math.round(14 - cx / mass)));
  const offsetY = Math.min(28 - height, Math.max(0, Math.round(14 - cy / mass)));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const tx = x + offsetX;
      const ty = y + offsetY;
      if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out[ty * 28 + tx] = Math.min(1, digit[y * width + x]);
    }
  }
  return out;
}
