// Vitest runs the library's worked examples, the chapters' cells and the site checks.
// `scratchnet` resolves to the library's source, so tests check exactly what the pages run.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      'scratchnet/node': fileURLToPath(new URL('./lib/node.ts', import.meta.url)),
      scratchnet: fileURLToPath(new URL('./lib/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 240_000,
  },
});
