// Which kernels do the heavy arithmetic (the chapter "Making it fast"): the readable TypeScript loops the chapters
// teach, or WebAssembly SIMD kernels for large float32 work (lib/kernels/). `auto` picks
// WebAssembly where the platform has it; setBackend('js') forces the readable loops everywhere.
import { wasmAvailable } from './kernels/wasm.ts';

/** The kernels matmul, ReLU and Adam may use. */
export type Backend = 'js' | 'wasm';

let choice: Backend | 'auto' = 'auto';

/** Chooses the kernels: 'js' (readable, everywhere), 'wasm' (fast, where available) or 'auto'. */
export function setBackend(backend: Backend | 'auto'): void {
  if (backend !== 'js' && backend !== 'wasm' && backend !== 'auto') throw new Error(`setBackend: use 'js', 'wasm' or 'auto', not ${JSON.stringify(backend)}`);
  choice = backend;
}

/** The kernels in use: 'wasm' when chosen (or auto) and WebAssembly SIMD works here, else 'js'. */
export function getBackend(): Backend {
  return choice !== 'js' && wasmAvailable() ? 'wasm' : 'js';
}
