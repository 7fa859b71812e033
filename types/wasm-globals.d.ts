// WebAssembly, as Node, browsers and Web Workers all provide it: just what the library's fast
// kernels use. Kept apart from universal-globals.d.ts because Node's own types lack it, so the
// library's build (which uses Node's types for lib/node.ts) needs it too.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
