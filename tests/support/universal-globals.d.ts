// The few globals that Node, browsers and Web Workers all provide. The core library is
// type-checked against ES2023 plus only these (tsconfig.core.json), so any use of the DOM
// or of Node's APIs in lib/ fails to compile.
declare const performance: { now(): number };
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}
