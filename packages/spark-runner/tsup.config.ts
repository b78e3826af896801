import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing.ts' },
    format: ['esm'],
    dts: true,
    clean: true,
    target: 'node20',
  },
  {
    // The worker bundle: core and the built-in classifier packages in one file, so executors need
    // only Node and this file. Native addons stay outside and are shipped beside it.
    entry: { worker: 'src/worker.ts', 'train-worker': 'src/train-worker.ts' },
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    target: 'node20',
    platform: 'node',
    splitting: false,
    noExternal: [/^(?!onnxruntime-node|node-llama-cpp|playwright-core)/],
    external: ['onnxruntime-node', 'node-llama-cpp', 'playwright-core'],
    banner: {
      js: "import { createRequire as __plexusRequire } from 'node:module'; const require = __plexusRequire(import.meta.url);",
    },
  },
]);
