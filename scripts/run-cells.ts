// Runs a chapter's cells in Node and prints each cell's output as text: what the page will
// show, and what the chapter's test checks. Usage: node scripts/run-cells.ts chapters/01-a-single-neuron.mdx
import { readFileSync } from 'node:fs';
import { readChapter, runChapter } from '../site/notebook/chapter.ts';
import { outputText } from '../site/notebook/outputs.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/run-cells.ts <chapter.mdx>');
  process.exit(2);
}
const mdx = readFileSync(file, 'utf8');
const { cells, seed } = readChapter(mdx);
console.log(`${file}: ${cells.length} cells, seed ${seed}`);
const results = await runChapter(mdx);
results.forEach((result, i) => {
  console.log(`\n── cell ${i + 1} (line ${cells[i].line}, ${Math.round(result.milliseconds)} ms)${result.failed ? ' FAILED' : ''}`);
  for (const output of result.outputs) console.log(outputText(output));
});
process.exit(results.some((result) => result.failed) ? 1 : 0);
