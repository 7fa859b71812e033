// Cuts the lines a chapter quotes out of a real project file (site/components/Source.astro), so
// pages show the code that runs rather than a pasted copy. The tests use it to check every quote.

/** Where a quote sits in its file, and its text with the shared indentation removed. */
export interface Excerpt {
  /** 1-based line numbers of the first and last line quoted. */
  first: number;
  last: number;
  text: string;
}

/** The lines from the first one containing `from` to the next one containing `to`, plus `after` more; throws naming `file` if either is missing. */
export function excerpt(code: string, from: string, to: string, file: string, after = 0): Excerpt {
  const lines = code.split('\n');
  const first = lines.findIndex((line) => line.includes(from));
  const toLine = first < 0 ? -1 : lines.findIndex((line, i) => i >= first && line.includes(to));
  if (first < 0 || toLine < 0) throw new Error(`Source: ${file} has no lines from ${JSON.stringify(from)} to ${JSON.stringify(to)}`);
  const last = Math.min(toLine + after, lines.length - 1);
  const quoted = lines.slice(first, last + 1);
  const indent = Math.min(...quoted.filter((line) => line.trim()).map((line) => line.length - line.trimStart().length));
  return { first: first + 1, last: last + 1, text: quoted.map((line) => line.slice(indent)).join('\n') };
}
