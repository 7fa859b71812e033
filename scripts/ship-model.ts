// Turns a model saved by `npm run train` (JSON, with its metadata) into the compact binary form
// the site ships in site/public/models/, with a small JSON file of how it was made and what it
// scored. Usage: node scripts/ship-model.ts models/mnist-model.json mnist
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserializeModel, encodeModel } from '../lib/index.ts';

const [from, name] = process.argv.slice(2);
if (!from || !name) {
  console.error('usage: node scripts/ship-model.ts <model.json from npm run train> <name>');
  process.exit(2);
}
const saved = JSON.parse(readFileSync(from, 'utf8')) as { metadata?: Record<string, unknown> };
if (!saved.metadata) {
  console.error(`${from} has no metadata: ship a model saved as .json by npm run train`);
  process.exit(1);
}
const folder = resolve(import.meta.dirname, '../site/public/models');
// The metadata keeps the command as it was typed; older models without one get the default run's.
const command = saved.metadata.command ?? `npm run train -- --dataset ${saved.metadata.dataset} --seed ${saved.metadata.seed}`;
writeFileSync(join(folder, `${name}.snet`), encodeModel(deserializeModel(JSON.stringify(saved)), { metadata: { ...saved.metadata, command } }));
writeFileSync(join(folder, `${name}.json`), `${JSON.stringify({ ...saved.metadata, command }, null, 2)}\n`);
console.log(`site/public/models/${name}.snet and ${name}.json written`);
