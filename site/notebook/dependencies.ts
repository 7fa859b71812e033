// The names each cell writes and uses, read from its code, so that moving a cell's slider can
// re-run that cell and the cells that depend on it (rerun.ts) and nothing else. The build writes
// each cell's names into the page, and the Worker reports them again for a cell the reader edited.
import { parse, type Node } from 'acorn';
import { transform } from 'sucrase';
import type { CellNames } from './rerun.ts';

export type { CellNames } from './rerun.ts';

type AnyNode = Node & Record<string, unknown>;

/** The names of `source`; a cell that does not parse writes nothing and uses nothing. */
export function cellNames(source: string): CellNames {
  let program: AnyNode;
  try {
    const javascript = transform(source, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true }).code;
    program = parse(javascript, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true }) as unknown as AnyNode;
  } catch {
    return { writes: [], uses: [] };
  }
  const writes = new Set<string>();
  const uses = new Set<string>();
  for (const statement of program.body as AnyNode[]) {
    if (statement.type === 'VariableDeclaration') for (const declaration of statement.declarations as AnyNode[]) bound(declaration.id as AnyNode, writes);
    else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id) writes.add((statement.id as { name: string }).name);
    else if (statement.type === 'ImportDeclaration') for (const specifier of statement.specifiers as AnyNode[]) writes.add((specifier.local as { name: string }).name);
  }
  visit(program, (node) => {
    if (node.type === 'Identifier') uses.add(node.name as string);
    // `x = …`, `x += …`, `x++` and `[a, b] = …` write to names an earlier cell may own.
    if (node.type === 'AssignmentExpression') bound(node.left as AnyNode, writes);
    if (node.type === 'UpdateExpression') bound(node.argument as AnyNode, writes);
  });
  // Identifiers are gathered without scopes, so a name is "used" even where a local shadows it:
  // re-running a cell too many is safe, missing one would leave a stale output.
  return { writes: [...writes], uses: [...uses] };
}

/** Adds the names a pattern binds or assigns (`{ a, b: [c] }`: a and c). */
function bound(pattern: AnyNode | null | undefined, into: Set<string>): void {
  if (!pattern) return;
  if (pattern.type === 'Identifier') into.add(pattern.name as string);
  else if (pattern.type === 'ObjectPattern') for (const property of pattern.properties as AnyNode[]) bound((property.type === 'RestElement' ? property.argument : property.value) as AnyNode, into);
  else if (pattern.type === 'ArrayPattern') for (const element of pattern.elements as AnyNode[]) bound(element, into);
  else if (pattern.type === 'RestElement') bound(pattern.argument as AnyNode, into);
  else if (pattern.type === 'AssignmentPattern') bound(pattern.left as AnyNode, into);
}

/** Calls `enter` on every node except property names (`a.b`, `{ b: 1 }`), which are not variables. */
function visit(node: AnyNode, enter: (node: AnyNode) => void): void {
  enter(node);
  for (const [key, child] of Object.entries(node)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc') continue;
    if ((node.type === 'MemberExpression' && key === 'property' && !node.computed) || ((node.type === 'Property' || node.type === 'MethodDefinition' || node.type === 'PropertyDefinition') && key === 'key' && !node.computed)) continue;
    if (Array.isArray(child)) for (const item of child) (item && typeof item === 'object' && 'type' in item) && visit(item as AnyNode, enter);
    else if (child && typeof child === 'object' && 'type' in child) visit(child as AnyNode, enter);
  }
}
