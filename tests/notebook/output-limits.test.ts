// Checks the output limits (site/notebook/outputs.ts, OutputCollector in NotebookSession): a cell
// that floods its output (a million prints, console.log in a loop, one huge string, many figures)
// shows the first MAX_OUTPUT_LINES lines or MAX_OUTPUT_CHARACTERS characters and one line saying
// exactly how much was not shown; its error still shows; and the build runner cuts the same way.
import { describe, expect, it } from 'vitest';
import { readChapter, runChapter } from '../../site/notebook/chapter.ts';
import {
  MAX_ERROR_CHARACTERS, MAX_FIGURES, MAX_FIGURE_VALUES, MAX_OUTPUT_CHARACTERS, MAX_OUTPUT_LINES, OutputCollector, omittedText, outputText, type Output,
} from '../../site/notebook/outputs.ts';
import { renderOutputs } from '../../site/notebook/render.ts';
import { NotebookSession, type CellResult } from '../../site/notebook/runtime.ts';

const run = (source: string): Promise<CellResult> => new NotebookSession().run(source, 0);
const shownText = (outputs: Output[]): string => outputs.filter((output) => output.kind === 'text' || output.kind === 'value').map(outputText).join('\n');
const omitted = (outputs: Output[]): Extract<Output, { kind: 'omitted' }> | undefined => outputs.find((output) => output.kind === 'omitted') as never;

describe('a cell that prints more than the page can show', () => {
  it('shows the first 1,000 of a million printed lines and says exactly how many more were not shown', async () => {
    const started = performance.now();
    const result = await run('for (let i = 0; i < 1e6; i++) print(i)');
    const seconds = (performance.now() - started) / 1000;
    expect(result.failed).toBe(false);
    expect(result.outputs).toHaveLength(MAX_OUTPUT_LINES + 1);
    expect(outputText(result.outputs[0])).toBe('0');
    expect(outputText(result.outputs[MAX_OUTPUT_LINES - 1])).toBe('999');
    expect(omitted(result.outputs)).toEqual({ kind: 'omitted', lines: 1e6 - MAX_OUTPUT_LINES, characters: 0, figures: 0 });
    expect(outputText(result.outputs[MAX_OUTPUT_LINES])).toBe('… 999,000 more lines not shown (a cell shows at most 1,000 lines and 50,000 characters)');
    // Past the limit a print is only counted, so the million calls stay quick.
    expect(seconds).toBeLessThan(5);
  });

  it('caps console.log, console.warn and print together, counting multi-line prints line by line', async () => {
    const result = await run("for (let i = 0; i < 600; i++) { console.log('a', i); console.warn('b\\nc'); }");
    // 600 × 3 lines: the first 1,000 show (console.warn's two lines are one output).
    const lines = shownText(result.outputs).split('\n');
    expect(lines).toHaveLength(MAX_OUTPUT_LINES);
    expect(lines.slice(0, 3)).toEqual(['a 0', 'b', 'c']);
    expect(omitted(result.outputs)?.lines).toBe(1800 - MAX_OUTPUT_LINES);
  });

  it('cuts one huge string at 50,000 characters and counts the rest of its line', async () => {
    const result = await run("print('x'.repeat(5e7))");
    expect(shownText(result.outputs)).toBe('x'.repeat(MAX_OUTPUT_CHARACTERS));
    expect(omitted(result.outputs)).toEqual({ kind: 'omitted', lines: 0, characters: 5e7 - MAX_OUTPUT_CHARACTERS, figures: 0 });
    expect(outputText(omitted(result.outputs)!)).toBe('… 49,950,000 more characters not shown (a cell shows at most 1,000 lines and 50,000 characters)');
  });

  it('cuts a huge string of many lines after its 1,000th line, and one of long lines inside the line that crosses the limit', async () => {
    const many = await run("'row\\n'.repeat(5000).trimEnd()");
    expect(shownText(many.outputs).split('\n')).toEqual(Array(MAX_OUTPUT_LINES).fill('row'));
    expect(omitted(many.outputs)).toMatchObject({ lines: 5000 - MAX_OUTPUT_LINES, characters: 0 });
    const long = await run("('y'.repeat(2999) + '\\n').repeat(300).trimEnd()"); // 300 lines of 3,000 characters with their line breaks
    const shown = shownText(long.outputs);
    expect(shown.length).toBe(MAX_OUTPUT_CHARACTERS);
    const pieces = shown.split('\n');
    expect(pieces).toHaveLength(Math.floor(MAX_OUTPUT_CHARACTERS / 3000) + 1); // the whole lines that fit and the start of the next
    expect(omitted(long.outputs)).toMatchObject({ lines: 300 - pieces.length, characters: 2999 - pieces[pieces.length - 1].length });
  });

  it('still shows the error of a cell that floods its output and then throws, last, after the omitted line', async () => {
    const result = await run("for (let i = 0; i < 5000; i++) print(i);\nthrow new Error('after the flood')");
    expect(result.failed).toBe(true);
    const kinds = result.outputs.map((output) => output.kind);
    expect(kinds.slice(-2)).toEqual(['omitted', 'error']);
    expect(outputText(result.outputs[result.outputs.length - 1])).toBe('Error: after the flood (line 2)');
  });

  it('cuts a huge error message, saying how much was not shown', async () => {
    const result = await run("throw new Error('z'.repeat(1e6))");
    const error = result.outputs[result.outputs.length - 1] as Extract<Output, { kind: 'error' }>;
    expect(error.message.startsWith('z'.repeat(MAX_ERROR_CHARACTERS))).toBe(true);
    expect(error.message).toMatch(/… \(990,000 more characters not shown\)$/);
  });

  it('hides checks, tables and the last value past the limit too, and counts them', async () => {
    const result = await run("for (let i = 0; i < 1000; i++) print(i);\ncheck(true, 'hidden');\nprint(Matrix.zeros(2, 2));\n'last'");
    expect(result.outputs.filter((output) => output.kind === 'check' || output.kind === 'matrix')).toEqual([]);
    expect(omitted(result.outputs)?.lines).toBe(1 + 3 + 1); // the check, the table's shape line and rows, the value
  });

  it('shows at most 20 figures, and none past the total of 500,000 numbers', async () => {
    const result = await run('for (let i = 0; i < 25; i++) linePlot({ loss: [3, 2, 1] })');
    expect(result.outputs.filter((output) => output.kind === 'figure')).toHaveLength(MAX_FIGURES);
    expect(outputText(omitted(result.outputs)!)).toBe('… 5 more figures not shown (a cell shows at most 20 figures)');
    const huge = await run(`linePlot({ small: [1, 2] });\nlinePlot({ huge: new Float64Array(${MAX_FIGURE_VALUES}) });\nlinePlot({ after: [1] })`);
    expect(huge.outputs.filter((output) => output.kind === 'figure')).toHaveLength(1);
    expect(omitted(huge.outputs)).toMatchObject({ figures: 2 });
  });

  it('sends nothing past the limits: the rendered output of a million prints stays under 2,100 nodes and 250 KB', async () => {
    const result = await run("for (let i = 0; i < 1e6; i++) console.log('line', i)");
    const count = (nodes: unknown[]): number => nodes.reduce<number>((total, node) => total + 1 + count((node as { children?: unknown[] }).children ?? []), 0);
    expect(count(renderOutputs(result.outputs))).toBeLessThan(2 * (MAX_OUTPUT_LINES + 50));
    expect(JSON.stringify(renderOutputs(result.outputs)).length).toBeLessThan(250_000);
  });
});

describe('the omitted line', () => {
  it('names lines, characters and figures, in the singular for one', () => {
    expect(omittedText({ lines: 1, characters: 0, figures: 0 })).toBe('… 1 more line not shown (a cell shows at most 1,000 lines and 50,000 characters)');
    expect(omittedText({ lines: 2, characters: 1, figures: 1 })).toBe('… 1 more character, 2 more lines and 1 more figure not shown (a cell shows at most 1,000 lines and 50,000 characters and 20 figures)');
  });

  it('is not added when everything fits', () => {
    const collector = new OutputCollector();
    collector.print(['fits']);
    expect(collector.finish()).toEqual([{ kind: 'text', text: 'fits' }]);
  });
});

describe('the build runner', () => {
  it('cuts a flooding cell exactly as the page does, so the built page and the Worker agree', async () => {
    const mdx = "---\ntitle: Flood\nseed: 0\n---\n\n```ts cell\nfor (let i = 0; i < 3000; i++) print(i)\n```\n";
    const built = await runChapter(readChapter(mdx));
    const page = await run('for (let i = 0; i < 3000; i++) print(i)');
    expect(built.results[0].outputs).toEqual(page.outputs);
    expect(omitted(built.results[0].outputs)?.lines).toBe(2000);
  });
});
