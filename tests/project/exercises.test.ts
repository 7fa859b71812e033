// Every exercise on every chapter page comes with a hint and a worked solution: each cell under
// `## Exercises` that calls check(...) is followed by one <Hint> and then one <Solution>, whose
// ```ts block the chapter tests run in the cell's place. The reader is first shown to catch each
// mistake in a made-up chapter, and a wrong solution to fail when it runs.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChapter, runChapter } from '../../site/notebook/chapter.ts';
import { readExercises, withSolutions } from '../support/chapter-checks.ts';

const root = resolve(import.meta.dirname, '../..');
const chapters = readdirSync(join(root, 'chapters')).filter((file) => file.endsWith('.mdx')).sort();
const read = (file: string): string => readFileSync(join(root, 'chapters', file), 'utf8');

/** A made-up chapter with one exercise, whose cell is followed by `after`. */
function madeUp(after: string, cell = "const a = 1; // your answer\ncheck(a === 2, 'a is 2');"): string {
  return `---\ntitle: Made up\nseed: 0\n---\n\n## Exercises\n\n**1.** Make \`a\` two.\n\n\`\`\`ts cell\n${cell}\n\`\`\`\n\n${after}\n`;
}
const HINT = '<Hint>\n\nWhat comes after one?\n\n</Hint>';
const solution = (code: string): string => `<Solution>\n\n\`\`\`ts\n${code}\n\`\`\`\n\nTwo is one more than one.\n\n</Solution>`;
const RIGHT = solution("const a = 2;\ncheck(a === 2, 'a is 2');");

describe('the exercises', () => {
  it.each(chapters)('of %s each have one hint, then one worked solution, right after their cell', (file) => {
    const { exercises, problems } = readExercises(read(file));
    expect(problems).toEqual([]);
    if (/^## Exercises$/m.test(read(file))) expect(exercises.length, 'exercise cells under ## Exercises').toBeGreaterThan(0);
  });

  it('are found in a made-up chapter laid out correctly, with the solution as the code to run', () => {
    const { exercises, problems } = readExercises(madeUp(`${HINT}\n\n${RIGHT}`));
    expect(problems).toEqual([]);
    expect(exercises.map(({ cell, line, solution: code }) => ({ cell, line, code }))).toEqual([{ cell: 0, line: 10, code: "const a = 2;\ncheck(a === 2, 'a is 2');" }]);
  });

  it.each([
    ['no hint', RIGHT, 'is followed by <Solution>: it needs one <Hint>, then one <Solution>'],
    ['no solution', HINT, 'is followed by <Hint>: it needs'],
    ['the solution first', `${RIGHT}\n\n${HINT}`, 'is followed by <Solution>, <Hint>: it needs'],
    ['two hints', `${HINT}\n\n${HINT}\n\n${RIGHT}`, 'is followed by <Hint>, <Hint>, <Solution>'],
    ['the hint after a paragraph', `Some words.\n\n${HINT}\n\n${RIGHT}`, 'is followed by nothing'],
    ['a hint with a code block', `<Hint>\n\n\`\`\`ts\nconst a = 2;\n\`\`\`\n\n</Hint>\n\n${RIGHT}`, 'shows a code block'],
    ['a solution without code', `${HINT}\n\n<Solution>\n\nSet it to two.\n\n</Solution>`, 'must hold exactly one ```ts block (not a cell), found 0'],
    ['a solution that is a live cell', `${HINT}\n\n<Solution>\n\n\`\`\`ts cell\nconst a = 2;\n\`\`\`\n\nWhy.\n\n</Solution>`, 'must hold exactly one ```ts block (not a cell)'],
    ['a solution without a word of why', `${HINT}\n\n<Solution>\n\n\`\`\`ts\nconst a = 2;\n\`\`\`\n\n</Solution>`, 'does not say why it works'],
    ['a solution that changes nothing', `${HINT}\n\n${solution("const a = 1; // your answer\ncheck(a === 2, 'a is 2');")}`, 'shows the cell unchanged'],
  ])('are reported when a made-up exercise has %s', (_, after, problem) => {
    const { problems } = readExercises(madeUp(after));
    expect(problems.join('\n')).toContain(problem);
  });

  it('are reported when a hint or solution follows no exercise cell', () => {
    const stray = madeUp(`${HINT}\n\n${RIGHT}\n\n\`\`\`ts cell\nprint(1);\n\`\`\`\n\n${HINT}`);
    expect(readExercises(stray).problems).toEqual(['the <Hint> at line 36 does not follow an exercise cell under ## Exercises']);
    const outside = madeUp(`${HINT}\n\n${RIGHT}`).replace('## Exercises', '## Not the exercises');
    expect(readExercises(outside).problems).toHaveLength(2);
  });

  it('are solved when the worked solution runs in place of the cell, and not when the solution is wrong', async () => {
    const checks = async (mdx: string): Promise<string[]> => {
      const run = await runChapter(readChapter(withSolutions(mdx)));
      return run.results.flatMap((result) => result.outputs.flatMap((output) => (output.kind === 'check' ? [`${output.passed ? '✓' : '✗'} ${output.message}`] : [])));
    };
    expect(await checks(madeUp(`${HINT}\n\n${RIGHT}`))).toEqual(['✓ a is 2']);
    expect(await checks(madeUp(`${HINT}\n\n${solution("const a = 3;\ncheck(a === 2, 'a is 2');")}`))).toEqual(['✗ a is 2']);
    // A $ in the solution is code, not a replacement pattern.
    expect(await checks(madeUp(`${HINT}\n\n${solution("const a = 2;\nconst text = `$'${a}$&`;\ncheck(text === \"$'2$&\", 'a is 2');")}`))).toEqual(['✓ a is 2']);
  });
});
