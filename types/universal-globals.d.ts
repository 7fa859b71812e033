// The few globals that Node, browsers and Web Workers all provide (timing, text encoding,
// gzip streams). The core library is type-checked against ES2023 plus only these
// (tsconfig.core.json), so any use of the DOM or of Node's APIs in lib/ fails to compile.
declare const performance: { now(): number };
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}
declare class DecompressionStream {
  constructor(format: 'gzip' | 'deflate' | 'deflate-raw');
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}
interface ReadableStream<R> {
  readonly locked: boolean;
  readonly _chunk?: R;
}
interface WritableStream<W> {
  getWriter(): { write(chunk: W): Promise<void>; close(): Promise<void> };
}
declare class Response {
  constructor(body: ReadableStream<Uint8Array>);
  arrayBuffer(): Promise<ArrayBuffer>;
}
declare function atob(data: string): string;
