// The API reference's data, read at build time from the library itself: TypeScript's compiler writes
// lib/'s declarations (.d.ts, with every JSDoc comment kept), Babel's parser reads them, and this
// turns each export of `scratchnet` and `scratchnet/node` into an entry: its kind, its signatures,
// its sentence, its members and where its source is. The /api/ pages and the chapters' links use it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from '@babel/parser';
import type { Node } from '@babel/types';
import { docOf, memberOf, signatureOf } from './api-signatures.ts';
import { summaryOf } from './opening-comment.ts';

export type ApiKind = 'function' | 'class' | 'interface' | 'type' | 'constant' | 'enum';

/** One member of a class or interface: a property, method, getter or constructor. */
export interface ApiMember {
  name: string;
  kind: 'constructor' | 'method' | 'property' | 'getter' | 'setter';
  static: boolean;
  signature: string;
  doc: string;
}

/** One export: what it is, how it is called, what its JSDoc says, and where it lives. */
export interface ApiEntry {
  name: string;
  kind: ApiKind;
  /** The module that declares it, e.g. 'layers' for lib/layers.ts. */
  module: string;
  /** The package entry it is imported from. */
  entry: 'scratchnet' | 'scratchnet/node';
  /** One per overload, formatted to fit a page. */
  signatures: string[];
  /** The JSDoc comment, joined into paragraphs; '' when there is none. */
  doc: string;
  /** The JSDoc's first sentence; '' when there is none. */
  summary: string;
  members: ApiMember[];
  /** The line of lib/<module>.ts that declares it. */
  line: number;
}

/** One module of the library with its exports, in the order the file declares them. */
export interface ApiModule {
  name: string;
  path: string;
  entry: 'scratchnet' | 'scratchnet/node';
  /** What the file's opening comment says. */
  summary: string;
  entries: ApiEntry[];
  /** Names this entry file re-exports from other modules (`export { IDX_FILES }`), documented there. */
  reexports: string[];
}

/** The repository: the nearest folder up from here with tsconfig.lib.json (Astro's build runs this file from a bundle in .astro/). */
const ROOT = (() => {
  for (let folder = import.meta.dirname; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'tsconfig.lib.json'))) return folder;
    if (dirname(folder) === folder) return process.cwd();
  }
})();

/** The first sentence of a doc: up to the first full stop followed by a space and a capital (not "e.g."), or the whole first paragraph. */
export function firstSentence(doc: string): string {
  const paragraph = doc.split('\n\n')[0] ?? '';
  for (const end of paragraph.matchAll(/[.!?](?=\s+[A-Z(`])/g)) {
    if (/\b(?:e\.g|i\.e|etc|vs|cf)$/.test(paragraph.slice(0, end.index))) continue;
    return paragraph.slice(0, end.index + 1);
  }
  return paragraph;
}

const KINDS: Record<string, ApiKind> = {
  TSDeclareFunction: 'function',
  FunctionDeclaration: 'function',
  ClassDeclaration: 'class',
  TSInterfaceDeclaration: 'interface',
  TSTypeAliasDeclaration: 'type',
  VariableDeclaration: 'constant',
  TSEnumDeclaration: 'enum',
};

/** The exported declarations of one .d.ts file, merging a function's overloads into one entry. */
export function declarationsOf(declarations: string, module: string, source = ''): ApiEntry[] {
  const program = parse(declarations, { sourceType: 'module', plugins: [['typescript', { dts: true }]], attachComment: true }).program;
  const entries = new Map<string, ApiEntry>();
  for (const statement of program.body) {
    if (statement.type !== 'ExportNamedDeclaration' || !statement.declaration) continue;
    const declaration = statement.declaration as Node;
    const kind = KINDS[declaration.type];
    if (!kind) continue;
    const name = nameOf(declaration);
    const doc = docOf(statement) || docOf(declaration);
    const existing = entries.get(name);
    const signature = signatureOf(declarations, declaration);
    if (existing) {
      existing.signatures.push(signature);
      existing.doc ||= doc;
      existing.summary ||= firstSentence(doc);
      continue;
    }
    const members = 'body' in declaration && declaration.body && typeof declaration.body === 'object' && 'body' in declaration.body && Array.isArray(declaration.body.body)
      ? (declaration.body.body as Node[]).map((member) => memberOf(declarations, member)).filter((member): member is ApiMember => member !== undefined)
      : [];
    entries.set(name, { name, kind, module, entry: 'scratchnet', signatures: [signature], doc, summary: firstSentence(doc), members, line: lineOf(source, name) });
  }
  return [...entries.values()];
}

function nameOf(declaration: Node): string {
  if (declaration.type === 'VariableDeclaration') {
    const id = declaration.declarations[0].id;
    return id.type === 'Identifier' ? id.name : '';
  }
  return 'id' in declaration && declaration.id && 'name' in declaration.id ? String(declaration.id.name) : '';
}

/** The line of the source file that declares `name` (1 when it cannot be found). */
function lineOf(source: string, name: string): number {
  const pattern = new RegExp(`^export (?:declare )?(?:abstract )?(?:async )?(?:function\\*?|class|interface|type|const|let|enum) ${name.replace(/\$/g, '\\$')}\\b`);
  const index = source.split('\n').findIndex((line) => pattern.test(line));
  return index + 1 || 1;
}

/** The modules an entry file re-exports with `export * from './x.ts'`, in order. */
function reexportedModules(declarations: string): string[] {
  return [...declarations.matchAll(/^export \* from '\.\/([\w-]+)\.(?:ts|js)';$/gm)].map((match) => match[1]);
}

/** Writes lib/'s declarations into a new temporary folder with the project's TypeScript, and returns the folder. */
function emitDeclarations(): string {
  const folder = mkdtempSync(join(tmpdir(), 'scratchnet-api-'));
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.lib.json'), '--emitDeclarationOnly', '--outDir', folder], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    const { stdout, stderr, message } = error as { stdout?: Buffer; stderr?: Buffer; message: string };
    const output = `${stdout ?? ''}${stderr ?? ''}`.trim() || message;
    throw new Error(`API reference: TypeScript could not write lib/'s declarations (tsc -p tsconfig.lib.json):\n${output}`);
  }
  return folder;
}

let cached: ApiModule[] | undefined;

/** Every module of the library with its exports: `scratchnet`'s modules in lib/index.ts's order, then `scratchnet/node`. */
export function apiModules(): ApiModule[] {
  if (cached) return cached;
  const folder = emitDeclarations();
  try {
    const read = (name: string) => readFileSync(join(folder, 'lib', `${name}.d.ts`), 'utf8');
    const moduleOf = (name: string, entry: ApiModule['entry']): ApiModule => {
      const path = `lib/${name}.ts`;
      const source = readFileSync(join(ROOT, path), 'utf8');
      const entries = declarationsOf(read(name), name, source).map((item) => ({ ...item, entry }));
      const reexports = [...read(name).matchAll(/^export \{ ([\w$, ]+) \};$/gm)].flatMap((match) => match[1].split(',').map((part) => part.trim()));
      return { name, path, entry, summary: summaryOf(source), entries, reexports };
    };
    cached = [...reexportedModules(read('index')).map((name) => moduleOf(name, 'scratchnet')), moduleOf('node', 'scratchnet/node')];
    inheritDocs(cached);
    return cached;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Gives a class member without JSDoc the comment of the member it implements: the same name in an
 * interface or class its head names (`implements Layer`), or in its options interface (DenseOptions);
 * a setter takes its getter's.
 */
function inheritDocs(modules: ApiModule[]): void {
  const byName = new Map(modules.flatMap((module) => module.entries.map((entry) => [entry.name, entry] as const)));
  for (const entry of byName.values()) {
    if (entry.kind !== 'class') continue;
    const named = [...entry.signatures[0].matchAll(/\b(?:implements|extends)\s+([\w$, ]+?)(?=\s*(?:implements|extends|<|$))/g)].flatMap((match) => match[1].split(',').map((part) => part.trim()));
    const sources = [...named, `${entry.name}Options`].map((name) => byName.get(name)).filter((source) => source !== undefined);
    for (const member of entry.members) {
      if (member.doc) continue;
      const from = member.kind === 'setter' ? entry.members.find((other) => other.kind === 'getter' && other.name === member.name) : undefined;
      member.doc = from?.doc || sources.map((source) => source.members.find((other) => other.name === member.name)?.doc).find(Boolean) || '';
    }
  }
}

/** Every entry by name; `scratchnet`'s win over a `scratchnet/node` re-export of the same name. */
export function apiEntries(): Map<string, ApiEntry> {
  const byName = new Map<string, ApiEntry>();
  for (const module of apiModules()) for (const entry of module.entries) if (!byName.has(entry.name)) byName.set(entry.name, entry);
  return byName;
}

/** The page address of an entry, below the site's base: /api/<module>/#<name>. */
export function apiPath(entry: Pick<ApiEntry, 'module' | 'name'>): string {
  return `/api/${entry.module}/#${entry.name}`;
}
