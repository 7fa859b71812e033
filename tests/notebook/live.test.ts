// Live views, input values and re-runs in a notebook session (site/notebook/live.ts, runtime.ts):
// a live view's last frame is the build's output and sits where live() was called; in the page
// frames arrive while the cell runs; a re-run starts from the same random state; a cancelled run
// stops at the next loop turn and runs no further cell.
import { describe, expect, it } from 'vitest';
import { NotebookSession, runCells } from '../../site/notebook/runtime.ts';
import { outputText, type Output } from '../../site/notebook/outputs.ts';

const texts = (outputs: Output[]): string[] => outputs.map(outputText);

describe('live views', () => {
  it('draw only their last frame when nothing listens for frames (the build and the tests)', async () => {
    let draws = 0;
    const session = new NotebookSession();
    session.scope.counted = () => (draws += 1);
    const result = await session.run("print('before'); const view = live(); for (let e = 1; e <= 50; e++) view.update(() => { counted(); print('epoch', e) }); print('after')", 0);
    expect(texts(result.outputs)).toEqual(['before', 'epoch 50', 'after']);
    expect(draws).toBe(1);
  });

  it('send frames of the whole output while the cell runs, and end with the same output as the build', async () => {
    const frames: string[][] = [];
    const source = "const view = live(); const start = performance.now(); let e = 0; while (performance.now() - start < 600) { e++; if (e % 1000 === 0) await view.update(() => print('turn', e)); } print('done')";
    const session = new NotebookSession({ onFrame: (_index, outputs) => frames.push(texts(outputs)) });
    const result = await session.run(source, 0);
    expect(frames.length).toBeGreaterThan(1);
    expect(frames[0][0]).toMatch(/^turn \d+$/);
    expect(frames[frames.length - 1]).not.toEqual(frames[0]);
    expect(texts(result.outputs)[1]).toBe('done');
  });

  it('name the problem when update is not given a function', async () => {
    const result = await new NotebookSession().run('live().update(42)', 0);
    expect(result.failed).toBe(true);
    expect(texts(result.outputs).join()).toContain('view.update needs a function');
  });
});

describe('inputs in a session', () => {
  const cell = "const w = slider('weight', { min: -1, max: 1, value: 0.5 }); print(w * 2, defaultRandom.next())";

  it('run with the values the page set, and report their controls', async () => {
    const session = new NotebookSession({ seed: 3 });
    const first = await session.run(cell, 0);
    session.inputValues.set(0, { weight: -0.5 });
    const moved = await session.run(cell, 0);
    expect(first.inputs.map((spec) => spec.value)).toEqual([0.5]);
    expect(moved.inputs.map((spec) => spec.value)).toEqual([-0.5]);
    expect(texts(moved.outputs)[0].split(' ')[0]).toBe('-1');
  });

  it('start a re-run from the random state the cell first started from, so moving back gives the first output', async () => {
    const session = new NotebookSession({ seed: 3 });
    const first = await session.run(cell, 0);
    session.inputValues.set(0, { weight: -0.5 });
    await session.run(cell, 0);
    session.inputValues.set(0, { weight: 0.5 });
    const back = await session.run(cell, 0);
    expect(texts(back.outputs)).toEqual(texts(first.outputs));
  });
});

describe('random states', () => {
  it('start a cell from the state the build recorded for it, whatever ran before it in the page', async () => {
    const build = new NotebookSession({ seed: 3 });
    await build.run('defaultRandom.next(); defaultRandom.next()', 0);
    const recorded = await build.run('print(defaultRandom.next())', 1);
    const page = new NotebookSession({ seed: 3 });
    const skipped = await page.run('print(defaultRandom.next())', 1, { random: recorded.random });
    expect(texts(skipped.outputs)).toEqual(texts(recorded.outputs));
    expect(texts(skipped.outputs)).not.toEqual(texts((await new NotebookSession({ seed: 3 }).run('print(defaultRandom.next())', 1)).outputs));
  });
});

describe('cancelling', () => {
  it('stops the running cell at its next loop turn and runs no further cell', async () => {
    // Frames are sent (as in the page), so each awaited update lets the timer's cancel in.
    const session = new NotebookSession({ onFrame: () => {} });
    setTimeout(() => session.cancel(), 50);
    const cells = [
      { index: 0, throws: false, source: 'let n = 0; const view = live(); while (n < 1e9) { n++; if (n % 100000 === 0) await view.update(() => print(n)); }' },
      { index: 1, throws: false, source: "print('never')" },
    ];
    const run = await runCells(session, cells, { between: () => new Promise((resolve) => setTimeout(resolve, 0)) });
    expect(run.results).toHaveLength(1);
    expect(run.results[0].cancelled).toBe(true);
    expect(run.unexpected).toEqual([]);
  });
});
