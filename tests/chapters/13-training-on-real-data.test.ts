// Training on real data: runs the chapter's cells as the page does and checks the IDX header as
// read byte by byte, the written-out loop against train(), the curves, the test results and the
// most confident mistakes, saving and loading, Fashion-MNIST (when installed, and what its cells
// say when it is not), the results table against the shipped models' records, and the lab's and
// the command line's real defaults. tests/notebook/datasets.test.ts checks the cells' data itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization, DATASETS, OPTIMIZER_DEFAULTS } from '../../lib/index.ts';
import { loadIDXDataset } from '../../lib/node.ts';
import { CELL_SUBSET } from '../../site/notebook/datasets.ts';
import { nodeDatasetSource, notInstalledMessage } from '../../site/notebook/datasets-node.ts';
import { NotebookSession } from '../../site/notebook/runtime.ts';
import { chapterChecks, figureOf, figuresOf, findCell, linesOf, matricesOf, textOf } from '../support/chapter-checks.ts';
import { quotes, runChapterFile, type RanChapter } from '../support/chapters.ts';

const FILE = '13-training-on-real-data.mdx';
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'scratchnet-real-data-'));
const FASHION = existsSync(DATASETS['fashion-mnist'].systemFolder!);
/** The networks shipped with the site: the command line's defaults, and with --augment. */
const SHIPPED = ['mnist', 'fashion-mnist', 'mnist-augmented', 'fashion-mnist-augmented'] as const;
const shipped = (name: (typeof SHIPPED)[number]) => JSON.parse(readFileSync(join(root, 'site/public/models', `${name}.json`), 'utf8')) as { testAccuracy: number };
const percent = (fraction: number, digits: number) => `${(fraction * 100).toFixed(digits)}%`;

let chapter: RanChapter;
beforeAll(async () => {
  chapter = await runChapterFile(FILE);
}, 120_000);

/** The number a line of a cell's text states after `label`, e.g. 'test accuracy: 91.3%' → 91.3. */
function stated(marker: string, label: string): number {
  const line = linesOf(chapter, marker).find((text) => text.startsWith(label));
  if (!line) throw new Error(`no line starting ${JSON.stringify(label)} in ${textOf(chapter, marker)}`);
  return Number(/-?\d+(\.\d+)?/.exec(line.slice(label.length))![0]);
}

/** The row of the results table that starts with `title`, as its cells. */
function tableRow(title: string): string[] {
  const row = chapter.body.split('\n').find((line) => line.startsWith(`| ${title}`));
  if (!row) throw new Error(`the results table has no row "${title}"`);
  return row.split('|').slice(1, -1).map((cell) => cell.trim());
}

/** What a tiny run of `npm run train` with every default kept prints: where it read the data, and its configuration line. */
function tinyRun(dataset: string): { folder: string; configuration: string } {
  const result = spawnSync(process.execPath, [join(root, 'scripts/train.ts'), '--dataset', dataset, '--train-size', '256', '--test-size', '100', '--out', join(work, `${dataset}-tiny.json`)], { cwd: root, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  const printed = result.stdout.split('\n');
  const folder = printed.map((line) => /^\S+ from (.+)$/.exec(line)?.[1]).find((found) => found !== undefined);
  const configuration = printed.find((line) => line.includes(' training, '));
  if (!folder || !configuration) throw new Error(`npm run train printed no data folder or configuration line:\n${result.stdout}`);
  return { folder, configuration };
}

describe('the chapter "Training on real data"', () => {
  chapterChecks(() => chapter, {
    file: FILE,
    exercises: ['the DataView reads the count of labels', 'the share of 8s called 8', 'one epoch reaches a validation accuracy above 0.86'],
    // The video's figures, Adam's rate in chapters 4 and 9, the shipped networks' records and the
    // command line's defaults, each asserted below; without Fashion-MNIST its cells print only how to get it.
    checkedElsewhere: ['97.42%', '87%', '0.05', '0.001', '0.003', ...SHIPPED.map((name) => percent(shipped(name).testAccuracy, 2)), '0.2', '0.0005', ...(FASHION ? [] : ['59.8%', '83.5%'])],
  });

  it('is chapter 13 in the order, in the part "Training in practice"', () => {
    expect(chapter.mdx).toMatch(/^order: 13$/m);
    expect(chapter.mdx).toMatch(/^part: Training in practice$/m);
  });

  it('reads the IDX headers byte by byte: magic numbers 2051 and 2049, big-endian sizes that add up to the file', () => {
    expect(linesOf(chapter, "loadDatasetFile('mnist', 'train-images-idx3-ubyte')")).toEqual([
      `images file, ${16 + CELL_SUBSET.train * 784} bytes. The first 16, in hexadecimal:`,
      '00 00 08 03 00 00 13 88 00 00 00 1c 00 00 00 1c',
      `labels file, ${8 + CELL_SUBSET.train} bytes. The first 8:`,
      '00 00 08 01 00 00 13 88',
    ]);
    expect(linesOf(chapter, 'const uint32 =')).toEqual([
      'images: magic number 2051 (0x803), 5000 images of 28 × 28 pixels',
      'labels: magic number 2049 (0x801), 5000 labels',
      'header + pixels: 16 + 5000 × 28 × 28 = 3920016 bytes',
      'the first ten labels: [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]',
    ]);
  });

  it('draws the first image from its bytes, a 5, and scales byte 253 to 253/255', () => {
    const picture = textOf(chapter, 'const shades =').split('\n');
    // Rows 4 to 24, a character a pixel; the row of bytes is row 10 of the drawing.
    expect(picture.slice(0, 21).every((row) => row.length === 28)).toBe(true);
    expect(picture[21]).toBe('row 14, columns 6 to 21: 0 0 0 0 0 0 0 81 240 253 253 119 25 0 0 0');
    // The drawing of row 14, columns 6 to 21, is those bytes in characters, darker for larger.
    const bytes = picture[21].split(': ')[1].split(' ').map(Number);
    expect(picture[10].slice(6, 22)).toBe(bytes.map((v) => ' .:-=+*#%@'[Math.floor((v / 256) * 10)]).join(''));
    expect(linesOf(chapter, "await loadDataset('mnist')")).toContain(`pixel (14, 15) of the first image: byte 253 → input ${Number((253 / 255).toPrecision(4))}`);
    expect(figureOf(chapter, "await loadDataset('mnist')", 'images').captions).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4, 3, 5, 3, 6, 1, 7, 2, 8, 6, 9, 4, 0].map((d) => `label ${d}`));
  });

  it('states the real class counts and what guessing the commonest digit scores', () => {
    const counts = JSON.parse(textOf(chapter, 'const perDigit').split('\n')[0].split(': ')[1]) as number[];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(CELL_SUBSET.train);
    expect(chapter.body).toContain(`between ${Math.min(...counts)} and ${Math.max(...counts)} images each`);
    expect(chapter.body).toContain(`${((Math.max(...counts) / CELL_SUBSET.train) * 100).toFixed(1)}% of the time`);
  });

  it('splits 4,000 training and 1,000 validation images from the training half, and keeps 1,000 test images', () => {
    expect(textOf(chapter, 'function split(')).toBe('training: 4000 images · validation: 1000 · test: 1000');
  });

  it('builds 784 → 128 → 10 with He weights whose spread is √(2/784), and Adam at 0.001', () => {
    const text = linesOf(chapter, 'function network()');
    expect(text).toContain('total parameters: 101770');
    const [measured, formula] = [...text.at(-1)!.matchAll(/0\.\d+/g)].map((m) => Number(m[0]));
    expect(formula).toBeCloseTo(Math.sqrt(2 / 784), 3);
    expect(Math.abs(measured - formula)).toBeLessThan(0.001);
    expect(chapter.cells[findCell(chapter, 'function network()')].source).toContain("new Adam({ learningRate: 0.001 })");
    for (const earlier of ['04-non-linearity.mdx', '09-optimizers.mdx']) expect(readFileSync(join(root, 'chapters', earlier), 'utf8')).toContain('new Adam({ learningRate: 0.05 })');
  });

  it('writes the mini-batch loop out, and train() from the same seed takes exactly its 32 steps', () => {
    const loss = figureOf(chapter, 'const loopLoss', 'line').series[0].y;
    expect(loss).toHaveLength(32);
    expect(loss[0]).toBeCloseTo(Math.log(10), 0);
    expect(loss[31]).toBeLessThan(loss[0] / 3);
    expect(textOf(chapter, 'const twin =')).toBe("train() took 32 steps; every step's loss equals the loop's: true");
  });

  it('quotes the real train(): the shuffle, the batches and one trainBatch per step', () => {
    const [quote] = quotes(chapter.body).filter((q) => q.file === 'lib/model.ts');
    expect(quote.text).toMatch(/^train\(x: Matrix, y: Targets/);
    for (const part of ['rng.shuffle(order)', 'order.subarray((step - 1) * batchSize, step * batchSize)', 'this.trainBatch(']) expect(quote.text).toContain(part);
  });

  it('plots training and validation curves whose gap widens, as the prose says', () => {
    const [lossPlot, accuracyPlot] = figuresOf(chapter, 'const history = model.train', 'line');
    const [training, validation] = lossPlot.series.map((s) => s.y);
    expect(lossPlot.series.map((s) => s.x[0])).toEqual([2, 2]);
    training.slice(1).forEach((value, i) => expect(value).toBeLessThan(training[i]));
    expect(training[0]).toBeGreaterThan(validation[0]);
    expect(validation.at(-1)! - training.at(-1)!).toBeGreaterThan(validation[1] - training[1]);
    const [trainingAccuracy, validationAccuracy] = accuracyPlot.series.map((s) => s.y);
    expect(textOf(chapter, 'const history = model.train')).toContain(`training accuracy ${Number(trainingAccuracy.at(-1)!.toPrecision(3))}, validation accuracy ${Number(validationAccuracy.at(-1)!.toPrecision(3))}`);
  });

  it('scores the test images once, and its confusion matrix and worst mistakes agree with that score', () => {
    const testAccuracy = stated('const probabilities = model.predict', 'test accuracy: ');
    const confusion = figureOf(chapter, 'const probabilities = model.predict', 'heatmap');
    expect(confusion.values.reduce((a, b) => a + b, 0)).toBe(CELL_SUBSET.test);
    const diagonal = confusion.values.filter((_, i) => i % 11 === 0).reduce((a, b) => a + b, 0);
    expect(testAccuracy).toBeCloseTo((diagonal / CELL_SUBSET.test) * 100, 6);
    expect(confusion.colLabels).toEqual(DATASETS.mnist.classes);
    const lines = linesOf(chapter, 'const mistakes');
    expect(lines.slice(0, 2).map((line) => line.replace(/: \d+ times$/, ''))).toEqual(['a 3 taken for a 5', 'a 9 taken for a 4']);
    expect(chapter.body).toContain('The commonest mistake here is a 3 read as a 5');
    const counts = lines.map((line) => Number(/(\d+) times$/.exec(line)![1]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBe(Math.max(...confusion.values.filter((_, i) => i % 11 !== 0)));
    const captions = figureOf(chapter, 'const worst =', 'images').captions!;
    const confidences = captions.map((caption) => {
      const [, truth, said, confidence] = /^true (\d), said (\d) \((\d+)%\)$/.exec(caption)!;
      expect(truth).not.toBe(said);
      return Number(confidence);
    });
    expect(confidences).toHaveLength(8);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
  });

  it('shows 16 first-layer neurons and what training changed, which is smaller than the start and nothing on the blank pixels', () => {
    const [now, change] = figuresOf(chapter, 'const asPicture', 'images');
    expect([now.images.length, change.images.length]).toEqual([16, 16]);
    const [changes, start] = [...textOf(chapter, 'const asPicture').matchAll(/standard deviation of the changes: ([\d.]+); of the starting weights: ([\d.]+)/g)][0].slice(1).map(Number);
    expect(changes).toBeLessThan(start * 0.75);
    expect(chapter.body).toContain(`a standard deviation of ${changes}\nagainst ${start}`);
    expect(textOf(chapter, 'const asPicture')).toMatch(/^\d{2,3} pixels are blank in every training image; training changed the weights of 0 of them$/m);
    // The blank border shows as flat grey (0.5) in every picture of the change.
    for (const picture of change.images) expect(picture[0]).toBe(0.5);
  });

  it('saves and loads the network in both forms, with the same outputs', () => {
    const text = linesOf(chapter, 'serializeModel(model)');
    expect(text[0]).toMatch(/^101770 parameters: \d+ kB as JSON, 407 kB as binary$/);
    expect(text.slice(2)).toEqual(['same probabilities after loading the JSON: true', 'same outputs for all 1,000 test images, from either form: true']);
  });

  it.runIf(FASHION)('trains the same network on Fashion-MNIST, where shirts are the hardest class', () => {
    const text = linesOf(chapter, 'const fashionModel');
    const perClass = text.slice(text.indexOf('accuracy on each class of the test images:') + 1).map((line) => ({ name: line.replace(/ [\d.]+%.*$/, ''), share: Number(/([\d.]+)%/.exec(line)![1]) }));
    expect(perClass.map((c) => c.name)).toEqual(DATASETS['fashion-mnist'].classes);
    const hardest = perClass.reduce((a, b) => (b.share < a.share ? b : a));
    expect(hardest.name).toBe('Shirt');
    expect(chapter.body).toContain(`right only ${hardest.share}% of the time`);
    expect(figureOf(chapter, 'const shirtsAsTops', 'heatmap').rowLabels).toEqual(DATASETS['fashion-mnist'].classes);
    expect(figureOf(chapter, 'const shirtsAsTops', 'images').images.length).toBeGreaterThan(0);
  });

  it('fills the results table with the cells\' own scores and the shipped networks\' recorded accuracy', () => {
    expect(tableRow("The video's network").slice(1)).toEqual(['97.42%', '87%']);
    const cells = tableRow("This chapter's cells").slice(1);
    expect(cells[0]).toBe(`${stated('const probabilities = model.predict', 'test accuracy: ')}%`);
    if (FASHION) expect(cells[1]).toBe(`${stated('const fashionModel', 'test accuracy: ')}%`);
    expect(tableRow("This project's command line").slice(1)).toEqual([percent(shipped('mnist').testAccuracy, 2), percent(shipped('fashion-mnist').testAccuracy, 2)]);
    expect(tableRow('The command line with `--augment`').slice(1)).toEqual([percent(shipped('mnist-augmented').testAccuracy, 2), percent(shipped('fashion-mnist-augmented').testAccuracy, 2)]);
    // "About six points short of the video on MNIST and four on Fashion-MNIST".
    expect(Math.round(97.42 - Number.parseFloat(cells[0]))).toBe(6);
    expect(Math.round(87 - Number.parseFloat(cells[1]))).toBe(4);
    expect(shipped('mnist').testAccuracy).toBeGreaterThan(0.9742);
    expect(shipped('fashion-mnist').testAccuracy).toBeGreaterThan(0.87);
    // The README gives the video's figures as its reference.
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toMatch(/the reference 0\.9742[\s\S]*the reference 0\.87\b/);
  });

  it('normalises a batch to mean 0 and variance 1 in every column, and keeps running statistics a tenth of the way to the batch\'s', () => {
    const marker = 'const normalization = new BatchNormalization(2)';
    const lines = linesOf(chapter, marker);
    expect(lines).toContain('mean of each column: 0, 0; variance: 1, 1');
    expect(lines).toContain("the batch's own column means: 3, 250");
    // Momentum 0.9: 0.9 · 0 + 0.1 · [3, 250], and 0.9 · 1 + 0.1 · the unbiased variances [14/3, 50000/3].
    const [normalized, runningMean, runningVariance] = matricesOf(chapter, marker);
    expect(normalized).toHaveLength(8);
    expect(runningMean).toEqual([0.3, 25]);
    expect(runningVariance.map((v) => Number(v.toPrecision(6)))).toEqual([0.9 + 0.1 * (14 / 3), 0.9 + 0.1 * (50000 / 3)].map((v) => Number(v.toPrecision(6))));
    expect(chapter.body).toContain('its `momentum` is 0.9');
    // "ε, a hundred-thousandth": the layer's default.
    expect(chapter.body).toContain('$\\varepsilon$, a hundred-thousandth');
    expect(new BatchNormalization(2).epsilon).toBe(1e-5);
    // At inference a sample gets one answer, alone or batched.
    const [alone, inBatch] = matricesOf(chapter, 'sample [2, 400] alone');
    expect(alone).toHaveLength(2);
    expect(alone).toEqual(inBatch);
  });

  it('gradient-checks batch normalisation in a network, where the Dense biases before it get no gradient at all', () => {
    const lines = linesOf(chapter, 'gradientCheck(checked, inputs');
    expect(lines).toHaveLength(7);
    for (const line of lines) {
      const [, name, gradient, difference] = /^(.+): largest gradient (.+), largest difference (.+)$/.exec(line)!;
      expect(difference).toBe('under 1e-9');
      if (name === 'layer 0 (Dense) biases') expect(gradient).toBe('under 1e-9');
      else expect(Number(gradient)).toBeGreaterThan(0.01);
    }
  });

  it('smooths labels as the formula says, to a loss floor of about a half with ε = 0.1 over 10 classes', () => {
    const marker = 'smoothLabels([2, 0], 3, 0.3)';
    expect(matricesOf(chapter, marker)[0].map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.1, 0.8, 0.8, 0.1, 0.1]);
    const entropy = -(0.91 * Math.log(0.91) + 9 * 0.01 * Math.log(0.01));
    const printed = linesOf(chapter, marker);
    expect(printed.at(-2)).toBe('the lowest loss a network can reach on labels smoothed by 0.1 over 10 classes:');
    expect(Number(printed.at(-1))).toBeCloseTo(entropy, 2);
    expect(chapter.body).toContain('at a loss of about a half');
  });

  it('gives the shipped augmented Fashion-MNIST network\'s command, accuracy and training time, with the settings the prose names', () => {
    const metadata = JSON.parse(readFileSync(join(root, 'site/public/models/fashion-mnist-augmented.json'), 'utf8')) as { command: string; testAccuracy: number; trainingSeconds: number; learningRate: number; epochs: number; hidden: number[] };
    // The command, wrapped in the page with a backslash after --batch-norm.
    expect(chapter.body.replace(' \\\n  ', ' ')).toContain(`\`\`\`sh\n${metadata.command}\n\`\`\``);
    expect(chapter.body).toContain(`scores **${percent(metadata.testAccuracy, 2)}** on the 10,000 test images, after ${Math.round(metadata.trainingSeconds)} seconds of training`);
    expect(metadata.command).toContain('--batch-norm');
    expect(metadata.command).toContain('--label-smoothing 0.1');
    // "Adam at 0.003, three times the default rate"; the table's "512 → 512", "40 epochs".
    expect(metadata.learningRate).toBe(0.003);
    expect(metadata.learningRate / OPTIMIZER_DEFAULTS.adam.learningRate).toBeCloseTo(3, 10);
    expect(metadata.hidden).toEqual([512, 512]);
    expect(tableRow('The command line with `--augment`')[0]).toContain(`784 → 512 → 512 → 10 network with batch normalisation and label smoothing, ${metadata.epochs} epochs of mirrored copies`);
  });

  it("describes the lab's real defaults", () => {
    const lab = readFileSync(join(root, 'site/components/MnistLab.astro'), 'utf8');
    const field = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]+)"`).exec(lab)?.[1];
    expect([field('hidden'), field('learningRate'), field('batchSize'), field('epochs')]).toEqual(['128,64', '0.001', '128', '3']);
    expect(/name="optimizer">\s*<option value="adam">/.test(lab)).toBe(true);
    expect(chapter.body).toContain('(hidden layers of 128 and 64 neurons, Adam at 0.001, batches of 128, 3 epochs)');
    // The lab holds out 5,000 of the 60,000 training images, as the prose says.
    expect(readFileSync(join(root, 'site/lab/train-worker.ts'), 'utf8')).toMatch(/^const VALIDATION = 5000;$/m);
    expect(chapter.body).toContain('55,000 images to train\non, 5,000 held out to validate');
  });

  it('shows how to get Fashion-MNIST in every Fashion cell when it is missing, and the run goes on', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'scratchnet-no-fashion-'));
    const session = new NotebookSession({ datasets: nodeDatasetSource({ folders: () => [empty] }) });
    const fashionCells = chapter.cells.filter((cell) => cell.source.includes("'fashion-mnist'"));
    expect(fashionCells.length).toBe(3);
    const message = notInstalledMessage(DATASETS['fashion-mnist']);
    expect(message).toContain(DATASETS['fashion-mnist'].howToGet);
    expect(message).not.toMatch(/\.\)\.|\.\./);
    for (const cell of fashionCells) {
      const result = await session.run(cell.source, cell.index);
      expect(result.failed, cell.source.slice(0, 60)).toBe(false);
      expect(result.outputs).toEqual([{ kind: 'text', text: message }]);
    }
  });
});

describe('the command line the chapter describes', () => {
  it('trains with the real defaults for MNIST: 784 → 512 → 512 → 10, dropout 0.2 on hidden units and pixels, 26 epochs, Adam 0.001 with decay 0.0005, 5,000 held out', async () => {
    const { folder, configuration } = tinyRun('mnist');
    expect(configuration).toMatch(/^256 training, 5000 validation, 100 test images · 784 → 512 → 512 → 10 · adam lr 0\.001 decay 0\.0005 · dropout 0\.2 · input dropout 0\.2 · batch 128 · 26 epochs · seed 1$/);
    expect(chapter.body).toContain('784 → 512 → 512 → 10 with ReLU, dropout 0.2 on\nthe hidden units (and, for MNIST, on the input pixels), and Adam (learning rate 0.001, decay\n0.0005, batches of 128) for 26 epochs');
    expect(chapter.body).toContain('holds out 5,000 of the 60,000 training images');
    const { train, test } = await loadIDXDataset(folder);
    expect([train.x.rows, test.x.rows, train.x.cols]).toEqual([60000, 10000, 28 * 28]);
  }, 60_000);

  it.runIf(FASHION)('trains Fashion-MNIST for the same 26 epochs by default, without dropping its pixels', () => {
    expect(tinyRun('fashion-mnist').configuration).toMatch(/ · 784 → 512 → 512 → 10 · adam lr 0\.001 decay 0\.0005 · dropout 0\.2 · batch 128 · 26 epochs · seed 1$/);
  }, 60_000);
});
