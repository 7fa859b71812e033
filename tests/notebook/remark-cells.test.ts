// Checks the build-time remark plugin on a parsed MDX tree: each ```ts cell block becomes a
// section with a toolbar, the original code node (for Shiki) and its rendered outputs, seeded
// from the frontmatter; an unexpected failure, or a `throws` cell that runs, fails the build.
import type { Code, Root } from 'mdast';
import remarkMath from 'remark-math';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import remarkCells from '../../site/notebook/remark-cells.ts';
import { renderOutputs, type HElement } from '../../site/notebook/render.ts';
import { NotebookSession } from '../../site/notebook/runtime.ts';

const FENCE = '```';

interface FakeFile {
  path: string;
  value: string;
  data: { astro?: { frontmatter?: Record<string, unknown> } };
}

/** What the plugin puts in place of a cell. */
interface CellNode {
  type: 'notebookCell';
  data: { hName: string; hProperties: Record<string, string> };
  children: Array<{ type: string; data?: { hName: string; hProperties: Record<string, string>; hChildren?: HElement[] } } | Code>;
}

function parse(mdx: string): Root {
  return unified().use(remarkParse).use(remarkMath).use(remarkMdx).parse(mdx) as Root;
}

/** Parses `mdx`, runs the plugin on it as the build does, and returns the tree. */
async function transform(mdx: string, data: FakeFile['data'] = {}): Promise<Root> {
  const tree = parse(mdx);
  await remarkCells()(tree, { path: 'x.mdx', value: mdx, data });
  return tree;
}

/** Every node of the tree of `type`, in document order. */
function nodesOf<T>(tree: { children?: unknown[] }, type: string): T[] {
  const out: T[] = [];
  const walk = (node: { type?: string; children?: unknown[] }): void => {
    if (node.type === type) out.push(node as T);
    for (const child of node.children ?? []) walk(child as { type?: string; children?: unknown[] });
  };
  walk(tree);
  return out;
}

/** The error the plugin rejects with. */
async function buildError(mdx: string): Promise<Error> {
  try {
    await transform(mdx);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the plugin to throw');
}

const chapter = [
  '---', //                                       1
  'title: Cells', //                              2
  'seed: 4', //                                   3
  '---', //                                       4
  '', //                                          5
  'Some text with $\\frac{a}{b}$.', //            6
  '', //                                          7
  `${FENCE}ts cell`, //                           8
  'const layer = new Dense(2, 2);', //            9
  'layer.weights', //                             10
  FENCE, //                                       11
  '', //                                          12
  `${FENCE}ts`, //                                13
  'const plain = 1;', //                          14
  FENCE, //                                       15
  '', //                                          16
  `${FENCE}ts cell`, //                           17
  "check(true, 'it ran');", //                    18
  "print('shape', layer.weights.shapeText);", //  19
  FENCE, //                                       20
  '', //                                          21
  `${FENCE}ts cell throws timed`, //              22
  "throw new RangeError('meant to fail');", //    23
  FENCE, //                                       24
  '', //                                          25
].join('\n');

const firstCell = 'const layer = new Dense(2, 2);\nlayer.weights';

/** The rendered outputs of the first cell in a session with `seed`. */
async function firstCellRendered(seed: number): Promise<HElement[]> {
  return renderOutputs((await new NotebookSession({ seed }).run(firstCell, 0)).outputs);
}

describe('remarkCells replaces each cell with a section', () => {
  it('turns every ```ts cell block, and only those, into a notebookCell section', async () => {
    const tree = await transform(chapter);
    const cells = nodesOf<CellNode>(tree, 'notebookCell');
    expect(cells).toHaveLength(3);
    for (const cell of cells) expect(cell.data.hName).toBe('section');
    expect(cells.map((c) => c.data.hProperties['data-cell'])).toEqual(['0', '1', '2']);
    expect(cells.map((c) => c.data.hProperties['data-throws'])).toEqual(['false', 'false', 'true']);
    // A timed cell is marked, and its toolbar says the numbers are the build machine's.
    expect(cells.map((c) => c.data.hProperties['data-timed'])).toEqual([undefined, undefined, 'true']);
    expect(JSON.stringify(cells[2])).toContain('timings from the machine that built this page');
    expect(JSON.stringify(cells[0])).not.toContain('timings from the machine');
    expect(cells.map((c) => c.data.hProperties['aria-label'])).toEqual(['Cell 1', 'Cell 2', 'Cell 3']);
    expect(cells.every((c) => c.data.hProperties.class === 'cell')).toBe(true);
    // The plain ```ts block stays a code node where it was.
    const code = nodesOf<Code>(tree, 'code').filter((c) => !c.meta);
    expect(code.map((c) => c.value)).toEqual(['const plain = 1;']);
    expect(tree.children.indexOf(code[0] as never)).toBe(tree.children.indexOf(cells[0] as never) + 1);
  });

  it('keeps the original code node as the section’s middle child, so Shiki still highlights it', async () => {
    const tree = parse(chapter);
    const originals = nodesOf<Code>(tree, 'code').filter((c) => c.meta?.includes('cell'));
    await remarkCells()(tree, { path: 'x.mdx', value: chapter, data: {} });
    const cells = nodesOf<CellNode>(tree, 'notebookCell');
    cells.forEach((cell, i) => {
      expect(cell.children.map((c) => c.type)).toEqual(['notebookToolbar', 'code', 'notebookOutput']);
      expect(cell.children[1]).toBe(originals[i]);
    });
    expect((cells[0].children[1] as Code).value).toBe(firstCell);
  });

  it('puts a toolbar with the cell number and its build time', async () => {
    const [cell] = nodesOf<CellNode>(await transform(chapter), 'notebookCell');
    const toolbar = cell.children[0] as { data: { hName: string; hProperties: Record<string, string>; hChildren: HElement[] } };
    expect(toolbar.data.hName).toBe('div');
    expect(toolbar.data.hProperties.class).toBe('cell-toolbar');
    const [label, status] = toolbar.data.hChildren;
    expect(label).toMatchObject({ tagName: 'span', properties: { class: 'cell-label' }, children: [{ type: 'text', value: '[1]' }] });
    expect(status).toMatchObject({ tagName: 'span', properties: { class: 'cell-status' } });
    expect(status.children[0]).toMatchObject({ type: 'text', value: expect.stringMatching(/^ran at build · \d+ ms$/) as unknown as string });
  });

  it('puts the rendered outputs in a notebookOutput div', async () => {
    const cells = nodesOf<CellNode>(await transform(chapter), 'notebookCell');
    const output = cells[1].children[2] as { data: { hName: string; hProperties: Record<string, string>; hChildren: HElement[] } };
    expect(output.data.hName).toBe('div');
    expect(output.data.hProperties).toEqual({ class: 'cell-output', 'aria-label': 'Output of cell 2' });
    expect(output.data.hChildren).toEqual(
      renderOutputs([
        { kind: 'check', passed: true, message: 'it ran' },
        { kind: 'text', text: 'shape 2×2' },
      ]),
    );
  });

  it('renders a Matrix value as a table and a throws cell’s error as an alert', async () => {
    const cells = nodesOf<CellNode>(await transform(chapter), 'notebookCell');
    const first = (cells[0].children[2] as { data: { hChildren: HElement[] } }).data.hChildren;
    expect(first).toHaveLength(1);
    expect(first[0].properties.class).toBe('out out-matrix');
    const last = (cells[2].children[2] as { data: { hChildren: HElement[] } }).data.hChildren;
    expect(last).toEqual(renderOutputs([{ kind: 'error', name: 'RangeError', message: 'meant to fail', line: 1 }]));
    expect(last[0].properties.role).toBe('alert');
  });

  it('replaces a cell inside a JSX element in place', async () => {
    const mdx = ['<details>', '', `${FENCE}ts cell`, '6 * 7', FENCE, '', '</details>', ''].join('\n');
    const tree = await transform(mdx);
    const [details] = tree.children as Array<{ type: string; children: Array<{ type: string }> }>;
    expect(details.type).toBe('mdxJsxFlowElement');
    expect(details.children.map((c) => c.type)).toEqual(['notebookCell']);
    const output = (details.children[0] as unknown as CellNode).children[2] as { data: { hChildren: HElement[] } };
    expect(output.data.hChildren).toEqual(renderOutputs([{ kind: 'value', text: '42' }]));
  });

  it('goes on after a cell marked throws, rendering the cells after it', async () => {
    const mdx = `${chapter}${FENCE}ts cell\nprint('after', layer.weights.rows);\n${FENCE}\n`;
    const cells = nodesOf<CellNode>(await transform(mdx), 'notebookCell');
    expect(cells.map((c) => c.data.hProperties['data-throws'])).toEqual(['false', 'false', 'true', 'false']);
    expect((cells[3].children[2] as { data: { hChildren: HElement[] } }).data.hChildren).toEqual(renderOutputs([{ kind: 'text', text: 'after 2' }]));
  });

  it('leaves a chapter without cells unchanged', async () => {
    const mdx = ['# Title', '', `${FENCE}ts`, 'const a = 1;', FENCE, ''].join('\n');
    const before = parse(mdx);
    const after = await transform(mdx);
    expect(after).toEqual(before);
  });
});

describe('remarkCells seeds the session from the frontmatter', () => {
  it('uses the seed in the file’s own frontmatter', async () => {
    const [cell] = nodesOf<CellNode>(await transform(chapter), 'notebookCell');
    expect((cell.children[2] as { data: { hChildren: HElement[] } }).data.hChildren).toEqual(await firstCellRendered(4));
    expect(await firstCellRendered(4)).not.toEqual(await firstCellRendered(9));
  });

  it('prefers the seed in Astro’s parsed frontmatter', async () => {
    const [cell] = nodesOf<CellNode>(await transform(chapter, { astro: { frontmatter: { seed: 9 } } }), 'notebookCell');
    expect((cell.children[2] as { data: { hChildren: HElement[] } }).data.hChildren).toEqual(await firstCellRendered(9));
  });

  it('falls back to the file when Astro’s frontmatter has no seed', async () => {
    const [cell] = nodesOf<CellNode>(await transform(chapter, { astro: { frontmatter: { title: 'Cells' } } }), 'notebookCell');
    expect((cell.children[2] as { data: { hChildren: HElement[] } }).data.hChildren).toEqual(await firstCellRendered(4));
  });

  it('seeds with 0 when neither has a seed', async () => {
    const [cell] = nodesOf<CellNode>(await transform(chapter.replace('seed: 4\n', '')), 'notebookCell');
    expect((cell.children[2] as { data: { hChildren: HElement[] } }).data.hChildren).toEqual(await firstCellRendered(0));
  });
});

describe('remarkCells fails the build', () => {
  it('when a cell fails, naming the file, the cell number, its line and the error', async () => {
    const error = await buildError(chapter.replace("print('shape', layer.weights.shapeText);", 'layer.missing.call();'));
    expect(error.message).toContain('x.mdx');
    expect(error.message).toContain('cell 2');
    expect(error.message).toContain('(line 17)');
    expect(error.message).toMatch(/failed: TypeError: .+'call'.* \(line 2\)$/);
  });

  it('when a cell has a syntax error', async () => {
    const error = await buildError(chapter.replace('layer.weights\n', 'layer.weights)\n'));
    expect(error.message).toMatch(/^x\.mdx: cell 1 \(line 8\) failed: SyntaxError: .* \(line 2\)$/);
  });

  it('when a cell marked throws runs without an error', async () => {
    const error = await buildError(chapter.replace("throw new RangeError('meant to fail');", '1 + 1;'));
    expect(error.message).toBe('x.mdx: cell 3 (line 22) is marked "throws" but ran without an error');
  });

  it('naming the first cell that went wrong when a later one fails too', async () => {
    const mdx = `${chapter.replace("throw new RangeError('meant to fail');", '1 + 1;')}${FENCE}ts cell\nlayer.missing.call();\n${FENCE}\n`;
    expect((await buildError(mdx)).message).toBe('x.mdx: cell 3 (line 22) is marked "throws" but ran without an error');
  });
});
