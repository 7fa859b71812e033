// Checks compileCell, which turns one cell's TypeScript into a function sharing names with the
// cells before it: types stripped with line numbers kept, top-level names found, imports turned
// into lookups, a final expression returned, and syntax errors (and exports) reported by line.
import { describe, expect, it } from 'vitest';
import { CellSyntaxError, compileCell, type CompiledCell } from '../../site/notebook/transform.ts';

type CellFunction = (scope: Record<string, unknown>, load: (name: string) => unknown) => Promise<unknown>;

/** Evaluates compiled code the way the runtime does: indirect eval, in the global scope. */
function evaluate(compiled: CompiledCell): CellFunction {
  return (0, eval)(compiled.code) as CellFunction;
}

function declaredBy(source: string): string[] {
  return [...compileCell(source, [], 'cell-1.ts').declared].sort();
}

/** Compiles `source`, expects a CellSyntaxError, and returns it. */
function syntaxError(source: string): CellSyntaxError {
  try {
    compileCell(source, [], 'cell-1.ts');
  } catch (error) {
    expect(error).toBeInstanceOf(CellSyntaxError);
    return error as CellSyntaxError;
  }
  throw new Error('expected a CellSyntaxError, but the cell compiled');
}

/** Runs a compiled cell and returns the error it throws. */
async function rejection(compiled: CompiledCell, scope: Record<string, unknown> = {}): Promise<Error> {
  try {
    await evaluate(compiled)(scope, () => ({}));
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the cell to throw');
}

describe('compileCell strips types and keeps line numbers', () => {
  const typed = [
    'interface Point {', //        1
    '  x: number;', //             2
    '}', //                        3
    'type Pair = [number, number];', // 4
    'const p: Point = { x: 1 } as Point;', // 5
    'function twice(n: number): number {', // 6
    '  return (n as any).missing.field;', // 7
    '}', //                        8
    'const marker: Pair = [1, 2];', // 9
    'twice(p.x)', //               10
  ].join('\n');

  it('leaves no type syntax in the generated code', () => {
    const { code } = compileCell(typed, [], 'cell-1.ts');
    expect(code).not.toMatch(/interface|type Pair|: number|as Point|as any|: Point|: Pair/);
  });

  it('keeps every line of the cell on the same line of the generated code', () => {
    const lines = compileCell(typed, [], 'cell-1.ts').code.split('\n');
    expect(lines.findIndex((line) => line.includes('const marker'))).toBe(8);
    expect(lines.findIndex((line) => line.includes('.missing.field'))).toBe(6);
    expect(lines.findIndex((line) => line.includes('twice(p.x)'))).toBe(9);
  });

  it('reports an error thrown on line 3 of a typed cell at cell-1.ts:3', async () => {
    const source = ['const a: number = 1;', 'const b: { c?: { d: number } } = {};', 'const e: number = b.c!.d + a;'].join('\n');
    const error = await rejection(compileCell(source, [], 'cell-1.ts'));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.stack).toMatch(/cell-1\.ts:3:\d+/);
  });

  it('reports an error inside a function at the line of the throw, past a multi-line interface', async () => {
    const error = await rejection(compileCell(typed, [], 'cell-7.ts'));
    expect(error.stack).toMatch(/cell-7\.ts:7:\d+/);
    expect(error.stack).toMatch(/cell-7\.ts:10:\d+/);
  });

  it('keeps line numbers after a multi-line import', () => {
    const source = ['import {', '  Dense,', '  Matrix as M,', "} from 'scratchnet';", 'const marker = new Dense(1, 1);'].join('\n');
    const lines = compileCell(source, [], 'cell-1.ts').code.split('\n');
    expect(lines.findIndex((line) => line.includes('const marker'))).toBe(4);
  });
});

describe('compileCell finds the names a cell declares', () => {
  it('finds const, let and var', () => {
    expect(declaredBy('const a = 1;\nlet b = 2, c;\nvar d = 3;')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('finds names in object and array destructuring', () => {
    expect(declaredBy('const { a, b: renamed } = obj;\nconst [c, , d] = list;')).toEqual(['a', 'c', 'd', 'renamed']);
  });

  it('finds names in nested patterns, rest elements and defaults', () => {
    expect(declaredBy('const { a: { b, c: [d, ...e] }, f = 1, ...g } = obj;\nlet [h = 2, [i], ...j] = list;')).toEqual(['b', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
  });

  it('does not count property keys or default values as names', () => {
    expect(declaredBy('const { key: value = fallback } = obj;')).toEqual(['value']);
  });

  it('finds functions, async and generator functions, and classes', () => {
    expect(declaredBy('function f() {}\nasync function g() {}\nfunction* h() {}\nclass K {}')).toEqual(['K', 'f', 'g', 'h']);
  });

  it('finds named imports, including renamed ones by their local name', () => {
    expect(declaredBy("import { Dense, Matrix as M } from 'scratchnet';")).toEqual(['Dense', 'M']);
  });

  it('finds namespace and default imports', () => {
    expect(declaredBy("import * as sn from 'scratchnet';")).toEqual(['sn']);
    expect(declaredBy("import lib, { dot } from 'scratchnet';")).toEqual(['dot', 'lib']);
  });

  it('ignores names declared inside blocks and functions', () => {
    expect(declaredBy('{ const inner = 1; }\nfunction f() { const local = 2; }\nfor (let i = 0; i < 2; i++) {}\nif (true) { let scoped = 3; }')).toEqual(['f']);
  });

  it('ignores type-only declarations', () => {
    expect(declaredBy('type T = number;\ninterface I { x: T }\nconst value: T = 1;')).toEqual(['value']);
  });
});

describe('compileCell turns imports into lookups', () => {
  it('asks __import for the module and binds the imported names, renamed ones under their local name', async () => {
    const compiled = compileCell("import { Dense, Matrix as M } from 'scratchnet';\nimport * as sn from 'scratchnet';\n[Dense, M, sn]", [], 'cell-1.ts');
    const requested: string[] = [];
    const module = { Dense: 'the Dense', Matrix: 'the Matrix' };
    const value = await evaluate(compiled)({}, (name) => {
      requested.push(name);
      return module;
    });
    expect(requested).toEqual(['scratchnet', 'scratchnet']);
    expect(value).toEqual(['the Dense', 'the Matrix', module]);
  });

  it('binds a default import to the module’s default', async () => {
    const compiled = compileCell("import lib from 'anything';\nlib", [], 'cell-1.ts');
    expect(await evaluate(compiled)({}, () => ({ default: 42 }))).toBe(42);
  });

  it('still calls __import for a bare side-effect import, so an unknown module fails', async () => {
    const compiled = compileCell("import 'elsewhere';\n1", [], 'cell-1.ts');
    await expect(evaluate(compiled)({}, (name) => {
      throw new Error(`no ${name}`);
    })).rejects.toThrow('no elsewhere');
  });
});

describe('compileCell returns the value of a final expression', () => {
  it('sets returnsValue for a cell ending with an expression statement', () => {
    expect(compileCell('const a = 1;\na + 1', [], 'cell-1.ts').returnsValue).toBe(true);
    expect(compileCell('const a = 1;\na + 1; // the answer', [], 'cell-1.ts').returnsValue).toBe(true);
  });

  it('does not set returnsValue when the cell ends with a declaration, a block, a loop or nothing', () => {
    for (const source of ['1 + 1;\nconst a = 2;', 'function f() { return 1 }', 'if (true) { 1 }', 'for (const x of [1]) x;', '', '// just a comment', 'class A {}']) {
      expect(compileCell(source, [], 'cell-1.ts').returnsValue, source).toBe(false);
    }
  });

  it('returns the value of the final expression when run, and nothing otherwise', async () => {
    expect(await evaluate(compileCell('const a = 20;\na * 2 + 2', [], 'cell-1.ts'))({}, () => ({}))).toBe(42);
    expect(await evaluate(compileCell('const a = 20;\na * 2 + 2;\nconst b = a;', [], 'cell-1.ts'))({}, () => ({}))).toBeUndefined();
  });

  it('returns a sequence expression whole', async () => {
    expect(await evaluate(compileCell('1, 2, 3', [], 'cell-1.ts'))({}, () => ({}))).toBe(3);
  });

  it('awaits top-level await before returning', async () => {
    expect(await evaluate(compileCell('const v = await Promise.resolve(5);\nv + (await Promise.resolve(1))', [], 'cell-1.ts'))({}, () => ({}))).toBe(6);
  });
});

describe('compileCell refuses export and reports syntax errors by line', () => {
  it('refuses export with a CellSyntaxError naming its line', () => {
    const error = syntaxError('const a = 1;\n\nexport const b = 2;');
    expect(error.name).toBe('SyntaxError');
    expect(error.message).toMatch(/cannot export/);
    expect(error.line).toBe(3);
  });

  it('refuses export default and re-exports too', () => {
    expect(syntaxError('export default 1;').line).toBe(1);
    expect(syntaxError("const a = 1;\nexport * from 'scratchnet';").line).toBe(2);
    expect(syntaxError('const a = 1;\nexport { a };').line).toBe(2);
  });

  it('gives the line of a syntax error that the type stripper finds', () => {
    const error = syntaxError('const a: number = 1;\nconst b = 2;\nconst c: string = ;');
    expect(error.line).toBe(3);
    expect(error.name).toBe('SyntaxError');
  });

  it('gives the line of an error only the JavaScript parser finds, past typed lines', () => {
    const error = syntaxError('const a: number = 1;\nconst b: number = 2;\nconst a = 3;');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/already been declared/);
  });

  it('reports the line separately, not as "(line:col)" at the end of the message', () => {
    expect(syntaxError('let x = 1;\n\nlet y = (;').message).not.toMatch(/\(\d+:\d+\)\s*$/);
  });
});

describe('compileCell generates a function expression for indirect eval', () => {
  it('is an async function of (__scope, __import, __tick) named by its sourceURL', () => {
    const { code } = compileCell('1', [], 'cell-4.ts');
    expect(code.startsWith('(async function (__scope, __import, __tick) {')).toBe(true);
    expect(code.endsWith('\n//# sourceURL=cell-4.ts')).toBe(true);
    expect(typeof (0, eval)(code)).toBe('function');
  });

  it('reads earlier names from the scope and writes its own names back', async () => {
    const scope: Record<string, unknown> = { a: 2, unused: 'kept' };
    const compiled = compileCell('const b = a * 10;\nfunction f() { return b + 1; }\nclass K {}\nf()', Object.keys(scope), 'cell-1.ts');
    expect(await evaluate(compiled)(scope, () => ({}))).toBe(21);
    expect(scope.b).toBe(20);
    expect(typeof scope.f).toBe('function');
    expect(typeof scope.K).toBe('function');
    expect(scope.unused).toBe('kept');
  });

  it('writes back a reassigned earlier name', async () => {
    const scope: Record<string, unknown> = { count: 1 };
    await evaluate(compileCell('count = count + 1;', Object.keys(scope), 'cell-2.ts'))(scope, () => ({}));
    expect(scope.count).toBe(2);
  });

  it('lets a cell redeclare an earlier name as its own', async () => {
    const scope: Record<string, unknown> = { a: 1 };
    const compiled = compileCell("const a = 'mine';\na", Object.keys(scope), 'cell-2.ts');
    expect(compiled.code).not.toMatch(/let \{[^}]*\ba\b[^}]*\} = __scope/);
    expect(await evaluate(compiled)(scope, () => ({}))).toBe('mine');
    expect(scope.a).toBe('mine');
  });

  it('writes back the names declared before a throw and skips those not yet declared', async () => {
    const scope: Record<string, unknown> = {};
    const compiled = compileCell("const before = 1;\nthrow new Error('stop');\nconst after = 2;", [], 'cell-1.ts');
    await expect(evaluate(compiled)(scope, () => ({}))).rejects.toThrow('stop');
    expect(scope.before).toBe(1);
    expect('after' in scope).toBe(false);
  });

  it('skips known names that are not identifiers', async () => {
    const scope: Record<string, unknown> = { 'not-a-name': 1, fine: 2 };
    const compiled = compileCell('fine + 1', Object.keys(scope), 'cell-1.ts');
    expect(compiled.code).not.toContain('not-a-name');
    expect(await evaluate(compiled)(scope, () => ({}))).toBe(3);
  });
});
