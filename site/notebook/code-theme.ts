// The colours of code, one palette for the static code and the editor. Shiki colours the page's
// code at build time with the two themes named here (for astro.config.mjs and every <Code>);
// the editor gives the same tokens the same roles (comment, keyword, constant, …), and
// notebook.css holds each role's colour in both themes, so the colours never jump on Edit.
import type { SyntaxNode, Tree } from '@lezer/common';
import { Tag, styleTags, tags as t } from '@lezer/highlight';
import type { ShikiTransformer } from 'shiki';

/** Shiki's themes for the light and the dark site theme (GitHub's, as on github.com). */
export const codeThemes = { light: 'github-light-default', dark: 'github-dark-default' } as const;

/**
 * Shiki stops tokenizing a line after 500 ms and paints the rest of it in one colour; on a busy
 * build machine that happens to a page's first line. This transformer gives every line the time
 * it needs (astro.config.mjs uses it; so should every `<Code>`).
 */
export const untimedTokenizer: ShikiTransformer = {
  name: 'scratchnet:untimed-tokenizer',
  preprocess(_code, options) {
    options.tokenizeTimeLimit = 60_000;
  },
};

/** The roles GitHub's themes colour; anything else is plain text. */
export const roles = ['comment', 'keyword', 'constant', 'entity', 'function', 'string'] as const;
export type Role = (typeof roles)[number];

/** Punctuation that Shiki colours as an operator: spread `...`, and `:`, `?`, `|`, `&` in types. */
export const operatorPunctuation = Tag.define();

/** Where the TypeScript grammar's own tags are too coarse for Shiki's colours. */
export const typescriptTags = styleTags({
  'Spread TypeAnnotation/: Optional UnionType/LogicOp IntersectionType/LogicOp': operatorPunctuation,
  'InterpolationStart InterpolationEnd': t.special(t.string),
  'VoidType/void': t.standard(t.typeName),
  'MethodDeclaration/PropertyDefinition': t.function(t.definition(t.propertyName)),
  'ObjectPattern/PatternProperty/PropertyName PropertyType/PropertyDefinition PropertyDeclaration/PropertyDefinition': t.definition(t.typeName),
});

/** Which role each syntax tag plays; a tag not listed (a name, `.`, brackets) is plain text. */
export const tagRoles: Array<{ tag: Tag[]; role: Role }> = [
  { tag: [t.comment], role: 'comment' },
  { tag: [t.string, t.special(t.string), t.regexp], role: 'string' },
  {
    tag: [t.escape, t.keyword, t.modifier, t.function(t.punctuation), operatorPunctuation, t.arithmeticOperator, t.logicOperator, t.bitwiseOperator, t.compareOperator, t.updateOperator, t.definitionOperator, t.typeOperator, t.controlOperator],
    role: 'keyword',
  },
  { tag: [t.number, t.bool, t.null, t.self, t.atom, t.standard(t.typeName)], role: 'constant' },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.function(t.definition(t.variableName)), t.function(t.definition(t.propertyName)), t.className], role: 'function' },
  { tag: [t.definition(t.className), t.definition(t.typeName)], role: 'entity' },
];

const PRIMITIVE_TYPES = new Set(['number', 'string', 'boolean', 'bigint', 'symbol', 'object', 'any', 'unknown', 'never', 'void', 'undefined']);
const CONSTANT_NAMES = new Set(['undefined', 'Infinity', 'NaN']);
const SUPPORT_PROPERTIES = new Set(['length', 'constructor', 'prototype', '__proto__']);

/**
 * Roles that depend on context the tags do not carry, decided the way Shiki's grammar decides
 * them: a parameter is an entity (a function when its type is one), a `const` binding is a
 * constant (a function when its value is one), an ALL-CAPS name, a primitive type and `.length`
 * are constants, other type names are entities, a class's base class is a constant, and the brackets, dots and commas inside `${…}`
 * belong to the string. Returns ranges in document order for the part of `tree` in [from, to];
 * the tags give none of these ranges a colour, so the two never compete.
 */
export function contextRoles(tree: Tree, text: (from: number, to: number) => string, from = 0, to = tree.length): Array<{ from: number; to: number; role: Role }> {
  const found: Array<{ from: number; to: number; role: Role }> = [];
  tree.iterate({
    from,
    to,
    enter(ref) {
      const role = contextRole(ref.node, () => text(ref.from, ref.to));
      if (role) found.push({ from: ref.from, to: ref.to, role });
    },
  });
  return found;
}

function contextRole(node: SyntaxNode, name: () => string): Role | undefined {
  const parent = node.parent;
  switch (node.name) {
    case 'VariableDefinition':
      return bindingRole(node);
    case 'PropertyDefinition':
      return parent?.name === 'Property' && isFunction(valueAfter(node)) ? 'function' : undefined;
    case 'VariableName': {
      if (parent?.name === 'ClassDeclaration') return 'constant'; // the class it extends
      if (node.prevSibling?.name === 'instanceof' || parent?.name === 'TypePredicate') return 'entity';
      const called = parent?.name === 'CallExpression' || parent?.name === 'NewExpression' || parent?.name === 'TaggedTemplateExpression';
      return CONSTANT_NAMES.has(name()) || (!called && /^[A-Z][_$0-9A-Z]*$/.test(name())) ? 'constant' : undefined;
    }
    case 'TypeName':
      return PRIMITIVE_TYPES.has(name()) ? 'constant' : 'entity';
    case 'PropertyName':
      return parent?.parent?.name !== 'CallExpression' && SUPPORT_PROPERTIES.has(name()) ? 'constant' : undefined;
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
    case '.':
    case ',':
      for (let up = parent; up; up = up.parent) if (up.name === 'Interpolation') return 'string';
      return undefined;
  }
  return undefined;
}

/** A parameter, or a name bound by `const` (in a declaration or a `for … of`); `let` and `var` bind plain names. */
function bindingRole(node: SyntaxNode): Role | undefined {
  let owner = node.parent;
  while (owner && /Pattern/.test(owner.name)) owner = owner.parent;
  const direct = owner === node.parent;
  if (owner?.name === 'ParamList') {
    const type = node.nextSibling?.name === 'TypeAnnotation' ? node.nextSibling : null;
    return type?.getChild('FunctionSignature') ? 'function' : 'entity';
  }
  const declares = owner?.name === 'VariableDeclaration' || owner?.name === 'ForOfSpec' || owner?.name === 'ForInSpec';
  if (!declares || !owner?.getChild('const')) return undefined;
  return direct && isFunction(valueAfter(node)) ? 'function' : 'constant';
}

/** The value given to a binding or a property: what follows its type and its `=` or `:`. */
function valueAfter(node: SyntaxNode): SyntaxNode | null {
  let value = node.nextSibling;
  while (value && (value.name === 'TypeAnnotation' || value.name === 'Equals' || value.name === ':')) value = value.nextSibling;
  return value;
}

const isFunction = (node: SyntaxNode | null): boolean => node?.name === 'ArrowFunction' || node?.name === 'FunctionExpression';
