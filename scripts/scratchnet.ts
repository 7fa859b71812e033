#!/usr/bin/env node
// The `scratchnet` command the npm package installs: `scratchnet train|evaluate|sweep|download|export-onnx …`
// runs the same scripts as `npm run train -- …` in this repository (compiled into dist/scripts with
// the library), with usage lines that say `scratchnet train` and defaults relative to the current folder.
import { editDistance, invocation } from './options.ts';

/** Each subcommand: its one-line summary, the repository's npm script name, and the script that runs it. */
const SUBCOMMANDS = {
  train: { script: 'train', summary: 'Trains a multilayer perceptron on MNIST or Fashion-MNIST and saves it.', load: () => import('./train.ts') },
  evaluate: { script: 'evaluate', summary: 'Scores a saved model on the official test set, with a confusion matrix.', load: () => import('./evaluate.ts') },
  sweep: { script: 'sweep', summary: 'Tries a range of learning rates for a few steps each and suggests one.', load: () => import('./sweep.ts') },
  download: { script: 'download-data', summary: 'Downloads the official MNIST or Fashion-MNIST files and checks their SHA-256.', load: () => import('./download.ts') },
  'export-onnx': { script: 'export-onnx', summary: 'Writes a saved model as an ONNX file, for onnxruntime and the other ONNX runtimes.', load: () => import('./export-onnx.ts') },
} as const;
type Subcommand = keyof typeof SUBCOMMANDS;
const names = Object.keys(SUBCOMMANDS) as Subcommand[];

/** What `scratchnet --help` prints: the commands, one line each. */
function helpText(): string {
  const width = Math.max(...names.map((name) => name.length));
  return [
    'usage: scratchnet <command> [options]',
    '',
    'A neural network from scratch: train and score multilayer perceptrons on MNIST and Fashion-MNIST, and export them to ONNX.',
    '',
    'commands:',
    ...names.map((name) => `  ${name.padEnd(width)}  ${SUBCOMMANDS[name].summary}`),
    '',
    'scratchnet <command> --help lists the options of each.',
  ].join('\n');
}

const name = process.argv[2];
if (name === '-h' || name === '--help' || name === 'help') {
  console.log(helpText());
} else if (name === undefined) {
  process.stderr.write(`error: no command given\n${helpText()}\n`);
  process.exitCode = 1;
} else if (!Object.hasOwn(SUBCOMMANDS, name)) {
  const near = names.filter((command) => editDistance(name, command) <= 2);
  const suggestion = near.length ? `did you mean ${near.join(' or ')}? ` : '';
  process.stderr.write(`error: unknown command ${JSON.stringify(name)}; ${suggestion}the commands are ${names.join(', ')} (scratchnet --help says what each does)\n`);
  process.exitCode = 1;
} else {
  const byScript = new Map<string, string>(names.map((command) => [SUBCOMMANDS[command].script, command]));
  invocation.of = (script) => `scratchnet ${byScript.get(script) ?? script}`;
  invocation.root = process.cwd();
  invocation.installed = true;
  // The scripts read their options from process.argv.slice(2): drop the command's name.
  process.argv.splice(2, 1);
  await SUBCOMMANDS[name as Subcommand].load();
}
