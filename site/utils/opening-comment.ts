// What a file says it is: its opening line comments joined into one paragraph. The source pages
// (site/utils/source.ts) and the API reference's module pages (site/utils/api-reference.ts) show it.
// Plain text in, plain text out, so it runs in Vite's pages and in Node alike.

/** The opening line comments of a file (// or ;; for WebAssembly text), as one paragraph. */
export function summaryOf(code: string): string {
  const lines: string[] = [];
  for (const line of code.split('\n')) {
    const match = /^\s*(?:\/\/|;;) ?(.*)$/.exec(line);
    // The summary ends where the comment does, or where it turns into an indented list.
    if (!match || match[1].trim() === '' || /^\s/.test(match[1])) break;
    lines.push(match[1].trim());
  }
  // A last sentence that introduces a list ("It exports:") has lost its list.
  return lines.join(' ').replace(/(?<=[.;])\s+[^.;]*:$/, '').trim();
}
