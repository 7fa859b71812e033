// Sweeps learning rates for the network `npm run train` would build: a few steps at each of a
// range of log-spaced rates, all from the same start, then a table and a suggested rate. Usage:
//   npm run sweep -- --dataset mnist [--from 0.00001 --to 10 --count 13 --steps 50 --hidden 256,128 …]
// (`npm run sweep -- --help` lists every option, from the table in cli.ts).
import { Random, createOptimizer, formatNumber, gatherRows, lrSweep, type LearningRateSweep } from '../lib/index.ts';
import { loadIDXDataset } from '../lib/node.ts';
import { COMMANDS, Progress, UsageError, buildNetwork, handleErrors, parseCommand, plural } from './cli.ts';
import { DATASETS, datasetFolder, datasetShape } from './datasets.ts';
import { invocation } from './options.ts';

handleErrors();
const options = parseCommand(COMMANDS.sweep);
const info = DATASETS[options.dataset];
const { from, to, count, steps, hidden, decay, dropout, l2, seed } = options;
const inputDropout = options['input-dropout'];
const batchNormalization = options['batch-norm'];
const batchSize = options['batch-size'];
const optimizerName = options.optimizer;
if (!(from < to)) throw new UsageError(`--from (${from}) must be smaller than --to (${to})`);
createOptimizer(optimizerName, { decay }); // refuses a bad setting before any data loads

const folder = await datasetFolder(info, options['data-dir']);
const shape = await datasetShape(folder);
const sizes = (pixels: number) => [pixels, ...hidden, info.classes.length];
// Built once before the data loads, so a layer too big to allocate stops the run first.
if (shape) buildNetwork(sizes(shape.pixels), hidden, { dropout, inputDropout, l2, batchNormalization, rng: new Random(seed) });

console.log(`${info.title} from ${folder}`);
const { train } = await loadIDXDataset(folder);
const picked = new Random(seed).permutation(train.x.rows).subarray(0, Math.min(options['train-size'] ?? train.x.rows, train.x.rows));
const x = gatherRows(train.x, picked);
const y = Int32Array.from(picked, (i) => train.y[i]);
const network = sizes(x.cols);
console.log(
  `${plural(count, 'learning rate')} from ${from} to ${to}, ${plural(steps, 'step')} of ${batchSize} each from the same start, on ${plural(x.rows, 'training image')} · ` +
    `${network.join(' → ')} · ${optimizerName} decay ${decay} · dropout ${dropout}${inputDropout ? ` · input dropout ${inputDropout}` : ''}${l2 ? ` · L2 ${l2}` : ''}${batchNormalization ? ' · batch normalisation' : ''} · seed ${seed}`,
);

const progress = new Progress('sweeping', count);
// Every rate gets the same first weights and dropout masks (a generator seeded alike) and the same batches.
const sweep = lrSweep((learningRate) => buildNetwork(network, hidden, { dropout, inputDropout, l2, batchNormalization, rng: new Random(seed), optimizer: createOptimizer(optimizerName, { learningRate, decay }) }), x, y, {
  from,
  to,
  count,
  steps,
  batchSize,
  seed,
  onRate: ({ index, rate, loss }) => progress.update(index + 1, `rate ${formatNumber(rate, { digits: 3 })}: loss ${Number.isFinite(loss) ? loss.toFixed(4) : 'diverged'}`),
});
progress.done();
console.log(`\n${sweepTable(sweep)}\n`);
console.log(`loss before training: ${sweep.startLoss.toFixed(4)}; lowest after ${plural(steps, 'step')}: ${Math.min(...sweep.losses).toFixed(4)}, at learning rate ${formatNumber(sweep.best, { digits: 3 })}`);
console.log(
  `suggested learning rate: ${formatNumber(sweep.suggested, { digits: 3 })} (the largest rate tried that is at most a third of the one with the lowest loss, well clear of where training breaks down)\n` +
    `train with it: ${invocation.of('train')} --dataset ${info.name} --hidden ${hidden.join(',')} --optimizer ${optimizerName} --learning-rate ${formatNumber(sweep.suggested, { digits: 3 })}`,
);

/** One row per rate: the rate, the loss after the sweep's steps and a bar as long as the loss (relative to the start), or "diverged". */
function sweepTable({ rates, losses, startLoss, best, suggested }: LearningRateSweep): string {
  const width = 30; // a bar this long is the loss before training
  const rows = rates.map((rate, i) => {
    const loss = losses[i];
    const bar = Number.isFinite(loss) ? '█'.repeat(Math.max(1, Math.min(2 * width, Math.round((loss / startLoss) * width)))) : '';
    const note = rate === best ? '  ← lowest' : rate === suggested ? '  ← suggested' : '';
    return `${formatNumber(rate, { digits: 3 }).padStart(13)}  ${(Number.isFinite(loss) ? loss.toFixed(4) : 'diverged').padStart(8)}  ${bar}${note}`.trimEnd();
  });
  return [`${'learning rate'.padStart(13)}  ${'loss'.padStart(8)}`, ...rows].join('\n');
}
