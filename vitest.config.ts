// Vitest runs the library's worked examples, the chapters' cells and the site checks.
// `scratchnet` resolves to the library's source, so tests check exactly what the pages run.
// Two projects: `lib` needs nothing built; `site` builds the site once (global setup) first.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  'scratchnet/node': fileURLToPath(new URL('./lib/node.ts', import.meta.url)),
  scratchnet: fileURLToPath(new URL('./lib/index.ts', import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 240_000,
    // Vitest would use one worker on a 2-core machine; the browser tests spend much of their time
    // waiting on Chromium, so two workers overlap them with the library's tests.
    maxWorkers: 2,
    projects: [
      {
        resolve: { alias },
        test: { name: 'lib', include: ['tests/lib/**/*.test.ts', 'tests/scripts/**/*.test.ts', 'tests/project/**/*.test.ts', 'tests/package/**/*.test.ts', 'tests/chapters/**/*.test.ts', 'tests/notebook/**/*.test.ts', 'tests/lab/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 240_000 },
      },
      {
        resolve: { alias },
        test: { name: 'site', include: ['tests/site/**/*.test.ts', 'tests/e2e/**/*.test.ts'], globalSetup: ['./tests/support/build-site.ts'], testTimeout: 30_000, hookTimeout: 240_000 },
      },
    ],
  },
});
