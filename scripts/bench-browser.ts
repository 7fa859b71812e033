// `npm run bench:browser`: times the reference training run (bench/reference.ts) in Node and in
// a module Web Worker in headless Chromium, where the site's lab trains, from the same starting
// weights and batch orders, and checks the target that the Worker's epoch takes at most 1.5× Node's.
// The Worker runs the project's own TypeScript compiled to JavaScript, not a copy of it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { REFERENCE, median, referenceRun, type ReferenceRun } from '../bench/reference.ts';
import { IDX_FILES, findIDXFile, loadIDXDataset } from '../lib/node.ts';
import { CHROMIUM_PATH, launchChromium, serveDirectory } from './browser.ts';
import { COMMANDS, fail, handleErrors, parseCommand, plural } from './cli.ts';
import { DATASETS, datasetFolder } from './datasets.ts';

const TARGET_RATIO = 1.5;

handleErrors();
const { epochs } = parseCommand(COMMANDS.benchBrowser);
const { sizes, batchSize, learningRate } = REFERENCE;

// Checked first, so a missing browser costs no training time.
if (!existsSync(CHROMIUM_PATH)) fail(`bench:browser needs Chromium at ${CHROMIUM_PATH}, which is missing: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);

const root = resolve(import.meta.dirname, '..');
const dataFolder = await datasetFolder(DATASETS.mnist);

const { train, test } = await loadIDXDataset(dataFolder);
console.log(`reference: MNIST, ${sizes.join('-')}, Adam ${learningRate}, batch ${batchSize}, float32, ${plural(epochs, 'epoch')} of ${train.x.rows} samples, same start and batch order in both`);

// --- Node -----------------------------------------------------------------------------------------

const node = referenceRun(train, test, epochs, (epoch, seconds) => console.log(`  node     epoch ${epoch}: ${seconds.toFixed(2)} s`));

// --- Chromium ------------------------------------------------------------------------------------

// Everything the browser loads lives in one temporary folder: the compiled library and reference
// module (keeping their relative layout, so reference.js's '../lib/index.js' resolves), links to
// the MNIST files, the page and the Worker.
const temporary = mkdtempSync(join(tmpdir(), 'scratchnet-bench-browser-'));
process.on('exit', () => rmSync(temporary, { recursive: true, force: true }));
const site = join(temporary, 'site');

// One tsc run with the project's compiler and the core library's settings (ES2023 plus the globals
// Node, browsers and Workers share; lib/node.ts left out), type-checking bench/reference.ts with lib/.
// The files listed here join tsconfig.core.json's own include and exclude, which still apply.
writeFileSync(
  join(temporary, 'tsconfig.json'),
  JSON.stringify({
    extends: join(root, 'tsconfig.core.json'),
    compilerOptions: { noEmit: false, rootDir: root, outDir: site, sourceMap: false, declaration: false },
    files: [join(root, 'bench/reference.ts')],
  }),
);
try {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(temporary, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
} catch (error) {
  fail(`compiling the library for the browser failed:\n${(error as { stdout?: string }).stdout ?? (error as Error).message}`);
}

// The Worker fetches the very files Node read (raw or .gz, whichever the folder has); links avoid copying 55 MB.
const dataPaths: Record<string, string> = {};
for (const [key, name] of Object.entries(IDX_FILES)) {
  const path = (await findIDXFile(dataFolder, name))!;
  symlinkSync(path, join(site, basename(path)));
  dataPaths[key] = `./${basename(path)}`;
}

// The Worker: plain JavaScript glue around the compiled modules; the training itself is bench/reference.ts.
writeFileSync(
  join(site, 'worker.js'),
  `import { labelledImages, readIDX } from './lib/index.js';
import { referenceRun } from './bench/reference.js';

const files = ${JSON.stringify(dataPaths)};
const epochs = ${epochs};

async function readFile(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
  return readIDX(new Uint8Array(await response.arrayBuffer()), path);
}

async function load(images, labels) {
  const [imageArray, labelArray] = await Promise.all([readFile(images), readFile(labels)]);
  return labelledImages(imageArray, labelArray, { images, labels });
}

try {
  const [train, test] = await Promise.all([load(files.trainImages, files.trainLabels), load(files.testImages, files.testLabels)]);
  const run = referenceRun(train, test, epochs, (epoch, seconds) => postMessage({ kind: 'epoch', epoch, seconds }));
  postMessage({ kind: 'done', run });
} catch (error) {
  postMessage({ kind: 'error', message: String(error && error.stack ? error.stack : error) });
}
`,
);
writeFileSync(
  join(site, 'index.html'),
  `<!doctype html><meta charset="utf-8"><title>scratchnet bench:browser</title><link rel="icon" href="data:,">
<script type="module">
  const worker = new Worker('./worker.js', { type: 'module' });
  worker.onmessage = (event) => window.report(event.data);
  worker.onerror = (event) => window.report({ kind: 'error', message: event.message || 'the Worker failed to load (see the browser console)' });
</script>`,
);

type WorkerMessage = { kind: 'epoch'; epoch: number; seconds: number } | { kind: 'done'; run: ReferenceRun } | { kind: 'error'; message: string };

const server = await serveDirectory(site);
const browser = await launchChromium();
let chromium: ReferenceRun;
try {
  const page = await browser.newPage();
  chromium = await new Promise<ReferenceRun>((done, failed) => {
    // Generous: loading takes seconds, and even the readable js kernels train an epoch within a minute.
    const timer = setTimeout(() => failed(new Error(`the Worker did not finish within ${60 + 60 * epochs} s`)), (60 + 60 * epochs) * 1000);
    const stop = (error: Error): void => {
      clearTimeout(timer);
      failed(error);
    };
    page.on('pageerror', (error) => stop(error));
    void page
      .exposeFunction('report', (message: WorkerMessage) => {
        if (message.kind === 'epoch') console.log(`  chromium epoch ${message.epoch}: ${message.seconds.toFixed(2)} s (Worker)`);
        else if (message.kind === 'error') stop(new Error(`in the Worker: ${message.message}`));
        else {
          clearTimeout(timer);
          done(message.run);
        }
      })
      .then(() => page.goto(`${server.url}/`))
      .catch(stop);
  });
} catch (error) {
  await browser.close();
  await server.close();
  fail(`the Chromium run failed: ${(error as Error).message}`);
}
const chromiumVersion = browser.version();
await browser.close();
await server.close();

// --- Report --------------------------------------------------------------------------------------

/** Whether both runs ended with the same parameters, or how far apart they are. */
function compareParameters(a: number[][], b: number[][]): string {
  let largest = 0;
  a.forEach((values, i) => values.forEach((value, j) => (largest = Math.max(largest, Math.abs(value - b[i][j])))));
  return largest === 0 ? 'bit-identical in Node and Chromium' : `differ between Node and Chromium by up to ${largest.toExponential(2)}`;
}

const rows: Array<[string, ReferenceRun]> = [
  [`Node ${process.versions.node}`, node],
  [`Chromium ${chromiumVersion} (Worker)`, chromium],
];
const nameWidth = Math.max(24, ...rows.map(([name]) => name.length + 1));
console.log(`\n${'where'.padEnd(nameWidth)} s/epoch (median)   samples/s   test accuracy   kernels`);
for (const [name, run] of rows) {
  const seconds = median(run.secondsPerEpoch);
  console.log(`${name.padEnd(nameWidth)} ${seconds.toFixed(2).padStart(16)}   ${Math.round(train.x.rows / seconds).toString().padStart(9)}   ${run.testAccuracy.toFixed(4).padStart(13)}   ${run.kernels}`);
}
console.log(`\ntrained weights and biases: ${compareParameters(node.parameters, chromium.parameters)}`);
const ratio = median(chromium.secondsPerEpoch) / median(node.secondsPerEpoch);
console.log(`bench:browser: Chromium Worker takes ${ratio.toFixed(2)}× Node's epoch time (target ≤ ${TARGET_RATIO}×)`);
