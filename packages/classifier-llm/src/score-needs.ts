import {
  closest,
  ExpressionError,
  parseSafeExpression,
  type ScoreNeedsV1,
  type ScoreNeedV1,
} from '@plexus/core';
import type { ClassifierSettings } from './classifier-settings.js';
import type { GraphSettings } from './graph-settings.js';
import { Liquid } from './liquid.js';

// Only parses, to list the variables a template reads; templates are rendered elsewhere. A
// template longer than the default `template_limits.parse_chars` is not analysed here (the score's
// own parse, under its limits, reports it).
const analyser = new Liquid({ root: [], partials: [], layouts: [], parseLimit: 1_000_000 });

type Needs = {
  fields: ScoreNeedV1[];
  results: ScoreNeedV1[];
  environment: (ScoreNeedV1 & { why: string })[];
  problems: { path: string; message: string }[];
};

function emptyNeeds(): Needs {
  return { fields: [], results: [], environment: [], problems: [] };
}

/**
 * The variables a Liquid template reads from outside (not the ones it assigns or loops over),
 * each as a path of literal segments: `{{ metadata.x }}` → `['metadata', 'x']`. Undefined when
 * the template does not parse (that is reported when the score is created).
 */
export function templateVariables(source: string): string[][] | undefined {
  try {
    return analyser
      .globalVariableSegmentsSync(source, { partials: false })
      .map((segments) => {
        const literal: string[] = [];
        for (const segment of segments) {
          if (typeof segment !== 'string') break;
          literal.push(segment);
        }
        return literal;
      })
      .filter((segments) => segments.length > 0);
  } catch {
    return undefined;
  }
}

/** Adds what one template reads: metadata fields, upstream results, and unknown variables. */
function addTemplate(
  needs: Needs,
  source: string | undefined,
  path: string,
  roots: readonly string[],
): void {
  if (source === undefined) return;
  const seen = new Set<string>();
  for (const [root, key] of templateVariables(source) ?? []) {
    if (!root || seen.has(`${root}.${key ?? ''}`)) continue;
    seen.add(`${root}.${key ?? ''}`);
    if (!roots.includes(root)) {
      const guess = closest(root, roots);
      needs.problems.push({
        path,
        message: `{{ ${root} }} is not a template variable${guess ? `; did you mean {{ ${guess} }}?` : ''} (variables: ${roots.join(', ')}; dataset columns are metadata.<column>)`,
      });
    } else if (root === 'metadata' && key !== undefined) needs.fields.push({ path, name: key });
    else if (root === 'results' && key !== undefined) needs.results.push({ path, name: key });
  }
}

/** The API key a remote provider needs, unless it is a local endpoint (`base_url`). */
function addProviderKey(
  needs: Needs,
  settings: { provider?: string; base_url?: string | undefined; api_key_env?: string | undefined },
): void {
  if (settings.base_url !== undefined || settings.provider === 'llama-cpp') return;
  const huggingface = settings.provider === 'huggingface';
  const variable = settings.api_key_env ?? (huggingface ? 'HF_TOKEN' : 'OPENAI_API_KEY');
  needs.environment.push({
    path: settings.api_key_env === undefined ? 'provider' : 'api_key_env',
    name: variable,
    why: `${huggingface ? 'Hugging Face' : 'the OpenAI API'} needs a key (or set base_url for a local server)`,
  });
}

const classifierRoots = ['text', 'metadata', 'results', 'id'];

/** `llm/classifier`: the prompt's and system message's variables, and the provider's key. */
export function classifierNeeds(
  settings: ClassifierSettings,
  options: { providerKey: boolean } = { providerKey: true },
): ScoreNeedsV1 {
  const needs = emptyNeeds();
  const roots = settings.chunking ? [...classifierRoots, 'chunk'] : classifierRoots;
  addTemplate(needs, settings.prompt, 'prompt', roots);
  addTemplate(needs, settings.system, 'system', roots);
  if (options.providerKey) addProviderKey(needs, settings);
  return needs;
}

const graphRoots = ['text', 'metadata', 'results', 'nodes', 'id'];

/** `llm/graph`: every template and logic rule of its nodes, and the provider's key when a node calls the model. */
export function graphNeeds(
  settings: GraphSettings,
  options: { providerKey: boolean } = { providerKey: true },
): ScoreNeedsV1 {
  const needs = emptyNeeds();
  settings.nodes.forEach((node, index) => {
    const at = `nodes.${index}`;
    if (node.type === 'fuzzy') addTemplate(needs, node.in, `${at}.in`, graphRoots);
    else if (node.type === 'logic') addRules(needs, node.rules, at);
    else {
      addTemplate(needs, node.prompt, `${at}.prompt`, graphRoots);
      addTemplate(needs, node.system, `${at}.system`, graphRoots);
    }
    for (const [label, target] of Object.entries(node.routes ?? {})) {
      if (typeof target === 'string') continue;
      addTemplate(needs, target.end.value, `${at}.routes.${label}.end.value`, graphRoots);
      addTemplate(
        needs,
        target.end.explanation,
        `${at}.routes.${label}.end.explanation`,
        graphRoots,
      );
    }
  });
  addTemplate(needs, settings.output?.value, 'output.value', graphRoots);
  addTemplate(needs, settings.output?.explanation, 'output.explanation', graphRoots);
  const calls = settings.nodes.some(
    (node) => node.type === 'classifier' || node.type === 'extractor',
  );
  if (calls && options.providerKey) addProviderKey(needs, settings);
  return needs;
}

function addRules(needs: Needs, rules: readonly { when: string }[], at: string): void {
  rules.forEach((rule, index) => {
    try {
      const expression = parseSafeExpression(rule.when, ['nodes', 'results', 'metadata', 'text']);
      const path = `${at}.rules.${index}.when`;
      for (const name of expression.keys.get('metadata') ?? []) needs.fields.push({ path, name });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error; // reported when the score is created
    }
  });
}

/** `llm/hf-task`: the Hugging Face token, unless it calls a dedicated endpoint. */
export function hfTaskNeeds(settings: {
  base_url?: string | undefined;
  api_key_env?: string | undefined;
}): ScoreNeedsV1 {
  const needs = emptyNeeds();
  addProviderKey(needs, { ...settings, provider: 'huggingface' });
  return needs;
}
