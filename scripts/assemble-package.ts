// Builds the npm package in dist/package: compiles the library and the `scratchnet` command into
// dist/package/dist (tsconfig.lib.json) from a clean folder, then writes its package.json (the package
// fields of the root's, which is the private site), lib/README.md as its README, and the LICENSE.
// `npm run build:lib` runs it; `npm pack ./dist/package` packs what it made, `npm publish ./dist/package` publishes it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// `--to DIR` builds it elsewhere (the package tests use a temporary folder).
const to = process.argv.indexOf('--to');
const folder = to > 0 && process.argv[to + 1] ? resolve(process.argv[to + 1]) : join(root, 'dist/package');
// What the published package.json holds; the rest of the root's (scripts, devDependencies, private) is the site's.
const PACKAGE_FIELDS = ['name', 'version', 'description', 'keywords', 'license', 'repository', 'homepage', 'bugs', 'type', 'engines', 'sideEffects', 'exports', 'bin', 'files'];

// A clean folder, so a module deleted from lib/ cannot linger in the package; only an earlier build is ever removed.
if (existsSync(folder) && readdirSync(folder).length > 0 && !existsSync(join(folder, 'dist/lib/index.js'))) {
  throw new Error(`${folder} is not empty and holds no earlier build of the package: give --to an empty or new folder`);
}
rmSync(folder, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.lib.json'), '--outDir', join(folder, 'dist')], { cwd: root, stdio: 'inherit' });
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const published = Object.fromEntries(PACKAGE_FIELDS.filter((field) => field in manifest).map((field) => [field, manifest[field]]));
writeFileSync(join(folder, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
copyFileSync(join(root, 'lib/README.md'), join(folder, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(folder, 'LICENSE'));
console.log(`the package is in ${folder}: npm pack ${folder} packs it, npm publish ${folder} publishes it`);
