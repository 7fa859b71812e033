// How the API reference writes a declaration: its signature taken from the emitted .d.ts text as
// TypeScript printed it, without `export declare`, with parameters one per line when the line would
// be too long to read, and each member of a class or interface with its own JSDoc.
import type { Comment, Node } from '@babel/types';
import type { ApiMember } from './api-reference.ts';

/** The JSDoc block right before a node (the last comment, if it is a /** one), as plain text; '' when there is none. */
export function docOf(node: { leadingComments?: readonly Comment[] | null }): string {
  const comment = node.leadingComments?.at(-1);
  if (!comment || comment.type !== 'CommentBlock' || !comment.value.startsWith('*')) return '';
  const lines = comment.value
    .slice(1)
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, '').trimEnd());
  // Blank lines separate paragraphs; the lines of one paragraph join with spaces.
  return lines
    .join('\n')
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' ').trim())
    .join('\n\n');
}

/** Past this many characters a signature puts one parameter per line. */
export const WIDE = 78;

const text = (source: string, node: { start?: number | null; end?: number | null }): string => source.slice(node.start ?? 0, node.end ?? 0);

/** Re-indents TypeScript's four-space declaration output to two spaces, keeping the first line as it is. */
function reindent(code: string): string {
  return code.replace(/^( {4})+/gm, (spaces) => ' '.repeat(spaces.length / 2));
}

/** What a function or method declaration has: parameters, type parameters, a return type. */
interface Callable {
  params: Node[];
  typeParameters?: Node | null;
  returnType?: Node | null;
}

/** `name<T>(a, b): R`, with the parameters one per line when that reads better. */
function callable(source: string, prefix: string, node: Callable): string {
  const typeParameters = node.typeParameters ? text(source, node.typeParameters) : '';
  const params = node.params.map((param) => reindent(text(source, param)));
  const returns = node.returnType ? text(source, node.returnType) : '';
  const oneLine = `${prefix}${typeParameters}(${params.join(', ')})${returns}`;
  if (oneLine.length <= WIDE && !oneLine.includes('\n')) return oneLine;
  const indented = params.map((param) => `  ${param.replace(/\n/g, '\n  ')}`);
  return `${prefix}${typeParameters}(\n${indented.join(',\n')}\n)${returns}`;
}

/** A union type alias too long for one line, one member per line. */
function unionAlias(source: string, head: string, union: Node & { types: Node[] }): string {
  return `${head} =\n${union.types.map((member) => `  | ${reindent(text(source, member))}`).join('\n')}`;
}

/** The signature of a top-level declaration of a .d.ts, as the reference shows it. */
export function signatureOf(source: string, declaration: Node): string {
  switch (declaration.type) {
    case 'TSDeclareFunction':
    case 'FunctionDeclaration':
      return callable(source, `function ${declaration.id?.name ?? ''}`, declaration as unknown as Callable);
    case 'ClassDeclaration':
    case 'TSInterfaceDeclaration': {
      // The head only (`class Dense implements Layer`); the members are listed one by one.
      const head = source.slice(declaration.start ?? 0, declaration.body.start ?? 0).trim();
      return head.replace(/^declare /, '');
    }
    case 'TSTypeAliasDeclaration': {
      const whole = reindent(text(source, declaration)).replace(/^declare /, '').replace(/;$/, '');
      const head = `type ${declaration.id.name}${declaration.typeParameters ? text(source, declaration.typeParameters) : ''}`;
      const annotation = declaration.typeAnnotation;
      return whole.length > WIDE && annotation.type === 'TSUnionType' ? unionAlias(source, head, annotation) : whole;
    }
    default:
      return reindent(text(source, declaration)).replace(/^declare /, '').replace(/;$/, '');
  }
}

type MemberNode = Node & { key?: Node; kind?: string; static?: boolean; accessibility?: string | null; computed?: boolean };

function memberName(member: MemberNode): string {
  const key = member.key;
  if (!key) return '';
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  return '';
}

/** One member of a class or interface body, or undefined for private and protected ones, which are not part of the API. */
export function memberOf(source: string, node: Node): ApiMember | undefined {
  const member = node as MemberNode;
  if (member.accessibility === 'private' || member.accessibility === 'protected') return undefined;
  const name = memberName(member);
  if (name.startsWith('#')) return undefined;
  const isStatic = member.static === true;
  const doc = docOf(member);
  const methodLike = member.type === 'TSDeclareMethod' || member.type === 'TSMethodSignature' || member.type === 'ClassMethod';
  if (methodLike && 'params' in member) {
    const kind = member.kind === 'constructor' ? 'constructor' : member.kind === 'get' ? 'getter' : member.kind === 'set' ? 'setter' : 'method';
    const prefix = `${isStatic ? 'static ' : ''}${kind === 'getter' ? 'get ' : kind === 'setter' ? 'set ' : ''}${name}`;
    const callableNode = member as unknown as Callable;
    // Babel keeps a method signature's parameters under `parameters` and its return type under `typeAnnotation`.
    const params = (callableNode.params ?? (member as unknown as { parameters: Node[] }).parameters) as Node[];
    const returnType = callableNode.returnType ?? (member as unknown as { typeAnnotation?: Node | null }).typeAnnotation ?? null;
    return { name, kind, static: isStatic, signature: callable(source, prefix, { params, typeParameters: callableNode.typeParameters, returnType }), doc };
  }
  const signature = reindent(text(source, member)).replace(/;$/, '');
  return { name, kind: 'property', static: isStatic, signature, doc };
}
