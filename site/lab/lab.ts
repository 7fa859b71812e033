// The last chapter's lab on the page: pick a dataset and hyperparameters, train in a Worker
// with live curves, pause and resume, then see test accuracy, the confusion matrix, the most
// confidently wrong images and the first layer's weights. Also: draw a digit for a pre-trained
// network (shipped with the site, made by the repository's CLI) and see its probabilities live.
import { Matrix, decodeModel, readIDX, type DatasetEntry, type Sequential } from '../../lib/index.ts';
import { toDOM } from '../notebook/dom.ts';
import { renderOutput } from '../notebook/render.ts';
import { linePlot } from '../notebook/figures.ts';
import type { LabMessage, LabResults, LabSettings } from './protocol.ts';
import { toMnist } from './preprocess.ts';

const $ = <T extends HTMLElement>(root: HTMLElement, selector: string): T => root.querySelector<T>(selector)!;

function imagesFigure(images: number[][], captions: string[], title?: string): Node {
  return toDOM(renderOutput({ kind: 'figure', figure: { type: 'images', width: 28, height: 28, images, captions, title } }));
}

/** Sets up the training lab inside `root`. */
export async function startLab(root: HTMLElement): Promise<void> {
  const datasets = (await (await fetch('/data/datasets.json')).json()) as DatasetEntry[];
  const select = $<HTMLSelectElement>(root, '[name=dataset]');
  const note = $(root, '.lab-dataset-note');
  select.replaceChildren(
    ...datasets.map((entry) => {
      const option = document.createElement('option');
      option.value = entry.name;
      option.textContent = entry.available ? entry.title : `${entry.title} (unavailable)`;
      option.disabled = !entry.available;
      return option;
    }),
  );
  const describe = (): void => {
    const entry = datasets.find((d) => d.name === select.value);
    const megabytes = Object.values(entry?.files ?? {}).reduce((total, file) => total + file.bytes, 0) / 1e6;
    const missing = datasets.filter((d) => !d.available).map((d) => d.reason ?? '');
    note.textContent = [entry?.available ? `${megabytes.toFixed(1)} MB to download.` : '', ...missing].join(' ').trim();
  };
  select.addEventListener('change', describe);
  describe();

  const trainButton = $<HTMLButtonElement>(root, '.lab-train');
  const pauseButton = $<HTMLButtonElement>(root, '.lab-pause');
  const status = $(root, '.lab-status');
  const bar = $<HTMLProgressElement>(root, '.lab-progress');
  const curves = $(root, '.lab-curves');
  const results = $(root, '.lab-results');
  let worker: Worker | undefined;
  let losses: number[] = [];
  let validation: number[] = [];
  let paused = false;

  const draw = (): void => {
    const figure = linePlot({ 'training loss': losses }, { title: 'Loss, every 20 steps', xLabel: 'checkpoint' });
    const accuracy = linePlot({ 'validation accuracy': validation }, { title: 'Validation accuracy per epoch', xLabel: 'epoch' });
    curves.replaceChildren(toDOM(renderOutput({ kind: 'figure', figure })), ...(validation.length ? [toDOM(renderOutput({ kind: 'figure', figure: accuracy }))] : []));
  };

  const settings = (): LabSettings => ({
    hidden: $<HTMLInputElement>(root, '[name=hidden]').value.split(',').map((part) => Math.max(1, Math.round(Number(part) || 0))),
    optimizer: $<HTMLSelectElement>(root, '[name=optimizer]').value as LabSettings['optimizer'],
    learningRate: Number($<HTMLInputElement>(root, '[name=learningRate]').value),
    batchSize: Math.max(1, Math.round(Number($<HTMLInputElement>(root, '[name=batchSize]').value))),
    epochs: Math.max(1, Math.round(Number($<HTMLInputElement>(root, '[name=epochs]').value))),
    seed: 1,
  });

  const show = (result: LabResults, classes: string[]): void => {
    const table = document.createElement('table');
    table.className = 'lab-confusion';
    const head = table.createTHead().insertRow();
    head.insertCell().textContent = 'true ↓ predicted →';
    classes.forEach((_, j) => (head.insertCell().textContent = String(j)));
    const body = table.createTBody();
    result.confusion.forEach((row, i) => {
      const tr = body.insertRow();
      tr.insertCell().textContent = `${i} ${classes[i]}`;
      row.forEach((count, j) => {
        const cell = tr.insertCell();
        cell.textContent = String(count);
        if (i === j) cell.className = 'diagonal';
      });
    });
    const accuracy = document.createElement('p');
    accuracy.className = 'lab-accuracy';
    accuracy.textContent = `Test accuracy: ${(result.testAccuracy * 100).toFixed(2)}% (loss ${result.testLoss.toFixed(4)}) on ${result.confusion.flat().reduce((a, b) => a + b, 0)} test images.`;
    results.replaceChildren(
      accuracy,
      table,
      imagesFigure(result.wrong.map((w) => w.pixels), result.wrong.map((w) => `${classes[w.label]} → ${classes[w.predicted]} (${(w.confidence * 100).toFixed(0)}%)`), 'The most confidently wrong test images: true → predicted'),
      imagesFigure(result.weights, result.weights.map((_, i) => `neuron ${i + 1}`), 'First-layer weights of 16 neurons (white positive, black negative)'),
    );
  };

  trainButton.addEventListener('click', () => {
    const entry = datasets.find((d) => d.name === select.value);
    if (!entry?.available || !entry.files) return;
    worker?.terminate();
    worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
    losses = [];
    validation = [];
    paused = false;
    results.replaceChildren();
    curves.replaceChildren();
    root.dataset.state = 'loading';
    pauseButton.disabled = true;
    pauseButton.textContent = 'Pause';
    const chosen = settings();
    const sizes: Record<string, number> = {};
    worker.addEventListener('message', (event: MessageEvent<LabMessage>) => {
      const message = event.data;
      switch (message.type) {
        case 'download': {
          sizes[message.file] = message.received;
          const total = Object.values(entry.files!).reduce((t, f) => t + f.bytes, 0);
          const received = Object.values(sizes).reduce((a, b) => a + b, 0);
          bar.max = total;
          bar.value = Math.min(received, total);
          status.textContent = `Downloading ${entry.title}: ${(received / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`;
          break;
        }
        case 'loaded':
          status.textContent = `${message.train} training, ${message.validation} validation, ${message.test} test images. Training…`;
          root.dataset.state = 'training';
          pauseButton.disabled = false;
          worker!.postMessage({ type: 'train', settings: chosen });
          break;
        case 'progress':
          bar.max = message.epochs * message.steps;
          bar.value = (message.epoch - 1) * message.steps + message.step;
          losses.push(message.loss);
          status.textContent = `Epoch ${message.epoch} of ${message.epochs} · step ${message.step} of ${message.steps} · batch loss ${message.loss.toFixed(4)}`;
          root.dataset.steps = String(losses.length);
          draw();
          break;
        case 'epoch':
          validation.push(message.validationAccuracy);
          status.textContent = `Epoch ${message.epoch}: loss ${message.loss.toFixed(4)}, training accuracy ${(message.accuracy * 100).toFixed(2)}%, validation accuracy ${(message.validationAccuracy * 100).toFixed(2)}% (${message.seconds.toFixed(1)} s)`;
          draw();
          break;
        case 'paused':
          status.textContent = `Paused. ${status.textContent}`;
          root.dataset.state = 'paused';
          break;
        case 'finished':
          root.dataset.state = 'finished';
          pauseButton.disabled = true;
          status.textContent = `Finished: test accuracy ${(message.results.testAccuracy * 100).toFixed(2)}%.`;
          show(message.results, entry.classes);
          break;
        case 'error':
          root.dataset.state = 'error';
          pauseButton.disabled = true;
          status.textContent = `Error: ${message.message}`;
          break;
      }
    });
    worker.postMessage({ type: 'load', dataset: entry.name, files: Object.fromEntries(Object.entries(entry.files).map(([name, file]) => [name, file.path])) });
  });

  pauseButton.addEventListener('click', () => {
    if (!worker) return;
    paused = !paused;
    worker.postMessage({ type: paused ? 'pause' : 'resume' });
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) root.dataset.state = 'training';
  });
}

/** Loads a model shipped with the site. */
async function loadShippedModel(name: string): Promise<Sequential> {
  const response = await fetch(`/models/${name}.snet`);
  if (!response.ok) throw new Error(`/models/${name}.snet answered ${response.status}`);
  return decodeModel(new Uint8Array(await response.arrayBuffer()));
}

/** Shows ten probabilities as labelled bars. */
function probabilityBars(container: HTMLElement, probabilities: ArrayLike<number>, classes: string[]): void {
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
  container.replaceChildren(
    ...classes.map((name, i) => {
      const row = document.createElement('div');
      row.className = i === best ? 'bar best' : 'bar';
      const label = document.createElement('span');
      label.textContent = name;
      const meter = document.createElement('meter');
      meter.min = 0;
      meter.max = 1;
      meter.value = probabilities[i];
      const value = document.createElement('span');
      value.textContent = `${(probabilities[i] * 100).toFixed(1)}%`;
      row.append(label, meter, value);
      return row;
    }),
  );
  container.dataset.prediction = String(best);
}

/** Sets up the drawing canvas: the pre-trained MNIST network reads what the reader draws. */
export async function startDrawing(root: HTMLElement): Promise<void> {
  const canvas = $<HTMLCanvasElement>(root, 'canvas');
  const preview = $<HTMLCanvasElement>(root, '.draw-preview');
  const bars = $(root, '.draw-bars');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const model = await loadShippedModel('mnist');
  const classes = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const clear = (): void => {
    context.fillStyle = '#000';
    context.fillRect(0, 0, canvas.width, canvas.height);
    probabilityBars(bars, new Array(10).fill(0), classes);
    delete bars.dataset.prediction;
  };
  const predict = (): void => {
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const pixels = new Float32Array(canvas.width * canvas.height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = data[i * 4] / 255;
    const digit = toMnist({ width: canvas.width, height: canvas.height, pixels });
    const small = preview.getContext('2d')!;
    const image = small.createImageData(28, 28);
    digit.forEach((v, i) => image.data.set([v * 255, v * 255, v * 255, 255], i * 4));
    small.putImageData(image, 0, 0);
    if (!digit.some((v) => v > 0)) return;
    const output = model.predict(new Matrix(1, 784, digit));
    probabilityBars(bars, output.data, classes);
  };
  let drawing = false;
  let last: [number, number] | undefined;
  const point = (event: PointerEvent): [number, number] => {
    const rect = canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) / rect.width) * canvas.width, ((event.clientY - rect.top) / rect.height) * canvas.height];
  };
  canvas.addEventListener('pointerdown', (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drawing || !last) return;
    const next = point(event);
    context.strokeStyle = '#fff';
    context.lineWidth = canvas.width / 14;
    context.lineCap = 'round';
    context.beginPath();
    context.moveTo(...last);
    context.lineTo(...next);
    context.stroke();
    last = next;
    predict();
  });
  const stop = (): void => {
    drawing = false;
    last = undefined;
  };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);
  $<HTMLButtonElement>(root, '.draw-clear').addEventListener('click', clear);
  clear();
  root.dataset.ready = 'true';
}

/** Sets up the Fashion-MNIST viewer: a pre-trained network classifies a test image the reader picks. */
export async function startFashion(root: HTMLElement): Promise<void> {
  const datasets = (await (await fetch('/data/datasets.json')).json()) as DatasetEntry[];
  const entry = datasets.find((d) => d.name === 'fashion-mnist');
  const status = $(root, '.fashion-status');
  if (!entry?.available || !entry.files) {
    status.textContent = entry?.reason ?? 'Fashion-MNIST is not available on this site.';
    return;
  }
  const button = $<HTMLButtonElement>(root, '.fashion-next');
  const picture = $(root, '.fashion-image');
  const bars = $(root, '.fashion-bars');
  let test: { images: Uint8Array; labels: Uint8Array } | undefined;
  let model: Sequential | undefined;
  let index = 0;
  button.disabled = false;
  button.addEventListener('click', () => {
    button.disabled = true;
    show().catch((error: Error) => {
      status.textContent = `Could not show an image: ${error.message}`;
      button.disabled = false;
    });
  });
  const show = async (): Promise<void> => {
    if (!test || !model) {
      status.textContent = 'Downloading the Fashion-MNIST test set and the trained network…';
      const [images, labels, loaded] = await Promise.all([
        fetch(entry.files!['t10k-images-idx3-ubyte'].path).then((r) => r.arrayBuffer()).then((b) => readIDX(new Uint8Array(b), 't10k-images')),
        fetch(entry.files!['t10k-labels-idx1-ubyte'].path).then((r) => r.arrayBuffer()).then((b) => readIDX(new Uint8Array(b), 't10k-labels')),
        loadShippedModel('fashion-mnist'),
      ]);
      test = { images: images.data, labels: labels.data };
      model = loaded;
    }
    index = (index + 997) % 10000; // a stride that visits every image, in a fixed order
    const pixels = Array.from(test.images.subarray(index * 784, (index + 1) * 784), (v) => v / 255);
    picture.replaceChildren(imagesFigure([pixels], [`test image ${index}: ${entry.classes[test.labels[index]]}`]));
    probabilityBars(bars, model.predict(new Matrix(1, 784, pixels)).data, entry.classes);
    status.textContent = '';
    button.disabled = false;
  };
}

