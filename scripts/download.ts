// Downloads the four official files of MNIST or Fashion-MNIST into data/<dataset>/ and checks
// each one's SHA-256 (of its decompressed contents) before keeping it. Needs internet access;
// nothing else in the project does. Usage: npm run download-data -- --dataset fashion-mnist [--to DIR]
// (`--help` lists the options).
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { IDX_FILES } from '../lib/node.ts';
import { COMMANDS, Progress, fail, handleErrors, parseCommand } from './cli.ts';
import { DATASETS, verifyFile } from './datasets.ts';
import { invocation } from './options.ts';

handleErrors();
const options = parseCommand(COMMANDS.download);
const info = DATASETS[options.dataset];
const folder = resolve(options.to);
await mkdir(folder, { recursive: true });

for (const name of Object.values(IDX_FILES)) {
  const url = `${info.baseURL}${name}.gz`;
  const target = join(folder, `${name}.gz`);
  const partial = `${target}.part`;
  const response = await fetch(url).catch((error: Error) => fail(`could not reach ${url}: ${error.message}`));
  if (!response.ok || !response.body) fail(`${url} answered ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get('content-length')) || 0;
  const progress = new Progress(name, Math.max(total, 1));
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body) {
    chunks.push(chunk);
    received += chunk.length;
    if (total) progress.update(received, `${(received / 1e6).toFixed(1)} MB`);
  }
  progress.done();
  await writeFile(partial, Buffer.concat(chunks));
  const problem = await verifyFile(info, name, partial);
  if (problem) {
    await rm(partial, { force: true });
    fail(`${problem}; the download was discarded`);
  }
  await rename(partial, target);
  console.log(`${name}.gz: ${(received / 1e6).toFixed(1)} MB, SHA-256 verified`);
}
console.log(`${info.title} is in ${folder}; train with: ${invocation.of('train')} --dataset ${info.name} --data-dir ${folder}`);
