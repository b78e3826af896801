import { createRequire } from 'node:module';
import type * as LiquidModule from 'liquidjs';

/**
 * liquidjs, loaded with `require`: the package is CommonJS, and an ES `import` of it first has
 * Node scan its 200 KB for named exports (about 40 ms of every LLM run's start, 8 ms this way).
 */
export const { Liquid } = createRequire(import.meta.url)('liquidjs') as typeof LiquidModule;
export type Liquid = LiquidModule.Liquid;
