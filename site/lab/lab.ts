// The last chapter's lab on the page: train in a Worker with live curves, pause and resume, then
// see test accuracy, the confusion matrix, the most confidently wrong images and first-layer
// weights. Also the classifier widgets: draw a digit (or replay a sample) for the MNIST network
// shipped with the site, or step through Fashion-MNIST test images, with live probabilities.
import { Matrix, decodeModel, readIDX, type DatasetEntry, type Sequential } from '../../lib/index.ts';
import { toDOM } from '../notebook/dom.ts';
import { renderOutput } from '../notebook/render.ts';
import { confusionFigure, linePlot } from '../notebook/figures.ts';
import type { LabFinding, LabMessage, LabResults } from './protocol.ts';
import { LAB_FIELDS, checkLabInput, type LabCheck, type LabInput } from './settings.ts';
import { startWorker } from '../notebook/blob-worker.ts';
import trainWorkerUrl from './train-worker.ts?worker&url';
import { toMnist } from './preprocess.ts';
import { SAMPLE_DIGITS, type Stroke } from './sample-digits.ts';
import { withBase } from '../utils/base.ts';

const $ = <T extends HTMLElement>(root: HTMLElement, selector: string): T => root.querySelector<T>(selector)!;

function imagesFigure(images: number[][], captions: string[], title?: string): Node {
  return toDOM(renderOutput({ kind: 'figure', figure: { type: 'images', width: 28, height: 28, images, captions, title } }));
}

/** Sets up the training lab inside `root`. */
export async function startLab(root: HTMLElement): Promise<void> {
  const datasets = (await (await fetch(withBase('data/datasets.json'))).json()) as DatasetEntry[];
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
  const READY = status.textContent ?? '';
  const bar = $<HTMLProgressElement>(root, '.lab-progress');
  const curves = $(root, '.lab-curves');
  const results = $(root, '.lab-results');
  const diagnosis = $(root, '.lab-diagnosis');
  /** What diagnose() found, as a short list under the status; nothing when the run was healthy. */
  const showFindings = (findings: LabFinding[] | undefined): void => {
    diagnosis.hidden = !findings?.length;
    if (!findings?.length) return diagnosis.replaceChildren();
    const heading = document.createElement('p');
    heading.className = 'lab-diagnosis-title';
    heading.textContent = 'What the run shows';
    const list = document.createElement('ul');
    for (const finding of findings) {
      const item = document.createElement('li');
      const name = document.createElement('strong');
      name.textContent = `${FINDING_TITLES[finding.kind] ?? finding.kind}: `;
      item.append(name, `${finding.message} `, finding.advice);
      list.append(item);
    }
    diagnosis.replaceChildren(heading, list);
  };
  let worker: Worker | undefined;
  let losses: number[] = [];
  let validation: number[] = [];
  let paused = false;

  const draw = (): void => {
    const figure = linePlot({ 'training loss': losses }, { title: 'Loss, every 20 steps', xLabel: 'checkpoint' });
    const accuracy = linePlot({ 'validation accuracy': validation }, { title: 'Validation accuracy per epoch', xLabel: 'epoch' });
    curves.replaceChildren(toDOM(renderOutput({ kind: 'figure', figure })), ...(validation.length ? [toDOM(renderOutput({ kind: 'figure', figure: accuracy }))] : []));
  };

  // Every field is checked as the reader types (settings.ts): a bad one is marked, with its message
  // beside it, and Train stays disabled, so nothing downloads or trains on a value nobody meant.
  const check = (): LabCheck => {
    const input = Object.fromEntries(LAB_FIELDS.map((name) => [name, $<HTMLInputElement | HTMLSelectElement>(root, `[name=${name}]`).value])) as LabInput;
    const result = checkLabInput(input);
    for (const name of LAB_FIELDS) {
      const field = $<HTMLInputElement | HTMLSelectElement>(root, `[name=${name}]`);
      const message = $(root, `#lab-${name}-error`);
      const error = result.errors[name];
      message.textContent = error ?? '';
      message.hidden = error === undefined;
      if (error === undefined) {
        field.removeAttribute('aria-invalid');
        field.removeAttribute('aria-describedby');
      } else {
        field.setAttribute('aria-invalid', 'true');
        field.setAttribute('aria-describedby', message.id);
      }
    }
    const available = datasets.find((d) => d.name === select.value)?.available ?? false;
    trainButton.disabled = !result.settings || !available;
    // Before any run, the status says why Train is off (only when that changes, so it is announced once).
    if (!root.dataset.state && (root.dataset.invalid === 'true') !== !result.settings) status.textContent = result.settings ? READY : 'Train is off until the fields marked in red are fixed.';
    root.dataset.invalid = result.settings ? 'false' : 'true';
    return result;
  };
  for (const name of LAB_FIELDS) {
    const field = $<HTMLInputElement | HTMLSelectElement>(root, `[name=${name}]`);
    field.addEventListener('input', () => void check());
    field.addEventListener('change', () => void check());
  }
  select.addEventListener('change', () => void check());
  check();

  const show = (result: LabResults, classes: string[]): void => {
    const table = toDOM(renderOutput({ kind: 'figure', figure: confusionFigure(result.confusion, classes, { title: 'Confusion matrix of the test images: true class by row, predicted class by column' }) }));
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
    const chosen = check().settings;
    if (!entry?.available || !entry.files || !chosen) return;
    worker?.terminate();
    // From a blob: URL, so the Worker runs under the page's Content-Security-Policy (blob-worker.ts).
    worker = startWorker(trainWorkerUrl);
    diagnosis.replaceChildren();
    diagnosis.hidden = true;
    losses = [];
    validation = [];
    paused = false;
    results.replaceChildren();
    curves.replaceChildren();
    root.dataset.state = 'loading';
    pauseButton.disabled = true;
    pauseButton.textContent = 'Pause';
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
          worker!.postMessage({ type: 'train', settings: { ...chosen, augment: $<HTMLInputElement>(root, '[name=augment]').checked } });
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
          showFindings(message.findings);
          break;
        case 'error':
          root.dataset.state = 'error';
          pauseButton.disabled = true;
          status.textContent = `Error: ${message.message}`;
          showFindings(message.findings);
          break;
      }
    });
    worker.postMessage({ type: 'load', dataset: entry.name, files: Object.fromEntries(Object.entries(entry.files).map(([name, file]) => [name, new URL(withBase(file.path), location.href).href])) });
  });

  pauseButton.addEventListener('click', () => {
    if (!worker) return;
    paused = !paused;
    worker.postMessage({ type: paused ? 'pause' : 'resume' });
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) root.dataset.state = 'training';
  });
}

/** How the lab names each kind of finding (lib/diagnosis.ts SymptomKind). */
const FINDING_TITLES: Record<string, string> = {
  'non-finite': 'The loss became NaN',
  diverged: 'Training diverged',
  rising: 'The loss rose',
  oscillating: 'The loss swung',
  flat: 'The loss stalled',
  'dead-relu': 'Dead ReLUs',
  overfitting: 'Overfitting',
};

/** Loads a model shipped with the site. */
async function loadShippedModel(name: string): Promise<Sequential> {
  const response = await fetch(withBase(`models/${name}.snet`));
  if (!response.ok) throw new Error(`${withBase(`models/${name}.snet`)} answered ${response.status}`);
  return decodeModel(new Uint8Array(await response.arrayBuffer()));
}

/** The readout shared by both classifier widgets: the live prediction line and one bar per class. */
interface Readout {
  /** Shows the probabilities; `detail` replaces the line under the answer. Returns the best class. */
  show(probabilities: ArrayLike<number>, detail?: (best: number, probability: number) => string): number;
  /** Back to the empty state, with `message` under the dash. */
  reset(message: string): void;
  /** Only the line under the answer (download progress, errors). */
  note(message: string): void;
  /** While busy (the pen is down), screen readers wait for the final prediction instead of every change. */
  busy(on: boolean): void;
}

const percent = (p: number): string => `${(p * 100).toFixed(1)}%`;

/** Wires the server-rendered readout inside `root` (see MnistLab.astro). */
function readout(root: HTMLElement, classes: string[]): Readout {
  const prediction = $(root, '.classifier-prediction');
  const answer = $(root, '.classifier-answer');
  const detail = $(root, '.classifier-detail');
  const bars = $(root, '.bars');
  const rows = [...bars.querySelectorAll<HTMLElement>('.bar')];
  const fills = rows.map((row) => $(row, '.bar-fill'));
  const values = rows.map((row) => $(row, '.bar-value'));
  return {
    show(probabilities, describe) {
      let best = 0;
      for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
      let second = best === 0 ? 1 : 0;
      for (let i = 0; i < probabilities.length; i++) if (i !== best && probabilities[i] > probabilities[second]) second = i;
      rows.forEach((row, i) => {
        row.classList.toggle('best', i === best);
        fills[i].style.setProperty('--p', String(probabilities[i]));
        values[i].textContent = percent(probabilities[i]);
      });
      answer.textContent = classes[best];
      detail.textContent = describe
        ? describe(best, probabilities[best])
        : probabilities[second] >= 0.01
          ? `${percent(probabilities[best])} probability · then ${classes[second]} (${percent(probabilities[second])})`
          : `${percent(probabilities[best])} probability`;
      bars.dataset.prediction = String(best);
      return best;
    },
    reset(message) {
      rows.forEach((row, i) => {
        row.classList.remove('best');
        fills[i].style.setProperty('--p', '0');
        values[i].textContent = '–';
      });
      answer.textContent = '–';
      detail.textContent = message;
      delete bars.dataset.prediction;
    },
    note(message) {
      detail.textContent = message;
    },
    busy(on) {
      prediction.setAttribute('aria-busy', String(on));
    },
  };
}

/** Sets up the drawing pad: the pre-trained MNIST network reads what the reader draws. */
export async function startDrawing(root: HTMLElement): Promise<void> {
  const canvas = $<HTMLCanvasElement>(root, '.draw-canvas');
  const preview = $<HTMLCanvasElement>(root, '.draw-preview');
  const clearButton = $<HTMLButtonElement>(root, '.draw-clear');
  const sampleButton = $<HTMLButtonElement>(root, '.draw-sample');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const model = await loadShippedModel('mnist');
  const classes = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const view = readout(root, classes);
  // The pen: round, a fourteenth of the pad wide, which scales to MNIST's stroke width.
  const pen = canvas.width / 14;

  const clear = (): void => {
    context.fillStyle = '#000';
    context.fillRect(0, 0, canvas.width, canvas.height);
    preview.getContext('2d')!.clearRect(0, 0, 28, 28);
    view.reset('Nothing drawn yet.');
    root.dataset.empty = 'true';
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
    view.show(model.predict(new Matrix(1, 784, digit)).data);
  };
  // Predictions follow the pen at most once a frame; lifting the pen settles the last one at once.
  let frame = 0;
  const schedule = (): void => {
    if (!frame) frame = requestAnimationFrame(flush);
  };
  const flush = (): void => {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    predict();
  };

  const dot = ([x, y]: [number, number]): void => {
    context.fillStyle = '#fff';
    context.beginPath();
    context.arc(x, y, pen / 2, 0, 2 * Math.PI);
    context.fill();
    root.dataset.empty = 'false';
  };
  const line = (from: [number, number], to: [number, number]): void => {
    context.strokeStyle = '#fff';
    context.lineWidth = pen;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(...from);
    context.lineTo(...to);
    context.stroke();
  };

  let pointer: number | undefined;
  let last: [number, number] | undefined;
  const point = (event: PointerEvent): [number, number] => {
    const rect = canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) / rect.width) * canvas.width, ((event.clientY - rect.top) / rect.height) * canvas.height];
  };
  canvas.addEventListener('pointerdown', (event) => {
    if (pointer !== undefined || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    pointer = event.pointerId;
    canvas.setPointerCapture(event.pointerId);
    view.busy(true);
    last = point(event);
    dot(last); // a click or a tap on its own leaves a dot
    schedule();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (event.pointerId !== pointer || !last) return;
    for (const each of event.getCoalescedEvents?.() ?? [event]) {
      const next = point(each);
      line(last, next);
      last = next;
    }
    schedule();
  });
  const stop = (event: PointerEvent): void => {
    if (event.pointerId !== pointer) return;
    pointer = undefined;
    last = undefined;
    flush();
    view.busy(false);
  };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);

  // From the keyboard (or to see what the network expects): draw the next sample digit.
  let sample = 0;
  sampleButton.addEventListener('click', () => {
    clear();
    for (const stroke of SAMPLE_DIGITS[sample]) {
      const points = smooth(stroke);
      dot(points[0]);
      for (let i = 1; i < points.length; i++) line(points[i - 1], points[i]);
    }
    sample = (sample + 1) % SAMPLE_DIGITS.length;
    flush();
  });
  clearButton.addEventListener('click', clear);

  clear();
  clearButton.disabled = false;
  sampleButton.disabled = false;
  root.dataset.ready = 'true';
}

/** A stroke through `points`, smoothed with a Catmull–Rom spline (eight steps per segment). */
function smooth(points: Stroke): Stroke {
  const out: Stroke = [points[0]];
  for (let i = 0; i < points.length - 1; i++) {
    const [p0, p1, p2, p3] = [points[Math.max(0, i - 1)], points[i], points[i + 1], points[Math.min(points.length - 1, i + 2)]];
    for (let step = 1; step <= 8; step++) {
      const t = step / 8;
      const at = (k: 0 | 1): number =>
        0.5 * (2 * p1[k] + (p2[k] - p0[k]) * t + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t * t + (3 * p1[k] - p0[k] - 3 * p2[k] + p3[k]) * t * t * t);
      out.push([at(0), at(1)]);
    }
  }
  return out;
}

/** Sets up the Fashion-MNIST viewer: the shipped network classifies the test image the reader steps to. */
export async function startFashion(root: HTMLElement): Promise<void> {
  const datasets = (await (await fetch(withBase('data/datasets.json'))).json()) as DatasetEntry[];
  const entry = datasets.find((d) => d.name === 'fashion-mnist');
  const status = $(root, '.fashion-status');
  if (!entry?.available || !entry.files) {
    status.textContent = entry?.reason ?? 'Fashion-MNIST is not available on this site.';
    return;
  }
  const files = entry.files;
  const next = $<HTMLButtonElement>(root, '.fashion-next');
  const previous = $<HTMLButtonElement>(root, '.fashion-previous');
  const canvas = $<HTMLCanvasElement>(root, '.fashion-canvas');
  const view = readout(root, entry.classes);
  const megabytes = (files['t10k-images-idx3-ubyte'].bytes + files['t10k-labels-idx1-ubyte'].bytes) / 1e6;
  status.textContent = `The first image downloads the ${megabytes.toFixed(1)} MB test set and the network from this site.`;
  let test: { images: Uint8Array; labels: Uint8Array; count: number } | undefined;
  let model: Sequential | undefined;
  // Images in a fixed order that visits every one: a stride of 997 through the 10,000.
  let position = 0;
  const STRIDE = 997;

  const load = async (): Promise<void> => {
    if (test && model) return;
    view.note('Downloading the test set and the network…');
    const read = (name: string, label: string) =>
      fetch(withBase(files[name].path))
        .then((response) => {
          if (!response.ok) throw new Error(`${withBase(files[name].path)} answered ${response.status}`);
          return response.arrayBuffer();
        })
        .then((bytes) => readIDX(new Uint8Array(bytes), label));
    const [images, labels, loaded] = await Promise.all([read('t10k-images-idx3-ubyte', 't10k-images'), read('t10k-labels-idx1-ubyte', 't10k-labels'), loadShippedModel('fashion-mnist')]);
    test = { images: images.data, labels: labels.data, count: labels.data.length };
    model = loaded;
  };
  const show = (): void => {
    const { images, labels, count } = test!;
    const index = (((position * STRIDE) % count) + count) % count;
    const pixels = Array.from(images.subarray(index * 784, (index + 1) * 784), (v) => v / 255);
    const small = canvas.getContext('2d')!;
    const image = small.createImageData(28, 28);
    pixels.forEach((v, i) => image.data.set([v * 255, v * 255, v * 255, 255], i * 4));
    small.putImageData(image, 0, 0);
    const truth = entry.classes[labels[index]];
    canvas.setAttribute('aria-label', `Test image ${index}, true class ${truth}`);
    status.textContent = `Test image ${index.toLocaleString('en')} of ${count.toLocaleString('en')} · true class: ${truth}`;
    root.dataset.empty = 'false';
    root.dataset.index = String(index);
    view.show(model!.predict(new Matrix(1, 784, pixels)).data, (best, probability) => {
      const right = best === labels[index];
      root.dataset.verdict = right ? 'correct' : 'wrong';
      return right ? `${percent(probability)} · correct` : `${percent(probability)} · wrong, true class: ${truth}`;
    });
  };
  const step = (by: number): void => {
    next.disabled = previous.disabled = true;
    load()
      .then(() => {
        position += by;
        show();
        next.textContent = 'Next →';
        next.setAttribute('aria-label', 'Next test image');
        previous.hidden = false;
      })
      .catch((error: Error) => view.note(`Could not show an image: ${error.message}`))
      .finally(() => {
        next.disabled = previous.disabled = false;
      });
  };
  next.addEventListener('click', () => step(1));
  previous.addEventListener('click', () => step(-1));
  next.disabled = false;
  root.dataset.ready = 'true';
}
