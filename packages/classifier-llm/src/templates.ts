import { ScoreCallError } from '@plexus/core';
import { z } from 'zod';
import { Liquid } from './liquid.js';
import { plainTemplate, renderPlain } from './plain-template.js';

// Templates may not read files: every partial or layout lookup fails.
const noFiles = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file: string) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  readFileSync: (file: string) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  resolve: (_root: string, file: string) => file,
};

/**
 * Limits of one template (the `template_limits` setting), so that a template cannot exhaust the
 * process: `{% for i in (1..100000000) %}` is refused, not run until the heap is gone.
 */
export const templateLimitsSchema = z
  .object({
    /** Characters of the template's source; default 1,000,000. */
    parse_chars: z.number().int().positive().default(1_000_000),
    /** Milliseconds one rendering may take; default 2,000. */
    render_ms: z.number().int().positive().default(2_000),
    /**
     * Units of memory one rendering may create (a loop range counts its length, a string filter
     * its output's characters); default 10,000,000.
     */
    memory: z.number().int().positive().default(10_000_000),
  })
  .strict();

export type TemplateLimits = z.output<typeof templateLimitsSchema>;

export const defaultTemplateLimits: TemplateLimits = templateLimitsSchema.parse({});

/** A rendering stopped by a limit: the item gets an error result `template_limit`, the run goes on. */
export class TemplateLimitError extends ScoreCallError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'template_limit', cause });
    this.name = 'TemplateLimitError';
  }
}

/** One engine per parse limit (liquidjs checks it in the parser the engine owns). */
const engines = new Map<number, Liquid>();

function engineFor(parseLimit: number): Liquid {
  let engine = engines.get(parseLimit);
  if (!engine) {
    engine = new Liquid({
      fs: noFiles,
      root: [],
      partials: [],
      layouts: [],
      relativeReference: false,
      ownPropertyOnly: true,
      parseLimit,
    });
    engines.set(parseLimit, engine);
  }
  return engine;
}

/** Liquid tags and outputs (`{% ... %}`, `{{ ... }}`): where a range is code, not text. */
const liquidCode = /\{[{%]([\s\S]*?)[}%]\}/g;
/** Literal loop ranges, `(1..100000000)`. */
const literalRange = /\(\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*\)/g;

/** Refuses a literal range longer than the memory limit: it could never render. */
function checkRanges(source: string, limits: TemplateLimits): void {
  const code = Array.from(source.matchAll(liquidCode), (tag) => tag[1]).join('\n');
  for (const match of code.matchAll(literalRange)) {
    const steps = Number(match[2]) - Number(match[1]) + 1;
    if (steps > limits.memory)
      throw new Error(
        `the loop range ${match[0]} has ${steps.toLocaleString('en-US')} steps, more than the template memory limit (${limits.memory.toLocaleString('en-US')}); use a smaller range or raise template_limits.memory`,
      );
  }
}

/** Whether an error from liquidjs (or V8's string limit) is a limit, not a mistake in the template. */
function isLimit(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /limit exceeded|Invalid string length/.test(message);
}

/** A parsed Liquid template; rendering sees only the values it is given. */
export interface Template {
  render(scope: Record<string, unknown>): Promise<string>;
}

/**
 * Parses a template once; throws with Liquid's message (line and column) when it is invalid, too
 * long, or loops over a literal range longer than the memory limit. Rendering throws a
 * `TemplateLimitError` when it takes longer or creates more than the limits allow.
 */
export function parseTemplate(
  source: string,
  limits: TemplateLimits = defaultTemplateLimits,
): Template {
  if (source.length > limits.parse_chars)
    throw new Error(
      `the template has ${source.length.toLocaleString('en-US')} characters, more than template_limits.parse_chars (${limits.parse_chars.toLocaleString('en-US')})`,
    );
  checkRanges(source, limits);
  const engine = engineFor(limits.parse_chars);
  const parsed = engine.parse(source);
  const options = { renderLimit: limits.render_ms, memoryLimit: limits.memory };
  const plain = plainTemplate(source);
  return {
    // Plain substitutions joined (see `plainTemplate`), else liquidjs's synchronous renderer:
    // the same output and limits (no tag or filter here is asynchronous: templates cannot read
    // files) without its promise per node, per item.
    render: async (scope) => {
      try {
        const text = plain && renderPlain(plain, scope);
        if (text !== undefined) return text;
        return engine.renderSync(parsed, scope, options) as string;
      } catch (error) {
        if (!isLimit(error)) throw error;
        throw new TemplateLimitError(
          `the template stopped at a limit (${error instanceof Error ? error.message : String(error)}); see template_limits`,
          error,
        );
      }
    },
  };
}
