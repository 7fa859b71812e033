// Runs a chapter's cells in Node and prints each cell's output as text: what the page will
// show, and what the chapter's test checks. Usage: node scripts/run-cells.ts chapters/01-a-single-neuron.mdx
// Exits 1 when the build would fail: a cell fails without being marked `throws` (the run stops
// there, as on the page), or a cell marked `throws` runs without an error.
import { readFileSync } from 'node:fs';
import { readChapter, runChapter, unexpectedMessage } from '../site/notebook/chapter.ts';
import { outputText } from '../site/notebook/outputs.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/run-cells.ts <chapter.mdx>');
  process.exit(2);
}
const chapter = readChapter(readFileSync(file, 'utf8'));
const { cells, seed } = chapter;
console.log(`${file}: ${cells.length} cells, seed ${seed}`);
const { results, unexpected } = await runChapter(chapter);
results.forEach((result, i) => {
  console.log(`\n── cell ${i + 1} (line ${cells[i].line}, ${Math.round(result.milliseconds)} ms)${result.failed ? ' FAILED' : ''}`);
  for (const output of result.outputs) console.log(outputText(output));
});
for (const problem of unexpected) console.error(`\n${unexpectedMessage(file, problem)}`);
const notRun = cells.length - results.length;
if (notRun > 0) console.error(`${notRun === 1 ? `cell ${cells.length}` : `cells ${results.length + 1} to ${cells.length}`} did not run, because an earlier cell failed unexpectedly`);
process.exit(unexpected.length > 0 ? 1 : 0);
