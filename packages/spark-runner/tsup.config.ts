import { readFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

const external = ['onnxruntime-node', 'node-llama-cpp', 'playwright-core'];

/**
 * `createRequire(import.meta.url)('pkg')` (e.g. classifier-llm loading liquidjs as CommonJS) is a
 * runtime require esbuild cannot see: in the bundle it would resolve from beside worker.mjs, where
 * the package is not. Rewritten to an import of the package, so it is bundled like the rest.
 */
const bundleRuntimeRequires = {
  name: 'bundle-runtime-requires',
  setup(build: {
    onLoad(
      options: { filter: RegExp },
      callback: (args: { path: string }) => Promise<{ contents: string; loader: 'js' } | undefined>,
    ): void;
  }) {
    build.onLoad({ filter: /[\\/]dist[\\/][^\\/]+\.m?js$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      const call = /createRequire\(import\.meta\.url\)\((["'])([^"']+)\1\)/g;
      if (!call.test(text)) return undefined;
      const imports: string[] = [];
      const contents = text.replace(call, (whole, _quote: string, name: string) => {
        if (external.includes(name)) return whole;
        imports.push(`import * as __plexusRequired${imports.length} from ${JSON.stringify(name)};`);
        return `__plexusRequired${imports.length - 1}`;
      });
      return { contents: `${imports.join('\n')}\n${contents}`, loader: 'js' };
    });
  },
};

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
    external,
    esbuildPlugins: [bundleRuntimeRequires],
    banner: {
      js: "import { createRequire as __plexusRequire } from 'node:module'; const require = __plexusRequire(import.meta.url);",
    },
  },
]);
