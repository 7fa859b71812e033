// Colour arithmetic for the tests that measure contrast: parses the colours CSS and Shiki write
// (#rgb, #rrggbb, #rrggbbaa, rgb() and rgba()), lays translucent backgrounds over opaque ones,
// and gives WCAG 2's contrast ratio.

/** A colour as red, green and blue (0–255) and alpha (0–1). */
export type RGBA = [number, number, number, number];

/** Parses `#1f2328`, `#fff`, `#4ac26b40`, `rgb(31, 35, 40)` or `rgba(74, 194, 107, 0.25)`. */
export function parseColour(text: string): RGBA {
  const value = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(value);
  if (hex) {
    let digits = hex[1];
    if (digits.length === 3 || digits.length === 4) digits = [...digits].map((digit) => digit + digit).join('');
    const channels = digits.match(/../g)!.map((pair) => parseInt(pair, 16));
    return [channels[0], channels[1], channels[2], channels.length === 4 ? channels[3] / 255 : 1];
  }
  const rgb = /^rgba?\(([^)]*)\)$/.exec(value);
  if (rgb) {
    const parts = rgb[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  }
  throw new Error(`not a colour this test can read: "${text}"`);
}

/** `layers` from the top down (the text's own element first), laid over each other and over white. */
export function composite(layers: string[]): RGBA {
  let result: RGBA = [255, 255, 255, 1];
  for (const layer of [...layers].reverse()) {
    const [r, g, b, a] = parseColour(layer);
    result = [r * a + result[0] * (1 - a), g * a + result[1] * (1 - a), b * a + result[2] * (1 - a), 1];
  }
  return result;
}

function luminance([r, g, b]: RGBA): number {
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2's contrast ratio between two colours (text may be a string or a parsed colour). */
export function contrast(a: string | RGBA, b: string | RGBA): number {
  const [x, y] = [luminance(typeof a === 'string' ? parseColour(a) : a), luminance(typeof b === 'string' ? parseColour(b) : b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** `rgb(…)` text for a parsed colour, for messages. */
export function hex([r, g, b]: RGBA): string {
  return `#${[r, g, b].map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}
