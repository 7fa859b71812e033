// Chapter 2, a layer of neurons: runs its cells as the page does and checks that the written-out
// sums, the loops, one dot per neuron and the matrix product all give the book's [4.8, 1.21, 2.385],
// what the dot product's geometry cells show, that every exercise can be solved, and the prose's numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { chapterChecks, textOf } from '../support/chapter-checks.ts';
import { type RanChapter, runChapterFile } from '../support/chapters.ts';

const FILE = '02-a-layer-of-neurons.mdx';

let chapter: RanChapter;

beforeAll(async () => {
  chapter = await runChapterFile(FILE);
});

describe('chapter 2, a layer of neurons', () => {
  chapterChecks(() => chapter, {
    file: FILE,
    exercises: [
      'the fourth output is the average of the inputs',
      'the shape of the weights',
      'the number of parameters',
      'inputs, not all zero, for which the first neuron outputs its bias',
    ],
  });

  it('gives the book\'s layer output written out, with loops and with one dot per neuron', () => {
    for (const marker of ['inputs[0] * weights1[0]', 'const layerOutputs', 'weights.map((neuronWeights, j)']) {
      expect(textOf(chapter, marker), marker).toBe('[4.8, 1.21, 2.385]');
    }
  });

  it('shows the dot product of equally long arrows falling from 2 to -2 as they turn apart', () => {
    expect(textOf(chapter, 'const east').split('\n').map((line) => line.split(/:\s+/)[1])).toEqual(['2', '1', '0', '-2']);
  });

  it('shows how well each neuron\'s weights line up with the inputs', () => {
    const shown = textOf(chapter, 'const norm =');
    expect(shown).toBe('[0.448, -0.337, 0.435]');
    // The cosines by hand, x·w / (|x| |w|), round to the numbers the cell shows.
    const x = [1, 2, 3, 2.5];
    const ws = [[0.2, 0.8, -0.5, 1], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]];
    const norm = (v: number[]) => Math.hypot(...v);
    const cosines = ws.map((w) => w.reduce((s, v, i) => s + v * x[i], 0) / (norm(w) * norm(x)));
    expect(cosines.map((c) => Number(c.toFixed(3)))).toEqual(JSON.parse(shown));
  });

  it('shows the weights as a 3×4 matrix, one row per neuron, and the inputs as a 1×4 row vector', () => {
    expect(textOf(chapter, 'const perNeuron')).toBe('shape: 3×4\nrow 1, column 0: 0.5\nstored as 12 numbers in a Float32Array\n0.2 0.8 -0.5 1\n0.5 -0.91 0.26 -0.5\n-0.26 -0.27 0.17 0.87');
    expect(textOf(chapter, 'const x = Matrix.rowVector(inputs)')).toBe('shape: 1×4\n1 2 3 2.5');
  });

  it('transposes the weights to inputs × outputs and computes the layer as one matrix product', () => {
    expect(textOf(chapter, 'const W = transpose(perNeuron)')).toBe('shape: 4×3\n0.2 0.5 -0.26\n0.8 -0.91 -0.27\n-0.5 0.26 0.17\n1 -0.5 0.87');
    expect(textOf(chapter, 'const output = addRowVector')).toBe('1×4 · 4×3 + 1×3 → 1×3\n4.8 1.21 2.385');
  });
});
