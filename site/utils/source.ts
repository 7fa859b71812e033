// The library's files for the source pages: each file's text (read at build time through
// Vite's ?raw imports), its folder and name, its length, and the summary its opening comment gives.
import { withBase } from './base';

export interface SourceFile {
  /** Path in the repository, e.g. lib/matrix.ts. */
  path: string;
  folder: string;
  name: string;
  code: string;
  /** Shiki's language for the file. */
  lang: 'ts' | 'wasm';
  lines: number;
  /** The file's opening comment, joined into one paragraph. */
  summary: string;
  href: string;
}

const raw = import.meta.glob<string>(['../../lib/**/*.ts', '../../lib/**/*.wat'], { query: '?raw', import: 'default', eager: true });

/** The opening line comments of a file (// or ;; for WebAssembly text), as one paragraph. */
function summaryOf(code: string): string {
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

/** Every file of lib/, sorted by folder and then name. */
export function sourceFiles(): SourceFile[] {
  return Object.entries(raw)
    .map(([key, code]): SourceFile => {
      const path = key.replace(/^(\.\.\/)+/, '');
      const slash = path.lastIndexOf('/');
      return {
        path,
        folder: path.slice(0, slash),
        name: path.slice(slash + 1),
        code: code.replace(/\n$/, ''),
        lang: path.endsWith('.wat') ? 'wasm' : 'ts',
        lines: code.replace(/\n$/, '').split('\n').length,
        summary: summaryOf(code),
        href: withBase(`/source/${path}/`),
      };
    })
    .sort((a, b) => a.folder.localeCompare(b.folder) || a.name.localeCompare(b.name));
}
