// The build step for live cells: a remark plugin that runs every ```ts cell block of a chapter
// in order (seeded with the chapter's seed) and writes its output into the page, so a reader
// without JavaScript sees real outputs. A cell that fails unexpectedly, or one marked `throws`
// that runs without an error, fails the build with a message naming the file, cell and line.
import type { Code, Root } from 'mdast';
import { findCells, readFrontmatter, unexpectedMessage, type Cell } from './chapter.ts';
import { renderOutputs, h } from './render.ts';
import { NotebookSession, runCells, type CellResult } from './runtime.ts';
import { nodeDatasetSource } from './datasets-node.ts';
import { renderInputs } from './input-controls.ts';
import { cellNames } from './dependencies.ts';

interface VFileLike {
  path?: string;
  value?: unknown;
  data: { astro?: { frontmatter?: Record<string, unknown> } };
}

/** The chapter's seed: from Astro's parsed frontmatter, or read from the file itself. */
function seedOf(file: VFileLike): number {
  const fromAstro = file.data.astro?.frontmatter?.seed;
  return typeof fromAstro === 'number' ? fromAstro : readFrontmatter(String(file.value ?? '')).seed;
}

/** Runs the chapter's cells at build time and replaces each with its code, controls and output. */
export default function remarkCells() {
  return async (tree: Root, file: VFileLike): Promise<void> => {
    const found = findCells(tree);
    if (found.length === 0) return;
    const { results, unexpected } = await runCells(new NotebookSession({ seed: seedOf(file), datasets: nodeDatasetSource() }), found.map(({ cell }) => cell));
    if (unexpected.length > 0) throw new Error(unexpectedMessage(file.path ?? 'chapter', unexpected[0]));
    for (const [i, { cell, node, parent, position }] of found.entries()) (parent.children as unknown[])[position] = cellSection(cell, node, results[i]);
  };
}

/**
 * A cell as the page shows it: a section with a toolbar, the original code node (for Shiki), its
 * inputs' controls and the outputs. The names it writes and uses tell the page which cells an
 * input change must re-run.
 */
function cellSection({ index, throws, timed, source }: Cell, node: Code, result: CellResult): unknown {
  const names = cellNames(source);
  const controls = renderInputs(result.inputs, index);
  return {
    type: 'notebookCell',
    data: {
      hName: 'section',
      hProperties: { class: 'cell', 'data-cell': String(index), 'data-throws': String(throws), ...(timed ? { 'data-timed': 'true' } : {}), 'data-writes': names.writes.join(' '), 'data-uses': names.uses.join(' '), 'data-random': JSON.stringify(result.random), 'aria-label': `Cell ${index + 1}` },
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
      ...(controls ? [{ type: 'notebookInputs', data: { hName: 'div', hProperties: controls.properties, hChildren: controls.children } }] : []),
      {
        type: 'notebookOutput',
        data: { hName: 'div', hProperties: { class: 'cell-output', 'aria-label': `Output of cell ${index + 1}` }, hChildren: renderOutputs(result.outputs) },
      },
    ],
  };
}
