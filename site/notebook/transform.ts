// Turns one notebook cell's TypeScript into a function that shares variables with the cells
// before it, like notebook cells: types are stripped (Sucrase, which keeps line numbers), imports
// become lookups, top-level names are read from and written back to a shared scope, and the
// value of a final expression is returned. Runs the same in the build, the tests and the Worker.
import { parse, type Node, type Program, type Pattern } from 'acorn';
import { transform } from 'sucrase';
import { guardLoops } from './guard.ts';

/** A cell compiled to a JavaScript function expression, ready for indirect eval. */
export interface CompiledCell {
  /** `(async function (__scope, __import, __tick) { … })` with a sourceURL, so stack traces name the cell. */
  code: string;
  /** Names the cell declares at its top level (including imports). */
  declared: string[];
  /** True when the cell ends with an expression whose value is returned. */
  returnsValue: boolean;
}

/** A syntax error in a cell, with the 1-based line it is on. */
export class CellSyntaxError extends Error {
  readonly line?: number;
  constructor(message: string, line?: number) {
    super(message);
    this.name = 'SyntaxError';
    this.line = line;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Compiles `source`; `known` are the names earlier cells (and the notebook) put in scope. */
export function compileCell(source: string, known: Iterable<string>, sourceURL: string): CompiledCell {
  let javascript: string;
  try {
    javascript = transform(source, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true }).code;
  } catch (error) {
    const { message, line } = describeSyntaxError(error, source);
    throw new CellSyntaxError(message, line);
  }
  let program: Program;
  try {
    program = parse(javascript, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, locations: true });
  } catch (error) {
    const { message, line } = describeSyntaxError(error, javascript);
    throw new CellSyntaxError(message, line);
  }
  // Every loop checks the memory the cell holds (guard.ts, memory.ts); only text is added, no lines.
  javascript = guardLoops(javascript);
  program = parse(javascript, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, locations: true });

  const declared = new Set<string>();
  const constants = new Set<string>(); // imports and const: their value can be saved as it is
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const statement of program.body) {
    switch (statement.type) {
      case 'ImportDeclaration': {
        const module = String(statement.source.value);
        const parts: string[] = [];
        let namespace: string | undefined;
        for (const specifier of statement.specifiers) {
          declared.add(specifier.local.name);
          constants.add(specifier.local.name);
          if (specifier.type === 'ImportNamespaceSpecifier') namespace = specifier.local.name;
          else if (specifier.type === 'ImportDefaultSpecifier') parts.push(`default: ${specifier.local.name}`);
          else {
            const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
            parts.push(imported === specifier.local.name ? imported : `${JSON.stringify(imported)}: ${specifier.local.name}`);
          }
        }
        const lookup = `__import(${JSON.stringify(module)})`;
        const lines: string[] = [];
        if (namespace) lines.push(`const ${namespace} = ${lookup};`);
        if (parts.length) lines.push(`const { ${parts.join(', ')} } = ${lookup};`);
        if (lines.length === 0) lines.push(`${lookup};`);
        edits.push({ start: statement.start, end: statement.end, text: keepLines(javascript.slice(statement.start, statement.end), lines.join(' ')) });
        break;
      }
      case 'VariableDeclaration':
        for (const declaration of statement.declarations) {
          for (const name of patternNames(declaration.id)) {
            declared.add(name);
            if (statement.kind === 'const') constants.add(name);
          }
        }
        break;
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        if (statement.id) declared.add(statement.id.name);
        break;
      case 'ExportNamedDeclaration':
      case 'ExportDefaultDeclaration':
      case 'ExportAllDeclaration':
        throw new CellSyntaxError('a cell cannot export; its top-level names are shared with later cells already', statement.loc?.start.line);
      default:
        break;
    }
  }

  const last = program.body[program.body.length - 1];
  const returnsValue = last?.type === 'ExpressionStatement';
  if (returnsValue) {
    const expression = (last as Node & { expression: Node }).expression;
    edits.push({ start: last.start, end: last.end, text: `return (${javascript.slice(expression.start, expression.end)});` });
  }

  let body = javascript;
  for (const edit of edits.sort((a, b) => b.start - a.start)) body = body.slice(0, edit.start) + edit.text + body.slice(edit.end);

  // Earlier names come in as `let`, so a cell may reassign them; a name this cell declares is its own.
  const inherited = [...new Set(known)].filter((name) => IDENTIFIER.test(name) && !declared.has(name));
  const prologue = inherited.length ? `let { ${inherited.join(', ')} } = __scope; const __read = [${inherited.join(', ')}]; ` : '';
  // Saving, even when the cell throws (a name still in its temporal dead zone is skipped):
  // - an earlier name goes back only if this cell reassigned it, so a change made meanwhile by a
  //   function from an earlier cell is not overwritten with this cell's stale copy;
  // - a const or import is saved as a value;
  // - a let, var, function or class is saved as a live accessor to this cell's own variable, so
  //   functions defined here and later cells see the same variable.
  // __save is declared in the cell's own scope, so it can see the cell's const and let.
  const save = [
    ...inherited.map((name, i) => `if (!Object.is(${name}, __read[${i}])) __scope[${JSON.stringify(name)}] = ${name};`),
    ...[...declared].map((name) =>
      constants.has(name)
        ? `try { Object.defineProperty(__scope, ${JSON.stringify(name)}, { value: ${name}, writable: true, enumerable: true, configurable: true }); } catch {}`
        : `try { ${name}; Object.defineProperty(__scope, ${JSON.stringify(name)}, { get: () => ${name}, set: (__value) => { ${name} = __value; }, enumerable: true, configurable: true }); } catch {}`,
    ),
  ].join(' ');
  // What the cell's loops hand __tick: its names as they are now (one in its temporal dead zone is skipped).
  const roots = [...inherited, ...declared].map((name) => `try { r.push(${name}); } catch {}`).join(' ');
  // All of this shares line 1 with the cell's first line, so line numbers in errors match the cell's.
  const code =
    `(async function (__scope, __import, __tick) { ${prologue}let __save, __roots; try { return await (async () => { __save = () => { ${save} }; __roots = () => { const r = []; ${roots} return r; }; ${body}\n})(); } finally { __save?.(); } })` +
    `\n//# sourceURL=${sourceURL}`;
  return { code, declared: [...declared], returnsValue };
}

/** Replaces `original` with `text`, keeping as many line breaks so later lines do not move. */
function keepLines(original: string, text: string): string {
  return text + '\n'.repeat((original.match(/\n/g) ?? []).length);
}

/** Every identifier a declaration pattern binds: `const { a, b: [c] } = …` binds a and c. */
function patternNames(pattern: Pattern): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((property) => (property.type === 'RestElement' ? patternNames(property.argument) : patternNames(property.value)));
    case 'ArrayPattern':
      return pattern.elements.flatMap((element) => (element ? patternNames(element) : []));
    case 'RestElement':
      return patternNames(pattern.argument);
    case 'AssignmentPattern':
      return patternNames(pattern.left);
    default:
      return [];
  }
}

/** The message and 1-based line of a Sucrase or Acorn syntax error. */
function describeSyntaxError(error: unknown, text: string): { message: string; line?: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const loc = (error as { loc?: { line?: number; column?: number } | number }).loc;
  const pos = (error as { pos?: number }).pos;
  let line: number | undefined;
  if (typeof loc === 'object' && loc?.line) line = loc.line;
  else if (typeof pos === 'number') line = text.slice(0, pos).split('\n').length;
  // Both parsers append "(line:col)"; the line is reported separately.
  return { message: raw.replace(/\s*\(\d+:\d+\)\s*$/, ''), line };
}
