import { z } from 'zod';
import { chunkingSchema } from './chunking.js';
import { modelSettings } from './classifier-settings.js';
import { emptyTextSetting } from './empty-text.js';
import { templateLimitsSchema } from './templates.js';

const endSchema = z
  .object({
    /** Stop here with these outputs (templates). */
    end: z.object({ value: z.string().min(1), explanation: z.string().optional() }).strict(),
  })
  .strict();

/** Where a node's label leads: another node (by name), or the end with literal outputs. */
const routesSchema = z
  .record(z.string().min(1), z.union([z.string().min(1), endSchema]))
  .optional();

const nodeName = z.string().regex(/^[A-Za-z_][\w-]*$/, 'letters, digits, - and _');

/** A node that reads the text may run once per chunk (with the graph's `chunking`). */
const perChunkFields = {
  /** Run this node once per chunk of the text and combine its answers before routing. */
  per_chunk: z.boolean().optional(),
  /** How the chunks' answers combine (`any`, `all`, `majority`, `first`); default `chunking.combine`. */
  combine: z.enum(['any', 'all', 'majority', 'first']).optional(),
  /** The label `any` and `all` look for; default the node's first label. */
  positive_label: z.string().min(1).optional(),
};

export const graphNodeSchema = z.discriminatedUnion('type', [
  z
    .object({
      name: nodeName,
      /** One question with a closed set of labels. */
      type: z.literal('classifier'),
      prompt: z.string().min(1),
      system: z.string().optional(),
      labels: z.array(z.string().min(1)).min(2),
      routes: routesSchema,
      ...perChunkFields,
    })
    .strict(),
  z
    .object({
      name: nodeName,
      /** A quote from the text, checked against it: label `found` or `not_found`. */
      type: z.literal('extractor'),
      prompt: z.string().min(1),
      system: z.string().optional(),
      routes: routesSchema,
      ...perChunkFields,
    })
    .strict(),
  z
    .object({
      name: nodeName,
      /**
       * No model call: `found` when one of the phrases occurs in the text (or in `in`), allowing
       * small differences (fuzzy similarity >= threshold); the match is the node's `quote`.
       */
      type: z.literal('fuzzy'),
      phrases: z.array(z.string().min(1)).min(1),
      /** Similarity 0..100 a window of words needs; default 85. */
      threshold: z.number().min(0).max(100).default(85),
      /** What to search, a template; default `{{ text }}` (e.g. `{{ nodes.quote.quote }}`). */
      in: z.string().min(1).default('{{ text }}'),
      routes: routesSchema,
      ...perChunkFields,
    })
    .strict(),
  z
    .object({
      name: nodeName,
      /** Safe expressions over earlier nodes (`nodes["x"]`), `results`, `metadata`, `text`. */
      type: z.literal('logic'),
      rules: z
        .array(z.object({ when: z.string().min(1), label: z.string().min(1) }).strict())
        .min(1),
      otherwise: z.string().min(1),
      routes: routesSchema,
    })
    .strict(),
]);

export type GraphNode = z.output<typeof graphNodeSchema>;

export const graphSettingsSchema = z
  .object({
    /** Run in order; a node's label routes to a later node or the end, or falls through to the next. */
    nodes: z.array(graphNodeSchema).min(1),
    /** The score's value and explanation (templates over `nodes`); default the last node's. */
    output: z
      .object({ value: z.string().min(1), explanation: z.string().optional() })
      .strict()
      .optional(),
    structured_output: z.boolean().default(true),
    max_corrections: z.number().int().min(0).max(5).default(2),
    ...emptyTextSetting,
    /**
     * Long texts: cut into token windows (the settings of `llm/classifier`). The whole tree runs
     * per chunk and the chunks' values combine, or, when nodes say `per_chunk: true`, only those
     * nodes run per chunk and combine their answers before routing.
     */
    chunking: chunkingSchema.optional(),
    /** Limits of the templates' parsing and rendering (see `templates.ts`); defaults apply. */
    template_limits: templateLimitsSchema.optional(),
    ...modelSettings,
  })
  .strict();

export type GraphSettings = z.output<typeof graphSettingsSchema>;

/** The labels a node can give. */
export function nodeLabels(node: GraphNode): string[] {
  if (node.type === 'classifier') return node.labels;
  if (node.type === 'extractor' || node.type === 'fuzzy') return ['found', 'not_found'];
  return [...new Set([...node.rules.map((rule) => rule.label), node.otherwise])];
}
