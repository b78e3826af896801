import { defineConfig } from 'tsup';

const shared = { format: ['esm'] as const, target: 'node20' } as const;

export default defineConfig([
  {
    ...shared,
    // `internal`: Spark's training pieces, behind their own subpath (see src/internal.ts). The two
    // entries share one JavaScript chunk, so a Featurizer from either is the same class.
    entry: { index: 'src/index.ts', internal: 'src/internal.ts' },
    // The main entry's types alone: declared together, the main entry's .d.ts would also export
    // the internal names (under mangled aliases) for internal.d.ts to re-export.
    dts: { entry: { index: 'src/index.ts' } },
    clean: true,
  },
  { ...shared, entry: { internal: 'src/internal.ts' }, dts: { only: true } },
]);
