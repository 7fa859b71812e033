// Hand-drawn strokes for the ten digits, for readers who cannot draw with a pointer: the drawing
// widget replays them through the same pen as the mouse, so the network reads them exactly as
// it reads the reader's own ink. Points are in the drawing canvas's 280 × 280 pixels.

/** A stroke: the points the pen passes through, smoothed into a curve when drawn. */
export type Stroke = Array<[number, number]>;

/** Points on an ellipse from angle `from` to `to` (radians, 0 = up, clockwise), for round strokes. */
function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number, count = 16): Stroke {
  return Array.from({ length: count + 1 }, (_, i): [number, number] => {
    const angle = from + ((to - from) * i) / count;
    return [cx + rx * Math.sin(angle), cy - ry * Math.cos(angle)];
  });
}

/** Each digit's strokes, index = digit. */
export const SAMPLE_DIGITS: Stroke[][] = [
  [arc(140, 140, 58, 92, -0.2, 2 * Math.PI)],
  [[[132, 70], [152, 48], [148, 140], [144, 232]]],
  [[[84, 98], [108, 58], [156, 48], [192, 78], [186, 124], [134, 180], [86, 228], [146, 222], [204, 226]]],
  [[[88, 70], [138, 48], [186, 70], [180, 112], [134, 136], [188, 160], [192, 208], [140, 232], [84, 214]]],
  [[[168, 48], [122, 110], [82, 172], [140, 170], [204, 168]], [[166, 118], [162, 176], [160, 234]]],
  [[[196, 52], [112, 52], [102, 128], [154, 120], [194, 156], [190, 206], [142, 232], [88, 214]]],
  [[[178, 52], [130, 84], [98, 144], [96, 200], [134, 232], [182, 208], [184, 164], [140, 146], [100, 176]]],
  [[[80, 58], [140, 56], [204, 56], [168, 130], [132, 232]]],
  [Array.from({ length: 33 }, (_, i): [number, number] => [140 + 50 * Math.sin((i * Math.PI) / 8), 140 - 92 * Math.cos((i * Math.PI) / 16)])],
  [arc(136, 100, 50, 52, 0.7, 2 * Math.PI + 0.7), [[178, 68], [184, 140], [176, 232]]],
];
