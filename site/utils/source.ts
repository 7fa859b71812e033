// The library's files for the source pages: each file's text (read at build time through
// Vite's ?raw imports), its folder and name, its length, and the summary its opening comment gives.
import { withBase } from './base';
import { summaryOf } from './opening-comment.ts';

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
