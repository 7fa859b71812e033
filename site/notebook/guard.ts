// Puts a memory check into every loop of a cell, since no browser lets a page or a Worker read
// how much a running Worker holds (see memory.ts): the head of each loop counts down and at zero
// calls __tick with a function that lists the variables in reach there (the function's own, then
// its parents', up to the cell's __roots); __tick estimates what they hold. No line moves.
import { parse, type Node, type Pattern } from 'acorn';

const LOOPS = new Set(['WhileStatement', 'DoWhileStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

type AnyNode = Node & Record<string, unknown>;

/** Every identifier a pattern binds (`{ a, b: [c] }` binds a and c). */
function boundNames(pattern: Pattern | null | undefined): string[] {
  if (!pattern) return [];
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((property) => boundNames(property.type === 'RestElement' ? property.argument : property.value));
    case 'ArrayPattern':
      return pattern.elements.flatMap((element) => boundNames(element));
    case 'RestElement':
      return boundNames(pattern.argument);
    case 'AssignmentPattern':
      return boundNames(pattern.left);
    default:
      return [];
  }
}

/** The names a function body declares at its top level, and its parameters. */
function functionNames(fn: AnyNode): string[] {
  const names = (fn.params as Pattern[]).flatMap(boundNames);
  for (const statement of (fn.body as AnyNode).body as AnyNode[]) {
    if (statement.type === 'VariableDeclaration') for (const declaration of statement.declarations as AnyNode[]) names.push(...boundNames(declaration.id as Pattern));
    else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id) names.push((statement.id as { name: string }).name);
  }
  return [...new Set(names)].filter((name) => !name.startsWith('__'));
}

/**
 * A roots function: the parent's roots, `this` (a method growing its object's fields), then each
 * name (one still in its temporal dead zone is skipped).
 */
function rootsFunction(name: string, parent: string, names: string[]): string {
  const reads = names.map((each) => `try { r.push(${each}); } catch {}`).join(' ');
  return `const ${name} = () => { const r = [...${parent}(), this]; ${reads} return r; };`;
}

/**
 * `javascript` (a cell after its types are stripped) with a check at the head of every loop, and
 * in every function that holds a loop a roots function for that function's variables. Each loop
 * gets a block of its own around it with its own countdown, `{ let __n = __tick.entry; for (…) {
 * if (--__n < 0) __n = __tick(roots); … } }`, a local the engine keeps in a register, so a turn of
 * a tight loop pays one decrement; __tick says how many turns to the next check (and `entry`, how
 * many a loop starting now waits). Only text is added, never a line break, so lines stay the cell's.
 */
export function guardLoops(javascript: string): string {
  const program = parse(javascript, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true });
  // At one position, the lower rank comes first: a roots function before the loops that use it, an outer loop's text before an inner one's.
  const inserts: Array<{ at: number; text: string; rank: number }> = [];
  const labelStart = new Map<AnyNode, number>(); // a labelled loop's block opens before its labels
  let functions = 0;
  /** Walks `node`; `roots` names the roots function in reach; returns whether a loop was found. */
  const visit = (node: AnyNode, roots: string, depth: number): boolean => {
    if (FUNCTIONS.has(node.type) && (node.body as AnyNode).type === 'BlockStatement') {
      const own = `__roots${++functions}`;
      const body = node.body as AnyNode;
      let found = false;
      for (const child of [...(node.params as AnyNode[]), body]) found = visit(child, own, depth) || found;
      // A nested function's roots function calls this one, so it is needed for loops further in too.
      if (found) inserts.push({ at: body.start + 1, text: ` ${rootsFunction(own, roots, functionNames(node))} `, rank: 0 });
      return found;
    }
    if (node.type === 'LabeledStatement') {
      let inner = node.body as AnyNode;
      while (inner.type === 'LabeledStatement') inner = inner.body as AnyNode;
      if (LOOPS.has(inner.type) && !labelStart.has(inner)) labelStart.set(inner, node.start);
    }
    let found = false;
    if (LOOPS.has(node.type)) {
      found = true;
      const body = node.body as AnyNode;
      const check = `if (--__n < 0) __n = __tick(${roots});`;
      inserts.push({ at: labelStart.get(node) ?? node.start, text: '{ let __n = __tick.entry; ', rank: 1 + depth }, { at: node.end, text: ' }', rank: 1 + depth });
      if (body.type === 'BlockStatement') inserts.push({ at: body.start + 1, text: ` ${check}`, rank: 2 + depth });
      else inserts.push({ at: body.start, text: `{ ${check} `, rank: 2 + depth }, { at: body.end, text: ' }', rank: 2 + depth });
      depth += 2;
    }
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === 'object' && typeof (child as AnyNode).type === 'string') found = visit(child as AnyNode, roots, depth) || found;
      }
    }
    return found;
  };
  visit(program as unknown as AnyNode, '__roots', 0);
  let out = javascript;
  // From the end, so earlier positions stay valid; at one position the higher rank goes in first, so it ends up after.
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at || b.rank - a.rank)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
