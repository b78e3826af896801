import {
  defineScoreFactory,
  errorOutput,
  InvalidConfigError,
  matchLabel,
  nameRecord,
  type PhraseHit,
  PhraseMatcher,
  type RatioFunction,
  redactedSlice,
  ScoreCallError,
  type ScoreItemV1,
  type ScoreOutputV1,
  stopsRun,
} from '@plexus/core';
import { type TracedCall, tracedAnswers } from './call-trace.js';
import type { ChatMessage, ChatProvider } from './chat-provider.js';
import { checkEmptyTextLabel, emptyTextOutput, showsText } from './empty-text.js';
import { readQuote, unaskedNote } from './graph-answers.js';
import { runGraphPerChunk, runNodePerChunk, seenText, wholeTreePerChunk } from './graph-chunks.js';
import { type GraphPlan, type PlannedNode, planGraph } from './graph-plan.js';
import { type GraphSettings, graphSettingsSchema } from './graph-settings.js';
import { quotedAnswer } from './label-parsing.js';
import { llmScore } from './llm-score.js';
import {
  addUsage,
  checkProvider,
  emptyUsage,
  explanationOf,
  labelInstruction,
  ModelClient,
  modelLabel,
  pick,
  type UsageTally,
  whyNot,
} from './model-client.js';
import { graphNeeds } from './score-needs.js';
import { type NodeUsage, nodeUsage } from './usage-tally.js';

/** What a node gave, as later nodes and templates see it (`nodes.name.value`). */
interface NodeResult {
  value: string;
  explanation: string;
  /** Extractors: the quote the model gave. */
  quote?: string;
}

/** One step of the path through the graph, kept in the trace. */
interface TraceStep extends NodeResult {
  node: string;
  answers?: string[];
  attempts?: number;
  /** Classifier nodes: what the last answer lacked (no `finish_reason`) and how it was read. */
  answer_note?: string;
  /** Nodes that ask the model: their calls, tokens and cost. */
  usage?: NodeUsage;
  /** Nodes that ask the model: each call's rendered messages and raw answer. */
  prompts?: TracedCall[];
}

const quoteInstruction =
  'Answer with the exact words quoted from the text and nothing else, or NONE if the text has no such words.';

class NodeFailed extends ScoreCallError {
  constructor(message: string, code: string) {
    super(message, { code, retryable: false });
  }
}

interface RunContext {
  item: ScoreItemV1;
  client: ModelClient;
  settings: GraphSettings;
  results: Record<string, NodeResult>;
  usage: UsageTally;
  signal: AbortSignal;
  /** The calls of the node being run, for its trace step. */
  prompts?: TracedCall[];
  /** The node that failed, with the calls it made, for the error's trace. */
  failed?: { node: string; prompts: TracedCall[] };
}

function scopeOf(context: RunContext): Record<string, unknown> {
  const { item, results } = context;
  return {
    text: item.text,
    metadata: item.metadata,
    results: item.results,
    nodes: results,
    id: item.id,
  };
}

async function messagesFor(
  plan: PlannedNode,
  context: RunContext,
  instruction: string,
): Promise<ChatMessage[]> {
  const scope = scopeOf(context);
  const messages: ChatMessage[] = [];
  if (plan.system) messages.push({ role: 'system', content: await plan.system.render(scope) });
  messages.push({ role: 'user', content: `${await plan.prompt!.render(scope)}\n\n${instruction}` });
  return messages;
}

let ratio: Promise<RatioFunction> | undefined;

/** fuzzball, loaded by the first fuzzy node. */
function fuzzyRatio(): Promise<RatioFunction> {
  ratio ??= import('fuzzball').then((fuzzball) => fuzzball.ratio);
  return ratio;
}

/** Each fuzzy node's matchers, compiled once. */
const matchers = new WeakMap<PlannedNode, Promise<PhraseMatcher[]>>();

function matchersOf(plan: PlannedNode, phrases: readonly string[], threshold: number) {
  let compiled = matchers.get(plan);
  if (!compiled) {
    compiled = fuzzyRatio().then((ratio) =>
      phrases.map(
        (phrase) =>
          new PhraseMatcher(phrase, {
            wholeWord: true,
            caseSensitive: false,
            fuzzy: { threshold, ratio },
          }),
      ),
    );
    matchers.set(plan, compiled);
  }
  return compiled;
}

/** The best match of any phrase in the text (exact beats fuzzy), or undefined. */
function bestPhrase(text: string, compiled: readonly PhraseMatcher[]): PhraseHit | undefined {
  let best: PhraseHit | undefined;
  for (const matcher of compiled) {
    for (const hit of [matcher.nextExact(text, 0), ...matcher.findFuzzy(text)])
      if (hit && (!best || hit.similarity > best.similarity)) best = hit;
  }
  return best;
}

/** Runs a node with its own usage tally, added to the item's and kept in its trace step. */
async function runNode(plan: PlannedNode, context: RunContext): Promise<TraceStep> {
  if (plan.node.type === 'fuzzy' || plan.node.type === 'logic') return runStep(plan, context);
  const usage = emptyUsage();
  const prompts: TracedCall[] = [];
  try {
    const step = await runStep(plan, { ...context, usage, prompts });
    return { ...step, usage: nodeUsage(usage), prompts };
  } catch (error) {
    if (prompts.length > 0) context.failed = { node: plan.node.name, prompts };
    throw error;
  } finally {
    addUsage(context.usage, usage);
  }
}

async function runStep(plan: PlannedNode, context: RunContext): Promise<TraceStep> {
  const { node } = plan;
  if (node.type === 'fuzzy') {
    const text = await plan.prompt!.render(scopeOf(context));
    const hit = bestPhrase(text, await matchersOf(plan, node.phrases, node.threshold));
    return {
      node: node.name,
      value: hit ? 'found' : 'not_found',
      quote: hit?.matched ?? '',
      explanation: hit
        ? `"${hit.matched}" matches "${hit.phrase}" (similarity ${Math.round(hit.similarity)})`
        : `none of ${node.phrases.map((phrase) => `"${phrase}"`).join(', ')} (threshold ${node.threshold})`,
    };
  }
  if (node.type === 'logic') {
    const scope = {
      nodes: Object.fromEntries(
        Object.entries(context.results).map(([name, result]) => [name, result.value]),
      ),
      results: Object.fromEntries(
        Object.entries(context.item.results).map(([name, output]) => [name, output.value]),
      ),
      metadata: context.item.metadata,
      text: context.item.text,
    };
    const rules = plan.rules!;
    const held = rules.findIndex((candidate) => candidate.expression.evaluate(scope));
    const rule = rules[held];
    return {
      node: node.name,
      value: rule?.label ?? node.otherwise,
      explanation: `${rule ? `${rule.expression.source} is true` : 'no rule holds'}${unaskedNote(rules.slice(0, held < 0 ? rules.length : held + 1), context.results)}`,
    };
  }
  if (node.type === 'extractor') {
    const messages = await messagesFor(plan, context, quoteInstruction);
    const { response, attempts } = await context.client.complete(messages, {
      usage: context.usage,
      signal: context.signal,
      prompts: context.prompts,
    });
    const { quote, found } = readQuote(response.content, context.item.text);
    return {
      node: node.name,
      value: found ? 'found' : 'not_found',
      quote: found ? quote : '',
      explanation: found
        ? `quoted: "${quote}"`
        : quote && quote.toUpperCase() !== 'NONE'
          ? `the quote "${redactedSlice(quote, 0, 200)}" is not in the text`
          : 'nothing to quote',
      answers: tracedAnswers([response.content]),
      attempts,
    };
  }
  const messages = await messagesFor(plan, context, labelInstruction(plan.labels));
  const answer = await context.client.askLabel(messages, {
    labels: plan.labels,
    structured: context.settings.structured_output,
    maxCorrections: context.settings.max_corrections,
    usage: context.usage,
    signal: context.signal,
    prompts: context.prompts,
  });
  if (answer.label === undefined) {
    throw new NodeFailed(
      `node "${node.name}" gave no valid label after ${answer.answers.length} answers; last answer: ${quotedAnswer(answer.answers)}${whyNot(answer)}`,
      'invalid_answer',
    );
  }
  return {
    node: node.name,
    value: answer.label,
    explanation: explanationOf(answer.answers.at(-1)!),
    answers: tracedAnswers(answer.answers),
    attempts: answer.attempts,
    ...(answer.note === undefined ? {} : { answer_note: answer.note }),
  };
}

/** Runs the graph for one item: nodes in order, following routes, to the end or the output mapping. */
/**
 * The graph's value when it is one of the score's labels; else an `invalid_label` error naming
 * where it came from (an end route or `output` template that rendered another value, or the last
 * node's own label when there is no `output`), rather than the engine's bare "not one of its labels".
 */
function ending(value: string, labels: readonly string[], where: string): string {
  if (matchLabel(value, labels) !== undefined) return value;
  throw new NodeFailed(
    `${where} gave ${JSON.stringify(redactedSlice(value, 0, 100))}, not one of the score's labels (${labels.join(', ')})`,
    'invalid_label',
  );
}

async function runGraph(
  plan: GraphPlan,
  context: RunContext,
  labels: readonly string[],
): Promise<ScoreOutputV1> {
  const path: TraceStep[] = [];
  const trace: { path: TraceStep[]; failed?: RunContext['failed'] } = { path };
  try {
    let position = 0;
    let last: TraceStep | undefined;
    while (position < plan.nodes.length) {
      const node = plan.nodes[position]!;
      last =
        node.node.type !== 'logic' && node.node.per_chunk
          ? await runNodePerChunk(node, context, runNode)
          : await runNode(node, context);
      path.push(last);
      context.results[node.node.name] = {
        value: last.value,
        explanation: last.explanation,
        ...(last.quote === undefined ? {} : { quote: last.quote }),
      };
      const step = node.steps.get(last.value);
      if (!step) position += 1;
      else if ('next' in step) position = step.next;
      else {
        const scope = scopeOf(context);
        const value = ending(
          (await step.end.value.render(scope)).trim(),
          labels,
          `the end route of node "${node.node.name}" for "${last.value}"`,
        );
        const explanation = step.end.explanation
          ? await step.end.explanation.render(scope)
          : last.explanation;
        return { value, status: 'ok', explanation, usage: context.usage, trace };
      }
    }
    if (plan.output) {
      const scope = scopeOf(context);
      const explanation = plan.output.explanation
        ? await plan.output.explanation.render(scope)
        : last!.explanation;
      const source = context.settings.output!.value;
      return {
        value: ending(
          (await plan.output.value.render(scope)).trim(),
          labels,
          `output.value ${JSON.stringify(source.slice(0, 100))}`,
        ),
        status: 'ok',
        explanation,
        usage: context.usage,
        trace,
      };
    }
    return {
      value: ending(
        last!.value,
        labels,
        `the last node "${last!.node}" (no output: maps its labels)`,
      ),
      status: 'ok',
      explanation: last!.explanation,
      usage: context.usage,
      trace,
    };
  } catch (error) {
    if (context.signal.aborted || stopsRun(error)) throw error;
    if (context.failed) trace.failed = context.failed;
    return { ...errorOutput(error, 'call_failed'), usage: context.usage, trace };
  }
}

/** The settings that change answers (not timeouts, limits, retries, prices or where the key is read from). */
const answerFields = [
  'provider',
  'model',
  'base_url',
  'nodes',
  'output',
  'structured_output',
  'max_corrections',
  'temperature',
  'max_tokens',
  'chunking',
  'empty_text_label',
] as const;

/** `llm/graph`: a decision tree of small prompts (classifier, extractor and logic nodes). */
export function createGraphFactory(
  options: { provider?: (settings: GraphSettings) => ChatProvider } = {},
) {
  return defineScoreFactory({
    specificationVersion: 'v1',
    kind: 'graph',
    settingsSchema: graphSettingsSchema,
    needs: (settings) => graphNeeds(settings, { providerKey: !options.provider }),
    async create(settings, env) {
      if (env.labels.length === 0) {
        throw new InvalidConfigError([
          { path: 'labels', message: 'required: the labels the graph must end with' },
        ]);
      }
      const plan = planGraph(settings, env.labels, env.dependsOn);
      checkEmptyTextLabel(settings.empty_text_label, env.labels);
      // Whether a node asking the model shows the text: an empty one leaves nothing to ask.
      const readsText =
        settings.chunking !== undefined ||
        settings.nodes.some(
          (node) =>
            (node.type === 'classifier' || node.type === 'extractor') &&
            showsText([node.prompt, node.system]),
        );
      const clientEnv = { ...env, cacheDir: env.cache === false ? undefined : env.cacheDir };
      const provider = options.provider?.(settings);
      if (!provider) await checkProvider(settings, clientEnv);
      const client = new ModelClient(settings, clientEnv, provider);
      // One graph per item, all in flight together; with batch execution each wave of nodes is
      // one batch (llmScore sizes the calls and tells the client which run calls).
      return llmScore({
        kind: 'llm/graph',
        name: env.name,
        labels: env.labels,
        model: modelLabel(settings),
        answerSettings: pick(settings, answerFields),
        client,
        scoreItem: async (item, signal) => {
          if (readsText && item.text.trim() === '')
            return emptyTextOutput(settings.empty_text_label, env.labels);
          const context: RunContext = {
            item,
            client,
            settings,
            results: nameRecord(), // node names may be `__proto__`: no prototype
            usage: emptyUsage(),
            signal,
          };
          const output = wholeTreePerChunk(settings)
            ? await runGraphPerChunk(context, env.labels, (chunk) =>
                runGraph(plan, chunk, env.labels),
              )
            : await runGraph(plan, context, env.labels);
          // What the graph saw (after processors), size-capped, so reports can show it.
          output.trace = { input: seenText(item.text), ...(output.trace as object) };
          return output;
        },
      });
    },
  });
}

export const graphFactory = createGraphFactory();
