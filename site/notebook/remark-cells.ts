// The build step for live cells: a remark plugin that runs every ```ts cell block of a chapter
// in order (seeded with the chapter's seed) and writes its output into the page, so a reader
// without JavaScript sees real outputs. A cell that fails unexpectedly fails the build.
import type { Code, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { load } from 'js-yaml';
import { isCell, isTimed } from './chapter.ts';
import { outputText } from './outputs.ts';
import { renderOutputs, h } from './render.ts';
import { NotebookSession } from './runtime.ts';

interface VFileLike {
  path?: string;
  value?: unknown;
  data: { astro?: { frontmatter?: Record<string, unknown> } };
}

/** The chapter's seed: from Astro's parsed frontmatter, or read from the file itself. */
function seedOf(file: VFileLike): number {
  const fromAstro = file.data.astro?.frontmatter?.seed;
  if (typeof fromAstro === 'number') return fromAstro;
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(String(file.value ?? ''));
  const seed = match ? (load(match[1]) as { seed?: unknown } | null)?.seed : undefined;
  return typeof seed === 'number' ? seed : 0;
}

/** Runs the chapter's cells at build time and replaces each with its code, controls and output. */
export default function remarkCells() {
  return async (tree: Root, file: VFileLike): Promise<void> => {
    const cells: Array<{ node: Code; parent: { children: unknown[] }; position: number }> = [];
    visit(tree, 'code', (node: Code, position, parent) => {
      if (isCell(node) && parent && position !== undefined) cells.push({ node, parent: parent as { children: unknown[] }, position });
    });
    if (cells.length === 0) return;
    const session = new NotebookSession({ seed: seedOf(file) });
    for (const [index, { node, parent, position }] of cells.entries()) {
      const result = await session.run(node.value, index);
      const throws = /(^|\s)throws(\s|$)/.test(node.meta ?? '');
      const timed = isTimed(node);
      if (result.failed !== throws) {
        const where = `${file.path ?? 'chapter'}: cell ${index + 1} (line ${node.position?.start.line ?? '?'})`;
        const last = result.outputs[result.outputs.length - 1];
        throw new Error(result.failed ? `${where} failed: ${last ? outputText(last) : 'unknown error'}` : `${where} is marked "throws" but ran without an error`);
      }
      const label = `Cell ${index + 1}`;
      parent.children[position] = {
        type: 'notebookCell',
        data: {
          hName: 'section',
          hProperties: { class: 'cell', 'data-cell': String(index), 'data-throws': String(throws), ...(timed ? { 'data-timed': 'true' } : {}), 'aria-label': label },
        },
        children: [
          {
            type: 'notebookToolbar',
            data: {
              hName: 'div',
              hProperties: { class: 'cell-toolbar' },
              hChildren: [
                h('span', { class: 'cell-label' }, [`[${index + 1}]`]),
                h('span', { class: 'cell-status', 'aria-live': 'polite' }, [`ran at build · ${Math.max(1, Math.round(result.milliseconds))} ms`]),
                ...(timed ? [h('span', { class: 'cell-note' }, ['timings from the machine that built this page: press Run for yours'])] : []),
              ],
            },
          },
          node,
          {
            type: 'notebookOutput',
            data: { hName: 'div', hProperties: { class: 'cell-output', 'aria-label': `Output of cell ${index + 1}` }, hChildren: renderOutputs(result.outputs) },
          },
        ],
      };
    }
  };
}
